"""Fixtures for the store tests: a real PostgreSQL server."""

from pathlib import Path

import pytest

from app.store.local import LocalStore
from app.store.setup import set_up_shared_store
from tests.postgres import postgres_server, postgres_url  # noqa: F401


@pytest.fixture
def shared_url(postgres_url: str) -> str:  # noqa: F811
    """Return the URL of a fresh shared store on PostgreSQL, set up and granted."""
    set_up_shared_store(postgres_url)
    return postgres_url


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    """Open a local store in a temporary file."""
    store = LocalStore.open(tmp_path / "local.sqlite3")
    yield store
    store.close()
