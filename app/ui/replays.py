"""Replaying recordings from the File menu, and the "Recent replays" list."""

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from app import paths
from app.audio.sources import WavReplaySource
from app.audio.wavfile import load_call_audio

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SAMPLE_CALL = "sample_call.wav"
# Entries kept in "Recent replays", newest first.
RECENT_LIMIT = 10


def remember_replay(recent: tuple[str, ...], path: Path) -> tuple[str, ...]:
    """Return ``recent`` with ``path`` first, without duplicates, capped."""
    text = str(path.resolve())
    kept = tuple(item for item in recent if item != text)
    return ((text,) + kept)[:RECENT_LIMIT]


class Replays:
    """Replays a chosen, sample or recent recording through the call pipeline."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        actions = window.actions_
        actions.replay.triggered.connect(self.choose_recording)
        actions.replay_sample.triggered.connect(
            lambda: self.replay(paths.resources_dir() / SAMPLE_CALL)
        )
        actions.recent.aboutToShow.connect(self.fill_recent_menu)
        self.fill_recent_menu()

    def choose_recording(self) -> None:
        """Ask for a recording and replay it in real time."""
        sample = paths.resources_dir() / SAMPLE_CALL
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Replay a recording",
            str(sample),
            "Recordings (*.wav *.flac *.ogg)",
        )
        if path:
            self.replay(Path(path))

    def replay(self, path: Path, realtime: bool = True) -> None:
        """Replay a recording through the call pipeline as if it were a call.

        With ``realtime`` False the audio goes as fast as recognition allows.
        A recording that starts is added to the top of "Recent replays".
        """
        window = self.window
        if not path.is_file():
            window.show_error(
                f"recording {path} not found; it was removed from Recent replays"
            )
            self._forget(path)
            return
        if not window.start_allowed():
            return
        log.info("replaying %s (realtime=%s)", path, realtime)
        window.remember(
            recent_replays=remember_replay(window.settings.recent_replays, path)
        )
        window.start_source(
            lambda: WavReplaySource(load_call_audio(path), realtime=realtime),
            live=realtime,
        )

    def fill_recent_menu(self) -> None:
        """List the recent replays, newest first, with a way to clear them."""
        menu = self.window.actions_.recent
        menu.clear()
        recent = self.window.settings.recent_replays
        for number, text in enumerate(recent, start=1):
            path = Path(text)
            label = f"&{number % 10} {path.name}"
            action = menu.addAction(label, functools.partial(self.replay, path))
            action.setToolTip(text)
            action.setStatusTip(text)
        if not recent:
            menu.addAction("No recent replays").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("&Clear the list", self._clear)

    def _forget(self, path: Path) -> None:
        text = str(path)
        recent = self.window.settings.recent_replays
        self.window.remember(
            recent_replays=tuple(item for item in recent if item != text)
        )

    def _clear(self) -> None:
        self.window.remember(recent_replays=())
        log.info("recent replays cleared")
