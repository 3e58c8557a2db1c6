"""Finding audio input devices and remembering them by name and host API."""

import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import sounddevice

from app.errors import CuecardError

log = logging.getLogger(__name__)

Backend = Any  # sounddevice, or an object with the same functions (tests)

# Host APIs in order of preference when one device appears under several.
HOSTAPI_PREFERENCE = (
    "Windows WASAPI",
    "Core Audio",
    "ALSA",
    "Windows DirectSound",
    "MME",
    "JACK Audio Connection Kit",
    "Windows WDM-KS",
    "OSS",
)

# Names of virtual devices that carry the system output back as an input.
LOOPBACK_NAME = re.compile(r"monitor|loopback|blackhole|soundflower|stereo mix", re.I)

# MME cuts device names to 31 characters, so longer names compare by this prefix.
MME_NAME_LENGTH = 31


@dataclass(frozen=True)
class DeviceInfo:
    """An input device as PortAudio reports it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    default_samplerate: float
    is_loopback: bool

    @property
    def choice(self) -> "DeviceChoice":
        """The name and host API to remember this device by."""
        return DeviceChoice(self.name, self.hostapi)


@dataclass(frozen=True)
class DeviceChoice:
    """A device as the settings remember it: PortAudio indexes change."""

    name: str
    hostapi: str

    def __str__(self) -> str:
        return f"{self.name} ({self.hostapi})"


def refresh_devices(backend: Backend = sounddevice) -> None:
    """Make PortAudio scan for devices again; call only with no stream open."""
    terminate = getattr(backend, "_terminate", None)
    initialize = getattr(backend, "_initialize", None)
    if terminate is None or initialize is None:
        return
    terminate()
    initialize()


def list_input_devices(
    backend: Backend = sounddevice, refresh: bool = True
) -> list[DeviceInfo]:
    """Return the input devices, each physical device once.

    With ``refresh`` PortAudio scans again first, so a headset plugged in since
    the last call appears. Do not refresh while a stream is open.
    """
    if refresh:
        refresh_devices(backend)
    hostapis = [api["name"] for api in backend.query_hostapis()]
    found: dict[str, DeviceInfo] = {}
    for index, device in enumerate(backend.query_devices()):
        if device["max_input_channels"] < 1:
            continue
        info = DeviceInfo(
            index=index,
            name=device["name"],
            hostapi=hostapis[device["hostapi"]],
            max_input_channels=device["max_input_channels"],
            default_samplerate=float(device["default_samplerate"]),
            is_loopback=bool(LOOPBACK_NAME.search(device["name"])),
        )
        key = physical_key(info.name)
        current = found.get(key)
        if current is None or _preference(info) < _preference(current):
            found[key] = info
    return sorted(found.values(), key=lambda info: info.index)


def is_listed(choice: DeviceChoice, listed: list[DeviceChoice]) -> bool:
    """Return whether resolve_device would find ``choice`` among ``listed``."""
    key = physical_key(choice.name)
    return any(physical_key(other.name) == key for other in listed)


def resolve_device(choice: DeviceChoice, backend: Backend = sounddevice) -> DeviceInfo:
    """Find a remembered device in the current list.

    Prefers the same name under the same host API, then the same name under any.
    Raises CuecardError naming the device when it is not connected.
    """
    devices = list_input_devices(backend, refresh=False)
    for device in devices:
        if device.name == choice.name and device.hostapi == choice.hostapi:
            return device
    for device in devices:
        if physical_key(device.name) == physical_key(choice.name):
            return device
    raise CuecardError(
        f"audio input {choice} not found: connect it, or pick another device "
        "in the settings (`cuecard devices` lists them)"
    )


def default_microphone(backend: Backend = sounddevice) -> DeviceChoice | None:
    """Return the system's default input, or None when there is no input."""
    devices = list_input_devices(backend, refresh=False)
    if not devices:
        return None
    default_index = backend.default.device[0]
    for device in devices:
        if device.index == default_index and not device.is_loopback:
            return device.choice
    microphones = [device for device in devices if not device.is_loopback]
    return microphones[0].choice if microphones else None


def default_loopback(backend: Backend = sounddevice) -> DeviceChoice | None:
    """Return the device that carries the system output, or None.

    Linux: the PulseAudio/PipeWire monitor of the default output, when PortAudio
    shows it (see docs/audio.md). Windows: the WASAPI loopback of the default
    speakers, through PyAudioWPatch. macOS: a virtual device such as BlackHole.
    """
    if sys.platform == "win32":
        # Imported here because wasapi_loopback imports this module.
        from app.audio.wasapi_loopback import default_wasapi_loopback

        return default_wasapi_loopback()
    loopbacks = [
        device
        for device in list_input_devices(backend, refresh=False)
        if device.is_loopback
    ]
    if not loopbacks:
        return None
    sink = _pulse_default_sink() if sys.platform.startswith("linux") else None
    for device in loopbacks:
        if sink and sink in device.name:
            return device.choice
    return loopbacks[0].choice


def physical_key(name: str) -> str:
    """Return the part of a device name that all host APIs share."""
    return name.strip().lower()[:MME_NAME_LENGTH]


def _preference(device: DeviceInfo) -> int:
    """Rank a device's host API; lower is better."""
    if device.hostapi in HOSTAPI_PREFERENCE:
        return HOSTAPI_PREFERENCE.index(device.hostapi)
    return len(HOSTAPI_PREFERENCE)


def _pulse_default_sink() -> str | None:
    """Return the default PulseAudio/PipeWire sink name from pactl, if any."""
    try:
        result = subprocess.run(
            ["pactl", "get-default-sink"],
            capture_output=True,
            text=True,
            timeout=2,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.info("cannot ask pactl for the default sink: %s", error)
        return None
    return result.stdout.strip() or None
