"""Test helpers that make audio files with the sox command line tool."""

import subprocess
from pathlib import Path

import numpy as np


def sox(*args: str) -> None:
    """Run sox with ``args`` and fail the test with its stderr on error."""
    result = subprocess.run(["sox", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def tone_file(path: Path, *formats: str, seconds: float = 1.0, tones=(440,)) -> Path:
    """Write sine tones (one per channel) in the sox output ``formats``."""
    channels: list[str] = []
    for frequency in tones:
        channels += ["sine", str(frequency)]
    sox(
        "-n",
        *formats,
        "-c",
        str(len(tones)),
        str(path),
        "synth",
        str(seconds),
        *channels,
        "gain",
        "-6",
    )
    return path


def peak_frequency(pcm: np.ndarray, rate: int = 16_000) -> float:
    """Return the frequency with the most energy in ``pcm``, in Hz."""
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm))))
    return float(np.fft.rfftfreq(len(pcm), 1 / rate)[np.argmax(spectrum)])
