"""SQLAlchemy engines for the local SQLite database and the shared store."""

import logging
import os
from pathlib import Path
from typing import Any

import psutil
import sqlalchemy as sa
from sqlalchemy import event

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 5
NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "ncpfs"}
)


def is_network_path(path: Path) -> bool:
    """Return True when ``path`` lies on a network file system.

    SQLite's WAL mode needs shared memory between processes, which network file
    systems do not provide, so such files use the DELETE journal instead.
    """
    resolved = str(path.resolve())
    if os.name == "nt" and resolved.startswith("\\\\"):
        return True
    best_mount, best_type = "", ""
    for partition in psutil.disk_partitions(all=True):
        mount = partition.mountpoint
        inside = resolved == mount or resolved.startswith(mount.rstrip("/\\") + os.sep)
        if inside and len(mount) > len(best_mount):
            best_mount, best_type = mount, partition.fstype.lower()
    return best_type in NETWORK_FILE_SYSTEMS or best_type.startswith("fuse.sshfs")


def sqlite_engine(path: Path) -> sa.Engine:
    """Create an engine for a SQLite file with WAL, a busy timeout and real BEGINs.

    Transactions start with a plain BEGIN, or BEGIN IMMEDIATE on connections with
    the ``immediate`` execution option. A writer then takes the lock before it
    reads, so it waits up to the busy timeout for another writer instead of
    failing with "database is locked" after reading.
    """
    journal = "DELETE" if is_network_path(path.parent) else "WAL"
    engine = sa.create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 module would otherwise open transactions itself, and
        # not before DDL, which makes migrations non-transactional.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA journal_mode={journal}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # With WAL, NORMAL loses nothing when the process dies, only on power loss.
        cursor.execute(
            "PRAGMA synchronous=NORMAL"
            if journal == "WAL"
            else "PRAGMA synchronous=FULL"
        )
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    log.info("opened SQLite database %s with the %s journal", path, journal)
    return engine


def shared_engine(url: str) -> sa.Engine:
    """Create an engine for the shared store: PostgreSQL or a shared SQLite file."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            raise ValueError("a shared SQLite store needs a file path")
        return sqlite_engine(Path(parsed.database))
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(
        parsed,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        pool_pre_ping=True,
    )
