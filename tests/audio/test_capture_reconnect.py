"""Quiet loopbacks and mid-call reconnection, with a fake backend."""

import time
from typing import Any

import numpy as np
import pytest

from app.audio.capture import CaptureSource
from app.audio.devices import DeviceChoice
from tests.audio.collector import Collector
from tests.audio.fake_backend import FakeBackend, microphone

MIC = DeviceChoice("USB Mic", "ALSA")
LOOPBACK = DeviceChoice("Loopback Audio", "ALSA")


class CountingScan:
    """A device scan for the probe that lists the fake's devices and counts calls."""

    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.calls = 0

    def __call__(self, scanned: Any) -> list[DeviceChoice]:
        self.calls += 1
        return self.backend.fresh_choices()


def two_channel_source(
    scan: CountingScan | None = None,
) -> tuple[FakeBackend, CaptureSource]:
    """Return a fake backend with a microphone and a loopback, and its source."""
    backend = FakeBackend(
        devices=[microphone("USB Mic"), microphone("Loopback Audio", rate=44_100)]
    )
    source = CaptureSource(
        mic=MIC,
        loopback=LOOPBACK,
        backend=backend,
        list_devices=scan or backend.fresh_choices,
    )
    if scan is not None:
        scan.backend = backend
    return backend, source


def wait_for_audio(collector: Collector, speaker: str) -> None:
    """Wait until ``speaker`` delivered a block that is not silence."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(b.speaker == speaker and np.any(b.pcm) for b in collector.blocks):
            return
        time.sleep(0.01)
    pytest.fail(f"no audio from {speaker}")


def assert_contiguous(collector: Collector, speaker: str) -> None:
    """Assert that a speaker's blocks follow each other with no gap or overlap."""
    blocks = [b for b in collector.blocks if b.speaker == speaker]
    starts = [b.start for b in blocks]
    ends = [b.end for b in blocks]
    assert starts[1:] == pytest.approx(ends[:-1]), speaker


def kinds(collector: Collector) -> list[str]:
    return [status.kind for status in collector.statuses]


def test_quiet_loopback_not_lost() -> None:
    backend, source = two_channel_source()
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    wait_for_audio(collector, "prospect")

    backend.quiet.add("Loopback Audio")
    time.sleep(2.5)
    quiet_until = max(b.end for b in collector.blocks if b.speaker == "prospect")
    rep_until = max(b.end for b in collector.blocks if b.speaker == "rep")
    offsets = source.clock_offsets(time.monotonic())
    backend.quiet.clear()
    time.sleep(0.5)
    source.stop()

    assert "device-lost" not in kinds(collector)
    assert len(backend.streams) == 2
    assert source.channels[0].padded == 0
    assert source.channels[1].padded > 0
    assert -0.7 < offsets["prospect"] < 0.1
    assert -0.3 < offsets["rep"] < 0.1
    # Silence was padded on the call clock while the loopback was quiet.
    assert abs(quiet_until - rep_until) < 0.7
    assert_contiguous(collector, "prospect")
    last = [b for b in collector.blocks if b.speaker == "prospect"][-1]
    assert np.any(last.pcm)


def test_vanished_loopback_found_by_scan() -> None:
    scan = CountingScan(FakeBackend())
    backend, source = two_channel_source(scan)
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    wait_for_audio(collector, "prospect")

    backend.unplug("Loopback Audio")
    lost = collector.expect("device-lost")
    source.stop()

    assert lost.speaker == "prospect"
    # The fake's stream stays active after an unplug, so only a scan finds it.
    assert scan.calls >= 1
    assert not backend.streams[1].aborted_by_callback


def test_loopback_back_at_new_index() -> None:
    backend, source = two_channel_source()
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    wait_for_audio(collector, "prospect")
    loopback = backend.devices[1]

    backend.unplug("Loopback Audio")
    collector.expect("device-lost")
    # Another device takes index 1 and the loopback comes back at index 0.
    backend.plug(microphone("Webcam Mic"), position=1)
    backend.plug(loopback, position=0)
    reconnected = collector.expect("reconnected", timeout=10)
    time.sleep(0.5)
    source.stop()

    assert reconnected.speaker == "prospect"
    assert backend.streams_killed_by_rescan == 0
    reopened = [s for s in backend.streams if s.name == "Loopback Audio"][-1]
    assert reopened.device == 0
    # The microphone was paused for the rescan and reopened by name.
    mic_streams = [s for s in backend.streams if s.name == "USB Mic"]
    assert len(mic_streams) == 2
    assert mic_streams[-1].device == 1
    assert_contiguous(collector, "rep")
    assert_contiguous(collector, "prospect")
    rep = [b for b in collector.blocks if b.speaker == "rep"]
    prospect = [b for b in collector.blocks if b.speaker == "prospect"]
    assert abs(rep[-1].end - prospect[-1].end) < 0.7
    assert np.any(prospect[-1].pcm)
    assert kinds(collector)[-1] == "stopped"


def test_missing_device_never_pauses_others() -> None:
    backend, source = two_channel_source()
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    wait_for_audio(collector, "prospect")

    backend.unplug("Loopback Audio")
    collector.expect("device-lost")
    time.sleep(2.5)
    source.stop()

    assert backend.rescans == 0
    assert len([s for s in backend.streams if s.name == "USB Mic"]) == 1
    assert "reconnected" not in kinds(collector)
    assert_contiguous(collector, "rep")


def test_sole_device_rescanned_at_once() -> None:
    backend = FakeBackend()
    scans: list[Any] = []

    def list_devices(scanned: Any) -> list[DeviceChoice]:
        scans.append(scanned)
        return backend.fresh_choices()

    source = CaptureSource(
        mic=MIC, loopback=None, backend=backend, list_devices=list_devices
    )
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    wait_for_audio(collector, "mixed")
    microphone_entry = backend.devices[0]

    backend.unplug("USB Mic")
    collector.expect("device-lost")
    backend.plug(microphone("Webcam Mic"))
    backend.plug(microphone_entry, position=1)
    collector.expect("reconnected")
    source.stop()

    assert scans == []
    assert backend.rescans >= 1
    assert backend.streams[-1].device == 1
    assert_contiguous(collector, "mixed")
