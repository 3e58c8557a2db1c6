"""Conversion of any device or file audio to 16 kHz mono int16."""

import logging

import numpy as np
import soxr

from app.speech.recognizer import SAMPLE_RATE

log = logging.getLogger(__name__)

# libsoxr's HQ preset (SOXR_HQ, 20-bit precision) is beyond int16 output and cheap.
QUALITY = "HQ"
INT16_SCALE = 32768.0


def to_float32(samples: np.ndarray) -> np.ndarray:
    """Return samples as float32 in [-1, 1), converting int16 or int32 by scale."""
    if samples.dtype == np.float32:
        return samples
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / INT16_SCALE
    if samples.dtype == np.int32:
        return (samples.astype(np.float64) / 2**31).astype(np.float32)
    if np.issubdtype(samples.dtype, np.floating):
        return samples.astype(np.float32)
    raise TypeError(f"unsupported sample type {samples.dtype}")


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Return float samples in [-1, 1] as int16, rounding and clipping."""
    scaled = np.rint(np.asarray(samples, dtype=np.float32) * INT16_SCALE)
    return np.clip(scaled, -32768, 32767).astype(np.int16)


def downmix(samples: np.ndarray) -> np.ndarray:
    """Average a (frames x channels) array into one float32 channel."""
    floats = to_float32(samples)
    if floats.ndim == 1:
        return floats
    if floats.shape[1] == 1:
        return floats[:, 0]
    return floats.mean(axis=1, dtype=np.float32)


def resample_channel(samples: np.ndarray, rate_in: int) -> np.ndarray:
    """Resample one whole float or int16 channel to 16 kHz int16."""
    floats = to_float32(samples)
    if rate_in != SAMPLE_RATE:
        floats = soxr.resample(floats, rate_in, SAMPLE_RATE, quality=QUALITY)
    return to_int16(floats)


class StreamResampler:
    """Downmix and resample blocks of a live stream to 16 kHz mono int16.

    Keeps the filter state between blocks, so block edges leave no clicks. soxr
    aligns the output with the input but holds back its look-ahead (measured with
    libsoxr via python-soxr 1.1: about 21 ms from 44.1 or 48 kHz, 66 ms from
    8 kHz), and ``flush`` returns it at the end. Not thread-safe: one owner thread.
    """

    def __init__(self, rate_in: int, channels: int = 1) -> None:
        if rate_in <= 0:
            raise ValueError(f"invalid sample rate {rate_in}")
        self.rate_in = rate_in
        self.channels = channels
        self._stream: soxr.ResampleStream | None = None
        if rate_in != SAMPLE_RATE:
            self._stream = soxr.ResampleStream(
                rate_in, SAMPLE_RATE, 1, dtype="float32", quality=QUALITY
            )

    def process(self, block: np.ndarray) -> np.ndarray:
        """Convert a (frames x channels) or 1-D block and return int16 samples."""
        mono = downmix(block)
        if self._stream is not None:
            mono = self._stream.resample_chunk(mono)
        return to_int16(mono)

    def flush(self) -> np.ndarray:
        """Return the samples still buffered in the filter at the end of a stream."""
        if self._stream is None:
            return np.zeros(0, dtype=np.int16)
        tail = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        return to_int16(tail)
