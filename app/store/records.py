"""Read-only views of stored calls that LocalStore returns."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class CallSummary:
    """One row of the call history."""

    id: str
    rep: str
    started_at: datetime
    duration: float | None
    playbook_name: str
    playbook_version: str
    persona: str | None
    outcome: str | None
    note: str | None
    card_count: int

    def to_json(self) -> dict[str, Any]:
        """Return the summary as JSON-ready values."""
        return {
            "id": self.id,
            "rep": self.rep,
            "started_at": self.started_at.isoformat(),
            "duration": self.duration,
            "playbook": f"{self.playbook_name} {self.playbook_version}",
            "persona": self.persona,
            "outcome": self.outcome,
            "note": self.note,
            "cards": self.card_count,
        }


@dataclass(frozen=True)
class Segment:
    """A transcript segment; times are seconds from the call's start.

    ``draft`` marks the text so far of an utterance whose final text was never
    stored, because the call was still running or the app stopped mid-utterance.
    """

    speaker: str
    start: float
    end: float
    text: str
    draft: bool = False


@dataclass(frozen=True)
class CardEvent:
    """A card shown during a call; ``at`` is seconds from the call's start."""

    id: str
    card_id: str
    category: str
    playbook_version: str
    at: float
    heard: str
    score: float
    speaker: str
    withdrawn: bool
    helpful: bool | None


@dataclass(frozen=True)
class CallDetail:
    """A call with its transcript segments and card events, in time order."""

    summary: CallSummary
    engine: str
    ended_at: datetime | None
    metrics: dict[str, Any]
    next_step: date | None
    segments: tuple[Segment, ...]
    card_events: tuple[CardEvent, ...]
