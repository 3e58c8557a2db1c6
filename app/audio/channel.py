"""One input stream of a live capture: its device, callback and counters."""

import logging
import queue
import sys
import time
from typing import Any

import numpy as np

from app.audio.devices import Backend, DeviceChoice, DeviceInfo, resolve_device
from app.audio.resample import StreamResampler
from app.errors import CuecardError

log = logging.getLogger(__name__)

# Rates to try, after the device's own, when a device rejects a rate.
FALLBACK_RATES = (48_000, 44_100, 16_000, 8_000)

# Below this rate speech loses the consonant band that recognizers rely on.
LOW_RATE = 16_000

PERMISSION_HINTS = {
    "linux": "check that the input is not muted (pavucontrol, Input Devices) and, "
    "in a Flatpak or Snap, that the app may use audio input",
    "darwin": "allow Cuecard in System Settings > Privacy & Security > Microphone, "
    "then restart it",
    "win32": "turn on Settings > Privacy & security > Microphone > "
    "Let desktop apps access your microphone",
}


def permission_hint() -> str:
    """Return how to let this app use the microphone on the running OS."""
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    return PERMISSION_HINTS.get(platform, PERMISSION_HINTS["linux"])


class InputChannel:
    """A device stream for one speaker, fed by the PortAudio callback.

    The callback runs on PortAudio's thread and only copies the block into the
    shared bounded queue. Everything else runs on the capture's pump thread.
    """

    def __init__(
        self,
        speaker: str,
        choice: DeviceChoice,
        role: str,
        backend: Backend,
        block_seconds: float,
        blocks: "queue.Queue[tuple[InputChannel, np.ndarray]]",
    ) -> None:
        self.speaker = speaker
        self.choice = choice
        self.role = role
        self.backend = backend
        self.block_seconds = block_seconds
        self.blocks = blocks
        self.device: DeviceInfo | None = None
        self.rate = 0
        self.stream: Any = None
        self.resampler: StreamResampler | None = None
        self.opened_at = 0.0
        self.last_callback: float | None = None
        self.error: BaseException | None = None
        # Blocks lost: PortAudio input overflows plus blocks the full queue dropped.
        self.overflows = 0
        # Samples sent to the sink at 16 kHz, silence padding included.
        self.emitted = 0
        # Samples of silence sent in place of audio the device did not deliver.
        self.padded = 0
        self.zero_run = 0

    @property
    def label(self) -> str:
        """The role and device name, for messages."""
        return f"{self.role} {self.choice.name}"

    def open(self) -> None:
        """Resolve the device and start its stream at a rate it supports.

        Raises CuecardError when the device is missing, busy or cannot be opened.
        """
        device = resolve_device(self.choice, self.backend)
        channels = min(device.max_input_channels, 2)
        if getattr(self.backend, "OPENS_ALL_CHANNELS", False):
            channels = device.max_input_channels
        rate = self._supported_rate(device, channels)
        blocksize = max(1, round(self.block_seconds * rate))
        self.error = None
        self.last_callback = None
        try:
            stream = self.backend.InputStream(
                device=device.index,
                samplerate=rate,
                channels=channels,
                dtype="float32",
                blocksize=blocksize,
                callback=self._callback,
            )
            stream.start()
        except self.backend.PortAudioError as error:
            log.info("cannot open %s at %d Hz: %s", self.label, rate, error)
            raise CuecardError(self._open_error(error)) from error
        if self.resampler is None or self.rate != rate:
            self.resampler = StreamResampler(rate, channels)
        self.device = device
        self.rate = rate
        self.stream = stream
        self.opened_at = time.monotonic()
        log.info(
            "opened %s (%s) at %d Hz, %d channels, for %s",
            self.label,
            device.hostapi,
            rate,
            channels,
            self.speaker,
        )

    def close(self) -> None:
        """Abort and close the stream; safe when it is already closed."""
        stream, self.stream = self.stream, None
        if stream is None:
            return
        try:
            stream.abort()
            stream.close()
        except self.backend.PortAudioError as error:
            log.info("closing %s failed: %s", self.label, error)

    def stream_active(self) -> bool:
        """Return whether the stream is open and PortAudio still runs it."""
        if self.stream is None:
            return False
        try:
            return bool(self.stream.active)
        except self.backend.PortAudioError as error:
            log.info("cannot read the state of %s: %s", self.label, error)
            return False

    @property
    def low_rate_warning(self) -> str | None:
        """A warning when the device runs below 16 kHz, else None."""
        if self.rate >= LOW_RATE:
            return None
        return (
            f"{self.label} runs at {self.rate} Hz (a Bluetooth hands-free headset?), "
            "so recognition will be less accurate; a wired or USB headset helps"
        )

    def _callback(
        self, indata: np.ndarray, frames: int, time_info: Any, status: Any
    ) -> None:
        """Copy one block into the queue; runs on PortAudio's thread."""
        try:
            self.last_callback = time.monotonic()
            if status.input_overflow:
                self.overflows += 1
            try:
                self.blocks.put_nowait((self, indata.copy()))
            except queue.Full:
                self.overflows += 1
        except Exception as error:
            # Stop this stream cleanly; the pump reports the error and logs it.
            self.error = error
            raise self.backend.CallbackAbort from error

    def _supported_rate(self, device: DeviceInfo, channels: int) -> int:
        """Return the device's own rate, or the first fallback it accepts."""
        rates = [int(device.default_samplerate), *FALLBACK_RATES]
        check = getattr(self.backend, "check_input_settings", None)
        if check is None:
            return rates[0]
        for rate in rates:
            try:
                check(device=device.index, channels=channels, samplerate=rate)
            except self.backend.PortAudioError as error:
                log.info("%s rejects %d Hz: %s", self.label, rate, error)
                continue
            return rate
        raise CuecardError(
            f"{self.label} accepts none of the rates {rates}: pick another device"
        )

    def _open_error(self, error: Exception) -> str:
        """Return the one-line message for a stream that failed to open."""
        text = str(error)
        if "unavailable" in text.lower() or "busy" in text.lower():
            return (
                f"{self.label} is busy in another app: close that app's use of it "
                "or pick another device (Cuecard never takes it over)"
            )
        return f"cannot open {self.label} ({text}): pick another device"
