"""Tests for the accuracy script's synthesis cache, scoring records and table."""

import json
from pathlib import Path

import pytest

from bench import e2e_calls
from bench.call_scoring import score_call, summarize
from bench.synth import OBJECTION_IDS, parse_script

SCRIPT = """\
REP: Hi, this is Sam from Routewell.
PROSPECT: Please take me off your list. [objection:do-not-call]
"""


def test_call_scripts_cover_every_objection() -> None:
    categories = set()
    for spec in e2e_calls.find_calls(e2e_calls.CALLS_DIR):
        turns = parse_script(spec.script.read_text(encoding="utf-8"))
        categories.update(turn.objection for turn in turns if turn.objection)

    assert len(e2e_calls.find_calls(e2e_calls.CALLS_DIR)) >= 6
    assert categories == set(OBJECTION_IDS)


def test_find_calls_rotates_voices(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(SCRIPT, encoding="utf-8")

    specs = e2e_calls.find_calls(tmp_path)

    assert [spec.name for spec in specs] == ["a", "b"]
    assert (specs[0].rep_voice, specs[0].prospect_voice) == e2e_calls.VOICE_PAIRS[0]
    assert (specs[1].rep_voice, specs[1].prospect_voice) == e2e_calls.VOICE_PAIRS[1]
    assert e2e_calls.find_calls(tmp_path, limit=1) == specs[:1]


def test_synthesize_calls_reuses_cache(tmp_path: Path) -> None:
    script = tmp_path / "call.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    spec = e2e_calls.CallSpec(script, "flite:rms", "flite:slt")
    cache = tmp_path / "cache"

    paths = e2e_calls.synthesize_calls(spec, [30.0, 10.0], cache)
    first_mtime = paths[30.0].stat().st_mtime_ns
    again = e2e_calls.synthesize_calls(spec, [30.0], cache)
    cached_mtime = again[30.0].stat().st_mtime_ns
    script.write_text(SCRIPT.replace("Sam", "Alex"), encoding="utf-8")
    rebuilt = e2e_calls.synthesize_calls(spec, [30.0], cache)

    assert sorted(path.name for path in cache.glob("*.wav")) == [
        "call-10db.wav",
        "call-30db.wav",
    ]
    labels = json.loads(paths[10.0].with_suffix(".json").read_text("utf-8"))
    assert labels["snr_db"] == 10.0
    assert labels["turns"][1]["objection"] == "do-not-call"
    assert cached_mtime == first_mtime
    rebuilt_labels = json.loads(rebuilt[30.0].with_suffix(".json").read_text("utf-8"))
    assert "Alex" in rebuilt_labels["turns"][0]["text"]


def test_score_replay_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e2e_calls, "REPO_ROOT", tmp_path)
    script = tmp_path / "call.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    spec = e2e_calls.CallSpec(script, "flite:rms", "flite:slt")
    wav = e2e_calls.synthesize_calls(spec, [20.0], tmp_path / "cache")[20.0]
    turns = json.loads(wav.with_suffix(".json").read_text("utf-8"))["turns"]
    card = {
        "type": "card",
        "t": turns[1]["end"] + 0.3,
        "category": "do-not-call",
        "speaker": "prospect",
    }
    events = [card, {"type": "summary", "talk_ratio": 0.5}]

    score, record = e2e_calls.score_replay(wav, events)

    assert score.hits == 1
    assert record["wav"] == "cache/call-20db.wav"
    assert record["snr_db"] == 20.0
    assert record["summary"] == {"type": "summary", "talk_ratio": 0.5}
    assert record["missed"] == []
    assert record["score"]["latencies"] == [0.3]


def test_format_table_rows() -> None:
    turns = [
        {"speaker": "prospect", "start": 1.0, "end": 2.0, "objection": "no-need"},
    ]
    card = {"type": "card", "t": 2.5, "category": "no-need", "speaker": "prospect"}
    figures = {"20": summarize([score_call(turns, [card])])}

    lines = e2e_calls.format_table(figures).splitlines()

    assert len(lines) == 2
    assert lines[0].split()[:3] == ["SNR", "dB", "calls"]
    row = ["20", "1", "1.00", "0.00", "0.00", "0", "0.50", "s", "0.50", "s"]
    assert lines[1].split() == row
    assert e2e_calls._target_line(figures).startswith("target at 20 dB: recall 1.00")
