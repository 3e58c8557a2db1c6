"""StreamResampler against whole-signal resampling."""

import numpy as np
import pytest

from app.audio.resample import StreamResampler, resample_channel
from tests.audio.sox import peak_frequency


def sine(frequency: float, rate: int, seconds: float) -> np.ndarray:
    """Return a float32 sine at half scale."""
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


@pytest.mark.parametrize("rate", [8000, 16_000, 44_100, 48_000])
def test_stream_matches_whole_signal(rate: int) -> None:
    signal = sine(700, rate, 2.0)
    resampler = StreamResampler(rate)

    pieces = [resampler.process(block) for block in np.array_split(signal, 37)]
    pieces.append(resampler.flush())
    streamed = np.concatenate(pieces)

    whole = resample_channel(signal, rate)
    assert streamed.dtype == np.int16
    assert abs(len(streamed) - len(whole)) <= 2
    # Away from the edges the streamed output equals the one-shot result.
    middle = slice(2000, len(whole) - 2000)
    difference = streamed[middle].astype(int) - whole[middle].astype(int)
    assert np.abs(difference).max() <= 2


def test_stereo_int16_is_downmixed() -> None:
    left = (sine(500, 48_000, 1.0) * 32767).astype(np.int16)
    right = np.zeros_like(left)
    resampler = StreamResampler(48_000, channels=2)

    out = np.concatenate(
        [resampler.process(np.stack([left, right], axis=1)), resampler.flush()]
    )

    assert out.dtype == np.int16
    assert peak_frequency(out) == pytest.approx(500, abs=3)
    # Averaging a half-scale tone with silence leaves a quarter scale: ~8 192.
    assert 7_500 < np.abs(out[1000:-1000]).max() < 8_900


def test_invalid_rate_rejected() -> None:
    with pytest.raises(ValueError, match="invalid sample rate 0"):
        StreamResampler(0)
