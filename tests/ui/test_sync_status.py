"""Background sync in the window: status text, a shared SQLite file, offline."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.settings import Settings, save_settings
from app.store.background import SyncState
from app.store.credentials import URL_VARIABLE
from app.store.setup import set_up_shared_store
from app.ui.application import create_window
from app.ui.main_window import MainWindow
from app.ui.sync_status import sync_status_text
from tests.ui.conftest import LOAD_TIMEOUT_MS, close_and_wait, sample_call

TIMEOUT_MS = 60_000
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "elapsed", "expected"),
    [
        (SyncState("syncing", "", 0), 0.0, "Syncing..."),
        (SyncState("syncing", "", 1), 0.0, "Syncing..., 1 change waiting"),
        (
            SyncState("synced", "", 0, 60.0, NOW - timedelta(seconds=20)),
            0.0,
            "Synced just now",
        ),
        (
            SyncState("synced", "", 0, 60.0, NOW - timedelta(minutes=2, seconds=5)),
            0.0,
            "Synced 2 min ago",
        ),
        (
            SyncState("retrying", "down", 3, 40.0, None),
            0.0,
            "Offline: retrying in 40 s, 3 changes waiting",
        ),
        (
            SyncState("retrying", "down", 3, 40.0, None),
            15.2,
            "Offline: retrying in 25 s, 3 changes waiting",
        ),
        (SyncState("retrying", "down", 0, 5.0, None), 9.0, "Offline: retrying in 0 s"),
        (
            SyncState("failed", "old schema", 2, 60.0, None),
            0.0,
            "Sync failed: next try in 60 s, 2 changes waiting",
        ),
    ],
)
def test_sync_status_text(state: SyncState, elapsed: float, expected: str) -> None:
    assert sync_status_text(state, NOW, elapsed) == expected


@pytest.fixture
def no_url_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a CUECARD_DB_URL of the machine out of the test."""
    monkeypatch.delenv(URL_VARIABLE, raising=False)


@pytest.fixture
def open_window(qtbot, speech_engine: object) -> Iterator[Callable[[str], MainWindow]]:  # noqa: ANN001
    """Yield a function that opens a loaded window with a shared database URL."""
    opened: list[MainWindow] = []

    def open_with(url: str) -> MainWindow:
        save_settings(Settings(shared_database_url=url))
        window = create_window()
        window.show()
        opened.append(window)
        qtbot.waitUntil(window.is_ready, timeout=LOAD_TIMEOUT_MS)
        return window

    yield open_with
    for window in opened:
        close_and_wait(qtbot, window)


@pytest.fixture
def shared_file(tmp_path: Path) -> tuple[str, Path]:
    """Return the URL and path of a set-up shared SQLite store."""
    path = tmp_path / "shared.db"
    url = f"sqlite:///{path}"
    set_up_shared_store(url)
    return url, path


def _shared_calls(path: Path) -> int:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("select count(*) from calls"))
    finally:
        engine.dispose()


def test_window_syncs_to_shared_file(
    qtbot,  # noqa: ANN001
    no_url_variable: None,
    shared_file: tuple[str, Path],
    open_window: Callable[[str], MainWindow],
) -> None:
    url, path = shared_file
    window = open_window(url)
    sync = window.sync
    qtbot.waitUntil(
        lambda: sync.state is not None and sync.state.status == "synced",
        timeout=TIMEOUT_MS,
    )
    assert sync.label.isVisible()
    assert sync.label.text() == "Synced just now"
    assert window.actions_.sync_now.isEnabled()

    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.outcomes.saved, timeout=TIMEOUT_MS):
        window.outcomes.dialog.select("callback")
        window.outcomes.dialog.accept()
    assert window.store.pending_changes() > 0

    window.actions_.sync_now.trigger()
    qtbot.waitUntil(lambda: _shared_calls(path) == 1, timeout=TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: sync.state.status == "synced" and sync.state.pending == 0,
        timeout=TIMEOUT_MS,
    )
    close_and_wait(qtbot, window)
    assert not sync.running()


def test_window_shows_offline_store(
    qtbot,  # noqa: ANN001
    no_url_variable: None,
    open_window: Callable[[str], MainWindow],
) -> None:
    # Port 1 on the loopback address refuses connections at once.
    window = open_window("postgresql://rep@127.0.0.1:1/cuecard")
    sync = window.sync
    qtbot.waitUntil(
        lambda: sync.state is not None and sync.state.status == "retrying",
        timeout=TIMEOUT_MS,
    )
    assert sync.label.text().startswith("Offline: retrying in ")
    assert "cannot reach the shared store" in window.area.error.text()
    assert "127.0.0.1:1/cuecard" in sync.label.toolTip()


def test_no_shared_database_no_sync(
    qtbot, no_url_variable: None, window: MainWindow
) -> None:  # noqa: ANN001
    assert not window.sync.running()
    assert not window.sync.label.isVisible()
    assert not window.actions_.sync_now.isEnabled()


def test_settings_change_starts_sync(
    qtbot,  # noqa: ANN001
    no_url_variable: None,
    shared_file: tuple[str, Path],
    window: MainWindow,
) -> None:
    url, _path = shared_file
    window.apply_settings(window.settings.replace(shared_database_url=url))
    qtbot.waitUntil(
        lambda: window.sync.state is not None and window.sync.state.status == "synced",
        timeout=TIMEOUT_MS,
    )
    window.apply_settings(window.settings.replace(shared_database_url=None))
    assert not window.sync.running()
    assert not window.sync.label.isVisible()
