"""Store failures a user can fix: each gives one plain line naming the fix."""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import cli
from app.errors import CuecardError
from app.store import engine as engine_module
from app.store.local import LocalStore

REPO_ROOT = Path(__file__).resolve().parents[2]


def begin(store: LocalStore) -> str:
    return store.begin_call(
        rep="alice",
        playbook_name="default",
        playbook_version="1.0",
        persona=None,
        engine="vosk",
        started_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    )


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = cli.main(list(argv))
    return status, capsys.readouterr().err.splitlines()


def damage_pages(path: Path, first_page: int, pages: int) -> None:
    """Overwrite whole pages in the middle of a SQLite file with a pattern."""
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as database:
        database.seek(first_page * page_size)
        database.write(bytes([0x5A, 0xA5]) * (pages * page_size // 2))


def test_damaged_pages_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = LocalStore.open(path)
    for _ in range(200):
        call_id = begin(store)
        store.add_segment(
            call_id, speaker="rep", start=0.0, end=1.0, text="words " * 40
        )
    store.close()
    pages = path.stat().st_size // 4096
    assert pages > 20
    damage_pages(path, first_page=pages // 2, pages=3)

    reopened = LocalStore.open(path)
    try:
        assert reopened.notice is not None
        assert "damaged" in reopened.notice
        assert reopened.list_calls() == []
        assert begin(reopened)
    finally:
        reopened.close()
    assert len(list(tmp_path.glob("calls.sqlite3.corrupt-*"))) == 1


def test_sound_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = LocalStore.open(path)
    call_id = begin(store)
    store.close()
    reopened = LocalStore.open(path)
    try:
        assert reopened.notice is None
        assert [c.id for c in reopened.list_calls()] == [call_id]
    finally:
        reopened.close()


def test_damaged_file_once_then_normal(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    first = LocalStore.open(path)
    first.close()
    second = LocalStore.open(path)
    second.close()
    assert first.notice is not None
    assert second.notice is None
    assert len(list(tmp_path.glob("calls.sqlite3.corrupt-*"))) == 1


HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)


def test_lock_held_by_other_process(
    cuecard_home: Path,
    short_busy_timeout: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = LocalStore.open()
    call_id = begin(store)
    path = store.path
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(CuecardError, match="locked by another program for 0.3 s"):
            store.tag_call(call_id, "callback")
        store.close()

        status, lines = run_cli(capsys, "calls", "tag", call_id[:8], "callback")
    finally:
        holder.kill()
        holder.wait()
    assert status == 1
    assert len(lines) == 1
    assert "locked by another program" in lines[0]
    assert "close other Cuecard windows" in lines[0]


def test_full_disk_names_fix(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path / "calls.sqlite3")
    call_id = begin(store)
    # max_page_count makes SQLite fail with SQLITE_FULL, the code a full disk gives.
    sa.event.listen(
        store.engine,
        "connect",
        lambda connection, _: connection.execute(
            "PRAGMA max_page_count = "
            + str(connection.execute("PRAGMA page_count").fetchone()[0])
        ),
    )
    store.engine.dispose()
    try:
        with pytest.raises(CuecardError, match="is full; free some space"):
            for start in range(200):
                store.add_segment(
                    call_id, speaker="rep", start=start, end=start + 1, text="x" * 4000
                )
    finally:
        store.close()


@pytest.fixture
def writable_then_read_only(tmp_path: Path) -> Iterator[tuple[Path, Callable]]:
    """Yield a folder and a function that makes it read-only for this process.

    Root ignores file modes, so as root the folder is a tmpfs mount that the
    function remounts read-only.
    """
    home = tmp_path / "home"
    home.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(home)], check=True
        )

    def make_read_only() -> None:
        if as_root:
            subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        else:
            for folder in [home, *home.rglob("*")]:
                if folder.is_dir():
                    folder.chmod(0o555)

    try:
        yield home, make_read_only
    finally:
        if as_root:
            subprocess.run(["umount", str(home)], check=True)
        else:
            for folder in [home, *home.rglob("*")]:
                if folder.is_dir():
                    folder.chmod(0o755)


def run_in_home(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "CUECARD_HOME": str(home)},
    )


def test_read_only_empty_home(
    writable_then_read_only: tuple[Path, Callable],
) -> None:
    home, make_read_only = writable_then_read_only
    make_read_only()
    result = run_in_home(home, "calls", "list")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "set CUECARD_HOME to a writable folder" in lines[0]


def test_read_only_existing_database(
    writable_then_read_only: tuple[Path, Callable],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, make_read_only = writable_then_read_only
    monkeypatch.setenv("CUECARD_HOME", str(home))
    store = LocalStore.open()
    call_id = begin(store)
    store.close()
    make_read_only()
    result = run_in_home(home, "calls", "tag", call_id, "callback")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "cannot write the call database" in lines[0]
    assert "set CUECARD_HOME to a writable folder" in lines[0]


def test_ambiguous_prefix_one_line(
    cuecard_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = LocalStore.open()
    ids = [begin(store) for _ in range(17)]
    store.close()
    # 17 ids over 16 hex digits: at least two share their first character.
    firsts = [call_id[0] for call_id in ids]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    status, lines = run_cli(capsys, "calls", "tag", shared, "callback")
    assert status == 1
    assert len(lines) == 1
    assert "matches several calls; give more characters" in lines[0]


def test_unique_prefix_tags(
    cuecard_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = LocalStore.open()
    call_id = begin(store)
    store.close()
    assert cli.main(["calls", "tag", call_id[:4], "voicemail"]) == 0
    assert call_id in capsys.readouterr().out


def test_cli_tells_of_moved_file(
    cuecard_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = cuecard_home / "data" / "cuecard.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 100)
    status, lines = run_cli(capsys, "calls", "list")
    assert status == 0
    assert len(lines) == 1
    assert "is damaged" in lines[0]
    assert "moved to" in lines[0]
