"""Threads that carry a call from an audio source to coaching events.

    source thread ──► one queue and worker per channel (owns its recognizer)
                  ──► results queue ──► session worker ──► on_event, recorder

The source's sink only puts blocks on the channel queues. Each recognizer worker
is the only thread that touches its recognizer. The session worker is the only
thread that touches the session and the recorder, so neither needs a lock.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.audio.blocks import AudioBlock
from app.audio.sources import AudioSource, SourceStatus, StatusKind
from app.coaching.events import CallSummary, CoachEvent, SourceProblem
from app.coaching.recorder import CallRecorder
from app.coaching.session import CallSession
from app.speech.recognizer import SpeechEngine, SpeechResult

log = logging.getLogger(__name__)

# 30 s of 0.1 s blocks per channel. A live source that outruns its recognizer
# for longer than that drops blocks (counted and reported) instead of stalling
# the audio callback. A replay waits instead, on a queue that keeps the channels
# within about five seconds of each other: shorter couples the two recognizers so
# tightly that Vosk lost 30% of its throughput, longer scatters the timeline.
LIVE_QUEUE_BLOCKS = 300
REPLAY_QUEUE_BLOCKS = 50
JOIN_TIMEOUT_SECONDS = 10.0
_END = None


@dataclass(frozen=True, slots=True)
class _SourceEnded:
    reason: str


class CallPipeline:
    """Runs one call: start(), then stop() or wait_until_done()."""

    def __init__(
        self,
        engine: SpeechEngine,
        session: CallSession,
        source: AudioSource,
        on_event: Callable[[CoachEvent], None],
        recorder: CallRecorder | None = None,
        live: bool = True,
    ) -> None:
        self.engine = engine
        self.session = session
        self.source = source
        self.recorder = recorder
        self._on_event = on_event
        self._live = live
        self._channels: dict[str, queue.Queue[AudioBlock | None]] = {}
        self._results: queue.Queue[SpeechResult | SourceStatus | _SourceEnded | None]
        self._results = queue.Queue()
        self._workers: list[threading.Thread] = []
        self._session_thread: threading.Thread | None = None
        self._source_done = threading.Event()
        self._stopped = threading.Event()
        self._stop_lock = threading.Lock()
        self._dropped_blocks = 0
        self._started_at = 0.0
        self._audio_end = 0.0
        self.summary: CallSummary | None = None

    def start(self) -> None:
        """Create the recognizers and workers, then start the source."""
        self._started_at = time.monotonic()
        for speaker in self.source.speakers:
            recognizer = self.engine.new_recognizer(speaker)
            size = LIVE_QUEUE_BLOCKS if self._live else REPLAY_QUEUE_BLOCKS
            channel: queue.Queue[AudioBlock | None] = queue.Queue(size)
            self._channels[speaker] = channel
            worker = threading.Thread(
                target=self._recognize,
                args=(speaker, recognizer, channel),
                name=f"recognizer-{speaker}",
                daemon=True,
            )
            self._workers.append(worker)
            worker.start()
        self._session_thread = threading.Thread(
            target=self._run_session, name="coaching-session", daemon=True
        )
        self._session_thread.start()
        self.source.start(self._accept_block, self._accept_status)

    def wait_until_done(self, timeout: float | None = None) -> bool:
        """Wait for the source to run out (a replay); return True when it has."""
        return self._source_done.wait(timeout)

    def stop(self) -> CallSummary:
        """Stop the source, drain every worker and return the call's summary.

        Safe to call twice and from any thread but the pipeline's own.
        """
        with self._stop_lock:
            if self.summary is not None:
                return self.summary
            self.source.stop()
            for channel in self._channels.values():
                channel.put(_END)
            for worker in self._workers:
                worker.join(JOIN_TIMEOUT_SECONDS)
                if worker.is_alive():
                    log.error("worker %s did not stop in time", worker.name)
            self._results.put(_END)
            if self._session_thread is not None:
                self._session_thread.join(JOIN_TIMEOUT_SECONDS)
            duration = max(self._audio_end, self.session.clock)
            summary = self.session.summary(
                self.engine.name, self.engine.model_name, duration
            )
            if self._dropped_blocks:
                summary.extra["dropped_blocks"] = self._dropped_blocks
            if self.recorder is not None:
                summary = self.recorder.finish(summary)
            self.summary = summary
            log.info(
                "call ended after %.1f s of audio, %d cards standing",
                duration,
                len(summary.cards),
            )
            return summary

    def _accept_block(self, block: AudioBlock) -> None:
        self._audio_end = max(self._audio_end, block.end)
        channel = self._channels[block.speaker]
        if not self._live:
            channel.put(block)
            return
        try:
            channel.put_nowait(block)
        except queue.Full:
            self._dropped_blocks += 1
            if self._dropped_blocks % 50 == 1:
                log.warning(
                    "recognizer for %s is behind: %d blocks dropped",
                    block.speaker,
                    self._dropped_blocks,
                )

    def _accept_status(self, status: SourceStatus) -> None:
        log.info(
            "audio source: %s (%s) %s", status.kind, status.speaker, status.message
        )
        if status.kind == StatusKind.STOPPED:
            self._results.put(_SourceEnded(status.message))
        elif status.kind != StatusKind.STARTED:
            self._results.put(status)

    def _recognize(
        self, speaker: str, recognizer, channel: queue.Queue[AudioBlock | None]
    ) -> None:
        try:
            while True:
                block = channel.get()
                if block is _END:
                    results = recognizer.finish()
                else:
                    results = recognizer.accept(block.pcm)
                for result in results:
                    self._results.put(result)
                if block is _END:
                    return
        except Exception:
            log.exception("recognizer for %s failed; its channel is lost", speaker)
            self._results.put(
                SourceStatus(
                    StatusKind.CALLBACK_ERROR,
                    speaker,
                    f"speech recognition for the {speaker} stopped; see the log",
                )
            )

    def _run_session(self) -> None:
        while True:
            try:
                item = self._results.get(timeout=0.5)
            except queue.Empty:
                if self._live:
                    self._emit_all(
                        self.session.tick(time.monotonic() - self._started_at)
                    )
                continue
            if item is _END:
                return
            try:
                self._handle(item)
            except Exception:
                log.exception("coaching session failed on %r", item)

    def _handle(self, item: SpeechResult | SourceStatus | _SourceEnded) -> None:
        if isinstance(item, _SourceEnded):
            # Finishing the recognizers needs stop(); a replay's caller does that
            # after wait_until_done(), so flag the end here.
            self._source_done.set()
            return
        if isinstance(item, SourceStatus):
            self._emit_all([SourceProblem(str(item.kind), item.speaker, item.message)])
            return
        self._emit_all(self.session.on_result(item))

    def _emit_all(self, events: list[CoachEvent]) -> None:
        for event in events:
            if self.recorder is not None:
                self.recorder.record(event)
            try:
                self._on_event(event)
            except Exception:
                log.exception("event handler failed on %s", type(event).__name__)
