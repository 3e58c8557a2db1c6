"""Deciding which objection cards an utterance (or the partial result so far) fires.

Two kinds of evidence are scored per card, and the stronger one counts:
- trigger phrases found in the input (see ``phrases``), tolerant of recognizer
  errors and cancelled by a negation just before them;
- TF-IDF similarity to the card's example phrasings (see ``similarity``), which
  catches wordings no trigger lists, as long as the card's examples are closer than
  the playbook's examples of non-objections.
A phrase from the playbook's ``not_objections`` ("send me the invite", "want to
switch") found in the input fires nothing for the whole utterance.
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
        best_hits: dict[int, PhraseHit] = {}
        for hit in hits:
            kept = best_hits.get(hit.phrase.owner)
            if kept is None or (hit.score, hit.weight) > (kept.score, kept.weight):
                best_hits[hit.phrase.owner] = hit
        neighbours = self._examples.nearest([word for word, _ in resolved])
        ranked: list[tuple[float, float, Match]] = []
        # Owners whose evidence cannot reach the lowest threshold are not scored.
        floor = self._min_score * SIMILARITY_FULL
        owners = {o for o, h in best_hits.items() if h.score >= self._min_score}
        owners.update(o for o, n in neighbours.items() if n.score >= floor)
        owners.discard(NO_CARD)
        for owner in sorted(owners):
            card = self.playbook.cards[owner]
            found = self._score(owner, best_hits, neighbours, resolved, tokens, text)
            if found is not None and found[0] >= (card.threshold or DEFAULT_THRESHOLD):
                match = Match(card, round(found[0], 3), found[2])
                ranked.append((found[0], found[1], match))
        ranked.sort(key=lambda item: item[:2], reverse=True)
        return [match for _, _, match in ranked]

    def _score(
        self,
        owner: int,
        best_hits: dict[int, PhraseHit],
        neighbours: dict[int, Neighbour],
        resolved: list[tuple[str, float]],
        tokens: list[Token],
        text: str,
    ) -> tuple[float, float, str] | None:
        """Return (score, tie-break weight, heard words) for one card, or None."""
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
        # Between equal scores, the other kind of evidence and then the longer
        # trigger decide the order.
        if hit is not None and trigger_score >= example_score:
            tie_break = example_score + hit.weight / 100
            return trigger_score, tie_break, _span(text, tokens, hit.first, hit.last)
        assert neighbour is not None
        shared = set(self._examples.words[neighbour.example])
        inside = [i for i, (word, _) in enumerate(resolved) if word in shared]
        heard = _span(text, tokens, inside[0], inside[-1]) if inside else text
        return example_score, trigger_score, heard


def _span(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]
