"""One-line messages for failures of the local SQLite database.

SQLite reports why a statement failed with a numeric result code. The causes a
user can fix, such as a lock held by another program, a full disk or a folder
that cannot be written, each get a message naming the file and what to do.
"""

import errno
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from app.errors import CuecardError
from app.store import engine

log = logging.getLogger(__name__)

# Primary SQLite result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

DAMAGE_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})
FIXABLE_CODES = DAMAGE_CODES | {
    SQLITE_PERM,
    SQLITE_BUSY,
    SQLITE_LOCKED,
    SQLITE_READONLY,
    SQLITE_IOERR,
    SQLITE_FULL,
    SQLITE_CANTOPEN,
}


def sqlite_code(error: BaseException) -> int | None:
    """Return the primary SQLite result code behind ``error``, if it has one."""
    original = getattr(error, "orig", error)
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(error: BaseException) -> bool:
    """Return True when SQLite found the file damaged or not a database at all."""
    return sqlite_code(error) in DAMAGE_CODES


@contextmanager
def user_fixable_failures(path: Path) -> Iterator[None]:
    """Turn the database and file errors a user can fix into CuecardError.

    Other errors, such as a constraint violation, are bugs and pass through.
    """
    try:
        yield
    except (sa.exc.DBAPIError, sqlite3.Error, OSError) as error:
        if not is_user_fixable(error):
            raise
        raise local_failure(path, error) from error


def is_user_fixable(error: BaseException) -> bool:
    """Return True for file errors and SQLite failures that local_failure names."""
    return isinstance(error, OSError) or sqlite_code(error) in FIXABLE_CODES


def local_failure(path: Path, error: BaseException) -> CuecardError:
    """Log ``error`` and return a one-line CuecardError that names the fix."""
    log.info("local database %s failed: %s", path, error)
    code = sqlite_code(error)
    number = error.errno if isinstance(error, OSError) else None
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return CuecardError(
            f"the call database {path} stayed locked by another program for "
            f"{engine.BUSY_TIMEOUT_MS / 1000:g} s; close other Cuecard windows or "
            "commands that use it, then try again"
        )
    if code == SQLITE_FULL or number in (errno.ENOSPC, errno.EDQUOT):
        return CuecardError(
            f"the disk holding the call database {path} is full; free some space, "
            "then try again"
        )
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM) or number in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
    ):
        return CuecardError(
            f"cannot write the call database {path}; make its folder writable or "
            "set CUECARD_HOME to a writable folder"
        )
    if code in DAMAGE_CODES:
        return CuecardError(
            f"the call database {path} is damaged; restart Cuecard, which moves "
            "the damaged file aside and starts a new one"
        )
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return CuecardError(
        f"reading or writing the call database {path} failed ({reason}); "
        "check the disk, then try again"
    )
