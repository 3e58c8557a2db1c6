"""Fixtures for the speech tests: small fake Vosk model folders."""

from collections.abc import Callable
from pathlib import Path

import pytest

FAKE_MODEL_FILES = (
    "am/final.mdl",
    "conf/model.conf",
    "conf/mfcc.conf",
    "graph/HCLG.fst",
    "graph/phones/word_boundary.int",
    "ivector/final.ie",
)

MakeModel = Callable[..., Path]


def write_fake_vosk_model(
    folder: Path, words: tuple[str, ...] = ("hello", "price", "budget")
) -> Path:
    """Write a folder with the file layout of a Vosk model and a words.txt.

    The files contain placeholder bytes, so they pass layout validation but Kaldi
    cannot load them.
    """
    for relative in FAKE_MODEL_FILES:
        file = folder / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"placeholder for " + relative.encode())
    symbols = ["<eps> 0", "!SIL 1", "<UNK> 2"]
    symbols += [f"{word} {index}" for index, word in enumerate(words, start=3)]
    (folder / "graph" / "words.txt").write_text("\n".join(symbols) + "\n")
    return folder


@pytest.fixture
def make_vosk_model() -> MakeModel:
    """Return a factory that writes a fake Vosk model folder and returns its path."""
    return write_fake_vosk_model
