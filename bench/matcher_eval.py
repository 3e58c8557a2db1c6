"""Measure the matcher on labelled utterances, as written and as recognized.

Usage: python bench/matcher_eval.py [TSV] [--playbook PATH] [--errors]

TSV has a header and ``category<TAB>utterance`` rows, where category ``none``
marks a non-objection. The script prints per-category precision and recall,
macro-F1 over the objection categories, and the false-alarm rate on ``none`` rows.
It does so for the text as written and again in recognizer style. Recognizer
style is lowercase, without punctuation except apostrophes in contractions (Vosk
and Whisper print those), with numbers as words, and with one or two words
dropped or replaced by a sound-alike, using a fixed seed.
"""

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.playbooks.loader import load_playbook, resolve_playbook_path  # noqa: E402
from app.playbooks.matcher import Matcher  # noqa: E402
from app.playbooks.text import ONES, TENS  # noqa: E402

DEFAULT_TSV = REPO.parent / "shared" / "data" / "utterances_dev.tsv"
SEED = 20240611
SOUND_ALIKES = {
    "to": "two",
    "for": "four",
    "the": "a",
    "a": "the",
    "there": "their",
    "we're": "were",
    "you're": "your",
    "it's": "its",
    "know": "no",
    "right": "write",
    "by": "buy",
    "our": "are",
    "in": "and",
    "and": "in",
    "off": "of",
    "than": "then",
    "then": "than",
    "can": "can't",
    "i'm": "i",
}
VOWELS = "aeiou"


def number_words(number: int) -> str:
    """Spell a whole number below 10,000 the way a recognizer prints it."""
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    if 2000 <= number < 2100 and number % 100 >= 10:
        return f"twenty {number_words(number % 100)}"
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        tail = f" {number_words(rest)}" if rest else ""
        return f"{ONES[hundreds]} hundred{tail}"
    thousands, rest = divmod(number, 1000)
    tail = f" {number_words(rest)}" if rest else ""
    return f"{number_words(thousands)} thousand{tail}"


def garble(word: str, rng: random.Random) -> str:
    """Replace a word with a sound-alike or a one-letter recognizer slip."""
    if word in SOUND_ALIKES:
        return SOUND_ALIKES[word]
    vowels = [i for i, c in enumerate(word) if c in VOWELS]
    if len(word) > 3 and vowels:
        i = rng.choice(vowels)
        return word[:i] + rng.choice(VOWELS.replace(word[i], "")) + word[i + 1 :]
    if len(word) > 3:
        i = rng.randrange(1, len(word))
        return word[:i] + word[i + 1 :]
    return word


def recognizer_style(text: str, rng: random.Random) -> str:
    """Return ``text`` as a streaming recognizer would print it, with errors."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text)
    text = re.sub(r"[^a-z' ]+", " ", text.replace("-", " "))
    words = [w.strip("'") for w in text.split() if w.strip("'")]
    if len(words) >= 3:
        for _ in range(rng.choice((1, 2))):
            position = rng.randrange(len(words))
            if rng.random() < 0.4 and len(words) > 2:
                del words[position]
            else:
                words[position] = garble(words[position], rng)
    return " ".join(words)


@dataclass
class Figures:
    """Per-category counts of one evaluation and the misses behind them."""

    true_positive: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    actual: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def categories(self) -> list[str]:
        """Return the objection categories of the rows, sorted."""
        return sorted(c for c in self.actual if c != "none")

    def precision_recall_f1(self, category: str) -> tuple[float, float, float]:
        """Return precision, recall and F1 of one category."""
        tp = self.true_positive[category]
        predicted = self.predicted[category]
        precision = tp / predicted if predicted else 0.0
        recall = tp / self.actual[category]
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        return precision, recall, f1

    @property
    def macro_f1(self) -> float:
        """The mean F1 over the objection categories."""
        scores = [self.precision_recall_f1(c)[2] for c in self.categories()]
        return sum(scores) / len(scores)

    @property
    def false_alarms(self) -> float:
        """The share of ``none`` rows that fired an objection card."""
        nones = self.actual["none"]
        return (nones - self.true_positive["none"]) / nones if nones else 0.0


def score_rows(matcher: Matcher, rows: list[tuple[str, str]]) -> Figures:
    """Match every row and count hits, guesses and misses."""
    figures = Figures()
    for category, text in rows:
        matches = matcher.match(text)
        guess = matches[0].card.category if matches else "none"
        figures.actual[category] += 1
        figures.predicted[guess] += 1
        if guess == category:
            figures.true_positive[category] += 1
        else:
            heard = f" ({matches[0].heard!r} {matches[0].score})" if matches else ""
            figures.misses.append(f"{category:>18} -> {guess}{heard}: {text}")
    return figures


def evaluate(
    matcher: Matcher, rows: list[tuple[str, str]], show_errors: bool
) -> Figures:
    """Print the figures for ``rows`` and return them."""
    figures = score_rows(matcher, rows)
    if show_errors:
        for miss in figures.misses:
            print(f"  MISS {miss}")
    print(f"  {'category':<20}{'n':>4}{'precision':>11}{'recall':>8}{'F1':>7}")
    for category in figures.categories():
        precision, recall, f1 = figures.precision_recall_f1(category)
        print(
            f"  {category:<20}{figures.actual[category]:>4}{precision:>11.2f}"
            f"{recall:>8.2f}{f1:>7.2f}"
        )
    print(
        f"  macro-F1 {figures.macro_f1:.3f}   "
        f"false alarms on none {figures.false_alarms:.1%}"
    )
    return figures


def garbled_rows(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return ``rows`` in recognizer style, with the fixed seed."""
    rng = random.Random(SEED)
    return [(category, recognizer_style(text, rng)) for category, text in rows]


def read_rows(path: Path) -> list[tuple[str, str]]:
    """Read ``category<TAB>utterance`` rows after the header line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            category, text = line.split("\t", 1)
            rows.append((category.strip(), text.strip()))
    return rows


def main() -> int:
    """Run the evaluation and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", nargs="?", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--playbook", help="playbook file or folder (default: ours)")
    parser.add_argument("--errors", action="store_true", help="print each miss")
    args = parser.parse_args()

    matcher = Matcher(load_playbook(resolve_playbook_path(args.playbook)))
    rows = read_rows(args.tsv)
    print(f"{args.tsv}: {len(rows)} utterances, as written")
    evaluate(matcher, rows, args.errors)
    print(f"recognizer style (seed {SEED})")
    evaluate(matcher, garbled_rows(rows), args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
