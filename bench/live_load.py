"""Measure CPU and RSS during a live call, and RSS growth over a long call.

Both parts replay resources/sample_call.wav, repeated to the length asked for,
through the whole call pipeline in this process:
- live: two channels (rep and prospect) paced in real time, like a live call;
  CPU is this process's CPU time over wall time, in % of one core, per 10 s
  window; RSS is sampled every second. Target with the embedded default:
  <= 50% of one core.
- long: the same audio for ``--long-minutes`` replayed as fast as possible; RSS
  is sampled every second against the audio position reached. Growth is the RSS
  at the end minus the RSS after the first ``--warm-up-minutes`` of audio (model
  load and warm-up), scaled to one hour of audio. Target: <= 50 MB per hour.

  python -m bench.live_load [--model M] [--live-minutes N] [--long-minutes N] [--json]
"""

import argparse
import threading
import time
from typing import Any

import numpy as np
import psutil

from bench.figures import REPO_ROOT, call_setup, emit, figure, setup_logging

SAMPLE_CALL = REPO_ROOT / "resources" / "sample_call.wav"
CPU_WINDOW_SECONDS = 10.0
TARGET_CPU_PERCENT = 50.0
TARGET_GROWTH_MB_PER_HOUR = 50.0


def repeated_call(minutes: float) -> Any:
    """Return the sample call repeated to at least ``minutes`` of audio."""
    from app.audio.wavfile import CallAudio, load_call_audio

    audio = load_call_audio(SAMPLE_CALL)
    copies = max(1, int(np.ceil(minutes * 60 / audio.duration)))
    channels = {name: np.tile(pcm, copies) for name, pcm in audio.channels.items()}
    return CallAudio(
        audio.path,
        channels,
        audio.source_rate,
        audio.source_channels,
        audio.duration * copies,
    )


class _Sampler:
    """Sample RSS and CPU time of this process once a second on a thread."""

    def __init__(self, position: Any) -> None:
        self.process = psutil.Process()
        self.position = position
        self.samples: list[tuple[float, float, float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "_Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            cpu = self.process.cpu_times()
            self.samples.append(
                (
                    time.monotonic(),
                    cpu.user + cpu.system,
                    self.process.memory_info().rss / 2**20,
                    self.position(),
                )
            )


def _run_call(setup: Any, audio: Any, realtime: bool) -> list[tuple]:
    """Replay ``audio`` through a call; return the sampler's rows."""
    from app.audio.sources import WavReplaySource
    from app.coaching.call import start_call

    reached = [0.0]

    def on_event(event: Any) -> None:
        reached[0] = max(reached[0], getattr(event, "t", 0.0) or 0.0)

    source = WavReplaySource(audio, realtime=realtime)
    with _Sampler(lambda: reached[0]) as sampler:
        pipeline = start_call(setup, source, on_event, live=realtime)
        pipeline.wait_until_done()
        pipeline.stop()
    return sampler.samples


def live_figures(setup: Any, minutes: float) -> list[dict[str, Any]]:
    """Measure CPU and RSS while a two-channel call replays in real time."""
    samples = _run_call(setup, repeated_call(minutes), realtime=True)
    window = int(CPU_WINDOW_SECONDS)
    cpu = [
        100
        * (samples[i + window][1] - samples[i][1])
        / (samples[i + window][0] - samples[i][0])
        for i in range(0, len(samples) - window, window)
    ]
    rss = [row[2] for row in samples]
    label = f"{setup.engine.name} {setup.engine.model_name}"
    median_cpu = float(np.median(cpu)) if cpu else None
    note = f"{minutes:g} min two-channel replay in real time"
    return [
        figure(
            f"live two-channel CPU, {label}",
            cpu,
            "% of one core",
            f"median <= {TARGET_CPU_PERCENT:g}%",
            None if median_cpu is None else median_cpu <= TARGET_CPU_PERCENT,
            note + f", per {CPU_WINDOW_SECONDS:g} s window",
        ),
        figure(f"live two-channel RSS, {label}", rss, "MB", note=note),
    ]


def long_call_figures(
    setup: Any, minutes: float, warm_up_minutes: float
) -> list[dict[str, Any]]:
    """Measure RSS growth over a long call replayed faster than real time."""
    audio = repeated_call(minutes)
    started = time.monotonic()
    samples = _run_call(setup, audio, realtime=False)
    elapsed = time.monotonic() - started
    after_warm_up = [row for row in samples if row[3] >= warm_up_minutes * 60]
    label = f"{setup.engine.name} {setup.engine.model_name}"
    if len(after_warm_up) < 2:
        return [
            figure(
                f"RSS growth per hour of audio, {label}",
                [],
                "MB/h",
                note="call too short to pass the warm-up",
            )
        ]
    first, last = after_warm_up[0], samples[-1]
    audio_hours = (audio.duration - first[3]) / 3600
    growth = (last[2] - first[2]) / audio_hours
    return [
        figure(
            f"RSS growth per hour of audio, {label}",
            [growth],
            "MB/h",
            f"<= {TARGET_GROWTH_MB_PER_HOUR:g} MB/h",
            growth <= TARGET_GROWTH_MB_PER_HOUR,
            f"{audio.duration / 60:.0f} min of audio in {elapsed / 60:.1f} min; "
            f"RSS {first[2]:.0f} MB after {first[3] / 60:.0f} min of audio, "
            f"{last[2]:.0f} MB at the end, peak {max(r[2] for r in samples):.0f} MB",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the live and long-call measurements and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="speech model (default: the app's choice)")
    parser.add_argument(
        "--live-minutes", type=float, default=10.0, help="real-time replay length"
    )
    parser.add_argument(
        "--long-minutes", type=float, default=60.0, help="fast replay length"
    )
    parser.add_argument(
        "--warm-up-minutes",
        type=float,
        default=10.0,
        help="audio minutes before the RSS growth is measured",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    setup_logging()
    setup = call_setup(args.model)
    figures = []
    if args.live_minutes > 0:
        figures += live_figures(setup, args.live_minutes)
    if args.long_minutes > 0:
        figures += long_call_figures(setup, args.long_minutes, args.warm_up_minutes)
    emit("live_load", figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
