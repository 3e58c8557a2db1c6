"""Connecting to the shared store and turning its failures into plain messages."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import sqlalchemy as sa

from app.errors import CuecardError
from app.store import migrate
from app.store.credentials import describe
from app.store.engine import shared_engine

log = logging.getLogger(__name__)


class SharedStoreUnavailable(CuecardError):
    """The shared store could not be reached; trying again later may work."""


@contextmanager
def connect_shared(url: str) -> Iterator[sa.Engine]:
    """Yield an engine for the shared store after checking its schema revision.

    Raises SharedStoreUnavailable when the server cannot be reached (also later,
    inside the block) and CuecardError when its schema is not the app's.
    """
    engine = shared_engine(url)
    try:
        try:
            revision = migrate.current_revision(engine)
        except sa.exc.OperationalError as error:
            raise unavailable(url, error) from error
        head = migrate.head_revision()
        if revision != head:
            raise CuecardError(
                f"the shared store {describe(url)} is at schema revision "
                f"{revision or 'empty'} but this app needs {head}; an administrator "
                "runs `cuecard sync --setup --db URL` to update it"
            )
        try:
            yield engine
        except (sa.exc.OperationalError, psycopg.OperationalError) as error:
            raise unavailable(url, error) from error
    finally:
        engine.dispose()


def unavailable(
    url: str, error: Exception, command: str = "sync"
) -> SharedStoreUnavailable:
    """Log and return the error for a shared store that cannot be reached."""
    log.info("shared store %s unavailable: %s", describe(url), error)
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    kept = " Local calls are kept and will be sent then" if command == "sync" else ""
    return SharedStoreUnavailable(
        f"cannot reach the shared store at {describe(url)} ({reason}); check that "
        f"the server is running and the address is right, then run `cuecard "
        f"{command}` again.{kept}"
    )
