"""The unit of audio that sources hand to the speech layer."""

from dataclasses import dataclass

import numpy as np

from app.speech.recognizer import SAMPLE_RATE

SPEAKERS = ("rep", "prospect", "mixed")


@dataclass(frozen=True, slots=True)
class AudioBlock:
    """A run of 16 kHz mono int16 samples from one speaker.

    ``start`` is the call time of the first sample in seconds. Every channel of a
    source counts from the same call start, so blocks of the rep and the prospect
    line up.
    """

    speaker: str
    start: float
    pcm: np.ndarray

    @property
    def duration(self) -> float:
        """Length of the block in seconds."""
        return len(self.pcm) / SAMPLE_RATE

    @property
    def end(self) -> float:
        """Call time just after the last sample, in seconds."""
        return self.start + self.duration
