"""Compare replay throughput of the whole pipeline with the bare recognizers.

Both sides decode the same two-channel audio (resources/sample_call.wav) as fast
as possible. The bare side runs one thread per channel that feeds its recognizer
0.1 s blocks. The pipeline side is ``start_call`` on a WavReplaySource, which adds
the queues, the matcher, the session and event delivery. Throughput is seconds of
call audio per wall-clock second. Target: the pipeline keeps >= 90% of the bare
recognizers' throughput.

  python -m bench.throughput [--model M] [--runs N] [--json]
"""

import argparse
import threading
import time
from typing import Any

from bench.figures import REPO_ROOT, call_setup, emit, figure, setup_logging, spread

SAMPLE_CALL = REPO_ROOT / "resources" / "sample_call.wav"
BLOCK_SAMPLES = 1600
TARGET_SHARE = 0.9


def bare_seconds(engine: Any, audio: Any) -> float:
    """Decode every channel with a bare recognizer, one thread each; return seconds."""

    def decode(speaker: str) -> None:
        recognizer = engine.new_recognizer(speaker)
        pcm = audio.channels[speaker]
        for offset in range(0, len(pcm), BLOCK_SAMPLES):
            recognizer.accept(pcm[offset : offset + BLOCK_SAMPLES])
        recognizer.finish()

    threads = [threading.Thread(target=decode, args=(s,)) for s in audio.speakers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def pipeline_seconds(setup: Any, audio: Any) -> float:
    """Replay the audio through the whole call pipeline; return seconds."""
    from app.audio.sources import WavReplaySource
    from app.coaching.call import start_call

    started = time.perf_counter()
    pipeline = start_call(
        setup, WavReplaySource(audio, realtime=False), lambda event: None, live=False
    )
    pipeline.wait_until_done()
    pipeline.stop()
    return time.perf_counter() - started


def measure(model: str | None, runs: int) -> list[dict[str, Any]]:
    """Alternate bare and pipeline runs; return the throughput figures."""
    from app.audio.wavfile import load_call_audio

    setup = call_setup(model)
    audio = load_call_audio(SAMPLE_CALL)
    bare, piped = [], []
    for _ in range(runs):
        bare.append(audio.duration / bare_seconds(setup.engine, audio))
        piped.append(audio.duration / pipeline_seconds(setup, audio))
    shares = [p / b for p, b in zip(piped, bare, strict=True)]
    label = f"{setup.engine.name} {setup.engine.model_name}"
    share = figure(
        f"pipeline / bare throughput, {label}",
        shares,
        "ratio",
        f">= {TARGET_SHARE:g}",
        spread(shares)["median"] >= TARGET_SHARE,
        f"{audio.duration:.0f} s two-channel sample call, runs alternate",
    )
    return [
        figure(f"bare recognizer throughput, {label}", bare, "x real time"),
        figure(f"pipeline throughput, {label}", piped, "x real time"),
        share,
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the throughput comparison and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="speech model (default: the app's choice)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    setup_logging()
    emit("throughput", measure(args.model, args.runs), args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
