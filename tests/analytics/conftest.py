"""Fixtures for the analytics tests: a real PostgreSQL server."""

from tests.postgres import postgres_server, postgres_url  # noqa: F401
