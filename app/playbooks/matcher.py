"""Deciding which objection cards an utterance (or the partial result so far) fires.

Two kinds of evidence are scored per card, and the stronger one counts:
- trigger phrases found in the input (see ``phrases``), tolerant of recognizer
  errors and cancelled by a negation just before them;
- TF-IDF similarity to the card's example phrasings (see ``similarity``), which
  catches wordings no trigger lists, as long as the card's examples are closer than
  the playbook's examples of non-objections.
A phrase from the playbook's ``not_objections`` ("send me the invite", "want to
switch") found in the input fires nothing for the whole utterance. One stretch of
words fires one card: a hit inside a longer hit of another card is dropped, and so
is a card whose words overlap those of a better card.
"""

import logging
from dataclasses import dataclass

from app.playbooks.model import Card, Playbook
from app.playbooks.phrases import (
    Phrase,
    PhraseHit,
    PhraseIndex,
    Vocabulary,
    compile_phrase,
)
from app.playbooks.similarity import ExampleIndex, Neighbour
from app.playbooks.text import Token, tokenize, words

DEFAULT_THRESHOLD = 0.75
VETO_SCORE = 0.8
# Cosine similarity at which an example match counts as a full score of 1.
SIMILARITY_FULL = 0.7
NO_CARD = -1

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Match:
    """A card fired by an utterance: its score (0..1) and the words that fired it."""

    card: Card
    score: float
    heard: str


@dataclass(frozen=True, slots=True)
class Scored:
    """One card's score, tie-break weight, and the token span that earned them."""

    score: float
    tie_break: float
    heard: str
    first: int
    last: int


class Matcher:
    """Scores utterances against every card of one playbook. Safe to share."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        phrases: list[Phrase] = []
        examples: list[tuple[int, list[str]]] = []
        known: set[str] = set()
        sources = [(n, c.triggers, c.examples) for n, c in enumerate(playbook.cards)]
        sources.append((NO_CARD, playbook.not_objections, playbook.not_objections))
        for owner, triggers, phrasings in sources:
            for trigger in triggers:
                compiled = compile_phrase(owner, words(trigger))
                if compiled is not None:
                    phrases.append(compiled)
                    known.update(compiled.words)
            for phrasing in phrasings:
                normalised = words(phrasing)
                if normalised:
                    examples.append((owner, normalised))
                    known.update(normalised)
        thresholds = [card.threshold or DEFAULT_THRESHOLD for card in playbook.cards]
        self._min_score = min([VETO_SCORE, *thresholds])
        self._vocabulary = Vocabulary(known)
        self._phrases = PhraseIndex(phrases)
        self._examples = ExampleIndex(examples)
        log.info(
            "matcher ready for %s: %d cards, %d phrases, %d examples",
            playbook.name,
            len(playbook.cards),
            len(phrases),
            len(examples),
        )

    def match(self, text: str) -> list[Match]:
        """Return the cards ``text`` fires, best first; empty for a non-objection."""
        tokens = tokenize(text)
        if not tokens:
            return []
        resolved = [self._vocabulary.resolve(token.word) for token in tokens]
        hits = self._phrases.find(resolved, tokens, self._min_score)
        if any(h.phrase.owner == NO_CARD and h.score >= VETO_SCORE for h in hits):
            return []
        hits = _longest(hits)
        best_hits: dict[int, PhraseHit] = {}
        spans: dict[int, list[tuple[int, int]]] = {}
        for hit in hits:
            owner = hit.phrase.owner
            kept = best_hits.get(owner)
            if kept is None or (hit.score, hit.weight) > (kept.score, kept.weight):
                best_hits[owner] = hit
            if hit.score >= self._min_score:
                spans.setdefault(owner, []).append((hit.first, hit.last))
        # Owners whose evidence cannot reach the lowest threshold are not scored.
        floor = self._min_score * SIMILARITY_FULL
        neighbours = self._examples.nearest([word for word, _ in resolved], floor)
        ranked: list[tuple[float, float, int, Scored]] = []
        owners = {o for o, h in best_hits.items() if h.score >= self._min_score}
        owners.update(neighbours)
        owners.discard(NO_CARD)
        for owner in sorted(owners):
            card = self.playbook.cards[owner]
            found = self._score(owner, best_hits, neighbours, resolved, tokens, text)
            if found is not None and found.score >= (
                card.threshold or DEFAULT_THRESHOLD
            ):
                ranked.append((found.score, found.tie_break, owner, found))
        ranked.sort(key=lambda item: item[:2], reverse=True)
        return self._distinct(ranked, spans)

    def _distinct(
        self,
        ranked: list[tuple[float, float, int, Scored]],
        spans: dict[int, list[tuple[int, int]]],
    ) -> list[Match]:
        """Drop a card whose words a better card already explains.

        "Don't call this number again" fires do-not-call; the same words must not
        also fire "not my call", so a weaker card whose span overlaps any span of
        a stronger card's triggers is dropped.
        """
        matches: list[Match] = []
        claimed: list[tuple[int, int]] = []
        for _, _, owner, found in ranked:
            if any(
                found.first <= last and first <= found.last for first, last in claimed
            ):
                log.debug("dropped card %s: its words fired a better card", owner)
                continue
            card = self.playbook.cards[owner]
            matches.append(Match(card, round(found.score, 3), found.heard))
            claimed.append((found.first, found.last))
            claimed.extend(spans.get(owner, ()))
        return matches

    def _score(
        self,
        owner: int,
        best_hits: dict[int, PhraseHit],
        neighbours: dict[int, Neighbour],
        resolved: list[tuple[str, float]],
        tokens: list[Token],
        text: str,
    ) -> Scored | None:
        """Score one card, or return None when it has no evidence."""
        hit = best_hits.get(owner)
        neighbour = neighbours.get(owner)
        trigger_score = min(hit.score, 1.0) if hit else 0.0
        example_score = 0.0
        if neighbour is not None:
            rival = neighbours.get(NO_CARD)
            if rival is None or neighbour.score > rival.score:
                example_score = min(neighbour.score / SIMILARITY_FULL, 1.0)
        if trigger_score == 0.0 and example_score == 0.0:
            return None
        # Between equal trigger scores the hit that ends later wins, because the
        # last clause carries the request ("I'm walking out the door, just
        # email it"); the example score decides after that.
        if hit is not None and trigger_score >= example_score:
            tie_break = hit.last + example_score / 10
            heard = _span(text, tokens, hit.first, hit.last)
            return Scored(trigger_score, tie_break, heard, hit.first, hit.last)
        assert neighbour is not None
        shared = set(self._examples.words[neighbour.example])
        inside = [i for i, (word, _) in enumerate(resolved) if word in shared]
        first, last = (inside[0], inside[-1]) if inside else (0, len(tokens) - 1)
        heard = _span(text, tokens, first, last)
        return Scored(example_score, trigger_score, heard, first, last)


def _longest(hits: list[PhraseHit]) -> list[PhraseHit]:
    """Drop hits inside the span of a longer, at least as good hit of another card.

    "Remove this number from your database" fires do-not-call's "from your
    database", which contains who-are-you's "your database".
    """
    widest: dict[tuple[int, int], PhraseHit] = {}
    for hit in hits:
        kept = widest.get((hit.first, hit.last))
        if kept is None or (hit.weight, hit.score) > (kept.weight, kept.score):
            widest[(hit.first, hit.last)] = hit
    # Hits of one trigger shared by many cards differ only in owner, so the
    # owners of the hits around each (span, weight, score) are found once.
    around: dict[tuple[int, int, float, float], set[int]] = {}
    kept_hits = []
    for hit in hits:
        key = (hit.first, hit.last, hit.weight, hit.score)
        if key not in around:
            around[key] = {
                other.phrase.owner
                for other in widest.values()
                if other.first <= hit.first
                and hit.last <= other.last
                and other.weight > hit.weight
                and other.score >= hit.score
            }
        if not around[key] - {hit.phrase.owner}:
            kept_hits.append(hit)
    return kept_hits


def _span(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]
