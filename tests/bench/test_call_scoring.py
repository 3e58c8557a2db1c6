"""Tests for scoring replay cards against call labels, on hand-made events."""

import pytest

from bench.call_scoring import recall_by_category, score_call, summarize

TURNS = [
    {
        "speaker": "rep",
        "text": "I know budgets are tight.",
        "start": 0.5,
        "end": 2.0,
        "objection": None,
    },
    {
        "speaker": "prospect",
        "text": "Who is this?",
        "start": 2.6,
        "end": 3.6,
        "objection": "who-are-you",
    },
    {
        "speaker": "rep",
        "text": "Sam from Routewell.",
        "start": 4.2,
        "end": 5.5,
        "objection": None,
    },
    {
        "speaker": "prospect",
        "text": "No budget this year.",
        "start": 6.1,
        "end": 8.0,
        "objection": "no-budget",
    },
    {
        "speaker": "prospect",
        "text": "Call me in April.",
        "start": 11.0,
        "end": 12.5,
        "objection": "bad-timing",
    },
]


def _card(t: float, category: str, speaker: str = "prospect") -> dict:
    return {
        "type": "card",
        "t": t,
        "card": f"{category}-card",
        "category": category,
        "speaker": speaker,
        "heard": "...",
        "score": 0.9,
    }


def test_score_counts_hits_and_latency() -> None:
    events = [
        {"type": "final", "speaker": "prospect", "t0": 2.6, "t1": 3.6, "text": "x"},
        _card(3.2, "who-are-you"),
        _card(8.7, "no-budget"),
        _card(9.1, "no-budget"),
        {"type": "summary"},
    ]

    score = score_call(TURNS, events)

    assert score.objections == 3
    assert score.hits == 2
    assert score.latencies == [-0.4, 0.7]
    assert [turn["objection"] for turn in score.missed] == ["bad-timing"]
    assert score.false_cards == []
    assert score.by_category == {
        "who-are-you": [1, 1],
        "no-budget": [1, 1],
        "bad-timing": [0, 1],
    }


def test_score_window_edges() -> None:
    inside = score_call(TURNS, [_card(14.5, "bad-timing")])
    late = score_call(TURNS, [_card(14.51, "bad-timing")])
    early = score_call(TURNS, [_card(10.99, "bad-timing")])

    assert inside.hits == 1
    assert late.hits == 0
    assert len(late.false_cards) == 1
    assert early.hits == 0
    assert len(early.false_cards) == 1


def test_score_rep_cards_are_false() -> None:
    events = [_card(1.5, "no-budget", speaker="rep"), _card(7.0, "no-budget", "rep")]

    score = score_call(TURNS, events)

    assert score.rep_cards == 2
    assert len(score.false_cards) == 2
    assert score.hits == 0


def test_score_wrong_category_is_false() -> None:
    score = score_call(TURNS, [_card(7.0, "send-info")])

    assert score.hits == 0
    assert len(score.false_cards) == 1
    assert score.false_cards[0]["category"] == "send-info"


def test_score_ignores_non_objection_cards() -> None:
    score = score_call(TURNS, [_card(0.0, "opener"), _card(1.0, None)])

    assert score.other_cards == 2
    assert score.false_cards == []


def test_summarize_over_calls() -> None:
    first = score_call(TURNS, [_card(3.0, "who-are-you"), _card(7.5, "no-budget")])
    second = score_call(TURNS, [_card(12.0, "bad-timing"), _card(1.0, "no-need")])

    figures = summarize([first, second])

    assert figures["calls"] == 2
    assert figures["objections"] == 6
    assert figures["hits"] == 3
    assert figures["recall"] == pytest.approx(0.5)
    assert figures["false_cards"] == 1
    assert figures["false_cards_per_call"] == pytest.approx(0.5)
    assert figures["latency_median_s"] == pytest.approx(-0.5)
    assert figures["latency_p95_s"] == pytest.approx(-0.5, abs=0.11)


def test_summarize_without_latencies() -> None:
    figures = summarize([score_call(TURNS, [])])

    assert figures["recall"] == 0.0
    assert figures["latency_median_s"] is None
    assert figures["latency_p95_s"] is None


def test_recall_by_category_totals() -> None:
    first = score_call(TURNS, [_card(3.0, "who-are-you")])
    second = score_call(TURNS, [_card(3.0, "who-are-you"), _card(8.0, "no-budget")])

    recall = recall_by_category([first, second])

    assert recall["who-are-you"] == {"hits": 2, "objections": 2, "recall": 1.0}
    assert recall["no-budget"] == {"hits": 1, "objections": 2, "recall": 0.5}
    assert recall["bad-timing"]["recall"] == 0.0


def test_withdrawn_false_cards_counted() -> None:
    wrong = {**_card(7.0, "send-info"), "event_id": "a1"}
    right = {**_card(7.5, "no-budget"), "event_id": "b2"}
    events = [
        wrong,
        right,
        {"type": "withdrawn", "t": 8.1, "card": "send-info-card", "event_id": "a1"},
        {"type": "withdrawn", "t": 8.2, "card": "no-budget-card", "event_id": "b2"},
    ]

    score = score_call(TURNS, events)
    figures = summarize([score])

    assert score.hits == 1
    assert len(score.false_cards) == 1
    assert score.withdrawn_false == 1
    assert figures["false_cards_per_call"] == 1.0
    assert figures["false_kept_per_call"] == 0.0
