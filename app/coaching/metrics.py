"""Live talk metrics from the rep's and the prospect's recognized speech.

Talk time comes from utterance spans (the first and last word of each final
result, or the running span of a partial), so it counts speech, not silence
between words. The rep's own words give pace and questions.
"""

import re
from dataclasses import dataclass

from app.speech.recognizer import SpeechResult

# Openings of a question once punctuation is gone (Vosk emits none).
_QUESTION_OPENERS = frozenset(
    {
        "what", "how", "why", "when", "where", "who", "which", "whose",
        "is", "are", "was", "were", "do", "does", "did", "can", "could",
        "would", "will", "should", "shall", "have", "has", "may", "might",
        "am", "isn't", "aren't", "don't", "doesn't", "didn't", "won't",
        "wouldn't", "couldn't",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z']+")
# A rep turn continues across a pause shorter than this.
MONOLOGUE_GAP_SECONDS = 1.5
# Below this much rep speech a words-per-minute figure is mostly noise.
MIN_PACE_SECONDS = 2.0


def is_question(text: str) -> bool:
    """Return whether an utterance reads as a question."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = _WORD.findall(stripped.lower())
    return bool(words) and words[0] in _QUESTION_OPENERS


@dataclass(frozen=True, slots=True)
class MetricSettings:
    """When to nudge the rep; seconds."""

    monologue_alert: float = 45.0
    alert_interval: float = 60.0


class TalkMetrics:
    """Accumulates talk metrics from speech results in call-time order."""

    def __init__(self, settings: MetricSettings | None = None) -> None:
        self.settings = settings or MetricSettings()
        self._talk = {"rep": 0.0, "prospect": 0.0, "mixed": 0.0}
        self._rep_words = 0
        self._questions = 0
        self._open: dict[str, tuple[float, float]] = {}
        self._monologue_start: float | None = None
        self._rep_last_end = 0.0
        self._prospect_last_end: float | None = None
        self._longest_monologue = 0.0
        self._response_gaps: list[float] = []
        self._last_alert: float | None = None
        self._now = 0.0

    def on_result(self, result: SpeechResult) -> None:
        """Account for a partial or final result."""
        self._now = max(self._now, result.end)
        if result.is_final:
            self._open.pop(result.speaker, None)
            span = max(0.0, result.end - result.start)
            self._talk[result.speaker] = self._talk.get(result.speaker, 0.0) + span
        else:
            self._open[result.speaker] = (result.start, result.end)

        if result.speaker == "rep":
            self._on_rep(result)
        elif result.speaker == "prospect":
            self._monologue_start = None
            if result.is_final:
                self._prospect_last_end = result.end

    def _on_rep(self, result: SpeechResult) -> None:
        starts_turn = (
            self._monologue_start is None
            or result.start - self._rep_last_end > MONOLOGUE_GAP_SECONDS
        )
        if starts_turn:
            if self._prospect_last_end is not None:
                gap = result.start - self._prospect_last_end
                if 0.0 <= gap < 30.0:
                    self._response_gaps.append(gap)
                self._prospect_last_end = None
            self._monologue_start = result.start
        self._rep_last_end = max(self._rep_last_end, result.end)
        monologue = self._rep_last_end - result.start
        if self._monologue_start is not None:
            monologue = self._rep_last_end - self._monologue_start
        self._longest_monologue = max(self._longest_monologue, monologue)
        if result.is_final:
            self._rep_words += len(_WORD.findall(result.text.lower()))
            if is_question(result.text):
                self._questions += 1

    def current_monologue(self, now: float) -> float:
        """Return how long the rep has held the floor at ``now``, in seconds."""
        if self._monologue_start is None:
            return 0.0
        if now - self._rep_last_end > MONOLOGUE_GAP_SECONDS:
            return 0.0
        return self._rep_last_end - self._monologue_start

    def snapshot(self, now: float | None = None) -> dict[str, float]:
        """Return the metrics at call time ``now`` (default: the latest result).

        ``talk_ratio`` is the rep's share of the talk, and 0 on a single mixed
        channel, where the two voices cannot be separated.
        """
        now = self._now if now is None else now
        talk = dict(self._talk)
        for speaker, (start, end) in self._open.items():
            talk[speaker] = talk.get(speaker, 0.0) + max(0.0, end - start)
        two_sided = talk["rep"] + talk["prospect"]
        rep_minutes = talk["rep"] / 60.0
        paced = talk["rep"] >= MIN_PACE_SECONDS
        gaps = self._response_gaps
        return {
            "rep_talk_s": round(talk["rep"], 1),
            "prospect_talk_s": round(talk["prospect"], 1),
            "mixed_talk_s": round(talk["mixed"], 1),
            "talk_ratio": round(talk["rep"] / two_sided, 3) if two_sided else 0.0,
            "monologue_s": round(self.current_monologue(now), 1),
            "longest_monologue_s": round(self._longest_monologue, 1),
            "rep_wpm": round(self._rep_words / rep_minutes) if paced else 0,
            "questions": self._questions,
            "response_gap_s": round(sum(gaps) / len(gaps), 2) if gaps else 0.0,
        }

    def due_alert(self, now: float) -> str | None:
        """Return a nudge when the rep's monologue passes the threshold.

        Alerts are spaced at least ``alert_interval`` seconds apart.
        """
        monologue = self.current_monologue(now)
        if monologue < self.settings.monologue_alert:
            return None
        last = self._last_alert
        if last is not None and now - last < self.settings.alert_interval:
            return None
        self._last_alert = now
        return f"You've talked for {monologue:.0f} s: ask a question."
