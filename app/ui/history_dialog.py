"""Recent calls: open one to read its transcript and cards and change its outcome."""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.local import LocalStore
from app.store.outcomes import OUTCOMES
from app.store.records import CallDetail, CallSummary
from app.ui.transcript_view import SPEAKER_LABELS
from app.ui.workers import Workers

log = logging.getLogger(__name__)

HISTORY_LIMIT = 100
COLUMNS = ("Started", "Length", "Outcome", "Cards")


def describe_call(detail: CallDetail) -> str:
    """Return a call's cards and transcript as plain text for reading."""
    lines = []
    for event in detail.card_events:
        if event.withdrawn:
            continue
        vote = ""
        if event.helpful is not None:
            vote = " (helpful)" if event.helpful else " (not helpful)"
        lines.append(f'{event.at:5.0f} s  card {event.card_id}: "{event.heard}"{vote}')
    if not lines:
        lines.append("No cards were shown.")
    lines.append("")
    if not detail.segments:
        lines.append("No transcript was stored for this call.")
    for segment in detail.segments:
        speaker = SPEAKER_LABELS.get(segment.speaker, segment.speaker)
        lines.append(f"{segment.start:5.0f} s  {speaker}: {segment.text}")
    if detail.summary.note:
        lines.append("")
        lines.append(f"Note: {detail.summary.note}")
    return "\n".join(lines)


class HistoryDialog(QDialog):
    """Lists recent calls, newest first; the database work runs in workers."""

    outcome_changed = Signal(str, str)
    refreshed = Signal()

    def __init__(self, store: LocalStore, workers: Workers, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Call history")
        self.setObjectName("historyDialog")
        self.store = store
        self.workers = workers
        self.calls: list[CallSummary] = []
        self.detail: CallDetail | None = None

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._open_selected)

        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.outcome = QComboBox(self)
        self.outcome.addItem("No outcome yet", None)
        for outcome_id, label in OUTCOMES.items():
            self.outcome.addItem(label, outcome_id)
        self.save = QPushButton("Save outcome", self)
        self.save.clicked.connect(self._save_outcome)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        detail = QWidget(self)
        row = QHBoxLayout()
        row.addWidget(self.outcome, 1)
        row.addWidget(self.save)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.text)
        detail_layout.addLayout(row)
        detail_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._set_detail_enabled(False)
        self.resize(520, 560)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list of calls in a worker."""
        store = self.store
        self.workers.run(
            "listing calls",
            lambda: store.list_calls(HISTORY_LIMIT),
            self._show_calls,
            self.message.setText,
        )

    def _show_calls(self, calls: list[CallSummary]) -> None:
        self.calls = calls
        self.table.setRowCount(len(calls))
        for row, call in enumerate(calls):
            started = call.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            length = f"{call.duration:.0f} s" if call.duration is not None else "-"
            outcome = OUTCOMES.get(call.outcome or "", "untagged")
            for column, text in enumerate((started, length, outcome, call.card_count)):
                self.table.setItem(row, column, QTableWidgetItem(str(text)))
        self.refreshed.emit()

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        call_id = self.calls[rows[0].row()].id
        store = self.store
        self.workers.run(
            f"reading call {call_id}",
            lambda: store.get_call(call_id),
            self._show_detail,
            self.message.setText,
        )

    def _show_detail(self, detail: CallDetail) -> None:
        self.detail = detail
        self.text.setPlainText(describe_call(detail))
        self.outcome.setCurrentIndex(
            max(self.outcome.findData(detail.summary.outcome), 0)
        )
        self.message.clear()
        self._set_detail_enabled(True)

    def _save_outcome(self) -> None:
        outcome = self.outcome.currentData()
        if self.detail is None or outcome is None:
            self.message.setText("Pick an outcome first.")
            return
        call_id = self.detail.summary.id
        note = self.detail.summary.note
        next_step = self.detail.next_step
        store = self.store

        def work() -> str:
            store.tag_call(call_id, outcome, note=note, next_step=next_step)
            return outcome

        self.workers.run(
            f"saving the outcome of call {call_id}",
            work,
            lambda saved: self._on_saved(call_id, saved),
            self.message.setText,
        )

    def _on_saved(self, call_id: str, outcome: str) -> None:
        self.message.setText(f"Saved as {OUTCOMES[outcome]}.")
        self.outcome_changed.emit(call_id, outcome)
        self.refresh()

    def _set_detail_enabled(self, enabled: bool) -> None:
        self.outcome.setEnabled(enabled)
        self.save.setEnabled(enabled)
