"""Measure objection recall, false cards and latency of the whole pipeline.

Each script in bench/calls/ becomes a labelled stereo call: the rep on the left,
the prospect on the right through a telephone band, with voices rotating between
calls. White noise is added to the prospect at each SNR. Every WAV is replayed
through ``python -m app replay WAV --json`` and its cards are scored against the
labels by bench/call_scoring.py. The script prints a table per SNR and writes the
figures as JSON.

Run from the repository root:
  python -m bench.e2e_calls                  # all calls at 30, 20 and 10 dB
  python -m bench.e2e_calls --quick          # 2 calls at 20 dB
  python -m bench.e2e_calls --synth-only     # only build the WAVs

Synthesized calls are cached under bench/out/e2e/ and rebuilt when the script, the
voices, the SNR or bench/synth.py change.
"""

import argparse
import hashlib
import json
import logging
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import soundfile

from bench.call_scoring import (
    WINDOW_S,
    CallScore,
    recall_by_category,
    score_call,
    summarize,
)
from bench.synth import (
    Call,
    ScriptError,
    add_noise,
    parse_script,
    render_call,
    write_call,
)

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
CALLS_DIR = REPO_ROOT / "bench" / "calls"
CACHE_DIR = REPO_ROOT / "bench" / "out" / "e2e"
DEFAULT_OUT = REPO_ROOT / "bench" / "out" / "e2e_calls.json"
SNRS_DB = (30.0, 20.0, 10.0)
QUICK_CALLS = 2
QUICK_SNR_DB = 20.0
REPLAY_TIMEOUT_S = 900.0

# (rep, prospect) voices, taken in turn by the calls in name order.
VOICE_PAIRS = (
    ("piper:joe", "flite:slt"),
    ("flite:rms", "flite:kal"),
    ("piper:joe", "flite:awb"),
    ("flite:awb", "flite:slt"),
    ("flite:kal", "piper:joe"),
    ("piper:joe", "flite:rms"),
)

TARGET_SNR_DB = 20.0
TARGET_RECALL = 0.70
TARGET_FALSE_PER_CALL = 1.0


@dataclass(frozen=True)
class CallSpec:
    """One call script and the voices that speak it."""

    script: Path
    rep_voice: str
    prospect_voice: str

    @property
    def name(self) -> str:
        """Return the script's file name without its suffix."""
        return self.script.stem


def find_calls(calls_dir: Path, limit: int | None = None) -> list[CallSpec]:
    """List the call scripts in name order, each with its pair of voices."""
    scripts = sorted(calls_dir.glob("*.txt"))[:limit]
    return [
        CallSpec(script, *VOICE_PAIRS[index % len(VOICE_PAIRS)])
        for index, script in enumerate(scripts)
    ]


def _cache_key(spec: CallSpec, snr_db: float) -> str:
    digest = hashlib.sha256()
    synth_source = Path(__file__).with_name("synth.py").read_bytes()
    for part in (spec.script.read_bytes(), synth_source):
        digest.update(part)
    digest.update(f"{spec.rep_voice}|{spec.prospect_voice}|{snr_db}".encode())
    return digest.hexdigest()[:16]


def synthesize_calls(
    spec: CallSpec, snrs_db: list[float], cache_dir: Path
) -> dict[float, Path]:
    """Write the call's WAV at each SNR, reusing cached files, and return paths."""
    paths: dict[float, Path] = {}
    clean: Call | None = None
    for snr_db in snrs_db:
        path = cache_dir / f"{spec.name}-{snr_db:g}db.wav"
        key = _cache_key(spec, snr_db)
        label_path = path.with_suffix(".json")
        if path.exists() and label_path.exists():
            cached = json.loads(label_path.read_text(encoding="utf-8"))
            if cached.get("cache_key") == key:
                paths[snr_db] = path
                continue

        if clean is None:
            turns = parse_script(spec.script.read_text(encoding="utf-8"))
            clean = render_call(turns, spec.rep_voice, spec.prospect_voice)
        details = {
            "script": spec.script.name,
            "voices": {"rep": spec.rep_voice, "prospect": spec.prospect_voice},
            "phone": True,
            "snr_db": snr_db,
            "cache_key": key,
        }
        write_call(add_noise(clean, snr_db), path, details)
        log.info("synthesized %s", path)
        paths[snr_db] = path
    return paths


def replay(wav: Path, python: str, extra_args: list[str]) -> tuple[list[dict], float]:
    """Run ``python -m app replay WAV --json`` and return its events and wall time.

    Raises RuntimeError with the command's last error line when it fails.
    """
    command = [python, "-m", "app", "replay", str(wav), "--json", *extra_args]
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=REPLAY_TIMEOUT_S,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["(no output on stderr)"]
        raise RuntimeError(f"replay exited {result.returncode}: {lines[-1]}")

    events = []
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return events, elapsed


def score_replay(wav: Path, events: list[dict]) -> tuple[CallScore, dict]:
    """Score a replay against the labels beside the WAV, with a record for the JSON."""
    labels = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    score = score_call(labels["turns"], events)
    summaries = [event for event in events if event.get("type") == "summary"]
    record = {
        "wav": str(wav.relative_to(REPO_ROOT)),
        "voices": labels.get("voices"),
        "snr_db": labels.get("snr_db"),
        "audio_s": round(soundfile.info(wav).duration, 1),
        "summary": summaries[-1] if summaries else None,
        "missed": [turn["text"] for turn in score.missed],
        "score": asdict(score),
    }
    return score, record


def format_table(figures: dict[str, dict]) -> str:
    """Format the per-SNR figures as an aligned text table."""
    header = (
        "SNR dB",
        "calls",
        "recall",
        "false/call",
        "kept/call",
        "rep cards",
        "latency median",
        "p95",
    )
    rows = [header]
    for snr, row in figures.items():
        rows.append(
            (
                snr,
                str(row["calls"]),
                _format_value(row["recall"]),
                _format_value(row["false_cards_per_call"]),
                _format_value(row["false_kept_per_call"]),
                str(row["rep_cards"]),
                _format_value(row["latency_median_s"], " s"),
                _format_value(row["latency_p95_s"], " s"),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


def _format_value(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.2f}{unit}"


def _target_line(figures: dict[str, dict]) -> str | None:
    row = figures.get(f"{TARGET_SNR_DB:g}")
    if row is None or row["recall"] is None:
        return None
    recall_ok = row["recall"] >= TARGET_RECALL
    false_ok = row["false_cards_per_call"] <= TARGET_FALSE_PER_CALL
    return (
        f"target at {TARGET_SNR_DB:g} dB: recall {row['recall']:.2f} "
        f"(>= {TARGET_RECALL:.2f}: {'met' if recall_ok else 'missed'}), "
        f"false cards per call {row['false_cards_per_call']:.2f} "
        f"(<= {TARGET_FALSE_PER_CALL:g}: {'met' if false_ok else 'missed'})"
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"replay only {QUICK_CALLS} calls at {QUICK_SNR_DB:g} dB",
    )
    parser.add_argument(
        "--snr",
        type=float,
        action="append",
        help="prospect SNR in dB, repeatable (default: 30, 20 and 10)",
    )
    parser.add_argument("--calls", type=Path, default=CALLS_DIR, help="script folder")
    parser.add_argument("--limit", type=int, help="use only the first N scripts")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON to write")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter that runs the app"
    )
    parser.add_argument(
        "--replay-arg",
        action="append",
        default=[],
        help="extra replay argument, repeatable, such as --replay-arg=--model=PATH",
    )
    parser.add_argument(
        "--synth-only", action="store_true", help="build the WAVs and stop"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Synthesize, replay and score the calls, then print and write the figures."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    snrs_db = [QUICK_SNR_DB] if args.quick else args.snr or list(SNRS_DB)
    specs = find_calls(args.calls, QUICK_CALLS if args.quick else args.limit)
    if not specs:
        print(f"e2e_calls: no *.txt call scripts in {args.calls}", file=sys.stderr)
        return 1

    try:
        wavs = {spec.name: synthesize_calls(spec, snrs_db, CACHE_DIR) for spec in specs}
    except (OSError, ScriptError) as error:
        print(f"e2e_calls: synthesis failed: {error}", file=sys.stderr)
        return 1
    if args.synth_only:
        print(f"synthesized {len(specs) * len(snrs_db)} calls in {CACHE_DIR}")
        return 0

    records, errors = [], []
    figures, categories = {}, {}
    for snr_db in snrs_db:
        scores = []
        for spec in specs:
            wav = wavs[spec.name][snr_db]
            try:
                events, elapsed = replay(wav, args.python, args.replay_arg)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                log.error("replay of %s failed: %s", wav.name, error)
                errors.append({"wav": wav.name, "error": str(error)})
                continue

            score, record = score_replay(wav, events)
            record["replay_s"] = round(elapsed, 1)
            scores.append(score)
            records.append(record)
            log.info(
                "%s: %d of %d objections, %d false cards, replay %.1f s",
                wav.name,
                score.hits,
                score.objections,
                len(score.false_cards),
                elapsed,
            )
        if scores:
            figures[f"{snr_db:g}"] = summarize(scores)
            categories[f"{snr_db:g}"] = recall_by_category(scores)

    if figures:
        print(format_table(figures))
        target = _target_line(figures)
        if target:
            print(target)
    document = {
        "command": " ".join(["python -m bench.e2e_calls", *(argv or sys.argv[1:])]),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "window_s": WINDOW_S,
        "replay_args": args.replay_arg,
        "by_snr": figures,
        "recall_by_category": categories,
        "calls": records,
        "errors": errors,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
