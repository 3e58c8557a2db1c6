"""Checks on the committed sample call and speech fixtures."""

import json
import wave
from pathlib import Path

from bench.synth import parse_script

REPO_ROOT = Path(__file__).resolve().parents[2]
RESOURCES = REPO_ROOT / "resources"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
OBJECTION_WORDS = ("busy", "vendor", "budget", "send")


def _wav_format(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path)) as wav_file:
        rate = wav_file.getframerate()
        return (
            wav_file.getnchannels(),
            wav_file.getsampwidth(),
            rate,
            wav_file.getnframes() / rate,
        )


def test_sample_call_format_and_size() -> None:
    path = RESOURCES / "sample_call.wav"

    channels, width, rate, seconds = _wav_format(path)

    assert path.stat().st_size < 2 * 1024 * 1024
    assert (channels, width, rate) == (2, 2, 8000)
    assert seconds > 50


def test_sample_call_labels_match_script() -> None:
    labels = json.loads((RESOURCES / "sample_call.json").read_text(encoding="utf-8"))
    script = (RESOURCES / "sample_call.txt").read_text(encoding="utf-8")
    turns = labels["turns"]

    assert [turn["text"] for turn in turns] == [t.text for t in parse_script(script)]
    objections = [turn["objection"] for turn in turns if turn["objection"]]
    assert len(set(objections)) >= 5
    rep_lookalikes = [
        turn
        for turn in turns
        if turn["speaker"] == "rep"
        and any(word in turn["text"].lower() for word in OBJECTION_WORDS)
    ]
    assert len(rep_lookalikes) >= 2
    _, _, rate, seconds = _wav_format(RESOURCES / "sample_call.wav")
    assert labels["rate"] == rate
    assert turns[-1]["end"] < seconds


def test_fixtures_are_small_mono_16k() -> None:
    for name, max_bytes in (("korean_phrases", 300_000), ("english_objection", None)):
        path = FIXTURES / f"{name}.wav"
        channels, width, rate, seconds = _wav_format(path)
        phrases = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))

        assert (channels, width, rate) == (1, 2, 16000), name
        assert max_bytes is None or path.stat().st_size < max_bytes, name
        assert phrases["rate"] == rate, name
        assert phrases["phrases"], name
        assert phrases["phrases"][-1]["end"] < seconds, name


def test_english_fixture_is_has_vendor() -> None:
    labels = json.loads((FIXTURES / "english_objection.json").read_text("utf-8"))

    assert labels["objection"] == "has-vendor"
    assert labels["text"] == "We already use another vendor for that."
    assert labels["phone"] is True
