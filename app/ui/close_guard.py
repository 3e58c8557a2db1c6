"""Closing the window mid-call: ask, end and save the call, then close."""

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from app.ui.call_controller import CallState

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# Milliseconds between close attempts while a call is ending or a job runs.
RETRY_CLOSE_MS = 100


class CloseGuard(QObject):
    """Decides when the window may close; a running call is saved untagged first.

    ``closing`` is True once the rep agreed to end the call and close, so the
    window closes instead of opening the outcome dialog when the call has ended.
    """

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.closing = False
        self.prompt: QMessageBox | None = None

    def may_close(self) -> bool:
        """Return whether the window may close now; else ask or retry later."""
        window = self.window
        state = window.controller.state
        if state == CallState.IDLE and not window.workers.busy():
            return True
        if self.closing:
            return False
        if state in (CallState.LIVE, CallState.STARTING):
            self.prompt = QMessageBox(
                QMessageBox.Icon.Question,
                "End the call?",
                "A call is running. End it, save it untagged and close Cuecard?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                window,
            )
            self.prompt.setObjectName("closePrompt")
            self.prompt.buttonClicked.connect(self._on_answer)
            self.prompt.open()
        else:
            # A call is ending or a job is running: close once it is done.
            QTimer.singleShot(RETRY_CLOSE_MS, window.close)
        return False

    def _on_answer(self, button: QAbstractButton) -> None:
        assert self.prompt is not None
        answer = self.prompt.standardButton(button)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.closing = True
        self.window.controller.end()
