"""Open the outcome dialog when a call ends and save the rep's choice."""

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.store.local import LocalStore
from app.ui.call_controller import EndedCall
from app.ui.outcome_dialog import CardVoteRow, OutcomeChoice, OutcomeDialog
from app.ui.workers import Workers

log = logging.getLogger(__name__)


class OutcomeFlow(QObject):
    """Shows the outcome dialog for an ended call and tags the call in a worker.

    ``saved`` carries the call id and the outcome once the database has them;
    ``skipped`` carries the call id when the rep closed the dialog without one.
    """

    saved = Signal(str, str)
    skipped = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        window: QWidget,
        workers: Workers,
        current_store: Callable[[], LocalStore | None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workers = workers
        self.current_store = current_store
        self.dialog: OutcomeDialog | None = None

    def ask(self, ended: EndedCall) -> None:
        """Open the dialog for ``ended`` at once, without blocking the window."""
        self.close_dialog()
        rows = [
            CardVoteRow(shown.event.event_id, shown.event.title, shown.helpful)
            for shown in ended.cards
        ]
        dialog = OutcomeDialog(rows, ended.summary.suggested_outcome, self.window)
        dialog.finished.connect(lambda result: self._on_finished(dialog, ended, result))
        self.dialog = dialog
        dialog.open()
        dialog.raise_()
        dialog.activateWindow()

    def close_dialog(self) -> None:
        """Close an open dialog; its call stays untagged."""
        if self.dialog is not None:
            self.dialog.reject()

    def _on_finished(
        self, dialog: OutcomeDialog, ended: EndedCall, result: int
    ) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        call_id = ended.call_id
        if call_id is None:
            return
        if result != QDialog.DialogCode.Accepted or dialog.choice is None:
            log.info("outcome dialog skipped; call %s stays untagged", call_id)
            self.skipped.emit(call_id)
            return
        self._save(call_id, dialog.choice, ended)

    def _save(self, call_id: str, choice: OutcomeChoice, ended: EndedCall) -> None:
        store = self.current_store()
        if store is None:
            self.failed.emit("The call database is not open; the call stays untagged.")
            return
        helpful = {
            ended.store_ids[event_id]: vote
            for event_id, vote in choice.votes.items()
            if event_id in ended.store_ids
        }

        def work() -> str:
            store.tag_call(
                call_id,
                choice.outcome,
                note=choice.note,
                next_step=choice.next_step,
                helpful=helpful,
            )
            return choice.outcome

        self.workers.run(
            f"saving the outcome of call {call_id}",
            work,
            lambda outcome: self.saved.emit(call_id, outcome),
            self.failed.emit,
        )
