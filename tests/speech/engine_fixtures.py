"""Loaded engines and fixture audio shared by the engine tests."""

import json
import wave
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read_fixture(name: str) -> tuple[np.ndarray, dict]:
    """Return a 16 kHz mono fixture's samples and its labels."""
    with wave.open(str(FIXTURES / f"{name}.wav")) as wav:
        assert wav.getframerate() == 16_000
        assert wav.getnchannels() == 1
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    labels = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return pcm, labels


def feed(recognizer, pcm: np.ndarray, block: int = 1600) -> list:  # noqa: ANN001
    """Feed ``pcm`` in blocks and return every result, the flush included."""
    results = []
    for offset in range(0, len(pcm), block):
        results.extend(recognizer.accept(pcm[offset : offset + block]))
    results.extend(recognizer.finish())
    return results
