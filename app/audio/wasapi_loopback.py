"""WASAPI loopback capture on Windows through PyAudioWPatch.

The PortAudio build inside sounddevice cannot open a WASAPI loopback stream.
PyAudioWPatch carries its own PortAudio fork that lists every output device a
second time, as an input whose name ends with "[Loopback]". This module wraps
it in the subset of the sounddevice API that InputChannel uses, so the loopback
callback copies into the same bounded queue as the microphone's. PyAudioWPatch
is imported on first use, so the module imports on every OS.
"""

import importlib
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.audio.devices import Backend, DeviceChoice
from app.errors import CuecardError

log = logging.getLogger(__name__)

WASAPI = "Windows WASAPI"
LOOPBACK_SUFFIX = "[Loopback]"
MODULE_NAME = "pyaudiowpatch"


class CallbackAbort(Exception):
    """Raised by a channel callback to abort the stream, as in sounddevice."""


@dataclass(frozen=True, slots=True)
class CallbackStatus:
    """The sounddevice-style status flags a channel callback reads."""

    input_overflow: bool


def is_wasapi_loopback(choice: DeviceChoice) -> bool:
    """Return whether ``choice`` is a loopback input that only PyAudioWPatch lists."""
    return choice.hostapi == WASAPI and choice.name.endswith(LOOPBACK_SUFFIX)


def backend_for_loopback(choice: DeviceChoice, backend: Backend) -> Backend:
    """Return the backend that can open ``choice``: this adapter for a WASAPI one."""
    if is_wasapi_loopback(choice):
        return WasapiLoopbackBackend()
    return backend


def default_wasapi_loopback(module: Any = None) -> DeviceChoice | None:
    """Return the loopback of the default speakers, or None when there is none."""
    backend = WasapiLoopbackBackend(module)
    try:
        device = backend.audio().get_default_wasapi_loopback()
    except (LookupError, OSError) as error:
        # NOTE: which of the two PyAudioWPatch raises with no loopback device
        # was not checked on Windows, so both count as "none".
        log.info("no default WASAPI loopback: %s", error)
        return None
    finally:
        backend.close()
    return DeviceChoice(device["name"], WASAPI)


class WasapiLoopbackBackend:
    """The sounddevice functions InputChannel calls, served by PyAudioWPatch.

    ``module`` is the pyaudiowpatch module, or a stand-in with the same API;
    None imports the real one on first use. This PortAudio is a separate
    library from sounddevice's, so rescanning it closes no microphone stream.
    """

    PortAudioError = OSError  # PyAudio raises OSError for PortAudio errors.
    CallbackAbort = CallbackAbort
    # Name of the device scan that the probe runs in a child process.
    PROBE_NAME = "wasapi"
    # NOTE: PortAudio's WASAPI shared mode accepts only the mix format's channel
    # count unless asked to convert, so the loopback opens with all of them.
    OPENS_ALL_CHANNELS = True

    def __init__(self, module: Any = None) -> None:
        self._module = module
        self._audio: Any = None

    def audio(self) -> Any:
        """Return the PyAudio instance, importing and initializing on first use.

        Raises CuecardError when PyAudioWPatch is not installed.
        """
        if self._audio is None:
            self._audio = self.module().PyAudio()
        return self._audio

    def module(self) -> Any:
        """Return the pyaudiowpatch module; raises CuecardError when it is missing."""
        if self._module is None:
            try:
                self._module = importlib.import_module(MODULE_NAME)
            except ImportError as error:
                log.info("cannot import %s: %s", MODULE_NAME, error)
                raise CuecardError(
                    "recording the Windows system output needs PyAudioWPatch, "
                    "which is missing: run `pip install PyAudioWPatch` on Windows"
                ) from error
        return self._module

    def close(self) -> None:
        """Terminate this PortAudio; call only with no stream open."""
        audio, self._audio = self._audio, None
        if audio is not None:
            audio.terminate()

    def _initialize(self) -> None:
        """Start PortAudio, which scans the devices (sounddevice's name)."""
        self.audio()

    def _terminate(self) -> None:
        """Stop PortAudio, so the next call scans again (sounddevice's name)."""
        self.close()

    def query_hostapis(self) -> list[dict[str, Any]]:
        """Return the host APIs as sounddevice does: a list of dicts with a name."""
        audio = self.audio()
        return [
            {"name": audio.get_host_api_info_by_index(index)["name"]}
            for index in range(audio.get_host_api_count())
        ]

    def query_devices(self) -> list[dict[str, Any]]:
        """Return every device in sounddevice's format, in PortAudio index order."""
        audio = self.audio()
        devices = []
        for index in range(audio.get_device_count()):
            info = audio.get_device_info_by_index(index)
            devices.append(
                {
                    "name": info["name"],
                    "hostapi": info["hostApi"],
                    "max_input_channels": info["maxInputChannels"],
                    "default_samplerate": info["defaultSampleRate"],
                }
            )
        return devices

    def InputStream(  # noqa: N802 - sounddevice's name
        self,
        device: int,
        samplerate: int,
        channels: int,
        dtype: str,
        blocksize: int,
        callback: Any,
    ) -> "LoopbackStream":
        """Open a stopped callback stream on the loopback device ``device``."""
        if dtype != "float32":
            raise ValueError(f"unsupported sample type {dtype}: use float32")
        return LoopbackStream(
            self.module(),
            self.audio(),
            device,
            samplerate,
            channels,
            blocksize,
            callback,
        )


class LoopbackStream:
    """A PyAudio input stream that hands sounddevice-style blocks to a callback.

    PyAudio calls ``_on_block`` on PortAudio's thread with raw bytes. It wraps
    them in a (frames x channels) float32 view without copying, and the channel
    callback makes the one copy into the queue.
    """

    def __init__(
        self,
        module: Any,
        audio: Any,
        device: int,
        samplerate: int,
        channels: int,
        blocksize: int,
        callback: Any,
    ) -> None:
        self._module = module
        self._channels = channels
        self._callback = callback
        self._stream = audio.open(
            rate=samplerate,
            channels=channels,
            format=module.paFloat32,
            input=True,
            input_device_index=device,
            frames_per_buffer=blocksize,
            start=False,
            stream_callback=self._on_block,
        )

    @property
    def active(self) -> bool:
        """Whether PortAudio still runs the stream, with or without callbacks."""
        return bool(self._stream.is_active())

    def start(self) -> None:
        """Start the stream."""
        self._stream.start_stream()

    def abort(self) -> None:
        """Stop the stream (PyAudio exposes no abort)."""
        self._stream.stop_stream()

    def close(self) -> None:
        """Close the stream."""
        self._stream.close()

    def _on_block(
        self, in_data: bytes, frame_count: int, time_info: Any, status_flags: int
    ) -> tuple[None, int]:
        """Pass one block to the channel callback; runs on PortAudio's thread."""
        block = np.frombuffer(in_data, dtype=np.float32).reshape(
            frame_count, self._channels
        )
        overflow = bool(status_flags & self._module.paInputOverflow)
        try:
            self._callback(block, frame_count, time_info, CallbackStatus(overflow))
        except CallbackAbort:
            return None, self._module.paAbort
        return None, self._module.paContinue
