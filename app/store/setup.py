"""One-time set-up of a shared store by an administrator."""

import logging

import sqlalchemy as sa

from app.store import migrate
from app.store.credentials import describe
from app.store.engine import shared_engine
from app.store.grants import apply_grants
from app.store.shared import unavailable

log = logging.getLogger(__name__)


def set_up_shared_store(url: str) -> str:
    """Migrate the shared store to the current schema and, on PostgreSQL, grant.

    Returns the schema revision it is at afterwards.
    """
    engine = shared_engine(url)
    try:
        migrate.upgrade(engine)
        if engine.dialect.name == "postgresql":
            apply_grants(engine)
        revision = migrate.current_revision(engine)
    except sa.exc.OperationalError as error:
        raise unavailable(url, error) from error
    finally:
        engine.dispose()
    log.info("shared store %s is set up at revision %s", describe(url), revision)
    return revision or ""
