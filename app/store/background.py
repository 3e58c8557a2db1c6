"""Syncing in a background thread with exponential backoff while the store is down.

The window shows ``state`` through the ``on_state`` callback; the callback runs on
the sync thread, so the UI layer forwards it to the GUI thread with a signal.
"""

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.errors import CuecardError
from app.store.local import LocalStore, utc_now
from app.store.shared import SharedStoreUnavailable
from app.store.sync import SyncReport, sync

log = logging.getLogger(__name__)

FIRST_RETRY_S = 5.0
MAX_RETRY_S = 600.0


@dataclass(frozen=True)
class SyncState:
    """The sync thread's status, for the status line of the window."""

    status: str  # "syncing", "synced", "retrying" or "failed"
    message: str
    pending: int
    next_attempt_in: float | None = None
    last_success: datetime | None = None


def retry_delay(failures: int, *, jitter: float = 0.2) -> float:
    """Return seconds to wait after ``failures`` failed attempts in a row.

    The delay doubles from FIRST_RETRY_S up to MAX_RETRY_S, with up to ``jitter``
    (a fraction) added at random so that many clients do not retry in step.
    """
    base = min(FIRST_RETRY_S * 2 ** max(failures - 1, 0), MAX_RETRY_S)
    return base * (1 + random.uniform(0, jitter))


class BackgroundSync:
    """Runs sync passes every ``interval`` seconds until stopped."""

    def __init__(
        self,
        local: LocalStore,
        shared_url: str,
        *,
        interval: float = 60.0,
        on_state: Callable[[SyncState], None] | None = None,
        delay: Callable[[int], float] = retry_delay,
    ) -> None:
        self._local = local
        self._url = shared_url
        self._interval = interval
        self._on_state = on_state
        self._delay = delay
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self.last_report: SyncReport | None = None

    def start(self) -> None:
        """Start the sync thread; the first pass runs at once."""
        self._thread.start()

    def sync_now(self) -> None:
        """Ask for a pass now instead of after the current wait."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after its current pass."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _publish(self, state: SyncState) -> None:
        if self._on_state is not None:
            self._on_state(state)

    def _run(self) -> None:
        failures = 0
        last_success: datetime | None = None
        while not self._stopping.is_set():
            pending = self._local.pending_changes()
            self._publish(SyncState("syncing", "syncing", pending, None, last_success))
            try:
                self.last_report = sync(self._local, self._url)
            except SharedStoreUnavailable as error:
                failures += 1
                wait = self._delay(failures)
                log.info("sync attempt %d failed; next in %.0f s", failures, wait)
                self._publish(
                    SyncState("retrying", str(error), pending, wait, last_success)
                )
            except CuecardError as error:
                # A rejected batch or an old schema needs a person, not a retry
                # every few seconds, so wait the full interval.
                failures = 0
                wait = self._interval
                log.warning("sync failed: %s", error)
                self._publish(
                    SyncState("failed", str(error), pending, wait, last_success)
                )
            else:
                failures = 0
                wait = self._interval
                last_success = utc_now()
                self._publish(
                    SyncState(
                        "synced",
                        self.last_report.summary(),
                        self.last_report.pending,
                        wait,
                        last_success,
                    )
                )
            self._wake.wait(wait)
            self._wake.clear()
