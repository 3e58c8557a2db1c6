"""Measure startup: process start to window shown, and the --self-test time.

Window shown: a fresh interpreter runs ``python -m app`` offscreen with
QApplication.exec wrapped, so that the first pass of the event loop prints the
time since the process started and quits once a top-level window is visible.
The process start is taken from psutil's create_time of that interpreter.
Self-test: the wall time of ``python -m app --self-test``. Each run uses a fresh
CUECARD_HOME, so it includes creating the local database.

  python -m bench.startup [--runs N] [--json]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.figures import REPO_ROOT, emit, figure, setup_logging

TIMEOUT_SECONDS = 180.0

# Runs in the child interpreter. It prints one line, "shown <seconds>".
WINDOW_PROBE = """
import sys, time, psutil
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

created = psutil.Process().create_time()
original_exec = QApplication.exec

def probe():
    if any(w.isVisible() for w in QApplication.topLevelWidgets()):
        print(f"shown {time.time() - created:.3f}", flush=True)
        QApplication.instance().quit()
    else:
        QTimer.singleShot(10, probe)

def exec_with_probe(*args):
    # PySide6's exec is static: the instance it is called on is not passed on.
    QTimer.singleShot(0, probe)
    return original_exec()

QApplication.exec = exec_with_probe
from app.cli import main
sys.exit(main([]))
"""


def _environment(home: str) -> dict[str, str]:
    return {**os.environ, "CUECARD_HOME": home, "QT_QPA_PLATFORM": "offscreen"}


def window_shown_seconds() -> float:
    """Start the app once and return seconds from process start to window shown."""
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [sys.executable, "-c", WINDOW_PROBE],
            cwd=REPO_ROOT,
            env=_environment(home),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    for line in result.stdout.splitlines():
        if line.startswith("shown "):
            return float(line.split()[1])
    raise RuntimeError(_last_line(result.stderr) or f"exit status {result.returncode}")


def self_test_seconds() -> float:
    """Run --self-test once and return its wall time in seconds."""
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "app", "--self-test"],
            cwd=REPO_ROOT,
            env=_environment(home),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(_last_line(result.stderr) or f"exit {result.returncode}")
    return elapsed


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _measure(name: str, run: Any, runs: int) -> dict[str, Any]:
    """Run one measurement ``runs`` times; a failure gives a figure with no values."""
    values = []
    try:
        for _ in range(runs):
            values.append(run())
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return figure(name, [], "s", note=f"failed: {error}")
    return figure(name, values, "s", note=f"{runs} cold runs, fresh CUECARD_HOME")


def main(argv: list[str] | None = None) -> int:
    """Measure startup and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="starts of each kind")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    setup_logging()
    figures = [
        _measure("process start -> window shown", window_shown_seconds, args.runs),
        _measure("--self-test", self_test_seconds, args.runs),
    ]
    emit("startup", figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
