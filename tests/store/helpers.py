"""Building blocks for the store tests: recorded calls and a small playbook."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.store.local import LocalStore

PLAYBOOK_YAML = """\
playbook:
  name: team-test
  version: "{version}"
  language: en
cards:
  - id: budget
    category: no-budget
    title: No budget
    rebuttal: Most teams fund this from the hours it saves.
    follow_up: What does a late invoice cost you today?
    triggers:
      - no budget
"""


def write_playbook(folder: Path, version: str, *, broken: bool = False) -> Path:
    """Write a one-card playbook folder; ``broken`` leaves out the cards' fields."""
    folder.mkdir(parents=True, exist_ok=True)
    text = PLAYBOOK_YAML.format(version=version)
    if broken:
        text = text.replace("    title: No budget\n", "")
    (folder / "playbook.yaml").write_text(text)
    return folder


def record_calls(
    store: LocalStore,
    count: int,
    *,
    rep: str = "alice",
    events: int = 2,
    started_at: datetime | None = None,
    outcome: str | None = "meeting-booked",
) -> list[str]:
    """Record ``count`` finished calls with segments and card events."""
    start = started_at or datetime.now(UTC)
    call_ids = []
    for index in range(count):
        call_id = store.begin_call(
            rep=rep,
            playbook_name="team-test",
            playbook_version="1.0",
            persona=None,
            engine="vosk",
            started_at=start + timedelta(minutes=index),
        )
        store.add_segment(
            call_id, speaker="prospect", start=0.0, end=2.0, text="we have no budget"
        )
        for event in range(events):
            store.add_card_event(
                call_id,
                card_id="budget",
                category="no-budget",
                playbook_version="1.0",
                at=1.0 + event,
                heard="no budget",
                score=0.9,
                speaker="prospect",
            )
        store.finish_call(
            call_id, ended_at=start + timedelta(minutes=index, seconds=30),
            duration=30.0, metrics={},
        )  # fmt: skip
        if outcome:
            store.tag_call(call_id, outcome)
        call_ids.append(call_id)
    return call_ids


def count_rows(url: str, table: str) -> int:
    """Return the number of rows in ``table`` of the database at ``url``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    finally:
        engine.dispose()
