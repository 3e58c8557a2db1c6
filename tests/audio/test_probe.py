"""Device scans in a child process, and the probe that caches them."""

import time
from typing import Any

import sounddevice

from app.audio.devices import DeviceChoice
from app.audio.probe import DeviceProbe, scan_in_subprocess
from tests.pulse import PulseSink

HEADSET = DeviceChoice("Jabra Evolve2", "ALSA")


def wait_for_answer(probe: DeviceProbe, choice: DeviceChoice) -> bool | None:
    """Call the probe until it returns a result or 5 s pass."""
    deadline = time.monotonic() + 5
    answer = probe.listed(choice)
    while answer is None and time.monotonic() < deadline:
        time.sleep(0.01)
        answer = probe.listed(choice)
    return answer


def test_child_scan_lists_monitor(pulse_sink: PulseSink) -> None:
    devices = scan_in_subprocess(sounddevice)

    assert pulse_sink.monitor in devices


def test_probe_answers_after_scan() -> None:
    listed = [HEADSET]
    probe = DeviceProbe(lambda backend: list(listed), backend=None, interval=0.0)

    first = probe.listed(HEADSET)
    answer = wait_for_answer(probe, HEADSET)
    listed.clear()
    time.sleep(0.2)
    probe.listed(HEADSET)
    time.sleep(0.2)
    after_unplug = probe.listed(HEADSET)

    assert first is None
    assert answer is True
    assert after_unplug is False


def test_failed_scan_keeps_last_answer() -> None:
    calls: list[Any] = []

    def scan(backend: Any) -> list[DeviceChoice]:
        calls.append(backend)
        if len(calls) > 1:
            raise OSError("child process failed")
        return [HEADSET]

    probe = DeviceProbe(scan, backend="backend", interval=0.0)

    assert wait_for_answer(probe, HEADSET) is True
    time.sleep(0.2)
    probe.listed(HEADSET)
    time.sleep(0.2)

    assert len(calls) >= 2
    assert probe.listed(HEADSET) is True
    assert calls[0] == "backend"
