"""CaptureSource recording a real PulseAudio null sink's monitor."""

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from app.audio.capture import CaptureSource
from app.audio.devices import DeviceChoice, list_input_devices
from app.audio.wavfile import load_call_audio
from tests.audio.collector import Collector
from tests.audio.sox import sox
from tests.pulse import PulseSink

FRAME = 160  # 10 ms at 16 kHz


def envelope(pcm: np.ndarray) -> np.ndarray:
    """Return the RMS of each 10 ms frame."""
    frames = len(pcm) // FRAME
    shaped = pcm[: frames * FRAME].astype(np.float64).reshape(frames, FRAME)
    return np.sqrt((shaped**2).mean(axis=1))


def best_correlation(played: np.ndarray, recorded: np.ndarray) -> tuple[float, int]:
    """Return the max normalized envelope correlation and its lag in frames."""
    a = envelope(played)
    b = envelope(recorded)
    a = (a - a.mean()) / (a.std() * len(a))
    best, best_lag = -1.0, 0
    for lag in range(0, len(b) - len(a) + 1):
        window = b[lag : lag + len(a)]
        if window.std() == 0:
            continue
        score = float(np.sum(a * (window - window.mean()) / window.std()))
        if score > best:
            best, best_lag = score, lag
    return best, best_lag


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("speech")
    spoken = folder / "spoken.wav"
    result = subprocess.run(
        ["espeak-ng", "-w", str(spoken), "we already work with another vendor"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    padded = folder / "call.wav"
    sox(str(spoken), "-r", "44100", str(padded), "pad", "0.5", "1.5")
    return padded


def record_while_playing(
    pulse: PulseSink, source: CaptureSource, path: Path
) -> Collector:
    """Start the capture, play ``path`` into the sink, then stop."""
    collector = Collector()
    source.start(collector.sink, collector.on_status)
    # The first PulseAudio callback comes about 2 s after start: play after it.
    deadline = time.monotonic() + 8
    while not collector.blocks and time.monotonic() < deadline:
        time.sleep(0.05)
    player = pulse.play(path)
    assert player.wait(30) == 0, player.stderr.read()
    time.sleep(0.5)
    source.stop()
    return collector


def test_monitor_listed_as_loopback(pulse_sink: PulseSink) -> None:
    devices = {device.name: device for device in list_input_devices()}

    assert pulse_sink.monitor.name in devices
    assert devices[pulse_sink.monitor.name].is_loopback


def test_capture_records_played_speech(pulse_sink: PulseSink, speech_wav: Path) -> None:
    source = CaptureSource(mic=None, loopback=pulse_sink.monitor)

    collector = record_while_playing(pulse_sink, source, speech_wav)

    assert source.speakers == ("mixed",)
    assert collector.statuses[0].kind == "started"
    assert collector.statuses[-1].kind == "stopped"
    assert all(b.pcm.dtype == np.int16 for b in collector.blocks)
    assert all(b.speaker == "mixed" for b in collector.blocks)
    starts = [b.start for b in collector.blocks]
    ends = [b.end for b in collector.blocks]
    assert starts[1:] == pytest.approx(ends[:-1])
    played = load_call_audio(speech_wav).channels["mixed"]
    recorded = collector.pcm("mixed")
    score, lag = best_correlation(played, recorded)
    assert score > 0.9, f"envelope correlation {score:.2f}"
    # The file starts with 0.5 s of silence, and so must the recording there.
    assert np.abs(recorded[: lag * FRAME + 4000]).max() < 100


def test_two_channels_share_clock(pulse_sink: PulseSink, speech_wav: Path) -> None:
    # The "pulse" ALSA device records PulseAudio's default source, which is the
    # sink's monitor here, so both channels hear the same speech.
    source = CaptureSource(
        mic=DeviceChoice("pulse", "ALSA"), loopback=pulse_sink.monitor
    )

    collector = record_while_playing(pulse_sink, source, speech_wav)

    assert source.speakers == ("rep", "prospect")
    played = load_call_audio(speech_wav).channels["mixed"]
    rep = collector.pcm("rep")
    prospect = collector.pcm("prospect")
    rep_score, rep_lag = best_correlation(played, rep)
    prospect_score, prospect_lag = best_correlation(played, prospect)
    assert rep_score > 0.9
    assert prospect_score > 0.9
    # The same sound lands at the same call time on both channels, within 100 ms
    # (10 envelope frames). Streams start at different moments and a loaded
    # machine delays one pump, and talk metrics need no finer alignment.
    assert abs(rep_lag - prospect_lag) <= 10


def test_zeros_report_digital_silence(pulse_sink: PulseSink) -> None:
    # A null sink's monitor with nothing playing sends exact zeros, as a
    # microphone does when the OS denies access.
    source = CaptureSource(mic=pulse_sink.monitor, loopback=None)
    collector = Collector()

    source.start(collector.sink, collector.on_status)
    found = collector.wait_for("digital-silence", timeout=10)
    source.stop()

    assert found
    status = next(s for s in collector.statuses if s.kind == "digital-silence")
    assert status.speaker == "mixed"
    assert "digital silence" in status.message
    assert "pavucontrol" in status.message


def test_stop_soon_after_start_and_twice(pulse_sink: PulseSink) -> None:
    source = CaptureSource(mic=None, loopback=pulse_sink.monitor)
    collector = Collector()

    source.start(collector.sink, collector.on_status)
    time.sleep(0.05)
    source.stop()
    source.stop()

    kinds = [s.kind for s in collector.statuses]
    assert kinds == ["started", "stopped"]
    assert all(channel.stream is None for channel in source.channels)
