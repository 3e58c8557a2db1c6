"""Classes of normalised words that the matcher weighs or reacts to.

Words are in the form ``text.tokenize`` produces: lowercase, contractions
expanded, light suffix stem.
"""

from app.playbooks.text import NUMBER

# Words that carry little meaning on their own. A trigger may miss them, and an
# extra one between two trigger words is a harmless filler.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "up",
        "about",
        "into",
        "over",
        "so",
        "and",
        "or",
        "but",
        "if",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "just",
        "really",
        "like",
        "um",
        "uh",
        "oh",
        "well",
        "okay",
        "yes",
        "right",
        "actually",
        "honestly",
        "kind",
        "sort",
        "very",
        "quite",
        "pretty",
        "some",
        "any",
        "all",
        "ever",
        "even",
        "still",
    ]
)
PRONOUNS = frozenset(
    [
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
    ]
)

# "no" is left out on purpose: "yeah, no, we have a vendor" is still an objection.
NEGATORS = frozenset({"not", "never", "neither", "nor"})
# Words that flip a phrase's meaning when they sit inside its span without being
# part of it: "we have no budget" is not "we have budget". Unlike NEGATORS they
# are not checked before the span, because "Yeah, no. Hard pass." is a refusal.
INVERTERS = frozenset({"no", "zero", "none", "without"})

# A verb followed by one of these and a particle is a different phrasal verb:
# "I have to run" is leaving, "I have to run that by my boss" is consulting.
OBJECT_PRONOUNS = frozenset({"it", "that", "this", "them", "him", "her"})
PARTICLES = frozenset(
    {"by", "past", "on", "along", "over", "through", "to", "with", "around"}
)

# Word sequences that deny the statement after them: "I wouldn't say we have no
# budget", "it's not that we're not interested".
# "I don't mean to be rude" is politeness, not a denial, so "not mean" is absent.
DENIALS = (("not", "that"), ("not", "say"))


def weight(word: str) -> float:
    """Return how much a trigger word counts towards a match."""
    if word in PRONOUNS:
        return 0.6
    if word in FUNCTION_WORDS:
        return 0.35
    if word == NUMBER:
        return 0.5
    return 1.0
