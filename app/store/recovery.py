"""Opening the local database file, and moving a damaged one aside.

A damaged file is renamed to ``<name>.corrupt-<UTC time>`` (with its -wal and
-shm files) and a new, empty database takes its place, so the app starts
instead of failing on every launch. The renamed file is kept for recovery by
hand, for example with the sqlite3 shell's ``.recover`` command.
"""

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from app.store.engine import sqlite_engine
from app.store.failures import is_damage

log = logging.getLogger(__name__)


def open_checked(path: Path) -> tuple[sa.Engine, str | None]:
    """Return an engine for ``path`` and a notice when a damaged file was moved.

    Raises the SQLite error of a file that fails for another reason, such as a
    lock or a folder that cannot be written.
    """
    engine = sqlite_engine(path)
    try:
        problem = find_damage(engine)
    except sa.exc.DBAPIError:
        engine.dispose()
        raise
    if problem is None:
        return engine, None

    engine.dispose()
    moved = move_aside(path)
    log.warning("database %s is damaged (%s); moved to %s", path, problem, moved)
    notice = (
        f"The call database was damaged and was moved to {moved}; "
        "a new, empty one is in use."
    )
    return sqlite_engine(path), notice


def find_damage(engine: sa.Engine) -> str | None:
    """Run SQLite's quick_check and return its first problem, or None when sound.

    quick_check reads every page and checks the b-tree structure, but skips the
    comparison of indexes with their tables that integrity_check adds.
    """
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA quick_check").scalars().all()
    except sa.exc.DatabaseError as error:
        if not is_damage(error):
            raise
        return str(error.orig)
    log.info(
        "quick_check of %s took %.3f s",
        engine.url.database,
        time.perf_counter() - started,
    )
    if rows == ["ok"]:
        return None
    return "; ".join(str(row) for row in rows[:3])


def move_aside(path: Path) -> Path:
    """Rename a database file and its -wal and -shm files; return the new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target
