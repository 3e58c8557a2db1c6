"""The capture pump's per-channel checks: clock, watchdog, reconnection, faults."""

import logging
import time
from typing import TYPE_CHECKING

import numpy as np

from app.audio.blocks import AudioBlock
from app.audio.channel import InputChannel, permission_hint
from app.audio.devices import refresh_devices
from app.audio.probe import DeviceProbe
from app.audio.sources import BlockSink, StatusKind
from app.errors import CuecardError
from app.speech.recognizer import SAMPLE_RATE

if TYPE_CHECKING:
    from app.audio.capture import CaptureSource

log = logging.getLogger(__name__)

# A stream that delivered before and then goes quiet this long is lost.
WATCHDOG_SECONDS = 1.0
# PulseAudio's first callback arrived about 2 s after start on the test machines.
FIRST_CALLBACK_SECONDS = 5.0
RETRY_SECONDS = 1.0
# A channel this far behind the call clock, with nothing queued, gets silence.
PAD_AFTER_SECONDS = 0.5
DIGITAL_SILENCE_SECONDS = 3.0
OVERFLOW_REPORT_SECONDS = 1.0


class ChannelWatch:
    """The pump's per-channel bookkeeping: clock, watchdog, faults, counters.

    Runs on the pump thread only.
    """

    def __init__(
        self,
        source: "CaptureSource",
        sink: BlockSink,
        probes: dict[InputChannel, DeviceProbe],
    ) -> None:
        self.source = source
        self.sink = sink
        self.lost: set[InputChannel] = set()
        self.failed: set[InputChannel] = set()
        self.retry_at: dict[InputChannel, float] = {}
        self.probes = probes
        # Loopback channels whose device is connected but sends no callbacks.
        self.quiet: set[InputChannel] = set()
        self.silence_reported: set[InputChannel] = set()
        self.overflows_reported = {channel: 0 for channel in source.channels}
        self.overflow_reported_at = {channel: 0.0 for channel in source.channels}

    def deliver(self, channel: InputChannel, data: np.ndarray) -> None:
        """Resample a queued block and pass it to the sink."""
        if channel.resampler is None or channel in self.failed:
            return
        if channel in self.quiet:
            self.quiet.discard(channel)
            log.info("%s delivers audio again", channel.label)
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
        self.source.report(
            StatusKind.CALLBACK_ERROR,
            channel,
            f"{channel.label} stopped after an error in the audio callback "
            f"({channel.error}); the call goes on without it",
        )

    def _watchdog(self, channel: InputChannel, now: float) -> None:
        """Mark a channel lost when its stream stopped delivering.

        A loopback gets no callbacks while nothing plays (WASAPI loopback), so
        a quiet loopback counts as lost only when its stream stopped or a fresh
        device scan no longer lists it. Meanwhile padding keeps its clock.
        """
        if channel.last_callback is None:
            quiet, limit = now - channel.opened_at, FIRST_CALLBACK_SECONDS
        else:
            quiet, limit = now - channel.last_callback, WATCHDOG_SECONDS
        if quiet < limit:
            return
        if channel.role == "loopback" and self._connected(channel):
            if channel not in self.quiet:
                self.quiet.add(channel)
                log.info("%s is quiet but connected: padding silence", channel.label)
            return
        self.quiet.discard(channel)
        log.warning("%s delivered nothing for %.1f s", channel.label, quiet)
        self._lose(channel, now)

    def _connected(self, channel: InputChannel) -> bool:
        """Return whether a quiet channel's stream runs and its device is listed."""
        if not channel.stream_active():
            return False
        return self.probes[channel].listed(channel.choice) is not False

    def _lose(self, channel: InputChannel, now: float) -> None:
        """Close a channel's stream and report it lost until it reopens."""
        channel.close()
        self.lost.add(channel)
        self.retry_at[channel] = now
        self.source.report(
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
        if not self._reopen(channel, now):
            return
        self.lost.discard(channel)
        self.source.report(
            StatusKind.RECONNECTED, channel, f"{channel.label} reconnected"
        )

    def _reopen(self, channel: InputChannel, now: float) -> bool:
        """Reopen a lost channel by name and host API; return whether it opened.

        The device may have come back under a new index, which PortAudio shows
        only after a rescan, and a rescan closes every stream of that PortAudio.
        So a rescan runs at once when no other stream shares it, and otherwise
        only once a scan in a child process lists the device again. The streams
        it closes reopen at once, and their gap is filled with silence.
        """
        if _try_open(channel):
            return True
        sharing = [
            other
            for other in self.source.channels
            if other is not channel
            and other.backend is channel.backend
            and other.stream is not None
        ]
        if sharing and self.probes[channel].listed(channel.choice) is not True:
            return False
        log.info(
            "rescanning audio devices for %s, pausing %d other stream(s)",
            channel.label,
            len(sharing),
        )
        closed_at = time.monotonic()
        for other in sharing:
            other.close()
        refresh_devices(channel.backend)
        for other in sharing:
            if _try_open(other):
                paused = time.monotonic() - closed_at
                self._send_silence(other, int(paused * SAMPLE_RATE))
            else:
                self._lose(other, now)
        return _try_open(channel)

    def _pad(self, channel: InputChannel, now: float) -> None:
        """Fill a quiet channel with silence up to one block before the clock."""
        last = channel.last_callback
        if last is not None and now - last < PAD_AFTER_SECONDS:
            return
        behind = self.source.call_seconds(now) - channel.emitted / SAMPLE_RATE
        if behind < PAD_AFTER_SECONDS:
            return
        missing = int((behind - channel.block_seconds) * SAMPLE_RATE)
        self._send_silence(channel, missing)

    def _send_silence(self, channel: InputChannel, samples: int) -> None:
        """Send ``samples`` of padding, counted apart from captured audio."""
        channel.padded += samples
        self._send(channel, np.zeros(samples, dtype=np.int16))

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
        self.source.report(
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
        self.source.report(
            StatusKind.DIGITAL_SILENCE,
            channel,
            f"{channel.label} sends pure digital silence, which usually means "
            f"the app may not use it: {permission_hint()}",
        )


def _try_open(channel: InputChannel) -> bool:
    """Open a channel's stream; return False when the device cannot be opened."""
    try:
        channel.open()
    except CuecardError as error:
        log.info("reopening %s failed: %s", channel.label, error)
        return False
    return True
