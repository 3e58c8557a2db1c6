"""Cuecard: an on-device cold-call coach."""

__version__ = "0.1.0"
