"""Logging set-up: a rotating file in the user log folder, a crash hook and a tail.

Every module logs through ``logging.getLogger(__name__)`` with %-style arguments.
"""

import collections
import logging
import logging.handlers
import sys
import threading
from types import TracebackType

from app import paths
from app.errors import CuecardError

LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
LOG_FILE_BYTES = 2_000_000
LOG_FILE_COUNT = 5

log = logging.getLogger(__name__)


class TailHandler(logging.Handler):
    """Keeps the last records in memory for the in-app log view."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lock_lines = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lock_lines:
            self._lines.append(line)

    def lines(self) -> list[str]:
        """Return a copy of the stored lines, oldest first."""
        with self._lock_lines:
            return list(self._lines)


tail = TailHandler()


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that goes quiet after its first failed write.

    On a full or read-only disk, the standard handler prints a traceback for
    every record; this one writes one notice to stderr and stops writing.
    """

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
        if self.failed:
            return
        self.failed = True
        sys.stderr.write(
            f"cuecard: cannot write the log file {self.baseFilename}; free disk "
            "space or fix its permissions. Logging goes to the terminal only.\n"
        )


def current_log_file() -> str:
    """Return the path of the log file that records go to."""
    return str(paths.log_file())


def setup(console_level: int = logging.WARNING) -> None:
    """Send records to the rotating log file, the tail and stderr.

    Calling it again replaces the handlers, so tests and the CLI can both call it.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cuecard", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter(LOG_FORMAT)

    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handlers: list[logging.Handler] = [tail, console]
    file_problem = None
    try:
        handlers.append(
            LogFileHandler(
                paths.log_dir() / "cuecard.log",
                maxBytes=LOG_FILE_BYTES,
                backupCount=LOG_FILE_COUNT,
                encoding="utf-8",
            )
        )
    except (OSError, CuecardError) as error:
        file_problem = error
    for handler in handlers:
        if handler is not console:
            handler.setFormatter(formatter)
        handler._cuecard = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    if file_problem is not None:
        # INFO, not WARNING: a command that needs the folder reports its own error.
        log.info("no log file, logging to the terminal only: %s", file_problem)

    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.critical("uncaught exception", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    thread = args.thread.name if args.thread else "unknown"
    log.critical(
        "uncaught exception in thread %s",
        thread,
        exc_info=args.exc_value or True,
    )
