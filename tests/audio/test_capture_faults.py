"""CaptureSource and device lookup under faults, with a fake backend."""

import time

import numpy as np
import pytest

from app.audio.blocks import AudioBlock
from app.audio.capture import CaptureSource
from app.audio.devices import (
    DeviceChoice,
    default_microphone,
    list_input_devices,
    resolve_device,
)
from app.errors import CuecardError
from tests.audio.collector import Collector
from tests.audio.fake_backend import FakeBackend, microphone

MIC = DeviceChoice("USB Mic", "ALSA")


def test_no_input_device_raises() -> None:
    backend = FakeBackend(devices=[])

    assert list_input_devices(backend) == []
    assert default_microphone(backend) is None
    with pytest.raises(CuecardError, match="no audio input device"):
        CaptureSource(mic=None, loopback=None, backend=backend)


def test_same_device_listed_once() -> None:
    backend = FakeBackend(
        devices=[
            microphone("Headset Microphone (Jabra Evolve2 65 USB)", hostapi=1),
            microphone("Headset Microphone (Jabra Evolve2 65 USB)", hostapi=2),
            microphone("Monitor of Built-in Audio", hostapi=0),
        ]
    )

    devices = list_input_devices(backend)

    assert [d.hostapi for d in devices] == ["Windows WASAPI", "ALSA"]
    assert [d.is_loopback for d in devices] == [False, True]


def test_missing_device_named() -> None:
    with pytest.raises(CuecardError) as caught:
        resolve_device(DeviceChoice("Jabra", "ALSA"), FakeBackend())

    assert "Jabra (ALSA) not found" in str(caught.value)


def test_busy_device_reports_and_leaves_nothing_open() -> None:
    backend = FakeBackend()
    backend.busy = True
    source = CaptureSource(mic=MIC, loopback=None, backend=backend)
    collector = Collector()

    with pytest.raises(CuecardError) as caught:
        source.start(collector.sink, collector.on_status)

    assert "busy in another app" in str(caught.value)
    assert "USB Mic" in str(caught.value)
    assert collector.statuses == []


def test_vanished_device_lost_then_reconnected() -> None:
    backend = FakeBackend()
    source = CaptureSource(mic=MIC, loopback=None, backend=backend)
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    collector.expect("started")
    while not collector.blocks:
        time.sleep(0.01)

    backend.vanished.set()
    vanished_at = time.monotonic()
    lost = collector.expect("device-lost")
    noticed_after = time.monotonic() - vanished_at
    backend.vanished.clear()
    reconnected = collector.expect("reconnected")
    time.sleep(0.3)
    source.stop()

    assert lost.speaker == "mixed"
    assert "reconnecting" in lost.message
    assert noticed_after < 2.0
    assert "reconnected" in reconnected.message
    assert len(backend.streams) == 2
    # The clock kept running through the gap: blocks stay contiguous.
    starts = [b.start for b in collector.blocks]
    ends = [b.end for b in collector.blocks]
    assert starts[1:] == pytest.approx(ends[:-1])
    assert collector.statuses[-1].kind == "stopped"


def test_callback_error_stops_stream_cleanly() -> None:
    backend = FakeBackend()
    backend.broken = True
    source = CaptureSource(mic=MIC, loopback=None, backend=backend)
    collector = Collector()

    source.start(collector.sink, collector.on_status)
    status = collector.expect("callback-error")
    source.stop()

    assert "cannot copy the input block" in status.message
    assert backend.streams[0].aborted_by_callback
    assert collector.statuses[-1].kind == "stopped"


def test_overflows_counted_not_fatal() -> None:
    backend = FakeBackend()
    backend.overflow = True
    source = CaptureSource(mic=MIC, loopback=None, backend=backend)
    collector = Collector()

    source.start(collector.sink, collector.on_status)
    status = collector.expect("overflow")
    time.sleep(1.2)
    source.stop()

    assert status.count >= 1
    counts = [s.count for s in collector.statuses if s.kind == "overflow"]
    assert counts == sorted(counts)
    assert len(counts) >= 2
    assert collector.blocks


def test_slow_sink_overflows_queue() -> None:
    backend = FakeBackend()
    source = CaptureSource(mic=MIC, loopback=None, backend=backend, block_seconds=0.01)
    collector = Collector()

    def slow_sink(block: AudioBlock) -> None:
        time.sleep(0.05)

    source.start(slow_sink, collector.on_status)
    status = collector.expect("overflow", timeout=10)
    source.stop()

    assert status.count >= 1
    assert "fell behind" in status.message


def test_low_rate_device_warns_and_resamples() -> None:
    backend = FakeBackend(devices=[microphone("Hands-Free HF", rate=8000)])
    source = CaptureSource(
        mic=DeviceChoice("Hands-Free HF", "ALSA"), loopback=None, backend=backend
    )
    collector = Collector()

    source.start(collector.sink, collector.on_status)
    started = collector.expect("started")
    time.sleep(0.6)
    source.stop()

    assert "8000 Hz" in started.message
    assert "less accurate" in started.message
    assert backend.streams[0].samplerate == 8000
    pcm = np.concatenate([b.pcm for b in collector.blocks])
    assert pcm.dtype == np.int16
    assert np.abs(pcm).max() > 5000


def test_quiet_loopback_padded_on_shared_clock() -> None:
    backend = FakeBackend(
        devices=[microphone("USB Mic"), microphone("Loopback Audio", rate=44_100)]
    )
    source = CaptureSource(
        mic=MIC, loopback=DeviceChoice("Loopback Audio", "ALSA"), backend=backend
    )
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    backend.streams[1].abort()  # the loopback delivers nothing from here on

    time.sleep(1.5)
    source.stop()

    prospect = [b for b in collector.blocks if b.speaker == "prospect"]
    rep = [b for b in collector.blocks if b.speaker == "rep"]
    assert prospect
    assert not np.any(np.concatenate([b.pcm for b in prospect]))
    assert abs(prospect[-1].end - rep[-1].end) < 0.7
