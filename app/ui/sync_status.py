"""Background sync with the shared database, shown in the window's status bar.

The sync thread reports each state change through ``on_state`` on its own
thread; ``SyncStatus`` re-emits it through a signal, so the label is only
touched on the GUI thread.
"""

import logging
import os
import time
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow

from app.settings import Settings
from app.store.background import BackgroundSync, SyncState
from app.store.credentials import URL_VARIABLE, describe, resolve_shared_url
from app.store.local import LocalStore, utc_now
from app.ui.workers import Workers

log = logging.getLogger(__name__)

# Seconds between sync passes while the shared database is reachable.
SYNC_INTERVAL_S = 60.0
REFRESH_MS = 1000


def _ago(seconds: float) -> str:
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    return f"{seconds // 3600:.0f} h ago"


def _waiting(pending: int) -> str:
    if pending == 0:
        return ""
    noun = "change" if pending == 1 else "changes"
    return f", {pending} {noun} waiting"


def sync_status_text(state: SyncState, now: datetime, elapsed: float) -> str:
    """Return the status bar line for ``state``, received ``elapsed`` seconds ago.

    ``now`` is the current UTC time; "Synced N min ago" counts from the state's
    ``last_success``, and "retrying in N s" counts down from when it arrived.
    """
    waiting = _waiting(state.pending)
    remaining = 0.0
    if state.next_attempt_in is not None:
        remaining = max(state.next_attempt_in - elapsed, 0.0)
    if state.status == "syncing":
        return "Syncing..." + waiting
    if state.status == "synced":
        since = (now - (state.last_success or now)).total_seconds()
        return f"Synced {_ago(since)}" + waiting
    if state.status == "retrying":
        return f"Offline: retrying in {remaining:.0f} s" + waiting
    return f"Sync failed: next try in {remaining:.0f} s" + waiting


def shared_database_configured(settings: Settings) -> bool:
    """Return whether the environment or the settings name a shared database."""
    return bool(os.environ.get(URL_VARIABLE) or settings.shared_database_url)


class SyncStatus(QObject):
    """Runs ``BackgroundSync`` for the window and shows its state.

    ``problem`` carries the message of a failed pass once per distinct message,
    for the window's error line; ``changed`` carries every ``SyncState``.
    """

    changed = Signal(object)
    problem = Signal(str)
    _posted = Signal(object)

    def __init__(self, window: QMainWindow, workers: Workers) -> None:
        super().__init__(window)
        self.workers = workers
        self.label = QLabel(window)
        self.label.setObjectName("syncStatus")
        self.label.setVisible(False)
        window.statusBar().addPermanentWidget(self.label)
        self.state: SyncState | None = None
        self._received = 0.0
        self._last_problem = ""
        self._sync: BackgroundSync | None = None
        self._url = ""
        # Counts start() and stop() calls, so a URL resolved after a later stop()
        # or restart starts no thread.
        self._generation = 0
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._show)
        self._posted.connect(self._on_state)

    def running(self) -> bool:
        """Return whether a sync thread is running."""
        return self._sync is not None

    def start(self, store: LocalStore, settings: Settings) -> None:
        """Start syncing when a shared database is configured; else do nothing.

        The URL is resolved in a worker because the keyring lookup of its
        password may block.
        """
        self.stop()
        if not shared_database_configured(settings):
            return
        generation = self._generation
        self.label.setText("Connecting to the shared database...")
        self.label.setVisible(True)
        self.workers.run(
            "finding the shared database",
            lambda: resolve_shared_url(None),
            lambda url: self._start_thread(store, url, generation),
            self._on_unresolved,
        )

    def sync_now(self) -> None:
        """Ask the sync thread for a pass now."""
        if self._sync is not None:
            log.info("sync requested by the rep")
            self._sync.sync_now()

    def stop(self) -> None:
        """Stop the sync thread after its current pass; safe when not running."""
        self._generation += 1
        self._refresh.stop()
        if self._sync is not None:
            # NOTE: this blocks the GUI thread until the pass in progress ends,
            # at most BackgroundSync.stop's 10 s timeout.
            self._sync.stop()
            self._sync = None
            log.info("background sync with %s stopped", describe(self._url))
        self.state = None
        self.label.setVisible(False)

    def _start_thread(self, store: LocalStore, url: str, generation: int) -> None:
        if generation != self._generation:
            return
        self._url = url
        self._last_problem = ""
        self._sync = BackgroundSync(
            store, url, interval=SYNC_INTERVAL_S, on_state=self._posted.emit
        )
        self._sync.start()
        self._refresh.start()
        log.info("background sync with %s started", describe(url))

    def _on_unresolved(self, message: str) -> None:
        self.label.setVisible(False)
        self.problem.emit(message)

    @Slot(object)
    def _on_state(self, state: SyncState) -> None:
        if self._sync is None:
            return
        self.state = state
        self._received = time.monotonic()
        self._show()
        if state.status in ("retrying", "failed"):
            if state.message != self._last_problem:
                self._last_problem = state.message
                self.problem.emit(state.message)
        elif state.status == "synced":
            self._last_problem = ""
        self.changed.emit(state)

    def _show(self) -> None:
        if self.state is None:
            return
        elapsed = time.monotonic() - self._received
        self.label.setText(sync_status_text(self.state, utc_now(), elapsed))
        self.label.setToolTip(self.state.message)
        self.label.setVisible(True)
