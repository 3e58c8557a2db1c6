"""Events a call session emits as it runs, and their JSON-lines form."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CardFired:
    """A card fired on the prospect's words.

    ``event_id`` is unique within the call and names the card event when it is
    withdrawn or voted on.
    """

    event_id: str
    t: float
    card: str
    category: str
    title: str
    rebuttal: str
    follow_up: str
    speaker: str
    heard: str
    score: float
    utterance: int
    partial: bool
    playbook_version: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        return {
            "type": "card",
            "t": round(self.t, 2),
            "card": self.card,
            "category": self.category,
            "speaker": self.speaker,
            "heard": self.heard,
            "score": round(self.score, 3),
            "title": self.title,
            "event_id": self.event_id,
        }


@dataclass(frozen=True, slots=True)
class CardWithdrawn:
    """A card fired on a partial result that the final result did not confirm."""

    event_id: str
    t: float
    card: str
    speaker: str
    final_text: str

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        return {
            "type": "withdrawn",
            "t": round(self.t, 2),
            "card": self.card,
            "event_id": self.event_id,
            "speaker": self.speaker,
        }


@dataclass(frozen=True, slots=True)
class TranscriptPartial:
    """The words heard so far in an utterance that is still going."""

    speaker: str
    utterance: int
    text: str
    t: float
    t0: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        return {
            "type": "partial",
            "speaker": self.speaker,
            "t": round(self.t, 2),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class TranscriptFinal:
    """A finished utterance."""

    speaker: str
    utterance: int
    t0: float
    t1: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        return {
            "type": "final",
            "speaker": self.speaker,
            "t0": round(self.t0, 2),
            "t1": round(self.t1, 2),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class MetricsUpdate:
    """The talk metrics at call time ``t``, and an alert when one is due."""

    t: float
    metrics: dict[str, float]
    alert: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        record: dict[str, Any] = {"type": "metrics", "t": round(self.t, 2)}
        record.update(self.metrics)
        if self.alert:
            record["alert"] = self.alert
        return record


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A capture fault the rep should see (device lost, silence, overflow)."""

    kind: str
    speaker: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        return {
            "type": "audio",
            "kind": self.kind,
            "speaker": self.speaker,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class CallSummary:
    """The end of a call: its length, talk metrics and the cards that stood."""

    duration: float
    metrics: dict[str, float]
    cards: tuple[str, ...]
    suggested_outcome: str | None
    engine: str
    model: str
    playbook: str
    call_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-lines record for this event."""
        record: dict[str, Any] = {
            "type": "summary",
            "duration": round(self.duration, 2),
            "cards": list(self.cards),
            "suggested_outcome": self.suggested_outcome,
            "engine": self.engine,
            "model": self.model,
            "playbook": self.playbook,
        }
        record.update(self.metrics)
        if self.call_id:
            record["call_id"] = self.call_id
        record.update(self.extra)
        return record


CoachEvent = (
    CardFired
    | CardWithdrawn
    | TranscriptPartial
    | TranscriptFinal
    | MetricsUpdate
    | SourceProblem
    | CallSummary
)
