"""The central area of the window: controls, status lines, cards and transcript."""

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.card_view import CurrentCard, EarlierCards
from app.ui.metrics_bar import MetricsBar
from app.ui.transcript_view import TranscriptView


class CallArea(QWidget):
    """Lays out the widgets a rep reads during a call, the current card largest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_button = QPushButton("Start call", self)
        self.end_button = QPushButton("End call", self)
        self.persona = QComboBox(self)
        self.persona.setToolTip("The buyer persona: picks the opener")
        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.end_button)
        controls.addWidget(self.persona, 1)

        self.status = QLabel("Loading the speech model and playbook...", self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorLine")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.reminder = QLabel(self)
        self.reminder.setObjectName("untaggedReminder")
        self.reminder.setWordWrap(True)
        self.reminder.setVisible(False)

        self.card_view = CurrentCard(self)
        self.earlier_cards = EarlierCards(self)
        self.earlier_cards.setMaximumHeight(120)
        self.metrics = MetricsBar(self)
        self.transcript = TranscriptView(self)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        for widget in (self.status, self.error, self.reminder, self.card_view):
            layout.addWidget(widget)
        layout.addWidget(self.earlier_cards)
        layout.addWidget(self.metrics)
        layout.addWidget(self.transcript)
        layout.setStretch(layout.indexOf(self.card_view), 3)
        layout.setStretch(layout.indexOf(self.transcript), 2)
