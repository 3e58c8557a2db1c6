"""Hot reload: apply an edited playbook while the app runs, without Qt.

A thread polls the size, modification time and inode of every playbook file.
Polling detects editors that save to a temporary file and rename it over the
original on every platform. It costs one ``stat`` per file per interval. A file
that fails validation, including an empty or half-written read, leaves the last
good playbook in use, and the next change is tried again.
"""

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from app.playbooks.loader import PlaybookError, load_playbook, playbook_files
from app.playbooks.model import Playbook

POLL_SECONDS = 0.3

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int, int], ...]


def _signature(path: Path) -> Signature:
    entries = []
    try:
        files = playbook_files(path) if path.exists() else []
    except OSError:
        files = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        entries.append((str(file), stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(entries)


class PlaybookWatcher:
    """Calls ``on_change`` with each new valid playbook, ``on_error`` otherwise.

    Both callbacks run on the watcher's thread; a Qt caller forwards them with a
    signal. ``on_change`` is not called for the playbook already in use at start.
    """

    def __init__(
        self,
        path: Path,
        on_change: Callable[[Playbook], None],
        on_error: Callable[[PlaybookError], None],
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.path = path
        self._on_change = on_change
        self._on_error = on_error
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._signature: Signature = ()
        self._content_hash = ""

    def start(self) -> None:
        """Start watching; the current files count as already applied."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._signature = _signature(self.path)
        try:
            self._content_hash = load_playbook(self.path).content_hash
        except PlaybookError as error:
            log.warning("watched playbook %s is invalid at start: %s", self.path, error)
        self._thread = threading.Thread(
            target=self._run, name="playbook-watcher", daemon=True
        )
        self._thread.start()
        log.info("watching playbook %s every %.1f s", self.path, self._poll_seconds)

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        log.info("stopped watching playbook %s", self.path)

    def _run(self) -> None:
        while not self._stop.wait(self._poll_seconds):
            signature = _signature(self.path)
            if signature == self._signature:
                continue
            self._signature = signature
            self._reload()

    def _reload(self) -> None:
        try:
            playbook = load_playbook(self.path)
        except PlaybookError as error:
            log.warning(
                "kept the last good playbook; %s is invalid: %s", self.path, error
            )
            self._on_error(error)
            return
        except OSError as error:
            # The file vanished between the stat and the read (a rename in flight).
            log.warning(
                "kept the last good playbook; reading %s failed: %s", self.path, error
            )
            return
        if playbook.content_hash == self._content_hash:
            return
        self._content_hash = playbook.content_hash
        log.info("reloaded playbook %s version %s", playbook.name, playbook.version)
        self._on_change(playbook)
