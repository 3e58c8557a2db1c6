"""Writes a call to the local database while it happens.

Each final transcript segment and each card event is committed as it arrives,
and the words of an utterance still in progress are saved as a draft about once
a second, so a crash loses about the last second. A failed write is logged and
the call goes on: coaching matters more than the record.
"""

import dataclasses
import logging
import time
from datetime import UTC, datetime

from app.coaching.events import (
    CallSummary,
    CardFired,
    CardWithdrawn,
    CoachEvent,
    TranscriptFinal,
    TranscriptPartial,
)
from app.playbooks.model import Playbook
from app.store.local import LocalStore

log = logging.getLogger(__name__)

DRAFT_INTERVAL_SECONDS = 1.0


class CallRecorder:
    """Records one call's events in a LocalStore. Used from one thread."""

    def __init__(
        self,
        store: LocalStore,
        playbook: Playbook,
        engine: str,
        rep: str = "",
        persona: str | None = None,
        store_transcript: bool = True,
    ) -> None:
        self.store = store
        self.playbook = playbook
        self.store_transcript = store_transcript
        self.call_id = store.begin_call(
            rep=rep,
            playbook_name=playbook.name,
            playbook_version=playbook.version,
            persona=persona,
            engine=engine,
            started_at=datetime.now(UTC),
            store_transcript=store_transcript,
        )
        self._store_ids: dict[str, str] = {}
        self._draft_saved_at: dict[str, float] = {}
        self.failures = 0
        log.info("recording call %s", self.call_id)

    def stored_event_id(self, event_id: str) -> str | None:
        """Return the database id of a card event fired in this call."""
        return self._store_ids.get(event_id)

    def record(self, event: CoachEvent) -> None:
        """Write what the event adds to the call's record."""
        try:
            self._write(event)
        except Exception:
            self.failures += 1
            log.exception(
                "could not save %s of call %s", type(event).__name__, self.call_id
            )

    def _write(self, event: CoachEvent) -> None:
        if isinstance(event, TranscriptFinal) and self.store_transcript:
            self.store.add_segment(
                self.call_id,
                speaker=event.speaker,
                start=event.t0,
                end=event.t1,
                text=event.text,
                utterance=event.utterance,
            )
        elif isinstance(event, TranscriptPartial) and self.store_transcript:
            self._save_draft(event)
        elif isinstance(event, CardFired):
            self._store_ids[event.event_id] = self.store.add_card_event(
                self.call_id,
                card_id=event.card,
                category=event.category,
                playbook_version=event.playbook_version or self.playbook.version,
                at=event.t,
                heard=event.heard,
                score=event.score,
                speaker=event.speaker,
            )
        elif isinstance(event, CardWithdrawn):
            stored = self._store_ids.get(event.event_id)
            if stored is not None:
                self.store.withdraw_card_event(stored)

    def _save_draft(self, event: TranscriptPartial) -> None:
        now = time.monotonic()
        last = self._draft_saved_at.get(event.speaker)
        if last is not None and now - last < DRAFT_INTERVAL_SECONDS:
            return
        self._draft_saved_at[event.speaker] = now
        self.store.save_draft_segment(
            self.call_id,
            speaker=event.speaker,
            utterance=event.utterance,
            start=event.t0,
            end=event.t,
            text=event.text,
        )

    def finish(self, summary: CallSummary) -> CallSummary:
        """Close the call's record and return the summary with its call id."""
        try:
            self.store.finish_call(
                self.call_id,
                ended_at=datetime.now(UTC),
                duration=summary.duration,
                metrics=dict(summary.metrics),
            )
        except Exception:
            self.failures += 1
            log.exception("could not close the record of call %s", self.call_id)
        return dataclasses.replace(summary, call_id=self.call_id)
