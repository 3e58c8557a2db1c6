"""The recognizer interface that every speech engine implements.

A recognizer takes 16 kHz mono int16 PCM for one channel and returns partial and
final results. Times are seconds on the call clock: the recognizer counts the
samples it has been fed, so the first sample fed is t = 0.
"""

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

SAMPLE_RATE = 16_000


@dataclass(frozen=True, slots=True)
class Word:
    """One recognized word with its start and end in call seconds."""

    text: str
    start: float
    end: float
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class SpeechResult:
    """A partial or final hypothesis for one utterance on one channel.

    ``utterance`` numbers the utterances of a channel from 0; every partial of an
    utterance and its final share the number.
    """

    speaker: str
    utterance: int
    text: str
    is_final: bool
    start: float
    end: float
    words: tuple[Word, ...] = field(default=())


class Recognizer(Protocol):
    """A streaming recognizer for one channel. Not thread-safe: one owner thread."""

    def accept(self, pcm: np.ndarray) -> list[SpeechResult]:
        """Feed 16 kHz mono int16 samples and return the results they completed."""
        ...

    def finish(self) -> list[SpeechResult]:
        """Flush the utterance in progress and return its final result, if any."""
        ...


class SpeechEngine(Protocol):
    """A loaded model that makes one recognizer per channel."""

    name: str
    model_name: str

    def new_recognizer(self, speaker: str) -> Recognizer:
        """Return a recognizer for the channel of ``speaker``."""
        ...
