"""The whole pipeline on the sample call, through the real command line."""

import json
import os
import subprocess
import sys

import pytest

from app.store.local import LocalStore
from tests.conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "resources" / "sample_call.wav"
LABELS = json.loads((REPO_ROOT / "resources" / "sample_call.json").read_text())
# A card counts when it fires between the start of the objection and this long
# after its end.
WINDOW_AFTER_END = 2.0


@pytest.fixture(scope="module")
def replay_records(tmp_path_factory) -> list[dict]:
    home = tmp_path_factory.mktemp("replay-home")
    done = subprocess.run(
        [sys.executable, "-m", "app", "replay", str(SAMPLE), "--json", "--save"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CUECARD_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    records.append({"type": "home", "path": str(home)})
    return records


def _cards(records: list[dict]) -> list[dict]:
    return [record for record in records if record["type"] == "card"]


def test_most_objections_fire_their_card(replay_records) -> None:
    withdrawn = {r["event_id"] for r in replay_records if r["type"] == "withdrawn"}
    cards = [c for c in _cards(replay_records) if c["event_id"] not in withdrawn]
    objections = [turn for turn in LABELS["turns"] if turn["objection"]]
    found = []
    for turn in objections:
        window = (turn["start"], turn["end"] + WINDOW_AFTER_END)
        hit = any(
            card["category"] == turn["objection"]
            and window[0] <= card["t"] <= window[1]
            for card in cards
        )
        found.append(hit)

    assert len(objections) >= 5
    assert sum(found) / len(found) >= 0.7, list(zip(objections, found, strict=True))


def test_no_card_fires_on_the_rep(replay_records) -> None:
    speakers = {card["speaker"] for card in _cards(replay_records)}

    assert speakers <= {"prospect"}


def test_cards_say_why_they_fired(replay_records) -> None:
    for card in _cards(replay_records):
        assert card["heard"].strip()
        assert 0.0 < card["score"] <= 1.0
        assert card["card"]


def test_timeline_has_both_speakers(replay_records) -> None:
    finals = [r for r in replay_records if r["type"] == "final"]

    assert {final["speaker"] for final in finals} == {"rep", "prospect"}
    assert all(final["t0"] <= final["t1"] for final in finals)


def test_summary_names_engine_and_call(replay_records) -> None:
    start = replay_records[0]
    summary = [r for r in replay_records if r["type"] == "summary"][0]

    assert start["type"] == "start"
    assert start["engine"] == "whisper"
    assert summary["engine"] == "whisper"
    assert summary["duration"] == pytest.approx(LABELS["turns"][-1]["end"], abs=1.5)
    assert 0.0 < summary["talk_ratio"] < 1.0
    assert summary["call_id"]


def test_saved_call_is_in_the_database(replay_records, monkeypatch) -> None:
    home = replay_records[-1]["path"]
    summary = [r for r in replay_records if r["type"] == "summary"][0]
    monkeypatch.setenv("CUECARD_HOME", home)

    store = LocalStore.open()
    try:
        detail = store.get_call(summary["call_id"])
    finally:
        store.close()

    fired = _cards(replay_records)
    assert detail.summary.id == summary["call_id"]
    assert {s.speaker for s in detail.segments} == {"rep", "prospect"}
    assert len(detail.card_events) == len(fired)
