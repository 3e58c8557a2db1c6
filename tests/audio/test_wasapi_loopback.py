"""The WASAPI loopback adapter against a stand-in pyaudiowpatch module."""

import importlib.util
import time
from collections.abc import Iterator

import numpy as np
import pytest

from app.audio.capture import CaptureSource
from app.audio.devices import DeviceChoice, list_input_devices, refresh_devices
from app.audio.wasapi_loopback import (
    CallbackAbort,
    WasapiLoopbackBackend,
    backend_for_loopback,
    default_wasapi_loopback,
    is_wasapi_loopback,
)
from app.errors import CuecardError
from tests.audio import fake_pyaudiowpatch as fake
from tests.audio.fake_backend import FakeBackend
from tests.audio.test_capture_faults import Collector

MIC = DeviceChoice("USB Mic", "ALSA")
LOOPBACK = DeviceChoice(fake.LOOPBACK, "Windows WASAPI")


@pytest.fixture(autouse=True)
def fresh_fake() -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def capture(collector: Collector) -> tuple[CaptureSource, WasapiLoopbackBackend]:
    """Start a microphone on the fake sounddevice and the fake WASAPI loopback."""
    microphone_backend = FakeBackend()
    loopback_backend = WasapiLoopbackBackend(fake)
    source = CaptureSource(
        mic=MIC,
        loopback=LOOPBACK,
        backend=microphone_backend,
        loopback_backend=loopback_backend,
        list_devices=lambda backend: [LOOPBACK, MIC],
    )
    source.start(collector.sink, collector.on_status)
    return source, loopback_backend


def test_loopback_listed_by_adapter() -> None:
    devices = list_input_devices(WasapiLoopbackBackend(fake), refresh=False)

    loopback = next(d for d in devices if d.name == fake.LOOPBACK)
    assert loopback.hostapi == "Windows WASAPI"
    assert loopback.is_loopback
    assert loopback.max_input_channels == 6
    assert fake.SPEAKERS not in [d.name for d in devices]


def test_loopback_feeds_prospect_channel() -> None:
    collector = Collector()
    source, _ = capture(collector)
    time.sleep(0.8)
    source.stop()

    settings = fake.state["opened"][0]
    assert settings["format"] == fake.paFloat32
    assert settings["input"] is True
    assert settings["input_device_index"] == 2
    assert settings["channels"] == 6
    assert settings["rate"] == 48_000
    assert settings["frames_per_buffer"] == 4800
    assert settings["start"] is False
    results = fake.state["streams"][0].results
    assert results
    assert all(result == (None, fake.paContinue) for result in results)
    prospect = [b for b in collector.blocks if b.speaker == "prospect"]
    pcm = np.concatenate([b.pcm for b in prospect])
    assert pcm.dtype == np.int16
    assert np.abs(pcm).max() > 5000
    assert source.speakers == ("rep", "prospect")


def test_quiet_wasapi_loopback_padded() -> None:
    collector = Collector()
    source, _ = capture(collector)
    time.sleep(0.4)

    fake.state["quiet"].set()
    time.sleep(2.5)
    source.stop()

    assert "device-lost" not in [s.kind for s in collector.statuses]
    prospect = [b for b in collector.blocks if b.speaker == "prospect"]
    rep = [b for b in collector.blocks if b.speaker == "rep"]
    assert abs(prospect[-1].end - rep[-1].end) < 0.7
    assert not np.any(prospect[-1].pcm)
    starts = [b.start for b in prospect]
    ends = [b.end for b in prospect]
    assert starts[1:] == pytest.approx(ends[:-1])


def test_callback_abort_maps_to_pa_abort() -> None:
    backend = WasapiLoopbackBackend(fake)
    seen: list[tuple[np.ndarray, bool]] = []

    def callback(block: np.ndarray, frames: int, time_info: object, status) -> None:
        seen.append((block.copy(), status.input_overflow))
        if len(seen) == 2:
            raise CallbackAbort

    stream = backend.InputStream(
        device=2,
        samplerate=48_000,
        channels=2,
        dtype="float32",
        blocksize=4,
        callback=callback,
    )
    payload = np.arange(8, dtype=np.float32).tobytes()
    on_block = fake.state["opened"][0]["stream_callback"]

    first = on_block(payload, 4, {}, fake.paInputOverflow)
    second = on_block(payload, 4, {}, 0)
    stream.close()

    assert first == (None, fake.paContinue)
    assert second == (None, fake.paAbort)
    assert seen[0][0].shape == (4, 2)
    assert seen[0][0][1].tolist() == [2.0, 3.0]
    assert seen[0][1] is True
    assert seen[1][1] is False


def test_rescan_restarts_adapter_portaudio() -> None:
    backend = WasapiLoopbackBackend(fake)
    backend.query_devices()

    refresh_devices(backend)

    assert fake.state["terminated"] == 1
    assert len(backend.query_devices()) == len(fake.DEVICES)


def test_default_loopback_found() -> None:
    assert default_wasapi_loopback(fake) == LOOPBACK
    assert fake.state["terminated"] == 1

    fake.state["no_default"] = True
    assert default_wasapi_loopback(fake) is None
    assert fake.state["terminated"] == 2


def test_wasapi_choice_picks_adapter() -> None:
    other = FakeBackend()

    assert is_wasapi_loopback(LOOPBACK)
    assert not is_wasapi_loopback(DeviceChoice(fake.SPEAKERS, "Windows WASAPI"))
    assert not is_wasapi_loopback(DeviceChoice(fake.LOOPBACK, "MME"))
    assert isinstance(backend_for_loopback(LOOPBACK, other), WasapiLoopbackBackend)
    assert backend_for_loopback(MIC, other) is other


def test_missing_library_raises_cuecard_error() -> None:
    # This runs where PyAudioWPatch cannot install, so the real import fails.
    assert importlib.util.find_spec("pyaudiowpatch") is None
    source = CaptureSource(mic=None, loopback=LOOPBACK, backend=FakeBackend())
    collector = Collector()

    with pytest.raises(CuecardError) as caught:
        source.start(collector.sink, collector.on_status)

    assert "PyAudioWPatch" in str(caught.value)
    assert "pip install" in str(caught.value)
    assert collector.statuses == []
