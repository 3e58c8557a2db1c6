"""Score the cards that ``replay --json`` printed against a call's turn labels.

A labelled objection is a hit when a card of the same category, not on the rep's
channel, fires between the utterance's start and ``window_s`` after its end. Its
latency is the first such card's time minus the utterance's end, so it is negative
when the card fires before the prospect finishes. A false card is any card on the
rep's channel, or a card that matches no labelled objection in its window.

Only cards whose category is one of the objection ids count. Other cards, such as
an opener shown at call start, are counted apart and never scored as false.

A card that a later ``withdrawn`` event takes back was still on screen, so it is
scored like any other card. ``withdrawn_false`` counts the false cards that were
withdrawn, so the figures can also show what the rep was left with.
"""

from dataclasses import dataclass, field

import numpy as np

from bench.synth import OBJECTION_IDS

WINDOW_S = 2.0


@dataclass
class CallScore:
    """Hits, misses, latencies and false cards of one replayed call."""

    objections: int = 0
    hits: int = 0
    latencies: list[float] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    false_cards: list[dict] = field(default_factory=list)
    rep_cards: int = 0
    other_cards: int = 0
    withdrawn_false: int = 0
    by_category: dict[str, list[int]] = field(default_factory=dict)


def _in_window(card: dict, turn: dict, window_s: float) -> bool:
    return turn["start"] <= card["t"] <= turn["end"] + window_s


def score_call(
    turns: list[dict], events: list[dict], window_s: float = WINDOW_S
) -> CallScore:
    """Score one call's replay events against its labelled turns.

    turns are the label dicts of a synthesized call (speaker, start, end and
    objection), and events are the parsed JSON lines of ``replay --json``.
    """
    score = CallScore()
    cards = [event for event in events if event.get("type") == "card"]
    objection_cards = []
    for card in cards:
        if card.get("category") not in OBJECTION_IDS:
            score.other_cards += 1
        elif card.get("speaker") == "rep":
            score.rep_cards += 1
            score.false_cards.append(card)
        else:
            objection_cards.append(card)

    explained: set[int] = set()
    for turn in turns:
        category = turn.get("objection")
        if turn["speaker"] != "prospect" or category is None:
            continue

        score.objections += 1
        totals = score.by_category.setdefault(category, [0, 0])
        totals[1] += 1
        matches = [
            index
            for index, card in enumerate(objection_cards)
            if card["category"] == category and _in_window(card, turn, window_s)
        ]
        if not matches:
            score.missed.append(turn)
            continue

        score.hits += 1
        totals[0] += 1
        explained.update(matches)
        first = min(objection_cards[index]["t"] for index in matches)
        score.latencies.append(round(first - turn["end"], 3))

    for index, card in enumerate(objection_cards):
        if index not in explained:
            score.false_cards.append(card)

    withdrawn = {
        event.get("event_id") for event in events if event.get("type") == "withdrawn"
    }
    score.withdrawn_false = sum(
        1 for card in score.false_cards if card.get("event_id") in withdrawn
    )
    return score


def _percentile(values: list[float], percent: float) -> float | None:
    if not values:
        return None
    return round(float(np.percentile(values, percent)), 3)


def summarize(scores: list[CallScore]) -> dict:
    """Return recall, false cards per call and latency over several calls."""
    objections = sum(score.objections for score in scores)
    hits = sum(score.hits for score in scores)
    false_cards = sum(len(score.false_cards) for score in scores)
    kept_false = false_cards - sum(score.withdrawn_false for score in scores)
    latencies = [value for score in scores for value in score.latencies]
    return {
        "calls": len(scores),
        "objections": objections,
        "hits": hits,
        "recall": round(hits / objections, 3) if objections else None,
        "false_cards": false_cards,
        "false_cards_per_call": round(false_cards / len(scores), 2) if scores else None,
        "false_kept_per_call": round(kept_false / len(scores), 2) if scores else None,
        "rep_cards": sum(score.rep_cards for score in scores),
        "latency_median_s": _percentile(latencies, 50),
        "latency_p95_s": _percentile(latencies, 95),
    }


def recall_by_category(scores: list[CallScore]) -> dict[str, dict]:
    """Return hits, objections and recall for each objection id over the calls."""
    totals: dict[str, list[int]] = {}
    for score in scores:
        for category, (hits, count) in score.by_category.items():
            entry = totals.setdefault(category, [0, 0])
            entry[0] += hits
            entry[1] += count
    return {
        category: {"hits": hits, "objections": count, "recall": round(hits / count, 3)}
        for category, (hits, count) in sorted(totals.items())
    }
