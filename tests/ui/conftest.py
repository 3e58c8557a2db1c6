"""Fixtures for the window tests: a shared speech engine and strict Qt messages."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from app import paths
from app.speech.models import choose_model
from app.speech.recognizer import SpeechEngine
from app.ui.application import application, create_window
from app.ui.loading import engine_for
from app.ui.main_window import MainWindow

SAMPLE_CALL = paths.resources_dir() / "sample_call.wav"
LOAD_TIMEOUT_MS = 60_000

# Lines the offscreen platform plugin prints about features it lacks; they say
# nothing about Cuecard.
_PLATFORM_NOISE = (
    "This plugin does not support",
    "QSystemTrayIcon::setVisible: No Icon set",
)


@pytest.fixture(scope="session")
def speech_engine() -> SpeechEngine:
    """Load the embedded Whisper engine once for every window test."""
    return engine_for(choose_model("embedded"))


@pytest.fixture(autouse=True)
def qt_messages_fail() -> Iterator[list[str]]:
    """Fail the test when Qt logs a warning, critical or fatal message."""
    application()
    failures: list[str] = []

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if kind == QtMsgType.QtDebugMsg or kind == QtMsgType.QtInfoMsg:
            return
        if any(noise in message for noise in _PLATFORM_NOISE):
            return
        failures.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(handler)
    yield failures
    qInstallMessageHandler(previous)
    assert not failures, "Qt reported: " + "; ".join(failures)


@pytest.fixture
def window(qtbot, speech_engine: SpeechEngine) -> Iterator[MainWindow]:  # noqa: ANN001
    """Yield a shown main window whose playbook, engine and database are loaded.

    Teardown closes it and waits until it has shut down, so no watcher, sync
    or hotkey thread outlives the test. The window is not handed to
    ``qtbot.addWidget``, whose teardown would delete it while a close that
    waits for a worker is still pending.
    """
    window = create_window()
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=LOAD_TIMEOUT_MS)
    yield window
    close_and_wait(qtbot, window)


def close_and_wait(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    """Close ``window`` and wait until it has stopped its threads; once only."""
    if not shiboken6.isValid(window):
        return
    window.close()
    qtbot.waitUntil(lambda: window.store is None, timeout=LOAD_TIMEOUT_MS)
    window.deleteLater()


def sample_call() -> Path:
    """Return the path of the shipped sample call."""
    return SAMPLE_CALL
