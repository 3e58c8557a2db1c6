"""Energy-based utterance segmentation for engines that do not endpoint themselves.

Whisper decodes windows, not streams, so something must find where an utterance
starts and ends. This detector tracks the channel's noise floor and calls a frame
speech when it is well above that floor. An utterance ends after a stretch of
non-speech (the hangover) or when it reaches the maximum length.
"""

from dataclasses import dataclass

import numpy as np

from app.speech.recognizer import SAMPLE_RATE

FRAME = SAMPLE_RATE // 50  # 20 ms
_SILENCE_DB = -90.0


@dataclass(frozen=True, slots=True)
class EndpointSettings:
    """Thresholds in dB and durations in seconds."""

    above_floor_db: float = 10.0
    min_speech_db: float = -50.0
    start_frames: int = 4
    hangover: float = 0.5
    max_utterance: float = 15.0


class Endpointer:
    """Turns a stream of 20 ms frames into utterance start and end sample indexes."""

    def __init__(self, settings: EndpointSettings | None = None) -> None:
        self.settings = settings or EndpointSettings()
        self._floor_db: float | None = None
        self._in_speech = False
        self._run = 0
        self._quiet_frames = 0
        self._start = 0
        self._frames_seen = 0

    @property
    def in_speech(self) -> bool:
        """Whether an utterance is in progress."""
        return self._in_speech

    def update(self, frame: np.ndarray) -> tuple[int | None, int | None]:
        """Feed one 20 ms float32 frame and return (start, end) sample indexes.

        Either value is None unless an utterance started or ended at this frame.
        The start is placed a few frames back, where the rise began.
        """
        level = _frame_db(frame)
        index = self._frames_seen * FRAME
        self._frames_seen += 1
        floor = self._track_floor(level)
        threshold = max(
            floor + self.settings.above_floor_db, self.settings.min_speech_db
        )
        loud = level > threshold
        if not self._in_speech:
            self._run = self._run + 1 if loud else 0
            if self._run >= self.settings.start_frames:
                self._in_speech = True
                self._quiet_frames = 0
                self._start = max(0, index - (self._run + 5) * FRAME)
                return self._start, None
            return None, None

        self._quiet_frames = 0 if loud else self._quiet_frames + 1
        length = index + FRAME - self._start
        too_long = length >= self.settings.max_utterance * SAMPLE_RATE
        quiet_long = self._quiet_frames * FRAME >= self.settings.hangover * SAMPLE_RATE
        if quiet_long or too_long:
            self._in_speech = False
            self._run = 0
            return None, index + FRAME
        return None, None

    def _track_floor(self, level: float) -> float:
        # The first frame sets the floor. It drops at once to a quieter frame and
        # creeps up 0.02 dB a frame (1 dB/s), so speech cannot drag it up within
        # an utterance.
        if self._floor_db is None or level < self._floor_db:
            self._floor_db = level
        elif not self._in_speech:
            self._floor_db += 0.02
        return self._floor_db


def _frame_db(frame: np.ndarray) -> float:
    power = float(np.mean(np.square(frame, dtype=np.float64)))
    if power <= 0.0:
        return _SILENCE_DB
    return max(_SILENCE_DB, 10.0 * np.log10(power))


class FrameSplitter:
    """Cuts int16 blocks of any length into float32 frames of FRAME samples.

    Samples that do not fill a frame are kept for the next block.
    """

    def __init__(self) -> None:
        self._rest = np.zeros(0, dtype=np.float32)

    def split(self, pcm: np.ndarray) -> list[np.ndarray]:
        """Return the whole frames that ``pcm`` completes, scaled to [-1, 1)."""
        audio = np.concatenate([self._rest, pcm.astype(np.float32) / 32768.0])
        usable = len(audio) - len(audio) % FRAME
        self._rest = audio[usable:]
        return [audio[offset : offset + FRAME] for offset in range(0, usable, FRAME)]
