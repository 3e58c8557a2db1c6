"""Colour schemes on the card and error line, and the Recent replays menu."""

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.settings import load_settings
from app.ui.call_controller import CallState
from app.ui.main_window import MainWindow
from app.ui.replays import RECENT_LIMIT, remember_replay
from app.ui.theme import dark_palette, palette_is_dark, window_style
from tests.ui.conftest import sample_call

TIMEOUT_MS = 60_000


def test_window_style_differs_by_scheme() -> None:
    app = QApplication.instance()
    light = window_style(app.style().standardPalette())
    dark = window_style(dark_palette())
    assert "#b3261e" in light
    assert "#ff8a80" in dark
    assert light != dark


def test_dark_choice_installs_dark_palette(window: MainWindow) -> None:
    app = QApplication.instance()
    try:
        window.apply_settings(window.settings.replace(color_scheme="dark"))
        assert palette_is_dark(app.palette())
        assert "#ff8a80" in window.styleSheet()
        assert load_settings().color_scheme == "dark"

        window.apply_settings(window.settings.replace(color_scheme="light"))
        assert not palette_is_dark(app.palette())
        assert "#b3261e" in window.styleSheet()
    finally:
        window.theme.apply("system")
    assert not palette_is_dark(app.palette())


def test_remember_replay_order() -> None:
    first, second = Path("/calls/a.wav"), Path("/calls/b.wav")
    recent = remember_replay((), first)
    recent = remember_replay(recent, second)
    recent = remember_replay(recent, first)
    assert recent == ("/calls/a.wav", "/calls/b.wav")
    many = ()
    for number in range(RECENT_LIMIT + 3):
        many = remember_replay(many, Path(f"/calls/{number}.wav"))
    assert len(many) == RECENT_LIMIT
    assert many[0] == f"/calls/{RECENT_LIMIT + 2}.wav"


def _menu_texts(window: MainWindow) -> list[str]:
    window.replays.fill_recent_menu()
    return [action.text() for action in window.actions_.recent.actions()]


def test_recent_replays_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    assert _menu_texts(window) == ["No recent replays"]

    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    window.outcomes.dialog.reject()
    stored = str(sample_call().resolve())
    assert load_settings().recent_replays == (stored,)
    texts = _menu_texts(window)
    assert texts[0] == "&1 sample_call.wav"
    assert texts[-1] == "&Clear the list"

    # Choosing the entry replays the recording again, in real time.
    window.actions_.recent.actions()[0].trigger()
    qtbot.waitUntil(
        lambda: window.controller.state == CallState.LIVE, timeout=TIMEOUT_MS
    )
    window.end_call()
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    window.outcomes.dialog.reject()
    assert window.settings.recent_replays == (stored,)

    window.actions_.recent.actions()[-1].trigger()
    assert load_settings().recent_replays == ()


def test_missing_recent_replay_removed(window: MainWindow, tmp_path: Path) -> None:
    gone = tmp_path / "gone.wav"
    window.remember(recent_replays=(str(gone),))
    _menu_texts(window)
    window.actions_.recent.actions()[0].trigger()
    assert "recording" in window.area.error.text()
    assert "not found" in window.area.error.text()
    assert window.settings.recent_replays == ()
