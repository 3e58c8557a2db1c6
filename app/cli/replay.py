"""``replay FILE``: run a recording through the whole pipeline."""

import argparse
import json
import os
import sys
import threading

from app.coaching.events import (
    CallSummary,
    CardFired,
    CardWithdrawn,
    CoachEvent,
    SourceProblem,
    TranscriptFinal,
)

PRINTED_EVENTS = (CardFired, CardWithdrawn, TranscriptFinal, SourceProblem)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the replay command."""
    parser = subparsers.add_parser(
        "replay",
        help="run a recording through the pipeline and print the call timeline",
        description="Run a WAV through speech recognition and the playbook matcher. "
        "A stereo file carries the rep on the left and the prospect on the right.",
    )
    parser.add_argument("file", help="the recording (WAV or any file soundfile reads)")
    parser.add_argument("--playbook", help="playbook file or folder (default: ours)")
    parser.add_argument(
        "--model", help='speech model: a Vosk model folder, a model name or "embedded"'
    )
    parser.add_argument(
        "--speaker",
        choices=("rep", "prospect", "mixed"),
        help="who is speaking in a mono file (default: mixed)",
    )
    parser.add_argument(
        "--realtime", action="store_true", help="pace the replay like a live call"
    )
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.add_argument(
        "--save", action="store_true", help="store the call in the local database"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Replay the file and print its timeline; return the exit status."""
    from pathlib import Path

    from app.audio.sources import WavReplaySource
    from app.audio.wavfile import load_call_audio
    from app.coaching.call import CallSetup, check_vocabulary, start_call
    from app.playbooks.loader import load_playbook, resolve_playbook_path
    from app.playbooks.matcher import Matcher
    from app.speech.engines import load_engine
    from app.speech.models import choose_model
    from app.store.local import LocalStore

    audio = load_call_audio(Path(args.file), args.speaker)
    playbook = load_playbook(resolve_playbook_path(args.playbook))
    model = choose_model(args.model, language=playbook.language)
    check_vocabulary(model, playbook)
    engine = load_engine(model)
    store = LocalStore.open() if args.save else None
    setup = CallSetup(playbook, Matcher(playbook), engine, store=store)

    printer = _JsonPrinter() if args.json else _TextPrinter()
    printer.start(audio.path, audio.duration, engine, playbook)
    source = WavReplaySource(audio, realtime=args.realtime)
    pipeline = start_call(setup, source, printer.event, live=False)
    try:
        while not pipeline.wait_until_done(0.5) and not printer.closed:
            pass
    finally:
        summary = pipeline.stop()
        if store is not None:
            store.close()
    printer.summary(summary)
    return 0


class _Printer:
    """Prints the timeline from the session thread, one whole line at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.closed = False

    def _print(self, line: str) -> None:
        """Print one line; once the reader has gone (``| head``), print nothing."""
        with self._lock:
            if self.closed:
                return
            try:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                self.closed = True
                # Python flushes stdout once more at exit; aim it at devnull so
                # that flush does not raise again.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _JsonPrinter(_Printer):
    def _write(self, record: dict) -> None:
        self._print(json.dumps(record, ensure_ascii=False))

    def start(self, path, duration: float, engine, playbook) -> None:  # noqa: ANN001
        self._write(
            {
                "type": "start",
                "file": str(path),
                "duration": round(duration, 2),
                "engine": engine.name,
                "model": engine.model_name,
                "playbook": f"{playbook.name} {playbook.version}",
            }
        )

    def event(self, event: CoachEvent) -> None:
        if isinstance(event, PRINTED_EVENTS):
            self._write(event.to_json())

    def summary(self, summary: CallSummary) -> None:
        self._write(summary.to_json())


class _TextPrinter(_Printer):
    def start(self, path, duration: float, engine, playbook) -> None:  # noqa: ANN001
        self._print(
            f"{path} ({duration:.1f} s) | speech: {engine.name} {engine.model_name}"
            f" | playbook: {playbook.name} {playbook.version}"
        )

    def event(self, event: CoachEvent) -> None:
        if isinstance(event, TranscriptFinal):
            self._print(f"{event.t0:7.1f} s  {event.speaker:>8}: {event.text}")
        elif isinstance(event, CardFired):
            self._print(
                f"{event.t:7.1f} s  {'CARD':>8}: {event.title} [{event.category}]"
                f'  heard: "{event.heard}"  score {event.score:.2f}'
            )
        elif isinstance(event, CardWithdrawn):
            self._print(f"{event.t:7.1f} s  {'withdrew':>8}: {event.card}")
        elif isinstance(event, SourceProblem):
            self._print(f"{'':9}  {'audio':>8}: {event.message}")

    def summary(self, summary: CallSummary) -> None:
        metrics = summary.metrics
        cards = ", ".join(summary.cards) or "none"
        two_sided = metrics["rep_talk_s"] + metrics["prospect_talk_s"] > 0
        ratio = f"{metrics['talk_ratio']:.0%} rep" if two_sided else "- (one channel)"
        self._print(
            f"call {summary.duration:.1f} s | cards: {cards}"
            f" | talk ratio {ratio}"
            f" | longest monologue {metrics['longest_monologue_s']:.0f} s"
            f" | rep pace {metrics['rep_wpm']:.0f} wpm"
            f" | questions {metrics['questions']:.0f}"
        )
        if summary.suggested_outcome:
            self._print(f"suggested outcome: {summary.suggested_outcome}")
        if summary.call_id:
            self._print(f"saved as call {summary.call_id}")
