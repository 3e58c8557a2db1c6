"""WavReplaySource on a real stereo file."""

import time
from pathlib import Path

import numpy as np
import pytest

from app.audio.blocks import AudioBlock
from app.audio.sources import SourceStatus, WavReplaySource
from app.audio.wavfile import load_call_audio
from tests.audio.sox import tone_file


class Recorder:
    """Collect blocks and statuses from a source's threads."""

    def __init__(self, delay: float = 0.0) -> None:
        self.blocks: list[AudioBlock] = []
        self.statuses: list[SourceStatus] = []
        self.delay = delay

    def sink(self, block: AudioBlock) -> None:
        self.blocks.append(block)
        if self.delay:
            time.sleep(self.delay)

    def on_status(self, status: SourceStatus) -> None:
        self.statuses.append(status)

    def kinds(self) -> list[str]:
        return [status.kind for status in self.statuses]


@pytest.fixture
def stereo_call(tmp_path: Path):
    path = tone_file(
        tmp_path / "call.wav", "-r", "8000", seconds=1.05, tones=(300, 600)
    )
    return load_call_audio(path)


def test_fast_replay_delivers_everything(stereo_call) -> None:
    recorder = Recorder()
    source = WavReplaySource(stereo_call, realtime=False, block_seconds=0.1)

    source.start(recorder.sink, recorder.on_status)
    assert source.wait(10)

    assert recorder.kinds() == ["started", "stopped"]
    assert recorder.statuses[-1].message == "end of recording"
    for speaker in ("rep", "prospect"):
        blocks = [b for b in recorder.blocks if b.speaker == speaker]
        joined = np.concatenate([b.pcm for b in blocks])
        assert np.array_equal(joined, stereo_call.channels[speaker])
        assert [b.start for b in blocks] == pytest.approx(
            [i * 0.1 for i in range(len(blocks))]
        )
        assert all(b.pcm.dtype == np.int16 for b in blocks)
    # Blocks arrive in time order, rep and prospect interleaved per block.
    starts = [b.start for b in recorder.blocks]
    assert starts == sorted(starts)
    assert recorder.blocks[0].speaker == "rep"
    assert recorder.blocks[1].speaker == "prospect"
    assert recorder.blocks[-1].duration == pytest.approx(0.05)


def test_realtime_replay_is_paced(stereo_call) -> None:
    recorder = Recorder()
    source = WavReplaySource(stereo_call, realtime=True, block_seconds=0.1)

    began = time.monotonic()
    source.start(recorder.sink, recorder.on_status)
    assert source.wait(10)
    elapsed = time.monotonic() - began

    # Pacing waits for each block's end, so the whole replay cannot be shorter
    # than the recording.
    assert elapsed >= stereo_call.duration - 0.01
    assert recorder.kinds()[-1] == "stopped"


def test_stop_soon_after_start_and_twice(stereo_call) -> None:
    recorder = Recorder()
    source = WavReplaySource(stereo_call, realtime=True)

    source.start(recorder.sink, recorder.on_status)
    time.sleep(0.05)
    source.stop()
    source.stop()

    assert source.wait(0)
    assert recorder.kinds() == ["started", "stopped"]
    assert recorder.statuses[-1].message == "replay stopped"


def test_stop_before_start_is_harmless(stereo_call) -> None:
    WavReplaySource(stereo_call, realtime=False).stop()


def test_slow_sink_applies_back_pressure(stereo_call) -> None:
    recorder = Recorder(delay=0.01)
    source = WavReplaySource(stereo_call, realtime=False, block_seconds=0.05)

    source.start(recorder.sink, recorder.on_status)
    assert source.wait(10)

    total = sum(len(b.pcm) for b in recorder.blocks)
    assert total == 2 * len(stereo_call.channels["rep"])


def test_sink_error_reported_and_stops(stereo_call) -> None:
    recorder = Recorder()

    def failing_sink(block: AudioBlock) -> None:
        raise ValueError("recognizer rejected the block")

    source = WavReplaySource(stereo_call, realtime=False)
    source.start(failing_sink, recorder.on_status)
    assert source.wait(10)

    assert recorder.kinds() == ["started", "callback-error", "stopped"]
    assert "recognizer rejected the block" in recorder.statuses[1].message


def test_started_twice_raises(stereo_call) -> None:
    recorder = Recorder()
    source = WavReplaySource(stereo_call, realtime=False)
    source.start(recorder.sink, recorder.on_status)

    with pytest.raises(RuntimeError, match="started once"):
        source.start(recorder.sink, recorder.on_status)
    source.stop()
