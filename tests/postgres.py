"""A throwaway PostgreSQL server for tests and benchmarks.

The server runs from a temporary cluster on a loopback port, with TLS on, and is
removed afterwards. Initdb and the postgres server refuse to run as root, so as
root they run as the unprivileged ``postgres`` user through ``runuser``.
Connections as ``postgres`` from loopback need no password; every other role
logs in with a SCRAM password.

Use the fixtures from a conftest: ``from tests.postgres import postgres_server,
postgres_url``.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

POSTGRES_BIN = Path(os.environ.get("CUECARD_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVICE_USER = "postgres"
HBA = """\
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, started and stopped on demand."""

    def __init__(self, *, durable: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cuecard-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        if self._as_root:
            shutil.chown(self.root, SERVICE_USER, SERVICE_USER)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        (self.data / "pg_hba.conf").write_text(HBA)
        self._make_certificate()
        settings = [
            "listen_addresses = '127.0.0.1'",
            f"port = {self.port}",
            f"unix_socket_directories = '{self.root}'",
            "ssl = on",
            "max_connections = 100",
        ]
        if not durable:
            # Skipping fsync saves seconds and loses data only when the machine
            # crashes. synchronous_commit stays on: with it off, a server stopped
            # in "immediate" mode drops commits it had already acknowledged.
            settings += ["fsync = off"]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(settings) + "\n")

    def _run(self, program: str, *args: str) -> None:
        command = [str(POSTGRES_BIN / program), *args]
        if self._as_root:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def _make_certificate(self) -> None:
        subprocess.run(
            [
                "openssl", "req", "-new", "-x509", "-days", "2", "-nodes",
                "-subj", "/CN=127.0.0.1",
                "-keyout", str(self.data / "server.key"),
                "-out", str(self.data / "server.crt"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (self.data / "server.key").chmod(0o600)
        if self._as_root:
            for name in ("server.key", "server.crt", "pg_hba.conf"):
                shutil.chown(self.data / name, SERVICE_USER, SERVICE_USER)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log_file = self.root / "server.log"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(log_file))

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``immediate`` drops connections without a checkpoint."""
        self._run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data))

    def remove(self) -> None:
        """Delete the cluster's folder."""
        shutil.rmtree(self.root, ignore_errors=True)

    def url(
        self,
        database: str = "postgres",
        user: str = "postgres",
        password: str | None = None,
    ) -> str:
        """Return a SQLAlchemy URL for ``database`` on this server."""
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{user}{secret}@{self.host}:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run SQL as the superuser with autocommit (CREATE DATABASE needs it)."""
        with psycopg.connect(
            host=self.host,
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def create_database(self) -> str:
        """Create an empty database with a fresh name and return the name."""
        name = f"cuecard_{uuid.uuid4().hex[:12]}"
        self.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start one PostgreSQL server for the test session."""
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """Return the superuser URL of a new, empty database for one test."""
    return postgres_server.url(postgres_server.create_database())
