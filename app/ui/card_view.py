"""The current card, large, and the earlier cards of the call below it."""

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.coaching.events import CardFired
from app.playbooks.model import Opener

log = logging.getLogger(__name__)

_VOTE_MARK = {True: "  [helpful]", False: "  [not helpful]", None: ""}


def fill_placeholders(text: str, rep_name: str) -> str:
    """Replace ``{rep}`` with the rep's name, or "[your name]" when unset."""
    return text.replace("{rep}", rep_name or "[your name]")


def _scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


class CurrentCard(QFrame):
    """The card the rep reads now, or the opener at the start of a call.

    Font sizes are relative to the application font, so they follow the
    display scaling.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("currentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.card: CardFired | None = None
        self.kind = QLabel(self)
        self.title = QLabel(self)
        self.title.setFont(_scaled_font(self, 1.6, bold=True))
        self.rebuttal = QLabel(self)
        self.rebuttal.setFont(_scaled_font(self, 1.25))
        self.follow_up = QLabel(self)
        self.follow_up.setFont(_scaled_font(self, 1.15, bold=True))
        self.heard = QLabel(self)
        self.heard.setFont(_scaled_font(self, 0.85))
        self.heard.setObjectName("cardHeard")
        layout = QVBoxLayout(self)
        for label in (self.kind, self.title, self.rebuttal, self.follow_up, self.heard):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_idle("Start a call, or replay a recording from the File menu.")

    def show_idle(self, message: str) -> None:
        """Show a line of guidance instead of a card."""
        self.card = None
        self._set("", message, "", "", "")

    def show_opener(self, opener: Opener, rep_name: str) -> None:
        """Show the opener script for the first seconds of a call."""
        self.card = None
        self._set(
            "Opener",
            opener.title,
            fill_placeholders(opener.script, rep_name),
            "",
            "",
        )

    def show_card(self, event: CardFired, rep_name: str) -> None:
        """Show a fired card large."""
        self.card = event
        self._set(
            event.category.replace("-", " "),
            event.title,
            fill_placeholders(event.rebuttal, rep_name),
            fill_placeholders(event.follow_up, rep_name),
            f'heard: "{event.heard}"',
        )

    def _set(
        self, kind: str, title: str, rebuttal: str, follow_up: str, heard: str
    ) -> None:
        for label, text in (
            (self.kind, kind),
            (self.title, title),
            (self.rebuttal, rebuttal),
            (self.follow_up, follow_up),
            (self.heard, heard),
        ):
            label.setText(text)
            label.setVisible(bool(text))


class EarlierCards(QListWidget):
    """The cards shown earlier in this call, newest first, one line each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("earlierCards")
        self._items: dict[str, QListWidgetItem] = {}
        self._titles: dict[str, str] = {}

    def add(self, event: CardFired) -> None:
        """Put a card at the top of the list."""
        item = QListWidgetItem(f"{event.t:5.0f} s  {event.title}")
        item.setData(Qt.ItemDataRole.UserRole, event.event_id)
        item.setToolTip(event.rebuttal)
        self.insertItem(0, item)
        self._items[event.event_id] = item
        self._titles[event.event_id] = item.text()

    def remove(self, event_id: str) -> None:
        """Take a withdrawn card out of the list, if it is there."""
        item = self._items.pop(event_id, None)
        self._titles.pop(event_id, None)
        if item is not None:
            self.takeItem(self.row(item))

    def mark(self, event_id: str, helpful: bool | None) -> None:
        """Show the rep's vote next to a listed card."""
        item = self._items.get(event_id)
        if item is not None:
            item.setText(self._titles[event_id] + _VOTE_MARK[helpful])

    def clear_cards(self) -> None:
        """Empty the list for a new call."""
        self.clear()
        self._items.clear()
        self._titles.clear()

    def event_ids(self) -> list[str]:
        """Return the listed card events, newest first."""
        return [
            self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())
        ]
