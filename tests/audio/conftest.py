"""Fixtures for the audio tests."""

from tests.pulse import pulse_sink  # noqa: F401
