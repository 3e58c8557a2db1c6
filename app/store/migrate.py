"""Bring a database to the current schema with Alembic, backing it up first."""

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.errors import CuecardError
from app.store.failures import is_user_fixable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """Return the newest revision among this app's migrations."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """Return the revision a database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(engine: sa.Engine, revision: str) -> Path:
    """Copy a SQLite database next to itself, named after its revision and time."""
    source_path = Path(engine.url.database or "")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = source_path.with_name(f"{source_path.name}.{revision}-{stamp}.bak")
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    log.info("backed up %s at revision %s to %s", source_path, revision, target)
    return target


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate a database to ``revision`` in one transaction.

    A SQLite database that already has tables is backed up first. When a step
    fails, the transaction rolls back, so the database stays at its previous
    revision, and a CuecardError names both revisions and the backup.
    """
    before = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if before == target:
        return
    backup = None
    if engine.dialect.name == "sqlite" and before is not None:
        backup = backup_sqlite(engine, before)

    config = _config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except Exception as error:
        log.exception(
            "migration of %s from %s to %s failed", engine.url, before, target
        )
        if engine.dialect.name == "sqlite" and is_user_fixable(error):
            # A lock, a full disk or a read-only folder: the caller names the fix.
            raise
        kept = f"; a backup is at {backup}" if backup else ""
        raise CuecardError(
            f"updating the database {engine.url.render_as_string()} from revision "
            f"{before or 'empty'} to {target} failed ({error.__class__.__name__}); "
            f"it is unchanged{kept}; send the log file with a bug report"
        ) from error
    log.info("migrated %s from %s to %s", engine.url, before or "empty", target)
