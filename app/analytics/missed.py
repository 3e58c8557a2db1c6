"""Objection-like prospect lines that no card answered.

A prospect (or mixed-channel) transcript segment counts when no card that stayed
on screen fired between the segment's start and ANSWER_WINDOW_S seconds after its
end. Its text must also get an objection category from a classifier, usually the
playbook matcher at a lower threshold than live coaching uses. Only calls
recorded with the transcript setting on have segments, so other calls never count.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from app.store.schema import calls, card_events, segments

log = logging.getLogger(__name__)

# Returns the objection category a line of prospect speech expresses, or None.
ObjectionClassifier = Callable[[str], str | None]

ANSWER_WINDOW_S = 5.0
EXAMPLES_PER_CATEGORY = 3


@dataclass
class ObjectionGap:
    """Objections of one category that no card answered, with sample wording."""

    category: str
    count: int
    examples: list[str]


def missed_objections(
    connection: sa.Connection,
    in_window: sa.ColumnElement[bool],
    classify: ObjectionClassifier,
) -> list[ObjectionGap]:
    """Classify prospect segments that no card answered; count them by category.

    Examples are the newest wordings. Each distinct text is classified once.
    """
    answered = (
        sa.select(card_events.c.id)
        .where(
            card_events.c.call_id == segments.c.call_id,
            ~card_events.c.withdrawn,
            card_events.c.at >= segments.c.start,
            card_events.c.at <= segments.c.end + ANSWER_WINDOW_S,
        )
        .exists()
    )
    texts = connection.scalars(
        sa.select(segments.c.text)
        .select_from(segments.join(calls))
        .where(in_window, segments.c.speaker.in_(("prospect", "mixed")), ~answered)
        .order_by(calls.c.started_at.desc(), segments.c.start.desc())
    )
    categories: dict[str, str | None] = {}
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        if text not in categories:
            categories[text] = classify(text)
        category = categories[text]
        if category is None:
            continue
        counts[category] += 1
        if len(examples[category]) < EXAMPLES_PER_CATEGORY:
            examples[category].append(text)
    log.info(
        "classified %d distinct unanswered prospect lines; %d look like objections",
        len(categories),
        sum(counts.values()),
    )
    return [ObjectionGap(c, n, examples[c]) for c, n in counts.most_common()]
