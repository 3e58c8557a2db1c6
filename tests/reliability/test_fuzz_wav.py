"""Property-based fuzzing of WAV input: no crash, only one-line CuecardErrors."""

import io
import struct
import wave
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.audio.wavfile import load_call_audio
from app.errors import CuecardError
from app.speech.recognizer import SAMPLE_RATE

FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def check_load(path: Path, speaker: str | None = None) -> None:
    """Load a file and accept only valid 16 kHz int16 audio or a one-line error."""
    try:
        audio = load_call_audio(path, speaker)
    except CuecardError as error:
        message = str(error)
        assert message.strip(), "empty error message"
        assert "\n" not in message, f"multi-line error: {message!r}"
        return
    lengths = {len(pcm) for pcm in audio.channels.values()}
    assert len(lengths) == 1, f"channels differ in length: {lengths}"
    for pcm in audio.channels.values():
        assert pcm.dtype == np.int16
    assert abs(audio.duration - lengths.pop() / SAMPLE_RATE) < 1e-6


def wav_bytes(channels: int, width: int, rate: int, frames: bytes) -> bytes:
    """Return a WAV file with the given header fields around ``frames``."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return buffer.getvalue()


@FUZZ_SETTINGS
@given(data=st.binary(max_size=4000))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(data)
    check_load(path)


@FUZZ_SETTINGS
@given(
    channels=st.integers(1, 4),
    width=st.sampled_from([1, 2, 3, 4]),
    rate=st.one_of(
        st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000, 96000]),
        st.integers(1, 400_000),
    ),
    frames=st.binary(max_size=6000),
    speaker=st.sampled_from([None, "rep", "prospect", "mixed"]),
)
def test_any_wav_header_never_crashes(
    tmp_path: Path,
    channels: int,
    width: int,
    rate: int,
    frames: bytes,
    speaker: str | None,
) -> None:
    path = tmp_path / "call.wav"
    usable = len(frames) - len(frames) % (channels * width)
    path.write_bytes(wav_bytes(channels, width, rate, frames[:usable]))
    check_load(path, speaker)


@FUZZ_SETTINGS
@given(
    offset=st.integers(0, 60),
    value=st.integers(0, 2**32 - 1),
)
def test_corrupted_header_never_crashes(
    tmp_path: Path, offset: int, value: int
) -> None:
    tone = (np.sin(np.arange(1600) / 5) * 8000).astype(np.int16).tobytes()
    data = bytearray(wav_bytes(2, 2, 16000, tone))
    at = min(offset, len(data) - 4)
    data[at : at + 4] = struct.pack("<I", value)
    path = tmp_path / "call.wav"
    path.write_bytes(bytes(data))
    check_load(path)
