"""LocalStore on a real SQLite file: writing, reading, tagging, recovery."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.errors import CuecardError
from app.store.local import LocalStore
from app.store.outcomes import OUTCOMES

REPO_ROOT = Path(__file__).resolve().parents[2]
START = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def begin(store: LocalStore, **overrides: object) -> str:
    values = dict(
        rep="alice",
        playbook_name="default",
        playbook_version="1.0",
        persona="cfo",
        engine="vosk",
        started_at=START,
    )
    values.update(overrides)
    return store.begin_call(**values)  # type: ignore[arg-type]


def add_event(store: LocalStore, call_id: str, at: float = 2.0) -> str:
    return store.add_card_event(
        call_id,
        card_id="budget-card",
        category="no-budget",
        playbook_version="1.0",
        at=at,
        heard="we have no budget",
        score=0.8,
        speaker="prospect",
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    opened = LocalStore.open(tmp_path / "calls.sqlite3")
    yield opened
    opened.close()


def test_outcomes_in_dialog_order() -> None:
    assert list(OUTCOMES)[:8] == [
        "meeting-booked",
        "callback",
        "not-interested",
        "gatekeeper",
        "voicemail",
        "no-answer",
        "wrong-person",
        "do-not-call",
    ]


def test_open_defaults_to_cuecard_home(cuecard_home: Path) -> None:
    opened = LocalStore.open()
    opened.close()
    assert (cuecard_home / "data" / "cuecard.sqlite3").exists()


def test_call_round_trip(store: LocalStore) -> None:
    call_id = begin(store)
    store.add_segment(call_id, speaker="rep", start=0.0, end=1.5, text="hello there")
    store.add_segment(call_id, speaker="prospect", start=1.6, end=3.0, text="no money")
    event_id = add_event(store, call_id)
    store.finish_call(
        call_id,
        ended_at=START + timedelta(seconds=60),
        duration=60.0,
        metrics={"talk": 0.4},
    )
    store.tag_call(
        call_id,
        "meeting-booked",
        note="demo on Friday",
        next_step=date(2025, 3, 7),
        helpful={event_id: True},
    )

    detail = store.get_call(call_id)
    assert detail.summary.outcome == "meeting-booked"
    assert detail.summary.note == "demo on Friday"
    assert detail.summary.started_at == START
    assert detail.next_step == date(2025, 3, 7)
    assert detail.metrics == {"talk": 0.4}
    assert [s.text for s in detail.segments] == ["hello there", "no money"]
    assert detail.card_events[0].helpful is True
    assert detail.summary.card_count == 1


def test_retag_without_note_keeps_note(store: LocalStore) -> None:
    call_id = begin(store)
    store.tag_call(call_id, "callback", note="call Friday", next_step=date(2025, 3, 7))
    store.tag_call(call_id, "meeting-booked")

    detail = store.get_call(call_id)
    assert detail.summary.outcome == "meeting-booked"
    assert detail.summary.note == "call Friday"
    assert detail.next_step == date(2025, 3, 7)


def test_empty_note_clears_note(store: LocalStore) -> None:
    call_id = begin(store)
    store.tag_call(call_id, "callback", note="call Friday")
    store.tag_call(call_id, "callback", note="")

    assert store.get_call(call_id).summary.note is None


def test_list_newest_first(store: LocalStore) -> None:
    older = begin(store, started_at=START)
    newer = begin(store, started_at=START + timedelta(hours=1))
    assert [c.id for c in store.list_calls()] == [newer, older]
    assert [c.id for c in store.list_calls(limit=1)] == [newer]


def test_untagged_calls(store: LocalStore) -> None:
    tagged = begin(store)
    untagged = begin(store)
    store.tag_call(tagged, "voicemail")
    assert [c.id for c in store.untagged_calls()] == [untagged]


def test_withdrawn_card_not_counted(store: LocalStore) -> None:
    call_id = begin(store)
    event_id = add_event(store, call_id)
    store.withdraw_card_event(event_id)
    assert store.list_calls()[0].card_count == 0
    assert store.get_call(call_id).card_events[0].withdrawn is True


def test_private_call_keeps_no_transcript(store: LocalStore) -> None:
    call_id = begin(store, store_transcript=False)
    store.add_segment(call_id, speaker="prospect", start=0, end=1, text="secret")
    assert store.get_call(call_id).segments == ()


def test_tag_unknown_outcome_names_valid_ids(store: LocalStore) -> None:
    call_id = begin(store)
    with pytest.raises(CuecardError, match="meeting-booked"):
        store.tag_call(call_id, "sold")


def test_tag_unknown_call(store: LocalStore) -> None:
    with pytest.raises(CuecardError, match="not found"):
        store.tag_call("no-such-call", "callback")


def test_tag_vote_on_foreign_event(store: LocalStore) -> None:
    first = begin(store)
    second = begin(store)
    event_id = add_event(store, first)
    with pytest.raises(CuecardError, match="not part of call"):
        store.tag_call(second, "callback", helpful={event_id: True})
    assert store.get_call(second).summary.outcome is None


def test_resolve_prefix(store: LocalStore) -> None:
    call_id = begin(store)
    assert store.resolve_call_id(call_id[:8]) == call_id
    with pytest.raises(CuecardError, match="no call id"):
        store.resolve_call_id("zzzz")


def test_resolve_ambiguous_prefix(store: LocalStore) -> None:
    begin(store)
    begin(store)
    with pytest.raises(CuecardError, match="several calls"):
        store.resolve_call_id("")


def test_every_change_is_queued(store: LocalStore) -> None:
    call_id = begin(store)
    store.add_segment(call_id, speaker="rep", start=0, end=1, text="hi")
    add_event(store, call_id)
    store.tag_call(call_id, "callback")
    assert store.pending_changes() == 4


def test_threads_write_and_read(store: LocalStore) -> None:
    call_ids = [begin(store) for _ in range(4)]
    errors: list[BaseException] = []

    def write(call_id: str) -> None:
        try:
            for index in range(50):
                store.add_segment(
                    call_id, speaker="rep", start=index, end=index + 1, text="words"
                )
                add_event(store, call_id, at=float(index))
        except BaseException as error:  # collected for the assert below
            errors.append(error)

    def read() -> None:
        try:
            for _ in range(50):
                store.list_calls()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c,)) for c in call_ids]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(len(store.get_call(c).segments) == 50 for c in call_ids)


def test_corrupt_file_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    opened = LocalStore.open(path)
    try:
        assert opened.notice is not None
        assert "moved to" in opened.notice
        assert begin(opened)
    finally:
        opened.close()
    moved = list(tmp_path.glob("calls.sqlite3.corrupt-*"))
    assert len(moved) == 1
    assert moved[0].read_bytes().startswith(b"this is not a database")


WRITER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from app.store.local import LocalStore

store = LocalStore.open(Path(sys.argv[1]))
call_id = store.begin_call(rep="alice", playbook_name="p", playbook_version="1",
                           persona=None, engine="vosk", started_at=datetime.now(UTC))
print(call_id, flush=True)
index = 0
while True:
    store.add_segment(call_id, speaker="rep", start=index, end=index + 1,
                      text=str(index))
    print(index, flush=True)
    index += 1
    time.sleep(0.02)
"""


def test_killed_mid_call_keeps_segments(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert process.stdout is not None
    call_id = process.stdout.readline().strip()
    last_reported = -1
    while last_reported < 30:
        last_reported = int(process.stdout.readline())
    process.send_signal(signal.SIGKILL)
    process.wait()

    reopened = LocalStore.open(path)
    try:
        texts = [s.text for s in reopened.get_call(call_id).segments]
    finally:
        reopened.close()
    # Every segment the writer reported as stored survived the kill.
    assert len(texts) >= last_reported + 1
    assert texts[: last_reported + 1] == [str(i) for i in range(last_reported + 1)]


def test_wal_journal_on_local_disk(store: LocalStore) -> None:
    begin(store)
    path = Path(store.engine.url.database or "")
    connection = sqlite3.connect(path)
    try:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()
    assert mode == "wal"
