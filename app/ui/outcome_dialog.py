"""The outcome dialog that opens when a call ends.

Digit keys 1-8 pick the outcome in the order of OUTCOMES, Enter saves, Escape
skips (the call stays untagged and the next call start reminds the rep).
"""

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.store.outcomes import OUTCOMES

CALLBACK = "callback"


@dataclass(frozen=True)
class CardVoteRow:
    """A card listed in the dialog: its event id, title and current vote."""

    event_id: str
    title: str
    helpful: bool | None


@dataclass(frozen=True)
class OutcomeChoice:
    """The outcome, note, next step and votes the rep chose in the dialog."""

    outcome: str
    note: str | None
    next_step: date | None
    votes: dict[str, bool]


class _VoteToggle(QWidget):
    """Helpful / not helpful buttons; at most one is down, both may be up."""

    def __init__(self, row: CardVoteRow, parent: QWidget) -> None:
        super().__init__(parent)
        self.event_id = row.event_id
        self.helpful = QToolButton(self)
        self.helpful.setText("Helpful")
        self.not_helpful = QToolButton(self)
        self.not_helpful.setText("Not helpful")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button, other in (
            (self.helpful, self.not_helpful),
            (self.not_helpful, self.helpful),
        ):
            button.setCheckable(True)
            button.toggled.connect(
                lambda on, other=other: other.setChecked(False) if on else None
            )
            layout.addWidget(button)
        self.helpful.setChecked(row.helpful is True)
        self.not_helpful.setChecked(row.helpful is False)

    def vote(self) -> bool | None:
        """Return True, False, or None when neither button is down."""
        if self.helpful.isChecked():
            return True
        if self.not_helpful.isChecked():
            return False
        return None


class OutcomeDialog(QDialog):
    """Asks for the outcome of the call that just ended."""

    def __init__(
        self,
        cards: list[CardVoteRow],
        suggested: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("How did the call go?")
        self.setObjectName("outcomeDialog")
        self.choice: OutcomeChoice | None = None

        outcomes = QGroupBox("Outcome (press 1-8)", self)
        grid = QGridLayout(outcomes)
        self.outcome_buttons = QButtonGroup(self)
        self._ids: list[str] = list(OUTCOMES)
        for index, (outcome_id, label) in enumerate(OUTCOMES.items()):
            button = QRadioButton(f"&{index + 1}  {label}", outcomes)
            button.setObjectName(f"outcome-{outcome_id}")
            self.outcome_buttons.addButton(button, index)
            grid.addWidget(button, index // 2, index % 2)
        self.outcome_buttons.idToggled.connect(self._on_outcome_toggled)

        self.note = QLineEdit(self)
        self.note.setPlaceholderText("What should the next call remember?")
        self.next_step = QDateEdit(QDate.currentDate().addDays(1), self)
        self.next_step.setCalendarPopup(True)
        # ISO dates read the same in every locale; the C locale shows "5 12 2026".
        self.next_step.setDisplayFormat("ddd yyyy-MM-dd")
        self.next_step.setEnabled(False)
        form = QFormLayout()
        form.addRow("Note", self.note)
        form.addRow("Call back on", self.next_step)

        self.votes: list[_VoteToggle] = []
        cards_box = QGroupBox("Cards shown: were they helpful?", self)
        cards_layout = QFormLayout(cards_box)
        for row in cards:
            toggle = _VoteToggle(row, cards_box)
            self.votes.append(toggle)
            cards_layout.addRow(QLabel(row.title, cards_box), toggle)
        cards_box.setVisible(bool(cards))

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            "Save", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        skip = self.buttons.addButton("Skip", QDialogButtonBox.ButtonRole.RejectRole)
        skip.setToolTip("Leave the call untagged; tag it later from History")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(outcomes)
        layout.addLayout(form)
        layout.addWidget(cards_box)
        layout.addWidget(self.buttons)

        if suggested in OUTCOMES:
            self.select(suggested)
        outcomes.setFocus()

    def select(self, outcome: str) -> None:
        """Pick ``outcome`` as if the rep had clicked it."""
        self.outcome_buttons.button(self._ids.index(outcome)).setChecked(True)

    def selected(self) -> str | None:
        """Return the picked outcome id, or None."""
        index = self.outcome_buttons.checkedId()
        return self._ids[index] if index >= 0 else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Pick an outcome with keys 1-8 unless the note is being typed."""
        digit = event.key() - Qt.Key.Key_1
        if 0 <= digit < len(self._ids) and not self.note.hasFocus():
            self.select(self._ids[digit])
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        """Keep the choice and close; ignored until an outcome is picked."""
        outcome = self.selected()
        if outcome is None:
            return
        note = self.note.text().strip() or None
        next_step: date | None = None
        if outcome == CALLBACK:
            next_step = self.next_step.date().toPython()  # type: ignore[assignment]
        votes = {
            toggle.event_id: vote
            for toggle in self.votes
            if (vote := toggle.vote()) is not None
        }
        self.choice = OutcomeChoice(outcome, note, next_step, votes)
        super().accept()

    def _on_outcome_toggled(self, index: int, checked: bool) -> None:
        if not checked:
            return
        self.save_button.setEnabled(True)
        self.next_step.setEnabled(self._ids[index] == CALLBACK)
