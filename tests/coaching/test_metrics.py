"""Talk metrics from speech results."""

from app.coaching.metrics import MetricSettings, TalkMetrics, is_question
from app.speech.recognizer import SpeechResult


def _final(speaker: str, start: float, end: float, text: str = "a b c") -> SpeechResult:
    return SpeechResult(speaker, 0, text, True, start, end)


def test_talk_ratio_counts_both_sides() -> None:
    metrics = TalkMetrics()
    metrics.on_result(_final("rep", 0.0, 30.0))
    metrics.on_result(_final("prospect", 31.0, 41.0))
    snapshot = metrics.snapshot(41.0)

    assert snapshot["rep_talk_s"] == 30.0
    assert snapshot["prospect_talk_s"] == 10.0
    assert snapshot["talk_ratio"] == 0.75


def test_rep_pace_in_words_per_minute() -> None:
    metrics = TalkMetrics()
    metrics.on_result(_final("rep", 0.0, 30.0, " ".join(["word"] * 80)))

    assert metrics.snapshot()["rep_wpm"] == 160


def test_monologue_spans_short_pauses() -> None:
    metrics = TalkMetrics()
    metrics.on_result(_final("rep", 0.0, 20.0))
    metrics.on_result(_final("rep", 21.0, 40.0))

    assert metrics.current_monologue(40.0) == 40.0
    assert metrics.current_monologue(45.0) == 0.0


def test_prospect_turn_ends_the_monologue() -> None:
    metrics = TalkMetrics()
    metrics.on_result(_final("rep", 0.0, 20.0))
    metrics.on_result(_final("prospect", 20.5, 22.0))
    metrics.on_result(_final("rep", 22.5, 30.0))

    assert metrics.current_monologue(30.0) == 7.5
    assert metrics.snapshot(30.0)["longest_monologue_s"] == 20.0
    assert metrics.snapshot(30.0)["response_gap_s"] == 0.5


def test_monologue_alert_is_rate_limited() -> None:
    settings = MetricSettings(monologue_alert=45.0, alert_interval=60.0)
    metrics = TalkMetrics(settings)
    metrics.on_result(_final("rep", 0.0, 50.0))

    assert metrics.due_alert(50.0) is not None
    metrics.on_result(_final("rep", 50.5, 60.0))
    assert metrics.due_alert(60.0) is None


def test_questions_with_and_without_punctuation() -> None:
    assert is_question("how do you assign jobs today")
    assert is_question("Fair enough, and your team?")
    assert not is_question("we price per truck")
