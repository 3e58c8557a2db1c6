"""Signal level and a simple voice activity detector for meters and talk time."""

import math

import numpy as np

from app.speech.recognizer import SAMPLE_RATE

# The level reported for exact silence, where the logarithm has no value.
SILENCE_DBFS = -120.0


def rms_dbfs(pcm: np.ndarray) -> float:
    """Return the RMS level of int16 samples in dB relative to full scale."""
    if len(pcm) == 0:
        return SILENCE_DBFS
    mean_square = float(np.mean(np.square(pcm.astype(np.float64))))
    if mean_square == 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 10 * math.log10(mean_square / 32768.0**2))


class VoiceActivity:
    """Decide per block whether someone speaks, from energy over a noise floor.

    The noise floor follows quiet blocks quickly and loud blocks slowly, so
    steady background noise stops counting as speech after a few seconds. A
    block is speech when it is ``threshold_db`` above the floor. Speech state
    holds for ``hangover`` seconds after the last loud block, so short pauses
    between words do not split a turn. Not thread-safe: one owner per channel.
    """

    def __init__(
        self,
        threshold_db: float = 9.0,
        hangover: float = 0.3,
        floor_dbfs: float = -60.0,
        min_speech_dbfs: float = -50.0,
    ) -> None:
        self.threshold_db = threshold_db
        self.hangover = hangover
        self.floor_dbfs = floor_dbfs
        self.min_speech_dbfs = min_speech_dbfs
        self.speaking = False
        self.speech_seconds = 0.0
        self._hangover_samples = round(hangover * SAMPLE_RATE)
        self._quiet_samples = self._hangover_samples + 1

    def update(self, pcm: np.ndarray) -> bool:
        """Feed one 16 kHz block and return whether it counts as speech."""
        level = rms_dbfs(pcm)
        seconds = len(pcm) / SAMPLE_RATE
        loud = (
            level >= self.floor_dbfs + self.threshold_db
            and level >= self.min_speech_dbfs
        )
        # Fall to a quieter floor within about a block, rise over seconds.
        rate = 0.5 if level < self.floor_dbfs else 0.02
        self.floor_dbfs += rate * (level - self.floor_dbfs)
        self._quiet_samples = 0 if loud else self._quiet_samples + len(pcm)
        self.speaking = self._quiet_samples <= self._hangover_samples
        if self.speaking:
            self.speech_seconds += seconds
        return self.speaking
