"""Comparing an utterance with example phrasings by TF-IDF cosine similarity.

Features are content-word stems and stem bigrams of the normalised text, weighted
by inverse document frequency over the examples. Scoring walks an inverted index,
so its cost grows with the words of the utterance and the examples that share
them. Examples with the same words (one example on several cards) are scored once.
"""

import math
from collections import Counter
from dataclasses import dataclass

from app.playbooks.wordclasses import FUNCTION_WORDS


def features(words: list[str]) -> Counter[str]:
    """Return the feature counts of normalised words."""
    counts: Counter[str] = Counter(w for w in words if w not in FUNCTION_WORDS)
    counts.update(
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if a not in FUNCTION_WORDS or b not in FUNCTION_WORDS
    )
    return counts


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The nearest example of one owner (a card index, or -1 for non-objections)."""

    owner: int
    score: float
    example: int


class ExampleIndex:
    """Example phrasings of every card (and of non-objections) for nearest match."""

    def __init__(self, examples: list[tuple[int, list[str]]]) -> None:
        self.owners = [owner for owner, _ in examples]
        self.words = [words for _, words in examples]
        counted = [features(words) for _, words in examples]
        document_count = Counter(f for counts in counted for f in counts)
        total = len(examples) + 1
        self.idf = {f: math.log(total / n) + 1.0 for f, n in document_count.items()}
        # Each distinct word list is scored once, then shared by its examples.
        distinct: dict[tuple[str, ...], int] = {}
        self.sharers: list[list[int]] = []
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for number, counts in enumerate(counted):
            key = tuple(self.words[number])
            if key in distinct:
                self.sharers[distinct[key]].append(number)
                continue
            distinct[key] = len(self.sharers)
            self.sharers.append([number])
            for feature, value in self._vector(counts).items():
                self.postings.setdefault(feature, []).append((distinct[key], value))

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vector = {
            f: (1.0 + math.log(n)) * self.idf[f]
            for f, n in counts.items()
            if f in self.idf
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {f: v / norm for f, v in vector.items()}

    def nearest(self, words: list[str], minimum: float = 0.0) -> dict[int, Neighbour]:
        """Return, per owner, the example most similar to ``words``.

        Owners whose best similarity is below ``minimum`` are left out.
        """
        scores: dict[int, float] = {}
        for feature, value in self._vector(features(words)).items():
            for number, weight in self.postings[feature]:
                scores[number] = scores.get(number, 0.0) + value * weight
        best: dict[int, Neighbour] = {}
        for distinct, score in scores.items():
            if score < minimum:
                continue
            for number in self.sharers[distinct]:
                owner = self.owners[number]
                kept = best.get(owner)
                if kept is None or score > kept.score:
                    best[owner] = Neighbour(owner, score, number)
        return best
