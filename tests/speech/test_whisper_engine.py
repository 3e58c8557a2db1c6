"""The embedded Whisper engine on real English speech."""

import numpy as np
import pytest

from app.speech.engines import load_engine
from app.speech.models import choose_model
from tests.speech.engine_fixtures import feed, read_fixture


@pytest.fixture(scope="module")
def engine():
    return load_engine(choose_model("embedded"))


@pytest.fixture(scope="module")
def objection():
    return read_fixture("english_objection")


def test_embedded_model_is_whisper(engine) -> None:
    assert engine.name == "whisper"
    assert "tiny.en" in engine.model_name


def test_final_result_has_the_words(engine, objection) -> None:
    pcm, labels = objection
    finals = [r for r in feed(engine.new_recognizer("prospect"), pcm) if r.is_final]

    assert len(finals) == 1
    text = finals[0].text.lower()
    assert "vendor" in text
    assert "already" in text
    phrase = labels["phrases"][0]
    assert abs(finals[0].start - phrase["start"]) < 0.5
    assert abs(finals[0].end - phrase["end"]) < 0.5


def test_partials_come_before_the_final(engine, objection) -> None:
    pcm, _ = objection
    padded = np.concatenate([pcm, np.zeros(16_000, dtype=np.int16)])
    results = feed(engine.new_recognizer("prospect", partial_interval=0.5), padded)

    kinds = [r.is_final for r in results]
    assert False in kinds
    assert kinds.index(False) < kinds.index(True)
    assert {r.utterance for r in results} == {0}


def test_word_times_lie_inside_the_utterance(engine, objection) -> None:
    pcm, _ = objection
    final = [r for r in feed(engine.new_recognizer("prospect"), pcm) if r.is_final][0]

    assert final.words
    starts = [word.start for word in final.words]
    assert starts == sorted(starts)
    assert final.words[0].start >= final.start - 0.05
    assert final.words[-1].end <= final.end + 0.05


@pytest.mark.parametrize("level", [0, 30])
def test_silence_and_steady_noise_give_nothing(engine, level) -> None:
    rng = np.random.default_rng(3)
    noise = rng.normal(0, level, 16_000 * 10).astype(np.int16) if level else None
    pcm = noise if noise is not None else np.zeros(16_000 * 10, dtype=np.int16)

    assert feed(engine.new_recognizer("prospect"), pcm) == []
