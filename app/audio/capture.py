"""Live capture of the microphone and the system output with sounddevice."""

import logging
import queue
import threading
import time

import numpy as np
import sounddevice

from app.audio.blocks import AudioBlock
from app.audio.channel import InputChannel, permission_hint
from app.audio.devices import Backend, DeviceChoice
from app.audio.sources import (
    JOIN_TIMEOUT,
    BlockSink,
    SourceStatus,
    StatusKind,
    StatusSink,
)
from app.errors import CuecardError
from app.speech.recognizer import SAMPLE_RATE

log = logging.getLogger(__name__)

# Blocks the callbacks may queue ahead of the pump (with 0.1 s blocks, 5 s).
QUEUE_BLOCKS = 50
# Seconds between the pump's checks of the watchdog, padding and counters.
CHECK_INTERVAL = 0.1
# A stream that delivered before and then goes quiet this long is lost.
WATCHDOG_SECONDS = 1.0
# PulseAudio's first callback arrived about 2 s after start on the test machines.
FIRST_CALLBACK_SECONDS = 5.0
RETRY_SECONDS = 1.0
# A channel this far behind the call clock, with nothing queued, gets silence.
PAD_AFTER_SECONDS = 0.5
DIGITAL_SILENCE_SECONDS = 3.0
OVERFLOW_REPORT_SECONDS = 1.0


class CaptureSource:
    """Capture the rep's microphone and the prospect's loopback device.

    The microphone is ``rep`` and the loopback is ``prospect``. With only one of
    them, its channel is ``mixed``. Both channels count samples on one call
    clock that starts at ``start``: a channel that delivers nothing (a loopback
    while nothing plays, a lost device) is padded with silence. A pump thread
    resamples the queued blocks to 16 kHz, calls ``sink``, runs a watchdog that
    reopens a device that stopped delivering, and reports status changes.
    """

    def __init__(
        self,
        mic: DeviceChoice | None,
        loopback: DeviceChoice | None,
        backend: Backend = sounddevice,
        block_seconds: float = 0.1,
    ) -> None:
        if mic is None and loopback is None:
            raise CuecardError(
                "no audio input device: connect a microphone or headset, "
                "or replay a recording instead"
            )
        self.backend = backend
        self._blocks: queue.Queue[tuple[InputChannel, np.ndarray]] = queue.Queue(
            QUEUE_BLOCKS
        )
        both = mic is not None and loopback is not None
        self.channels: list[InputChannel] = []
        if mic is not None:
            speaker = "rep" if both else "mixed"
            self._add(speaker, mic, "microphone", block_seconds)
        if loopback is not None:
            speaker = "prospect" if both else "mixed"
            self._add(speaker, loopback, "loopback", block_seconds)
        self.speakers = tuple(channel.speaker for channel in self.channels)
        self._stop = threading.Event()
        self._pump: threading.Thread | None = None
        self._started_at = 0.0
        self._on_status: StatusSink = _ignore_status

    def start(self, sink: BlockSink, on_status: StatusSink) -> None:
        """Open the devices and start the pump thread.

        Raises CuecardError, with no stream left open, when a device is missing,
        busy or cannot be opened.
        """
        if self._pump is not None:
            raise RuntimeError("a CaptureSource can be started once")
        try:
            for channel in self.channels:
                channel.open()
        except CuecardError:
            for channel in self.channels:
                channel.close()
            raise
        self._on_status = on_status
        self._started_at = time.monotonic()
        for channel in self.channels:
            warning = channel.low_rate_warning
            if warning:
                log.warning("%s", warning)
            message = warning or f"listening to {channel.label}"
            self._report(StatusKind.STARTED, channel, message)
        self._pump = threading.Thread(
            target=self._run, args=(sink,), name="audio pump", daemon=True
        )
        self._pump.start()

    def stop(self) -> None:
        """Close the streams and join the pump; safe before start and twice."""
        self._stop.set()
        pump = self._pump
        if pump is not None and pump is not threading.current_thread():
            pump.join(JOIN_TIMEOUT)
            if pump.is_alive():
                log.warning("audio pump did not stop within %.0f s", JOIN_TIMEOUT)
        for channel in self.channels:
            channel.close()

    def _add(
        self, speaker: str, choice: DeviceChoice, role: str, block_seconds: float
    ) -> None:
        """Create the channel for one device."""
        self.channels.append(
            InputChannel(
                speaker, choice, role, self.backend, block_seconds, self._blocks
            )
        )

    def _run(self, sink: BlockSink) -> None:
        """Deliver queued blocks and check the channels until stopped."""
        watch = _ChannelWatch(self, sink)
        next_check = time.monotonic()
        reason = "capture stopped"
        try:
            while not self._stop.is_set():
                try:
                    channel, data = self._blocks.get(timeout=CHECK_INTERVAL)
                except queue.Empty:
                    pass
                else:
                    watch.deliver(channel, data)
                now = time.monotonic()
                if now >= next_check:
                    watch.check(now)
                    next_check = now + CHECK_INTERVAL
        except Exception as error:
            log.exception("audio sink failed; stopping the capture")
            reason = f"capture stopped: processing the audio failed ({error})"
            self._report(StatusKind.CALLBACK_ERROR, None, reason)
        for channel in self.channels:
            channel.close()
        self._report(StatusKind.STOPPED, None, reason)

    def _report(
        self,
        kind: StatusKind,
        channel: InputChannel | None,
        message: str,
        count: int = 1,
    ) -> None:
        """Send one status to the owner."""
        speaker = channel.speaker if channel else "+".join(self.speakers)
        self._on_status(SourceStatus(kind, speaker, message, count))

    def call_seconds(self, now: float) -> float:
        """Return the call clock at monotonic time ``now``."""
        return now - self._started_at


class _ChannelWatch:
    """The pump's per-channel bookkeeping: clock, watchdog, faults, counters."""

    def __init__(self, source: CaptureSource, sink: BlockSink) -> None:
        self.source = source
        self.sink = sink
        self.lost: set[InputChannel] = set()
        self.failed: set[InputChannel] = set()
        self.retry_at: dict[InputChannel, float] = {}
        self.silence_reported: set[InputChannel] = set()
        self.overflows_reported = {channel: 0 for channel in source.channels}
        self.overflow_reported_at = {channel: 0.0 for channel in source.channels}

    def deliver(self, channel: InputChannel, data: np.ndarray) -> None:
        """Resample a queued block and pass it to the sink."""
        if channel.resampler is None or channel in self.failed:
            return
        pcm = channel.resampler.process(data)
        if len(pcm) == 0:
            return
        if np.any(pcm):
            channel.zero_run = 0
            self.silence_reported.discard(channel)
        else:
            channel.zero_run += len(pcm)
        self._send(channel, pcm)

    def check(self, now: float) -> None:
        """Run the periodic checks on every channel."""
        for channel in self.source.channels:
            if channel.error is not None and channel not in self.failed:
                self._fail(channel)
            elif channel in self.lost:
                self._retry(channel, now)
            elif channel not in self.failed:
                self._watchdog(channel, now)
            self._pad(channel, now)
            self._count_overflows(channel, now)
            self._check_silence(channel)

    def _send(self, channel: InputChannel, pcm: np.ndarray) -> None:
        """Call the sink with samples that continue the channel's clock."""
        start = channel.emitted / SAMPLE_RATE
        channel.emitted += len(pcm)
        self.sink(AudioBlock(channel.speaker, start, pcm))

    def _fail(self, channel: InputChannel) -> None:
        """Close a stream whose callback raised and report why."""
        log.error(
            "audio callback of %s raised %r; its stream is closed",
            channel.label,
            channel.error,
        )
        channel.close()
        self.failed.add(channel)
        self.source._report(
            StatusKind.CALLBACK_ERROR,
            channel,
            f"{channel.label} stopped after an error in the audio callback "
            f"({channel.error}); the call goes on without it",
        )

    def _watchdog(self, channel: InputChannel, now: float) -> None:
        """Mark a channel lost when its stream stopped delivering."""
        # NOTE: a WASAPI loopback delivers nothing while nothing plays, so on
        # Windows this would need the stream's own state instead of callbacks.
        if channel.last_callback is None:
            quiet, limit = now - channel.opened_at, FIRST_CALLBACK_SECONDS
        else:
            quiet, limit = now - channel.last_callback, WATCHDOG_SECONDS
        if quiet < limit:
            return
        log.warning("%s delivered nothing for %.1f s", channel.label, quiet)
        channel.close()
        self.lost.add(channel)
        self.retry_at[channel] = now
        self.source._report(
            StatusKind.DEVICE_LOST,
            channel,
            f"{channel.label} stopped delivering audio; reconnecting "
            "(the call goes on)",
        )

    def _retry(self, channel: InputChannel, now: float) -> None:
        """Try to reopen a lost device, once per retry interval."""
        if now < self.retry_at[channel]:
            return
        self.retry_at[channel] = now + RETRY_SECONDS
        try:
            # NOTE: the device list is not rescanned here, because that would
            # close the other channel's stream. A device that comes back under
            # a new PortAudio index is found at the next call start.
            channel.open()
        except CuecardError as error:
            log.info("reconnecting %s failed: %s", channel.label, error)
            return
        self.lost.discard(channel)
        self.source._report(
            StatusKind.RECONNECTED, channel, f"{channel.label} reconnected"
        )

    def _pad(self, channel: InputChannel, now: float) -> None:
        """Fill a quiet channel with silence up to one block before the clock."""
        last = channel.last_callback
        if last is not None and now - last < PAD_AFTER_SECONDS:
            return
        behind = self.source.call_seconds(now) - channel.emitted / SAMPLE_RATE
        if behind < PAD_AFTER_SECONDS:
            return
        missing = int((behind - channel.block_seconds) * SAMPLE_RATE)
        self._send(channel, np.zeros(missing, dtype=np.int16))

    def _count_overflows(self, channel: InputChannel, now: float) -> None:
        """Report new overflows, at most once a second per channel."""
        total = channel.overflows
        if total == self.overflows_reported[channel]:
            return
        if now - self.overflow_reported_at[channel] < OVERFLOW_REPORT_SECONDS:
            return
        log.warning("%s: %d blocks lost to input overflow", channel.label, total)
        self.overflows_reported[channel] = total
        self.overflow_reported_at[channel] = now
        self.source._report(
            StatusKind.OVERFLOW,
            channel,
            f"{channel.label}: {total} audio blocks lost because the computer "
            "fell behind",
            count=total,
        )

    def _check_silence(self, channel: InputChannel) -> None:
        """Report a microphone that delivers exact zeros for 3 s."""
        if channel.role != "microphone" or channel in self.silence_reported:
            return
        if channel.zero_run < DIGITAL_SILENCE_SECONDS * SAMPLE_RATE:
            return
        self.silence_reported.add(channel)
        log.warning("%s delivers only zeros", channel.label)
        self.source._report(
            StatusKind.DIGITAL_SILENCE,
            channel,
            f"{channel.label} sends pure digital silence, which usually means "
            f"the app may not use it: {permission_hint()}",
        )


def _ignore_status(status: SourceStatus) -> None:
    """Drop a status reported before start."""
