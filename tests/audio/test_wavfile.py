"""load_call_audio on real files made with sox."""

import wave
from pathlib import Path

import numpy as np
import pytest

from app.audio.wavfile import load_call_audio
from app.errors import CuecardError
from tests.audio.sox import peak_frequency, tone_file

FORMATS = {
    "16k-16bit": ["-r", "16000", "-b", "16"],
    "8k": ["-r", "8000", "-b", "16"],
    "44k1": ["-r", "44100", "-b", "16"],
    "48k-24bit": ["-r", "48000", "-b", "24"],
    "float32": ["-r", "22050", "-e", "floating-point", "-b", "32"],
    "mu-law": ["-r", "8000", "-e", "mu-law", "-b", "8"],
}


@pytest.mark.parametrize("name", FORMATS)
def test_mono_formats_convert(tmp_path: Path, name: str) -> None:
    path = tone_file(tmp_path / f"{name}.wav", *FORMATS[name], tones=(440,))

    audio = load_call_audio(path)

    assert audio.speakers == ("mixed",)
    pcm = audio.channels["mixed"]
    assert pcm.dtype == np.int16
    assert abs(len(pcm) - 16_000) <= 2
    assert audio.duration == pytest.approx(1.0, abs=0.001)
    assert audio.source_rate == int(FORMATS[name][1])
    assert audio.source_channels == 1
    assert peak_frequency(pcm) == pytest.approx(440, abs=3)
    # sox's "gain -6" leaves the tone at half scale: about 16 384 at the peak.
    assert 14_000 < np.abs(pcm).max() < 18_500


def test_stereo_splits_rep_and_prospect(tmp_path: Path) -> None:
    path = tone_file(tmp_path / "call.wav", "-r", "44100", tones=(440, 1000))

    audio = load_call_audio(path)

    assert audio.speakers == ("rep", "prospect")
    assert len(audio.channels["rep"]) == len(audio.channels["prospect"])
    assert peak_frequency(audio.channels["rep"]) == pytest.approx(440, abs=3)
    assert peak_frequency(audio.channels["prospect"]) == pytest.approx(1000, abs=3)


def test_stereo_speaker_choices(tmp_path: Path) -> None:
    path = tone_file(tmp_path / "call.wav", "-r", "16000", tones=(440, 1000))

    assert load_call_audio(path, "prospect").speakers == ("prospect",)
    assert load_call_audio(path, "rep").speakers == ("rep",)
    mixed = load_call_audio(path, "mixed").channels["mixed"]
    spectrum = np.abs(np.fft.rfft(mixed.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(mixed), 1 / 16_000)
    strongest = sorted(freqs[np.argsort(spectrum)[-2:]])
    assert strongest == pytest.approx([440, 1000], abs=2)


def test_mono_speaker_override(tmp_path: Path) -> None:
    path = tone_file(tmp_path / "mic.wav", "-r", "16000")

    assert load_call_audio(path, "prospect").speakers == ("prospect",)


def test_resampler_filters_above_nyquist(tmp_path: Path) -> None:
    # A 10 kHz tone cannot exist at 16 kHz. Dropping samples would fold it to
    # 6 kHz at full level; a real low-pass resampler removes it.
    path = tone_file(tmp_path / "high.wav", "-r", "48000", tones=(10_000,))

    pcm = load_call_audio(path).channels["mixed"]

    assert np.abs(pcm[1000:-1000]).max() < 100


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("three-channels", "3 channels"),
        ("text", "not a readable audio file"),
        ("missing", "not found"),
        ("empty", "no audio samples"),
        ("folder", "is a folder"),
    ],
)
def test_bad_input_one_line_error(tmp_path: Path, make: str, expected: str) -> None:
    path = tmp_path / "input.wav"
    if make == "three-channels":
        tone_file(path, "-r", "16000", tones=(300, 400, 500))
    elif make == "text":
        path.write_text("REP: hello\nPROSPECT: not interested\n")
    elif make == "empty":
        with wave.open(str(path), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(16_000)
    elif make == "folder":
        path.mkdir()

    with pytest.raises(CuecardError) as caught:
        load_call_audio(path)

    message = str(caught.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_invalid_speaker_rejected(tmp_path: Path) -> None:
    path = tone_file(tmp_path / "mic.wav", "-r", "16000")

    with pytest.raises(CuecardError, match="invalid speaker 'caller'"):
        load_call_audio(path, "caller")
