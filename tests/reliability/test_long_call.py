"""A 60-minute call replayed faster than real time keeps its memory flat."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

MINUTES = 60
WARM_UP_MINUTES = 10
# The benchmark target is 50 MB per hour of audio; the 50 minutes after the
# warm-up get the same allowance.
MAX_GROWTH_MB = 50.0
TIMEOUT_SECONDS = 1500


@pytest.mark.slow
def test_hour_call_memory_flat() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.long_call_memory",
            str(MINUTES),
            "embedded",
        ],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    rss = {int(minute): mb for minute, mb in report["rss_mb"].items()}

    assert report["duration"] >= MINUTES * 60 - 1
    assert min(rss) <= WARM_UP_MINUTES < max(rss), sorted(rss)
    after_warm_up = rss[min(m for m in rss if m >= WARM_UP_MINUTES)]
    growth = rss[max(rss)] - after_warm_up
    assert growth <= MAX_GROWTH_MB, f"RSS grew {growth:.0f} MB: {rss}"
