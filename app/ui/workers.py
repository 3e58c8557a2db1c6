"""Run slow work off the GUI thread and deliver the result through a signal."""

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import CuecardError

log = logging.getLogger(__name__)


class _JobSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(
        self, name: str, work: Callable[[], Any], signals: _JobSignals
    ) -> None:
        super().__init__()
        self.name = name
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except CuecardError as error:
            log.warning("%s failed: %s", self.name, error)
            self.signals.failed.emit(str(error))
            return
        except Exception as error:
            log.exception("%s failed", self.name)
            self.signals.failed.emit(f"{self.name} failed ({error}); see the log")
            return
        self.signals.done.emit(result)


class Workers(QObject):
    """Runs jobs on a thread pool; results come back on the GUI thread.

    ``on_done`` and ``on_failed`` run on the thread that owns this object (the
    GUI thread). ``on_failed`` gets one line for the rep: a CuecardError's own
    message, or a generic line for anything else (whose traceback is logged).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)
        self._running: set[_JobSignals] = set()

    def run(
        self,
        name: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> None:
        """Start ``work`` on a worker thread."""
        signals = _JobSignals(self)
        self._running.add(signals)

        def finish(result: Any) -> None:
            self._running.discard(signals)
            on_done(result)

        def fail(message: str) -> None:
            self._running.discard(signals)
            on_failed(message)

        signals.done.connect(finish)
        signals.failed.connect(fail)
        self.pool.start(_Job(name, work, signals))

    def busy(self) -> bool:
        """Return whether a job has not delivered its result yet."""
        return bool(self._running)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every running job has returned; for shutdown only."""
        return self.pool.waitForDone(timeout_ms)
