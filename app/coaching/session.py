"""The coaching session of one call: matching, de-duplication and withdrawal.

It is plain logic with no threads: the pipeline feeds it speech results in order
and passes the events it returns on to the window, the store and the CLI.
"""

import logging
import uuid

from app.coaching.events import (
    CallSummary,
    CardFired,
    CardWithdrawn,
    CoachEvent,
    MetricsUpdate,
    TranscriptFinal,
    TranscriptPartial,
)
from app.coaching.metrics import MetricSettings, TalkMetrics
from app.coaching.outcome_hint import suggest_outcome
from app.playbooks.matcher import Match, Matcher
from app.playbooks.model import Playbook
from app.speech.recognizer import SpeechResult

log = logging.getLogger(__name__)

# Objection cards fire on the far end only: the rep's own words never fire one.
MATCHED_SPEAKERS = ("prospect", "mixed")
# An utterance rarely contains more than two objections, and more cards would
# bury the first.
MAX_CARDS_PER_UTTERANCE = 2
METRICS_INTERVAL_SECONDS = 1.0


class CallSession:
    """Turns one call's speech results into coaching events. Single-threaded."""

    def __init__(
        self,
        playbook: Playbook,
        matcher: Matcher | None = None,
        metric_settings: MetricSettings | None = None,
    ) -> None:
        self.playbook = playbook
        self.matcher = matcher or Matcher(playbook)
        self.metrics = TalkMetrics(metric_settings)
        self._fired: dict[tuple[str, int], dict[str, CardFired]] = {}
        self._standing: dict[str, CardFired] = {}
        self._finals: list[SpeechResult] = []
        self._last_metrics_at = -METRICS_INTERVAL_SECONDS
        self._clock = 0.0

    def use_playbook(self, playbook: Playbook, matcher: Matcher) -> None:
        """Match with an edited playbook from the next result on.

        Called from another thread: the session thread reads both references once
        per result, and swapping a reference is atomic in CPython.
        """
        self.matcher = matcher
        self.playbook = playbook

    @property
    def clock(self) -> float:
        """The latest call time seen in any result, in seconds."""
        return self._clock

    def standing_cards(self) -> list[CardFired]:
        """Return the cards fired and not withdrawn, in firing order."""
        return list(self._standing.values())

    def on_result(self, result: SpeechResult) -> list[CoachEvent]:
        """Account for one partial or final result and return the events it caused."""
        self._clock = max(self._clock, result.end)
        self.metrics.on_result(result)
        events: list[CoachEvent] = []
        if result.is_final:
            self._finals.append(result)
            if result.text:
                events.append(
                    TranscriptFinal(
                        result.speaker,
                        result.utterance,
                        result.start,
                        result.end,
                        result.text,
                    )
                )
        else:
            events.append(
                TranscriptPartial(
                    result.speaker,
                    result.utterance,
                    result.text,
                    result.end,
                    result.start,
                )
            )
        if result.speaker in MATCHED_SPEAKERS:
            events.extend(self._match(result))
        events.extend(self.tick(self._clock))
        return events

    def tick(self, now: float) -> list[CoachEvent]:
        """Return a metrics update when one is due at call time ``now``."""
        if now - self._last_metrics_at < METRICS_INTERVAL_SECONDS:
            return []
        self._last_metrics_at = now
        snapshot = self.metrics.snapshot(now)
        return [MetricsUpdate(now, snapshot, self.metrics.due_alert(now))]

    def _match(self, result: SpeechResult) -> list[CoachEvent]:
        key = (result.speaker, result.utterance)
        fired = self._fired.setdefault(key, {})
        matches = self.matcher.match(result.text) if result.text else []
        events: list[CoachEvent] = []
        if result.is_final:
            # Withdrawals come first, so a card the final text does not confirm
            # never takes the place of one it does.
            confirmed = {match.card.id for match in matches}
            for card_id in [c for c in fired if c not in confirmed]:
                events.append(self._withdraw(fired.pop(card_id), result))
        for match in matches:
            if len(fired) >= MAX_CARDS_PER_UTTERANCE:
                break
            if match.card.id in fired:
                continue
            event = self._fire(match, result)
            fired[match.card.id] = event
            self._standing[event.event_id] = event
            events.append(event)
        if result.is_final:
            self._fired.pop(key, None)
        return events

    def _withdraw(self, event: CardFired, result: SpeechResult) -> CardWithdrawn:
        self._standing.pop(event.event_id, None)
        log.info(
            "withdrew card %s (event %s): the final text %r does not match it",
            event.card,
            event.event_id,
            result.text,
        )
        return CardWithdrawn(
            event.event_id, result.end, event.card, result.speaker, result.text
        )

    def _fire(self, match: Match, result: SpeechResult) -> CardFired:
        card = match.card
        event = CardFired(
            event_id=uuid.uuid4().hex,
            t=result.end,
            card=card.id,
            category=card.category,
            title=card.title,
            rebuttal=card.rebuttal,
            follow_up=card.follow_up,
            speaker=result.speaker,
            heard=match.heard,
            score=match.score,
            utterance=result.utterance,
            partial=not result.is_final,
            playbook_version=self.playbook.version,
        )
        log.info(
            "card %s fired at %.2f s on %s words %r (score %.2f)",
            card.id,
            event.t,
            result.speaker,
            match.heard,
            match.score,
        )
        return event

    def summary(self, engine: str, model: str, duration: float) -> CallSummary:
        """Return the call's summary; call it after the last result."""
        standing = self.standing_cards()
        categories = [event.category for event in standing]
        return CallSummary(
            duration=duration,
            metrics=self.metrics.snapshot(duration),
            cards=tuple(event.card for event in standing),
            suggested_outcome=suggest_outcome(self._finals, categories),
            engine=engine,
            model=model,
            playbook=f"{self.playbook.name} {self.playbook.version}",
        )
