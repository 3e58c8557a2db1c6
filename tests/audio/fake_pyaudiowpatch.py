"""A stand-in for the pyaudiowpatch module, which installs only on Windows.

It has the subset of the PyAudioWPatch API that app.audio.wasapi_loopback
calls, with the constant names and dict keys of PyAudioWPatch 0.2.12. Each
open stream runs a thread that passes float32 bytes of a 440 Hz tone to the
stream callback, and a test can make it quiet (active, no callbacks).
"""

import threading
from typing import Any

import numpy as np

paFloat32 = 1  # noqa: N816 - PyAudio's names
paContinue = 0  # noqa: N816
paComplete = 1  # noqa: N816
paAbort = 2  # noqa: N816
paInputOverflow = 2  # noqa: N816
paWASAPI = 13  # noqa: N816

HOST_APIS = ["MME", "Windows DirectSound", "Windows WASAPI"]
SPEAKERS = "Speakers (Realtek(R) Audio)"
LOOPBACK = f"{SPEAKERS} [Loopback]"


def device(
    index: int, name: str, host_api: int, inputs: int, loopback: bool
) -> dict[str, Any]:
    """Return a device info dict with PyAudio's keys."""
    return {
        "index": index,
        "name": name,
        "hostApi": host_api,
        "maxInputChannels": inputs,
        "maxOutputChannels": 0 if inputs else 6,
        "defaultSampleRate": 48_000.0,
        "isLoopbackDevice": loopback,
    }


DEVICES = [
    device(0, "Microphone (USB Audio)", 0, 1, False),
    device(1, SPEAKERS, 2, 0, False),
    device(2, LOOPBACK, 2, 6, True),
]

# What the fake did, for the tests to check.
state: dict[str, Any] = {
    "opened": [],
    "streams": [],
    "terminated": 0,
    "quiet": threading.Event(),
    "no_default": False,
}


def reset() -> None:
    """Forget the streams and switches of the previous test."""
    state["opened"] = []
    state["streams"] = []
    state["terminated"] = 0
    state["quiet"] = threading.Event()
    state["no_default"] = False


class PyAudio:
    """A PortAudio session, as in PyAudioWPatch."""

    def get_host_api_count(self) -> int:
        return len(HOST_APIS)

    def get_host_api_info_by_index(self, index: int) -> dict[str, Any]:
        return {"index": index, "name": HOST_APIS[index]}

    def get_device_count(self) -> int:
        return len(DEVICES)

    def get_device_info_by_index(self, index: int) -> dict[str, Any]:
        return dict(DEVICES[index])

    def get_loopback_device_info_generator(self) -> Any:
        return (dict(d) for d in DEVICES if d["isLoopbackDevice"])

    def get_default_wasapi_loopback(self) -> dict[str, Any]:
        if state["no_default"]:
            raise LookupError("no default loopback device")
        return dict(DEVICES[2])

    def open(self, **settings: Any) -> "Stream":
        state["opened"].append(settings)
        stream = Stream(**settings)
        state["streams"].append(stream)
        return stream

    def terminate(self) -> None:
        state["terminated"] += 1


class Stream:
    """A callback stream that delivers a tone every block until stopped."""

    def __init__(
        self,
        rate: int,
        channels: int,
        format: int,
        input: bool,
        input_device_index: int,
        frames_per_buffer: int,
        start: bool,
        stream_callback: Any,
    ) -> None:
        self.rate = rate
        self.channels = channels
        self.frames = frames_per_buffer
        self.callback = stream_callback
        self.results: list[tuple[Any, int]] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        if start:
            self.thread.start()

    def start_stream(self) -> None:
        self.thread.start()

    def stop_stream(self) -> None:
        self.stopped.set()

    def close(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(2)

    def is_active(self) -> bool:
        return self.thread.is_alive() and not self.stopped.is_set()

    def _run(self) -> None:
        period = self.frames / self.rate
        sent = 0
        while not self.stopped.wait(period):
            if state["quiet"].is_set():
                continue
            t = (sent + np.arange(self.frames)) / self.rate
            tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            block = np.repeat(tone[:, None], self.channels, axis=1)
            result = self.callback(block.tobytes(), self.frames, {}, 0)
            self.results.append(result)
            if result[1] != paContinue:
                return
            sent += self.frames
