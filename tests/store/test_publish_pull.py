"""Publishing playbooks, pulling them, and the roles that guard the shared store."""

import dataclasses
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app import paths
from app.errors import CuecardError
from app.playbooks.loader import load_playbook
from app.store.credentials import resolve_shared_url
from app.store.local import LocalStore
from app.store.publish import publish_playbook
from app.store.pull import latest_pulled_playbook, pulled_root, safe_relative_path
from app.store.sync import sync
from tests.postgres import PostgresServer
from tests.store.helpers import count_rows, record_calls, write_playbook


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict, for one test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def test_publish_then_pull(tmp_path: Path, local: LocalStore, shared_url: str) -> None:
    playbook = load_playbook(write_playbook(tmp_path / "v1", "1.0"))
    assert publish_playbook(playbook, shared_url) == "1.0"
    report = sync(local, shared_url)
    assert [(p.name, p.version, p.loaded) for p in report.pulled] == [
        ("team-test", "1.0", True)
    ]
    latest = latest_pulled_playbook()
    assert latest is not None
    assert load_playbook(latest).content_hash == playbook.content_hash


def test_default_playbook_publishes(local: LocalStore, shared_url: str) -> None:
    playbook = load_playbook(paths.default_playbook_dir())
    assert " " in playbook.name
    assert publish_playbook(playbook, shared_url) == playbook.version
    sync(local, shared_url)
    latest = latest_pulled_playbook()
    assert latest is not None
    assert load_playbook(latest).name == playbook.name


@pytest.mark.parametrize("name", ["../up", ".hidden", "a/b", "a\\b"])
def test_unsafe_playbook_name_rejected(
    tmp_path: Path, shared_url: str, name: str
) -> None:
    playbook = load_playbook(write_playbook(tmp_path / "v1", "1.0"))
    renamed = dataclasses.replace(playbook, name=name)
    with pytest.raises(CuecardError, match="invalid playbook name"):
        publish_playbook(renamed, shared_url)


def test_publish_same_content_twice(tmp_path: Path, shared_url: str) -> None:
    playbook = load_playbook(write_playbook(tmp_path / "v1", "1.0"))
    publish_playbook(playbook, shared_url)
    publish_playbook(playbook, shared_url)
    assert count_rows(shared_url, "playbooks") == 1


def test_publish_changed_content_same_version(tmp_path: Path, shared_url: str) -> None:
    publish_playbook(load_playbook(write_playbook(tmp_path / "a", "1.0")), shared_url)
    changed = write_playbook(tmp_path / "b", "1.0")
    (changed / "playbook.yaml").write_text(
        (changed / "playbook.yaml").read_text().replace("no budget", "too expensive")
    )
    with pytest.raises(CuecardError, match="raise the version"):
        publish_playbook(load_playbook(changed), shared_url)


def test_broken_version_keeps_previous(
    tmp_path: Path, local: LocalStore, shared_url: str
) -> None:
    good = load_playbook(write_playbook(tmp_path / "good", "1.0"))
    publish_playbook(good, shared_url)
    sync(local, shared_url)
    # A later app version may reject what this one published; simulate that by
    # publishing a version whose stored files no longer load.
    newer = load_playbook(write_playbook(tmp_path / "newer", "2.0"))
    (tmp_path / "newer" / "playbook.yaml").write_text("cards: [\n")
    publish_playbook(newer, shared_url)
    report = sync(local, shared_url)
    assert [p.loaded for p in report.pulled] == [False]
    assert latest_pulled_playbook() == pulled_root() / "team-test" / "1.0"


def test_pull_only_new_versions(
    tmp_path: Path, local: LocalStore, shared_url: str
) -> None:
    publish_playbook(load_playbook(write_playbook(tmp_path / "a", "1.0")), shared_url)
    assert len(sync(local, shared_url).pulled) == 1
    assert sync(local, shared_url).pulled == []
    publish_playbook(load_playbook(write_playbook(tmp_path / "b", "1.1")), shared_url)
    assert [p.version for p in sync(local, shared_url).pulled] == ["1.1"]


@pytest.mark.parametrize("name", ["/etc/passwd", "../x.yaml", "a/../../b", "C:x", ""])
def test_unsafe_file_names_rejected(name: str) -> None:
    with pytest.raises(CuecardError, match="invalid playbook file name"):
        safe_relative_path(name)


@pytest.fixture
def roles(postgres_server: PostgresServer, shared_url: str) -> str:
    """Create reps alice and bob and manager maria with passwords; return the db."""
    database = shared_url.rsplit("/", 1)[1]
    postgres_server.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice') THEN "
        "CREATE ROLE alice LOGIN PASSWORD 'alice-pw' IN ROLE cuecard_rep; "
        "CREATE ROLE bob LOGIN PASSWORD 'bob-pw' IN ROLE cuecard_rep; "
        "CREATE ROLE maria LOGIN PASSWORD 'maria-pw' IN ROLE cuecard_manager; "
        "END IF; END $$"
    )
    postgres_server.execute(f'GRANT CONNECT ON DATABASE "{database}" TO PUBLIC')
    return database


def test_rep_writes_own_calls(
    postgres_server: PostgresServer, roles: str, local: LocalStore
) -> None:
    record_calls(local, 2, rep="alice")
    sync(local, postgres_server.url(roles, "alice", "alice-pw"))
    assert count_rows(postgres_server.url(roles), "calls") == 2


def test_rep_cannot_write_others_calls(
    postgres_server: PostgresServer, roles: str, local: LocalStore
) -> None:
    record_calls(local, 1, rep="bob")
    with pytest.raises(CuecardError, match="rejected"):
        sync(local, postgres_server.url(roles, "alice", "alice-pw"))
    assert count_rows(postgres_server.url(roles), "calls") == 0
    assert local.pending_changes() > 0


def test_only_manager_publishes(
    tmp_path: Path, postgres_server: PostgresServer, roles: str
) -> None:
    playbook = load_playbook(write_playbook(tmp_path / "a", "1.0"))
    with pytest.raises(Exception, match="permission denied"):
        publish_playbook(playbook, postgres_server.url(roles, "alice", "alice-pw"))
    publish_playbook(playbook, postgres_server.url(roles, "maria", "maria-pw"))
    assert count_rows(postgres_server.url(roles), "playbooks") == 1


def test_password_from_keyring(
    postgres_server: PostgresServer,
    roles: str,
    local: LocalStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory = MemoryKeyring()
    memory.set_password("cuecard", "alice@127.0.0.1", "alice-pw")
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        monkeypatch.setenv("CUECARD_DB_URL", postgres_server.url(roles, "alice"))
        url = resolve_shared_url(None)
        record_calls(local, 1, rep="alice")
        assert sync(local, url).sent["call"] == 1
    finally:
        keyring.set_keyring(previous)


def test_no_url_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUECARD_DB_URL", raising=False)
    with pytest.raises(CuecardError, match="CUECARD_DB_URL"):
        resolve_shared_url(None)
