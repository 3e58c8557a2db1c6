"""Build the live capture source from the settings."""

import logging

from app.audio.capture import CaptureSource
from app.audio.devices import DeviceChoice, default_loopback, default_microphone
from app.settings import DeviceSetting, Settings

log = logging.getLogger(__name__)


def _choice(setting: DeviceSetting | None) -> DeviceChoice | None:
    return DeviceChoice(setting.name, setting.hostapi) if setting else None


def capture_source(settings: Settings) -> CaptureSource:
    """Return a capture source on the chosen (else the default) devices.

    Queries the audio system, so call it from a worker. Raises CuecardError
    when there is no input device at all.
    """
    mic = _choice(settings.microphone) or default_microphone()
    loopback = _choice(settings.loopback) or default_loopback()
    log.info("capturing microphone %s and prospect audio %s", mic, loopback)
    return CaptureSource(mic, loopback)
