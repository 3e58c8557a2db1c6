"""Hot reload of the playbook in use, forwarded to the GUI thread."""

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.playbooks.matcher import Matcher
from app.playbooks.model import Playbook
from app.playbooks.problems import PlaybookError
from app.playbooks.reload import PlaybookWatcher

log = logging.getLogger(__name__)


class PlaybookReloader(QObject):
    """Watches one playbook path and emits each valid edit with its matcher.

    ``reloaded`` carries ``(Playbook, Matcher)``; the matcher is built on the
    watcher's thread so the GUI thread only swaps references. ``failed`` carries
    the first problem of an invalid edit; the playbook in use stays.
    """

    reloaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher: PlaybookWatcher | None = None

    def watch(self, path: Path) -> None:
        """Watch ``path`` instead of whatever was watched before."""
        self.stop()
        self._watcher = PlaybookWatcher(path, self._changed, self._invalid)
        self._watcher.start()

    def stop(self) -> None:
        """Stop watching; safe when nothing is watched."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _changed(self, playbook: Playbook) -> None:
        self.reloaded.emit((playbook, Matcher(playbook)))

    def _invalid(self, error: PlaybookError) -> None:
        self.failed.emit(f"the edited playbook was not applied: {error}")
