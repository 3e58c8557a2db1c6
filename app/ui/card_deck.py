"""The cards of the running call: the opener, the current card and earlier ones."""

import logging

from PySide6.QtCore import QObject, QTimer

from app.coaching.events import CardFired
from app.playbooks.model import Playbook
from app.settings import Settings
from app.ui.call_controller import CallController
from app.ui.card_view import CurrentCard, EarlierCards

log = logging.getLogger(__name__)

LISTENING = "Listening..."


class CardDeck(QObject):
    """Shows the opener, then each fired card; older cards move to the list.

    Owns the opener timer. ``vote`` and ``dismiss`` act on the current card,
    or on the newest earlier card when no card is showing.
    """

    def __init__(
        self,
        card_view: CurrentCard,
        earlier_cards: EarlierCards,
        controller: CallController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.card_view = card_view
        self.earlier_cards = earlier_cards
        self.controller = controller
        self._opener_showing = False
        self._opener_timer = QTimer(self)
        self._opener_timer.setSingleShot(True)
        self._opener_timer.timeout.connect(self._end_opener)

    def start_call(
        self, playbook: Playbook, persona: str | None, settings: Settings
    ) -> None:
        """Clear the earlier cards and show the persona's opener, if any."""
        self.earlier_cards.clear_cards()
        openers = playbook.openers_for(persona)
        if not openers or settings.opener_seconds <= 0:
            self.card_view.show_idle(LISTENING)
            return
        self.card_view.show_opener(openers[0], settings.rep_name)
        self._opener_showing = True
        self._opener_timer.start(round(settings.opener_seconds * 1000))

    def _end_opener(self) -> None:
        if self._opener_showing:
            self._opener_showing = False
            self.card_view.show_idle(LISTENING)

    def end_call(self) -> None:
        """Stop the opener timer and show that the call ended."""
        self._opener_timer.stop()
        self._opener_showing = False
        self.card_view.show_idle("Call ended.")

    def show_card(self, event: CardFired, rep_name: str) -> None:
        """Show a fired card large and move the previous one to the list."""
        current = self.card_view.card
        if current is not None:
            self.earlier_cards.add(current)
        self._opener_showing = False
        self.card_view.show_card(event, rep_name)

    def withdraw(self, event_id: str) -> None:
        """Take a withdrawn card off the screen, wherever it is shown."""
        current = self.card_view.card
        if current is not None and current.event_id == event_id:
            self.card_view.show_idle(LISTENING)
        else:
            self.earlier_cards.remove(event_id)

    def dismiss(self) -> None:
        """Move the current card to the earlier list, or hide the opener."""
        current = self.card_view.card
        if current is not None:
            self.earlier_cards.add(current)
        elif not self._opener_showing:
            return
        self._opener_showing = False
        self.card_view.show_idle(LISTENING)

    def vote(self, helpful: bool) -> str | None:
        """Mark the current card (else the latest earlier card) helpful or not.

        Voting the same way twice clears the vote. Returns the new mark for the
        status bar, or None when no card was shown in this call.
        """
        current = self.card_view.card
        if current is not None:
            event_id = current.event_id
        elif self.earlier_cards.count():
            event_id = self.earlier_cards.event_ids()[0]
        else:
            return None
        shown = self.controller.cards.get(event_id)
        new_vote = None if shown is not None and shown.helpful is helpful else helpful
        self.controller.vote(event_id, new_vote)
        self.earlier_cards.mark(event_id, new_vote)
        return {True: "helpful", False: "not helpful", None: "no vote"}[new_vote]
