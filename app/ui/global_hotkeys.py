"""Global hotkeys (working while the dialer has focus) through pynput.

pynput watches the keyboard on Windows, macOS and X11. Its listener calls back
on its own thread, so ``GlobalHotkeys`` re-emits each hotkey through a signal
and the window acts on the GUI thread. Wayland gives applications no way to see
keys typed into other windows, so there the hotkeys stay off and ``status``
explains why.
"""

import logging
import os
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.settings import HotkeySettings

log = logging.getLogger(__name__)

# Milliseconds after start before checking that the listener thread survived.
STARTUP_CHECK_MS = 1000

IN_WINDOW_STILL_WORK = "the shortcuts above still work while Cuecard has focus."
WAYLAND_MESSAGE = (
    "Global hotkeys are not available on Wayland, which does not let apps "
    "watch keys typed into other windows; " + IN_WINDOW_STILL_WORK
)
FAILED_MESSAGE = (
    "Global hotkeys could not start here ({reason}); " + IN_WINDOW_STILL_WORK
)
OFF_MESSAGE = "Global hotkeys are turned off in the settings."


def is_wayland_session(environ: Mapping[str, str] = os.environ) -> bool:
    """Return whether the desktop session is Wayland (also under XWayland)."""
    if environ.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return True
    return bool(environ.get("WAYLAND_DISPLAY")) and not environ.get("DISPLAY")


def readable_hotkey(combo: str) -> str:
    """Return a pynput hotkey in the usual notation: ``<ctrl>+x`` to ``Ctrl+X``."""
    return "+".join(
        key.strip("<>").replace("_", " ").title() for key in combo.split("+")
    )


class GlobalHotkeys(QObject):
    """Listens for the global hotkeys; ``triggered`` carries the action name.

    ``status`` is one line for the shortcut help and the settings: the active
    hotkeys, or why there are none.
    """

    triggered = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status = OFF_MESSAGE
        self.active = False
        self._listener: Any = None
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(STARTUP_CHECK_MS)
        self._check.timeout.connect(self._check_listener)

    def start(
        self, hotkeys: HotkeySettings, environ: Mapping[str, str] = os.environ
    ) -> None:
        """Listen for ``hotkeys`` instead of the previous ones, where possible."""
        self.stop()
        if not hotkeys.enabled:
            self.status = OFF_MESSAGE
            return
        if is_wayland_session(environ):
            log.info("global hotkeys off: Wayland session")
            self.status = WAYLAND_MESSAGE
            return
        try:
            # pynput connects to the display when imported, so without an X
            # server (or another backend) the import itself fails.
            from pynput import keyboard

            mapping = {
                combo: self._callback(action)
                for action, combo in hotkeys.bindings().items()
            }
            self._listener = keyboard.GlobalHotKeys(mapping)
            self._listener.start()
        except ImportError as error:
            # Expected without a display (headless runs, SSH), so not a warning.
            log.info("global hotkeys unavailable: %s", error)
            self._failed("pynput found no keyboard backend; on Linux it needs X11")
            return
        except Exception as error:  # noqa: BLE001 (backends raise their own types)
            log.warning("global hotkeys unavailable: %s", error)
            self._failed(str(error).strip().splitlines()[0] or type(error).__name__)
            return
        self.active = True
        self.status = "Global hotkeys: " + ", ".join(
            f"{readable_hotkey(combo)} {action}"
            for action, combo in hotkeys.bindings().items()
        )
        log.info("global hotkeys started: %s", hotkeys.bindings())
        self._check.start()

    def stop(self) -> None:
        """Stop listening; safe when not listening."""
        self._check.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
            log.info("global hotkeys stopped")
        self.active = False

    def fire(self, action: str) -> None:
        """Emit ``triggered`` for ``action``; safe to call from any thread."""
        log.info("global hotkey for %s pressed", action)
        self.triggered.emit(action)

    def _callback(self, action: str) -> Any:
        return lambda: self.fire(action)

    @Slot()
    def _check_listener(self) -> None:
        if self._listener is not None and not self._listener.is_alive():
            self._listener = None
            log.warning("global hotkeys unavailable: the listener thread ended")
            self._failed("the keyboard listener stopped at start; see the log")

    def _failed(self, reason: str) -> None:
        self.active = False
        self.status = FAILED_MESSAGE.format(reason=reason)
