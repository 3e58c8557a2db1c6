"""A sounddevice stand-in for faults no real device produces on demand.

It has the subset of the sounddevice API the audio layer uses. Each stream
runs a thread that calls the callback with a 440 Hz tone, and the test can
make the device vanish, overflow or hand the callback a broken block.

Like PortAudio, the fake lists the devices it saw at its last initialization
(``_initialize``), while ``devices`` is what is plugged in now. A stream on a
device that is unplugged stays active but calls back no more, and opening a
stale index whose device is gone fails.
"""

import threading
from types import SimpleNamespace
from typing import Any

import numpy as np

from app.audio.devices import DeviceChoice


class PortAudioError(Exception):
    """The fake's PortAudio error."""


class CallbackAbort(Exception):
    """Raised by a callback to abort its stream, as in sounddevice."""


class BrokenBlock:
    """A block whose copy fails, to raise inside the capture callback."""

    def copy(self) -> np.ndarray:
        raise MemoryError("cannot copy the input block")


class FakeBackend:
    """Devices and streams whose faults a test switches on."""

    def __init__(self, devices: list[dict[str, Any]] | None = None) -> None:
        self.devices = devices if devices is not None else [microphone("USB Mic")]
        self.listed = list(self.devices)
        self.default = SimpleNamespace(device=[0, -1])
        # Devices whose streams stay active but call back no more.
        self.quiet: set[str] = set()
        # Streams that _terminate found open: PortAudio would have closed them.
        self.streams_killed_by_rescan = 0
        self.rescans = 0
        self.busy = False
        self.vanished = threading.Event()
        self.overflow = False
        self.broken = False
        self.streams: list[FakeStream] = []
        self.PortAudioError = PortAudioError
        self.CallbackAbort = CallbackAbort

    def query_hostapis(self) -> list[dict[str, Any]]:
        return [{"name": "ALSA"}, {"name": "MME"}, {"name": "Windows WASAPI"}]

    def query_devices(self) -> list[dict[str, Any]]:
        return self.listed

    def _initialize(self) -> None:
        self.listed = list(self.devices)
        self.rescans += 1

    def _terminate(self) -> None:
        for stream in self.streams:
            if stream.active:
                self.streams_killed_by_rescan += 1
                stream.abort()

    def present(self, entry: dict[str, Any]) -> bool:
        """Return whether this very entry is plugged in; a replugged one is new."""
        return any(device is entry for device in self.devices)

    def unplug(self, name: str) -> None:
        self.devices = [device for device in self.devices if device["name"] != name]

    def plug(self, device: dict[str, Any], position: int = 0) -> None:
        """Plug in a copy of ``device``, so stale PortAudio entries stay invalid."""
        entry = dict(device)
        self.devices = [*self.devices[:position], entry, *self.devices[position:]]

    def fresh_choices(self, backend: Any = None) -> list[DeviceChoice]:
        """Return what a scan in a child process would list (the probe's job)."""
        hostapis = [api["name"] for api in self.query_hostapis()]
        return [
            DeviceChoice(device["name"], hostapis[device["hostapi"]])
            for device in self.devices
            if device["max_input_channels"] > 0
        ]

    def InputStream(self, **settings: Any) -> "FakeStream":  # noqa: N802
        if self.busy:
            raise PortAudioError(
                "Error opening InputStream: Device unavailable [PaErrorCode -9985]"
            )
        entry = self.listed[settings["device"]]
        if not self.present(entry):
            raise PortAudioError("Invalid device [PaErrorCode -9996]")
        stream = FakeStream(self, entry, **settings)
        self.streams.append(stream)
        return stream


class FakeStream:
    """A stream that calls back every block until stopped or vanished."""

    def __init__(
        self,
        backend: FakeBackend,
        entry: dict[str, Any],
        device: int,
        samplerate: int,
        channels: int,
        dtype: str,
        blocksize: int,
        callback: Any,
    ) -> None:
        self.backend = backend
        self.entry = entry
        self.name = entry["name"]
        self.device = device
        self.samplerate = samplerate
        self.channels = channels
        self.blocksize = blocksize
        self.callback = callback
        self.stopped = threading.Event()
        self.aborted_by_callback = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def active(self) -> bool:
        return self.thread.is_alive() and not self.stopped.is_set()

    def start(self) -> None:
        self.thread.start()

    def abort(self) -> None:
        self.stopped.set()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(2)

    def _run(self) -> None:
        period = self.blocksize / self.samplerate
        sent = 0
        while not self.stopped.wait(period):
            if self.backend.vanished.is_set():
                continue
            if self.name in self.backend.quiet or not self.backend.present(self.entry):
                continue
            t = (sent + np.arange(self.blocksize)) / self.samplerate
            tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            block: Any = np.repeat(tone[:, None], self.channels, axis=1)
            if self.backend.broken:
                block = BrokenBlock()
            status = SimpleNamespace(input_overflow=self.backend.overflow)
            try:
                self.callback(block, self.blocksize, None, status)
            except CallbackAbort:
                self.aborted_by_callback = True
                return
            sent += self.blocksize


def microphone(
    name: str, hostapi: int = 0, rate: float = 48_000, channels: int = 1
) -> dict[str, Any]:
    """Return a sounddevice-style input device entry."""
    return {
        "name": name,
        "hostapi": hostapi,
        "max_input_channels": channels,
        "max_output_channels": 0,
        "default_samplerate": rate,
    }
