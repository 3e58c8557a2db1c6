"""Global hotkeys: Wayland detection, the fallback message, the signal path, X11."""

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from app.settings import HotkeySettings
from app.ui.actions import shortcut_help
from app.ui.call_controller import CallState
from app.ui.global_hotkeys import (
    OFF_MESSAGE,
    WAYLAND_MESSAGE,
    GlobalHotkeys,
    is_wayland_session,
    readable_hotkey,
)
from app.ui.main_window import MainWindow
from tests.conftest import REPO_ROOT
from tests.ui.conftest import sample_call

TIMEOUT_MS = 60_000


@pytest.mark.parametrize(
    ("environ", "wayland"),
    [
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, True),
        ({"XDG_SESSION_TYPE": "Wayland"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, False),
        ({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, False),
        ({}, False),
    ],
)
def test_wayland_detection(environ: dict[str, str], wayland: bool) -> None:
    assert is_wayland_session(environ) is wayland


def test_readable_hotkey() -> None:
    assert readable_hotkey("<ctrl>+<alt>+s") == "Ctrl+Alt+S"
    assert readable_hotkey("<ctrl>+<shift>+<page_up>") == "Ctrl+Shift+Page Up"


@pytest.fixture
def hotkeys(qtbot) -> Iterator[GlobalHotkeys]:  # noqa: ANN001
    listener = GlobalHotkeys()
    yield listener
    listener.stop()


def test_wayland_gives_honest_message(hotkeys: GlobalHotkeys) -> None:
    hotkeys.start(HotkeySettings(), {"WAYLAND_DISPLAY": "wayland-0"})
    assert not hotkeys.active
    assert hotkeys.status == WAYLAND_MESSAGE
    assert "still work while Cuecard has focus" in hotkeys.status


def test_no_display_gives_fallback(
    hotkeys: GlobalHotkeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    hotkeys.start(HotkeySettings(), {})
    assert not hotkeys.active
    assert hotkeys.status.startswith("Global hotkeys could not start here")
    assert "needs X11" in hotkeys.status
    assert "still work while Cuecard has focus" in hotkeys.status


def test_turned_off_in_settings(hotkeys: GlobalHotkeys) -> None:
    hotkeys.start(HotkeySettings(enabled=False), {"DISPLAY": ":0"})
    assert not hotkeys.active
    assert hotkeys.status == OFF_MESSAGE


def test_help_shows_hotkey_status(window: MainWindow) -> None:
    text = shortcut_help(window.hotkeys.status)
    assert "Ctrl+Return" in text
    assert window.hotkeys.status in text
    window.panels.show_shortcuts()


def test_hotkey_from_thread_dismisses_opener(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=True)
    qtbot.waitUntil(
        lambda: window.controller.state == CallState.LIVE, timeout=TIMEOUT_MS
    )
    assert window.area.card_view.kind.text() == "Opener"

    # pynput calls back on its listener thread, so a plain thread plays that part.
    with qtbot.waitSignal(window.hotkeys.triggered, timeout=TIMEOUT_MS):
        threading.Thread(target=window.hotkeys.fire, args=("dismiss",)).start()
    assert window.area.card_view.kind.text() != "Opener"

    with qtbot.waitSignal(window.hotkeys.triggered, timeout=TIMEOUT_MS):
        threading.Thread(target=window.hotkeys.fire, args=("end",)).start()
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    window.outcomes.dialog.reject()


def test_settings_tab_restarts_hotkeys(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.panels.open_settings()
    dialog = window.panels.settings
    assert dialog.hotkey_status.text() == window.hotkeys.status
    dialog.hotkeys_enabled.setChecked(False)
    dialog.hotkey_edits["dismiss"].setText("<ctrl>+<shift>+<f9>")
    dialog.accept()
    assert window.settings.hotkeys == HotkeySettings(
        enabled=False, dismiss="<ctrl>+<shift>+<f9>"
    )
    assert window.hotkeys.status == OFF_MESSAGE


def test_settings_tab_rejects_bad_hotkey(window: MainWindow) -> None:
    window.panels.open_settings()
    dialog = window.panels.settings
    dialog.hotkey_edits["start"].setText("s")
    dialog.accept()
    assert dialog.isVisible()
    assert "global hotkey 's' for start is invalid" in dialog.error.text()
    dialog.reject()


# Runs in a child process with DISPLAY set, because pynput binds its backend to
# the display when first imported. It presses the dismiss hotkey with xdotool.
_X11_CHILD = """
import subprocess, sys
from PySide6.QtCore import QCoreApplication, QTimer
from app.settings import HotkeySettings
from app.ui.global_hotkeys import GlobalHotkeys
app = QCoreApplication([])
hotkeys = GlobalHotkeys()
hotkeys.start(HotkeySettings())
print(hotkeys.status, flush=True)
if not hotkeys.active:
    sys.exit(3)
hotkeys._listener.wait()
hotkeys.triggered.connect(lambda action: (print("triggered", action), app.quit()))
subprocess.run(["xdotool", "key", "ctrl+alt+x"], check=True)
QTimer.singleShot(30_000, lambda: app.exit(4))
sys.exit(app.exec())
"""


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """Start a private Xvfb server and yield its DISPLAY value."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.fail("Xvfb and xdotool are needed: apt-get install xvfb xdotool")
    read_end, write_end = __import__("os").pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "640x480x24"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    __import__("os").close(write_end)
    with open(read_end) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def test_x11_hotkey_reaches_signal(xvfb_display: str, cuecard_home) -> None:  # noqa: ANN001
    result = subprocess.run(
        [sys.executable, "-c", _X11_CHILD],
        cwd=REPO_ROOT,
        env={
            "DISPLAY": xvfb_display,
            "CUECARD_HOME": str(cuecard_home),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Global hotkeys: Ctrl+Alt+S start" in result.stdout
    assert "triggered dismiss" in result.stdout
