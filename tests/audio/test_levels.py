"""rms_dbfs and VoiceActivity on synthetic and recorded signals."""

import numpy as np
import pytest

from app.audio.levels import SILENCE_DBFS, VoiceActivity, rms_dbfs


def tone(amplitude: float, seconds: float = 0.1) -> np.ndarray:
    t = np.arange(int(16_000 * seconds)) / 16_000
    return (amplitude * 32767 * np.sin(2 * np.pi * 300 * t)).astype(np.int16)


def noise(dbfs: float, seconds: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scale = 32768 * 10 ** (dbfs / 20)
    return (rng.standard_normal(int(16_000 * seconds)) * scale).astype(np.int16)


def test_rms_of_full_scale_sine() -> None:
    # A sine's RMS is its peak over sqrt(2): -3.01 dBFS at full scale.
    assert rms_dbfs(tone(1.0)) == pytest.approx(-3.01, abs=0.05)
    assert rms_dbfs(tone(0.1)) == pytest.approx(-23.01, abs=0.05)


def test_rms_of_silence_and_empty() -> None:
    assert rms_dbfs(np.zeros(1600, dtype=np.int16)) == SILENCE_DBFS
    assert rms_dbfs(np.zeros(0, dtype=np.int16)) == SILENCE_DBFS


def test_vad_speech_over_noise() -> None:
    vad = VoiceActivity()
    background = noise(-55, 3.0)
    blocks = np.split(background, 30)

    quiet = [vad.update(block) for block in blocks]
    assert not any(quiet[10:])

    loud = [vad.update(tone(0.2)) for _ in range(10)]
    assert all(loud)
    assert vad.speech_seconds == pytest.approx(1.0)


def test_vad_hangover_bridges_pauses() -> None:
    vad = VoiceActivity(hangover=0.3)
    for _ in range(10):
        vad.update(noise(-60, 0.1))
    vad.update(tone(0.2))

    after = [vad.update(noise(-60, 0.1, seed=i)) for i in range(6)]

    assert after[:3] == [True, True, True]
    assert after[4:] == [False, False]


def test_vad_steady_noise_stops_counting() -> None:
    vad = VoiceActivity()
    for _ in range(10):
        vad.update(noise(-60, 0.1))

    results = [vad.update(noise(-30, 0.1, seed=i)) for i in range(100)]

    assert results[0]
    assert not results[-1]
