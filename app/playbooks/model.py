"""The playbook data model: immutable cards, openers and personas."""

from dataclasses import dataclass, field
from pathlib import Path

# The objection categories of the default playbook. A playbook may declare more in
# its header (``categories:``); any other category is a validation error.
OBJECTION_IDS = (
    "not-interested",
    "send-info",
    "no-budget",
    "has-vendor",
    "bad-timing",
    "busy-now",
    "not-decision-maker",
    "gatekeeper",
    "who-are-you",
    "built-in-house",
    "under-contract",
    "need-to-consult",
    "no-need",
    "tried-before",
    "do-not-call",
)


@dataclass(frozen=True, slots=True)
class Card:
    """One objection card: the prospect's objection and the rep's rebuttal.

    ``threshold`` overrides the matcher's default score (0..1) needed to fire.
    """

    id: str
    category: str
    title: str
    rebuttal: str
    follow_up: str
    proof_points: tuple[str, ...]
    triggers: tuple[str, ...]
    examples: tuple[str, ...]
    threshold: float | None


@dataclass(frozen=True, slots=True)
class Opener:
    """A scripted first line of a call, for the personas it suits."""

    id: str
    title: str
    script: str
    personas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Persona:
    """A kind of buyer, with the openers and proof points that fit them."""

    id: str
    name: str
    description: str
    openers: tuple[str, ...]
    proof_points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Playbook:
    """A loaded, validated playbook.

    ``content_hash`` is the SHA-256 of the source bytes (of every file, in load
    order, for a folder). ``not_objections`` lists phrases that mean the prospect
    is not objecting; the matcher fires no card on an utterance containing one.
    """

    name: str
    version: str
    language: str
    cards: tuple[Card, ...]
    openers: tuple[Opener, ...]
    personas: tuple[Persona, ...]
    source: Path
    content_hash: str
    not_objections: tuple[str, ...] = field(default=())

    def card(self, card_id: str) -> Card:
        """Return the card with ``card_id``; raise KeyError when there is none."""
        for card in self.cards:
            if card.id == card_id:
                return card
        raise KeyError(card_id)

    def openers_for(self, persona_id: str | None) -> tuple[Opener, ...]:
        """Return the openers for a persona, or every opener for None.

        A persona's own ``openers`` list wins; otherwise the openers that name the
        persona are returned. An unknown persona gets every opener.
        """
        if persona_id is None:
            return self.openers
        persona = next((p for p in self.personas if p.id == persona_id), None)
        if persona is None:
            return self.openers
        if persona.openers:
            by_id = {opener.id: opener for opener in self.openers}
            return tuple(by_id[i] for i in persona.openers if i in by_id)
        return tuple(o for o in self.openers if persona_id in o.personas)

    def trigger_words(self) -> set[str]:
        """Return the lowercase words of every card trigger (for recognizer hints)."""
        words: set[str] = set()
        for card in self.cards:
            for trigger in card.triggers:
                words.update(trigger.lower().replace("’", "'").split())
        return words
