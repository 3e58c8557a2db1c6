"""Tests for the call synthesizer, with real voices and real WAV files."""

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from bench import synth
from bench.synth import ScriptError, Turn

SCRIPT = """\
# heading lines and notes are ignored
REP: Hi, this is Sam from Routewell. [intro:permission]
PROSPECT: We already use another vendor. [objection:has-vendor]
OUTCOME: callback
PROSPECT: Sounds good.
"""


def _band_energy(samples: np.ndarray, rate: int, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


def test_parse_script_turns_and_tags() -> None:
    turns = synth.parse_script(SCRIPT)

    assert turns == [
        Turn("rep", "Hi, this is Sam from Routewell.", None),
        Turn("prospect", "We already use another vendor.", "has-vendor"),
        Turn("prospect", "Sounds good.", None),
    ]


def test_parse_script_rejects_unknown_id() -> None:
    with pytest.raises(ScriptError, match="line 1: unknown objection id 'too-pricey'"):
        synth.parse_script("PROSPECT: Too pricey. [objection:too-pricey]")


def test_parse_script_rejects_rep_objection() -> None:
    with pytest.raises(ScriptError, match="PROSPECT lines"):
        synth.parse_script("REP: No budget? [objection:no-budget]")


def test_speak_rejects_unknown_engine() -> None:
    with pytest.raises(ScriptError, match="unknown voice 'festival:kal'"):
        synth.speak("festival:kal", "hello", 16000)


def test_telephone_band_removes_low_and_high() -> None:
    rate = 16000
    time = np.arange(rate) / rate
    tones = {hz: np.sin(2 * np.pi * hz * time) for hz in (100, 1000, 6000)}
    mixed = sum(tones.values()).astype(np.float32)

    banded = synth.telephone_band(mixed, rate)

    assert len(banded) == len(mixed)
    kept = _band_energy(banded, rate, 950, 1050)
    assert _band_energy(banded, rate, 50, 150) < kept / 1000
    assert _band_energy(banded, rate, 5900, 6100) < kept / 1000
    assert kept > 0.5 * _band_energy(mixed, rate, 950, 1050)


def test_add_noise_reaches_snr() -> None:
    rate = 16000
    speech = 0.1 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)
    audio = np.zeros((3 * rate, 2), dtype=np.float32)
    audio[rate : 2 * rate, 1] = speech
    call = synth.Call(audio, rate, [])

    noisy = synth.add_noise(call, 20.0, seed=1)

    noise = noisy.audio[:rate, 1]
    snr_db = 10 * np.log10(np.mean(speech**2) / np.mean(noise**2))
    assert snr_db == pytest.approx(20.0, abs=0.5)
    assert np.array_equal(noisy.audio[:, 0], audio[:, 0])


def test_render_call_labels_and_channels(tmp_path: Path) -> None:
    turns = synth.parse_script(SCRIPT)

    call = synth.render_call(turns, "flite:rms", "flite:slt", rate=8000, phone=True)
    label_path = synth.write_call(call, tmp_path / "call.wav", {"snr_db": None})

    labels = json.loads(label_path.read_text(encoding="utf-8"))
    assert labels["rate"] == 8000
    assert labels["channels"] == ["rep", "prospect"]
    speakers = [turn["speaker"] for turn in labels["turns"]]
    assert speakers == ["rep", "prospect", "prospect"]
    assert labels["turns"][1]["objection"] == "has-vendor"
    for before, after in zip(labels["turns"], labels["turns"][1:], strict=False):
        assert before["start"] < before["end"] < after["start"]

    with wave.open(str(tmp_path / "call.wav")) as wav_file:
        assert wav_file.getnchannels() == 2
        assert wav_file.getsampwidth() == 2
        assert wav_file.getframerate() == 8000
        frames = wav_file.readframes(wav_file.getnframes())
    pcm = np.frombuffer(frames, dtype=np.int16).reshape(-1, 2).astype(np.float32)

    rep_turn = labels["turns"][0]
    inside = slice(int(rep_turn["start"] * 8000), int(rep_turn["end"] * 8000))
    assert np.sqrt(np.mean(pcm[inside, 0] ** 2)) > 1000
    assert np.sqrt(np.mean(pcm[inside, 1] ** 2)) < 10
    assert np.count_nonzero(pcm[: int(0.5 * 8000)]) > 0


def test_main_reports_missing_turns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "empty.txt"
    script.write_text("just a note\n", encoding="utf-8")

    status = synth.main([str(script), str(tmp_path / "out.wav")])

    assert status == 1
    assert "no REP: or PROSPECT: lines found" in capsys.readouterr().err
    assert not (tmp_path / "out.wav").exists()
