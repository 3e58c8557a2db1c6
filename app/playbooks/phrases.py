"""Finding trigger phrases in recognizer text, tolerating its errors.

A trigger matches when its words appear in order in the input with at most
``MAX_GAP`` extra words between two of them. Missing trigger words lower the score
by their weight (function words weigh little), and a word the recognizer garbled
("contrackt") still counts, with less weight, when it is close to a trigger word.
The words around a match can cancel it (see ``context``).
"""

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from app.playbooks.context import is_cancelled
from app.playbooks.text import Token
from app.playbooks.wordclasses import NEGATORS, weight

MAX_GAP = 2
GAP_PENALTY = 0.04
FUZZY_QUALITY = 0.8
FUZZY_CUTOFF = 80.0
FUZZY_MIN_LENGTH = 5
# A garbled word keeps its first letter (or a vowel for a vowel) and about its
# length, as "contrackt" does for "contract". Without this rule "onboard" would
# match "board".
FUZZY_MAX_LENGTH_CHANGE = 1
VOWELS = frozenset("aeiou")
FUZZY_CACHE_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class Phrase:
    """A compiled trigger: its words, their weights and its owner (-1: no card)."""

    owner: int
    words: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    negated: bool
    content: frozenset[str]
    content_total: float


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A phrase found in the input: its score and the token span [first, last].

    ``weight`` is the matched weight; between equal scores the longer phrase wins.
    """

    phrase: Phrase
    score: float
    weight: float
    first: int
    last: int


def compile_phrase(owner: int, words: list[str]) -> Phrase | None:
    """Compile the normalised words of a trigger, or None when it has none."""
    if not words:
        return None
    weights = tuple(weight(word) for word in words)
    negated = any(word in NEGATORS for word in words)
    # "not" is too frequent to find candidates by, unless it is the only key word.
    content = frozenset(w for w in words if weight(w) == 1.0 and w not in NEGATORS)
    content = content or frozenset(w for w in words if weight(w) == 1.0)
    content_total = sum(weight(word) for word in content)
    return Phrase(
        owner, tuple(words), weights, sum(weights), negated, content, content_total
    )


class Vocabulary:
    """Known words, and the known word a garbled recognizer word stands for."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self._choices = sorted(word for word in known if len(word) > 2)
        self._fuzzy: dict[str, str | None] = {}

    def resolve(self, word: str) -> tuple[str, float]:
        """Return (known word, quality); an unknown word comes back as itself, 0."""
        if word in self.known:
            return word, 1.0
        if len(word) < FUZZY_MIN_LENGTH:
            return word, 0.0
        if word not in self._fuzzy:
            if len(self._fuzzy) >= FUZZY_CACHE_SIZE:
                self._fuzzy.clear()
            self._fuzzy[word] = self._closest(word)
        found = self._fuzzy[word]
        return (found, FUZZY_QUALITY) if found else (word, 0.0)

    def _closest(self, word: str) -> str | None:
        found = process.extract(
            word, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        )
        for choice, _, _ in found:
            same_start = choice[0] == word[0] or (
                choice[0] in VOWELS and word[0] in VOWELS
            )
            if same_start and abs(len(choice) - len(word)) <= FUZZY_MAX_LENGTH_CHANGE:
                return choice
        return None


class PhraseIndex:
    """Every phrase of a playbook, indexed by word for quick candidate lookup."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        # Cards often share a trigger ("not interested" on one card per product),
        # so each distinct word sequence is aligned once and its hit is copied to
        # every phrase that has those words.
        self.patterns: list[Phrase] = []
        self.sharers: list[list[Phrase]] = []
        numbers: dict[tuple[str, ...], int] = {}
        for phrase in phrases:
            number = numbers.setdefault(phrase.words, len(self.patterns))
            if number == len(self.patterns):
                self.patterns.append(phrase)
                self.sharers.append([])
            self.sharers[number].append(phrase)
        # A hit needs one of the phrase's content words, so only those index it.
        # A phrase made only of common words is indexed by all of them.
        self.by_word: dict[str, list[int]] = {}
        for number, phrase in enumerate(self.patterns):
            for word in phrase.content or set(phrase.words):
                self.by_word.setdefault(word, []).append(number)
        self.known = {word for phrase in phrases for word in phrase.words}

    def find(
        self,
        resolved: list[tuple[str, float]],
        tokens: list[Token],
        min_score: float = 0.0,
    ) -> list[PhraseHit]:
        """Return the best hit of every phrase found in the resolved input words.

        Phrases that cannot reach ``min_score`` with the words present are skipped
        without aligning them, which keeps large playbooks fast.
        """
        positions: dict[str, list[tuple[int, float]]] = {}
        for index, (word, quality) in enumerate(resolved):
            if quality > 0.0 and word in self.known:
                positions.setdefault(word, []).append((index, quality))
        # An upper bound of each candidate's score: its content words present,
        # plus all of its common words as if they were present too.
        reachable: dict[int, float] = {}
        for word in positions:
            word_weight = weight(word)
            for number in self.by_word.get(word, ()):
                reachable[number] = reachable.get(number, 0.0) + word_weight
        hits: list[PhraseHit] = []
        for number, content_weight in reachable.items():
            phrase = self.patterns[number]
            bound = phrase.total
            if phrase.content:
                bound = content_weight + phrase.total - phrase.content_total
            if bound < min_score * phrase.total:
                continue
            hit = self._align(phrase, positions, resolved, tokens)
            if hit is not None:
                hits.extend(
                    PhraseHit(sharer, hit.score, hit.weight, hit.first, hit.last)
                    for sharer in self.sharers[number]
                )
        return hits

    def _align(
        self,
        phrase: Phrase,
        positions: dict[str, list[tuple[int, float]]],
        resolved: list[tuple[str, float]],
        tokens: list[Token],
    ) -> PhraseHit | None:
        # states: input position of the last matched word -> (score, first position)
        states: dict[int, tuple[float, int]] = {}
        for word, word_weight in zip(phrase.words, phrase.weights, strict=True):
            found = positions.get(word)
            if not found:
                continue
            grown: list[tuple[int, float, int]] = []
            for position, quality in found:
                gain = word_weight * quality
                value, first = gain, position
                for previous, (score, start) in states.items():
                    gap = position - previous - 1
                    if 0 <= gap <= MAX_GAP and score + gain - GAP_PENALTY * gap > value:
                        value, first = score + gain - GAP_PENALTY * gap, start
                grown.append((position, value, first))
            for position, value, first in grown:
                kept = states.get(position)
                if kept is None or value > kept[0]:
                    states[position] = (value, first)
        if not states:
            return None
        last, (value, first) = max(states.items(), key=lambda item: item[1][0])
        best = (value, first, last)
        score = best[0] / phrase.total
        if is_cancelled(phrase.words, resolved, tokens, best[1], best[2]):
            return None
        # Common words alone ("we've been") never fire a phrase that has others.
        if phrase.content:
            span = range(best[1], best[2] + 1)
            if not any(resolved[i][0] in phrase.content for i in span):
                return None
        elif score < 1.0:
            return None
        return PhraseHit(phrase, score, best[0], best[1], best[2])
