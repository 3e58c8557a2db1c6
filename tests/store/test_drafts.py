"""Draft segments: the text of an utterance in progress survives a crash."""

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from app.store.local import LocalStore
from app.store.sync import sync
from tests.store.helpers import record_calls

REPO_ROOT = Path(__file__).resolve().parents[2]


def begin(store: LocalStore, *, store_transcript: bool = True) -> str:
    return store.begin_call(
        rep="alice",
        playbook_name="default",
        playbook_version="1.0",
        persona=None,
        engine="vosk",
        started_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
        store_transcript=store_transcript,
    )


def draft(store: LocalStore, call_id: str, text: str, *, utterance: int = 1) -> None:
    store.save_draft_segment(
        call_id, speaker="prospect", utterance=utterance, start=4.0, end=5.0, text=text
    )


def test_draft_replaced_by_later_draft(local: LocalStore) -> None:
    call_id = begin(local)
    draft(local, call_id, "we already")
    draft(local, call_id, "we already use a")
    segments = local.get_call(call_id).segments
    assert len(segments) == 1
    assert segments[0].text == "we already use a"
    assert segments[0].draft is True


def test_final_replaces_draft(local: LocalStore) -> None:
    call_id = begin(local)
    draft(local, call_id, "we already use a")
    local.add_segment(
        call_id,
        speaker="prospect",
        utterance=1,
        start=4.0,
        end=6.5,
        text="we already use a vendor",
    )
    segments = local.get_call(call_id).segments
    assert len(segments) == 1
    assert segments[0].text == "we already use a vendor"
    assert segments[0].end == 6.5
    assert segments[0].draft is False


def test_late_draft_keeps_final(local: LocalStore) -> None:
    call_id = begin(local)
    local.add_segment(
        call_id, speaker="prospect", utterance=1, start=4.0, end=6.0, text="final"
    )
    draft(local, call_id, "stale partial")
    segments = local.get_call(call_id).segments
    assert [(s.text, s.draft) for s in segments] == [("final", False)]


def test_drafts_keyed_by_speaker_and_utterance(local: LocalStore) -> None:
    call_id = begin(local)
    draft(local, call_id, "first", utterance=1)
    draft(local, call_id, "second", utterance=2)
    local.save_draft_segment(
        call_id, speaker="rep", utterance=1, start=0.0, end=1.0, text="rep words"
    )
    texts = sorted(s.text for s in local.get_call(call_id).segments)
    assert texts == ["first", "rep words", "second"]


def test_segment_without_utterance_appends(local: LocalStore) -> None:
    call_id = begin(local)
    for _ in range(2):
        local.add_segment(call_id, speaker="rep", start=0.0, end=1.0, text="hi")
    assert len(local.get_call(call_id).segments) == 2


def test_private_call_keeps_no_draft(local: LocalStore) -> None:
    call_id = begin(local, store_transcript=False)
    draft(local, call_id, "secret")
    assert local.get_call(call_id).segments == ()
    assert local.pending_changes() == 1


def test_drafts_queued_for_sync(local: LocalStore) -> None:
    call_id = begin(local)
    draft(local, call_id, "one")
    draft(local, call_id, "one two")
    assert local.pending_changes() == 3


def shared_segments(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT id, text, draft, utterance FROM segments")
            ).all()
    finally:
        engine.dispose()


def test_draft_then_final_sync_as_one_row(local: LocalStore, shared_url: str) -> None:
    call_id = record_calls(local, 1, outcome=None)[0]
    draft(local, call_id, "send me an")
    sync(local, shared_url)
    drafted = [row for row in shared_segments(shared_url) if row.utterance == 1]
    assert [(row.text, row.draft) for row in drafted] == [("send me an", True)]

    local.add_segment(
        call_id,
        speaker="prospect",
        utterance=1,
        start=4.0,
        end=6.0,
        text="send me an email",
    )
    sync(local, shared_url)
    finals = [row for row in shared_segments(shared_url) if row.utterance == 1]
    assert [(row.text, row.draft) for row in finals] == [("send me an email", False)]
    assert finals[0].id == drafted[0].id


WRITER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from app.store.local import LocalStore

store = LocalStore.open(Path(sys.argv[1]))
call_id = store.begin_call(rep="alice", playbook_name="p", playbook_version="1",
                           persona=None, engine="vosk", started_at=datetime.now(UTC))
print(call_id, flush=True)
for utterance in range(3):
    store.add_segment(call_id, speaker="rep", utterance=utterance, start=utterance,
                      end=utterance + 1, text=f"final {utterance}")
words = []
while True:
    words.append(f"w{len(words)}")
    store.save_draft_segment(call_id, speaker="prospect", utterance=0, start=3.0,
                             end=3.0 + len(words), text=" ".join(words))
    print(len(words), flush=True)
    time.sleep(0.02)
"""


def test_killed_mid_utterance_keeps_draft(tmp_path: Path) -> None:
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
    reported = 0
    while reported < 20:
        reported = int(process.stdout.readline())
    process.send_signal(signal.SIGKILL)
    process.wait()

    reopened = LocalStore.open(path)
    try:
        segments = reopened.get_call(call_id).segments
    finally:
        reopened.close()
    finals = [s.text for s in segments if not s.draft]
    drafts = [s for s in segments if s.draft]
    assert finals == ["final 0", "final 1", "final 2"]
    assert len(drafts) == 1
    assert drafts[0].speaker == "prospect"
    # The writer may have saved one more draft between its last report and the kill.
    saved_words = len(drafts[0].text.split())
    assert saved_words >= reported
    assert drafts[0].text.startswith(" ".join(f"w{i}" for i in range(reported)))
