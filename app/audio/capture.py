"""Live capture of the microphone and the system output.

sounddevice opens the devices, except a Windows WASAPI loopback, which
PyAudioWPatch opens (see wasapi_loopback.py).
"""

import logging
import queue
import threading
import time

import numpy as np
import sounddevice

from app.audio.channel import InputChannel
from app.audio.devices import Backend, DeviceChoice
from app.audio.probe import DeviceProbe, ListDevices, scan_in_subprocess
from app.audio.sources import (
    JOIN_TIMEOUT,
    BlockSink,
    SourceStatus,
    StatusKind,
    StatusSink,
)
from app.audio.wasapi_loopback import backend_for_loopback
from app.audio.watchdog import ChannelWatch
from app.errors import CuecardError
from app.speech.recognizer import SAMPLE_RATE

log = logging.getLogger(__name__)

# Blocks the callbacks may queue ahead of the pump (with 0.1 s blocks, 5 s).
QUEUE_BLOCKS = 50
# Seconds between the pump's checks of the watchdog, padding and counters.
CHECK_INTERVAL = 0.1


class CaptureSource:
    """Capture the rep's microphone and the prospect's loopback device.

    The microphone is ``rep`` and the loopback is ``prospect``. With only one of
    them, its channel is ``mixed``. Both channels count samples on one call
    clock that starts at ``start``: a channel that delivers nothing (a loopback
    while nothing plays, a lost device) is padded with silence. A pump thread
    resamples the queued blocks to 16 kHz, calls ``sink``, runs a watchdog that
    reopens a device that stopped delivering, and reports status changes.

    ``backend`` opens the devices (sounddevice, or a stand-in in tests).
    ``loopback_backend`` opens the loopback; by default it is ``backend``,
    except for a WASAPI loopback, which only PyAudioWPatch can open.
    ``list_devices`` returns a fresh device list for a backend without
    rescanning it; the watchdog and reconnection use it.
    """

    def __init__(
        self,
        mic: DeviceChoice | None,
        loopback: DeviceChoice | None,
        backend: Backend = sounddevice,
        block_seconds: float = 0.1,
        loopback_backend: Backend | None = None,
        list_devices: ListDevices = scan_in_subprocess,
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
            self._add(speaker, mic, "microphone", backend, block_seconds)
        if loopback is not None:
            speaker = "prospect" if both else "mixed"
            if loopback_backend is None:
                loopback_backend = backend_for_loopback(loopback, backend)
            self._add(speaker, loopback, "loopback", loopback_backend, block_seconds)
        self.speakers = tuple(channel.speaker for channel in self.channels)
        self.probes = {
            channel: DeviceProbe(list_devices, channel.backend)
            for channel in self.channels
        }
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
            self.report(StatusKind.STARTED, channel, message)
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
        self,
        speaker: str,
        choice: DeviceChoice,
        role: str,
        backend: Backend,
        block_seconds: float,
    ) -> None:
        """Create the channel for one device."""
        self.channels.append(
            InputChannel(speaker, choice, role, backend, block_seconds, self._blocks)
        )

    def _run(self, sink: BlockSink) -> None:
        """Deliver queued blocks and check the channels until stopped."""
        watch = ChannelWatch(self, sink, self.probes)
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
            self.report(StatusKind.CALLBACK_ERROR, None, reason)
        for channel in self.channels:
            channel.close()
        self._log_clock(time.monotonic())
        self.report(StatusKind.STOPPED, None, reason)

    def report(
        self,
        kind: StatusKind,
        channel: InputChannel | None,
        message: str,
        count: int = 1,
    ) -> None:
        """Send one status to the owner; ``channel`` None means all channels."""
        speaker = channel.speaker if channel else "+".join(self.speakers)
        self._on_status(SourceStatus(kind, speaker, message, count))

    def call_seconds(self, now: float) -> float:
        """Return the call clock at monotonic time ``now``."""
        return now - self._started_at

    def clock_offsets(self, now: float) -> dict[str, float]:
        """Return how far each speaker's delivered audio runs ahead of the clock.

        In seconds at monotonic time ``now``; negative means behind. The offset
        includes the capture latency, so only its change during a call shows a
        device clock that drifts from the computer's.
        """
        call_time = self.call_seconds(now)
        return {
            channel.speaker: channel.emitted / SAMPLE_RATE - call_time
            for channel in self.channels
        }

    def _log_clock(self, now: float) -> None:
        """Log each channel's clock offset and padding when the capture ends."""
        offsets = self.clock_offsets(now)
        for channel in self.channels:
            log.info(
                "%s after %.1f s: %+.3f s from the call clock, %.1f s padded",
                channel.label,
                self.call_seconds(now),
                offsets[channel.speaker],
                channel.padded / SAMPLE_RATE,
            )


def _ignore_status(status: SourceStatus) -> None:
    """Drop a status reported before start."""
