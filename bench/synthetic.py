"""Synthetic calls and card events for the store benchmarks."""

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from app.store.outcomes import OUTCOMES

CATEGORIES = ("no-budget", "has-vendor", "send-info", "busy-now", "who-are-you")


def synthetic_calls(
    count: int, events_per_call: int, *, reps: int = 50, seed: int = 7
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Yield (call row, card event rows) pairs spread over the last 30 days."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    outcomes = list(OUTCOMES)
    for _ in range(count):
        call_id = str(uuid.uuid4())
        rep = f"rep{rng.randrange(reps)}"
        started = now - timedelta(seconds=rng.uniform(0, 30 * 86400))
        call = {
            "id": call_id,
            "rep": rep,
            "playbook_name": "bench",
            "playbook_version": "1",
            "persona": None,
            "engine": "vosk",
            "started_at": started,
            "ended_at": started + timedelta(seconds=90),
            "duration": 90.0,
            "metrics": {"talk_ratio": 0.4},
            "store_transcript": True,
            "outcome": rng.choice(outcomes),
            "note": None,
            "next_step": None,
            "updated_at": now,
        }
        events = []
        for index in range(events_per_call):
            category = rng.choice(CATEGORIES)
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "call_id": call_id,
                    "rep": rep,
                    "card_id": f"{category}-card",
                    "category": category,
                    "playbook_version": "1",
                    "at": 5.0 * index,
                    "heard": "call me on 555 201 7788 about it",
                    "score": 0.8,
                    "speaker": "prospect",
                    "withdrawn": False,
                    "helpful": rng.choice((True, False, None)),
                }
            )
        yield call, events
