"""The audio source interface, its status reports, and WAV replay."""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from app.audio.blocks import AudioBlock
from app.audio.wavfile import CallAudio
from app.speech.recognizer import SAMPLE_RATE

if TYPE_CHECKING:
    from app.audio.capture import CaptureSource

log = logging.getLogger(__name__)

# Seconds stop() waits for a worker thread. A sink blocked for longer is logged.
JOIN_TIMEOUT = 5.0


class StatusKind(StrEnum):
    """Kind of source event. Members compare equal to their plain string values."""

    STARTED = "started"
    OVERFLOW = "overflow"
    DEVICE_LOST = "device-lost"
    RECONNECTED = "reconnected"
    DIGITAL_SILENCE = "digital-silence"
    CALLBACK_ERROR = "callback-error"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """An event of a source, with one plain line the window can show.

    ``count`` is the running total for repeating events (overflows), else 1.
    """

    kind: StatusKind
    speaker: str
    message: str
    count: int = 1


BlockSink = Callable[[AudioBlock], None]
StatusSink = Callable[[SourceStatus], None]


class AudioSource(Protocol):
    """Something that delivers AudioBlocks for one or two speakers."""

    speakers: tuple[str, ...]

    def start(self, sink: BlockSink, on_status: StatusSink) -> None:
        """Begin delivering blocks to ``sink`` from a worker thread."""
        ...

    def stop(self) -> None:
        """Stop delivering and join the workers. Calling it twice is safe."""
        ...


class WavReplaySource:
    """Play a loaded recording as blocks, in real time or as fast as possible.

    One thread calls ``sink`` for every speaker's block in time order. With
    ``realtime`` a block is delivered when the wall clock reaches its end, like a
    live stream. Otherwise blocks go out as fast as ``sink`` returns, so a sink
    that blocks applies back-pressure and loses nothing.
    """

    def __init__(
        self, audio: CallAudio, realtime: bool, block_seconds: float = 0.1
    ) -> None:
        if block_seconds <= 0:
            raise ValueError(f"invalid block length {block_seconds} s")
        self.audio = audio
        self.realtime = realtime
        self.block_samples = max(1, round(block_seconds * SAMPLE_RATE))
        self.speakers = audio.speakers
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: BlockSink, on_status: StatusSink) -> None:
        """Start the replay thread. Raises RuntimeError when already started."""
        if self._thread is not None:
            raise RuntimeError("a WavReplaySource can be started once")
        self._thread = threading.Thread(
            target=self._run,
            args=(sink, on_status),
            name=f"replay {self.audio.path.name}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop the replay and join its thread. Safe before start and when repeated."""
        self._stop.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return
        thread.join(JOIN_TIMEOUT)
        if thread.is_alive():
            log.warning(
                "replay of %s did not stop within %.0f s: its sink is blocked",
                self.audio.path,
                JOIN_TIMEOUT,
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the replay to end; return True when it has ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self, sink: BlockSink, on_status: StatusSink) -> None:
        """Deliver every block, then report why the replay stopped."""
        everyone = "+".join(self.speakers)
        on_status(
            SourceStatus(StatusKind.STARTED, everyone, f"replaying {self.audio.path}")
        )
        try:
            finished = self._deliver(sink)
        except Exception as error:
            log.exception("sink failed during replay of %s", self.audio.path)
            on_status(
                SourceStatus(
                    StatusKind.CALLBACK_ERROR,
                    everyone,
                    f"replay stopped: processing the audio failed ({error})",
                )
            )
            finished = False
        message = "end of recording" if finished else "replay stopped"
        on_status(SourceStatus(StatusKind.STOPPED, everyone, message))

    def _deliver(self, sink: BlockSink) -> bool:
        """Send blocks until the end or a stop; return True at the end."""
        total = len(next(iter(self.audio.channels.values())))
        began = time.monotonic()
        for offset in range(0, total, self.block_samples):
            end = min(offset + self.block_samples, total)
            if self.realtime:
                delay = began + end / SAMPLE_RATE - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return False
            if self._stop.is_set():
                return False
            for speaker, pcm in self.audio.channels.items():
                sink(AudioBlock(speaker, offset / SAMPLE_RATE, pcm[offset:end]))
        return True


def __getattr__(name: str) -> Any:
    """Import CaptureSource on first use, because capture.py imports this module."""
    if name == "CaptureSource":
        from app.audio.capture import CaptureSource

        return CaptureSource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioSource",
    "BlockSink",
    "CaptureSource",
    "SourceStatus",
    "StatusKind",
    "StatusSink",
    "WavReplaySource",
]
