"""Rules that cancel a trigger found in the input because of the words around it.

The trigger's words can appear in order and still not mean the objection:
- a negation just before it: "we're not under contract";
- "no", "zero" or "without" inside its span: "we have no budget" is not the
  trigger "we have budget";
- a content word right after the trigger's own negation, which the negation then
  belongs to: "didn't work for us" is not "not for us";
- a denial of the statement before it: "I wouldn't say we have no budget";
- an object pronoun and a particle right after it, which turn its last verb into
  another phrasal verb: "I have to run that by my boss", "I'll pass it on".
"""

from app.playbooks.text import Token
from app.playbooks.wordclasses import (
    DENIALS,
    INVERTERS,
    NEGATORS,
    OBJECT_PRONOUNS,
    PARTICLES,
    weight,
)

NEGATION_REACH = 2
# A denial counts when at most this many words separate it from the trigger.
DENIAL_REACH = 5
DENIAL_SIZE = max(len(denial) for denial in DENIALS)


def is_cancelled(
    phrase_words: tuple[str, ...],
    resolved: list[tuple[str, float]],
    tokens: list[Token],
    first: int,
    last: int,
) -> bool:
    """Return True when the context of the span [first, last] cancels the phrase."""
    own = set(phrase_words)
    negated = bool(own & NEGATORS)
    if not negated and _is_negated(tokens, first, last):
        return True
    inside = {token.word for token in tokens[first : last + 1]}
    if (inside & INVERTERS) - own:
        return True
    if negated and _negation_moved(own, resolved, first, last):
        return True
    return _is_denied(tokens, first) or _is_phrasal(tokens, last)


def _is_negated(tokens: list[Token], first: int, last: int) -> bool:
    start = max(0, first - NEGATION_REACH)
    return any(token.word in NEGATORS for token in tokens[start : last + 1])


def _negation_moved(
    own: set[str], resolved: list[tuple[str, float]], first: int, last: int
) -> bool:
    # Only known words count: an unknown one may be a garbled filler.
    return any(
        quality > 0.0 and word not in own and weight(word) == 1.0
        for word, quality in resolved[first : last + 1]
    )


def _is_denied(tokens: list[Token], first: int) -> bool:
    start = max(0, first - DENIAL_REACH - DENIAL_SIZE)
    before = [token.word for token in tokens[start:first]]
    for denial in DENIALS:
        size = len(denial)
        for start in range(len(before) - size + 1):
            if tuple(before[start : start + size]) == denial:
                return True
    return False


def _is_phrasal(tokens: list[Token], last: int) -> bool:
    # NOTE: a partial result that ends on the verb ("I'd have to run") has no
    # particle yet, so its card fires and the final result withdraws it.
    after = [token.word for token in tokens[last + 1 : last + 3]]
    return len(after) == 2 and after[0] in OBJECT_PRONOUNS and after[1] in PARTICLES
