"""Word normalisation shared by triggers, examples and recognizer text.

Written text ("We've got 2 vendors.") and recognizer text ("we have got two
vendors") must meet in one form: lowercase words, contractions expanded (with or
without the apostrophe), every number as ``#``, and a light suffix stem so that
"renewed", "renews" and "renew" compare equal. Each token keeps the character span
of the input word it came from, so a match can quote the words that fired it.
"""

import re
from dataclasses import dataclass

WORD = re.compile(r"[0-9]+(?:[.,:][0-9]+)*(?:st|nd|rd|th|s)?|[a-z]+(?:'[a-z]+)*")
NUMBER = "#"

# Number words below twenty, and the tens, indexed by their value.
ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
TENS = (
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety",
)  # fmt: skip
NUMBER_WORDS = frozenset(
    [
        *ONES,
        *TENS[2:],
        "hundred",
        "thousand",
        "million",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "twelfth",
    ]
)

# Contractions as Vosk and Whisper write them, and with the apostrophe lost.
CONTRACTIONS = {
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "ain't": "is not",
    "shan't": "shall not",
    "i'm": "i am",
    "im": "i am",
    "let's": "let us",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "dunno": "do not know",
    "ya": "you",
    "y'all": "you all",
    "ok": "okay",
    "yep": "yes",
    "yeah": "yes",
    "nope": "no",
    "nah": "no",
}
APOSTROPHE_LOST = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "youve": "you have",
    "theyve": "they have",
    "weve": "we have",
    "thats": "that is",
    "whats": "what is",
    "theres": "there is",
    "itll": "it will",
    "its": "it is",
    "youll": "you will",
    "theyll": "they will",
}
SUFFIXES = {"'re": "are", "'ve": "have", "'ll": "will", "'d": "would", "'m": "am"}


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word and the [start, end) characters of its source word."""

    word: str
    start: int
    end: int


def stem(word: str) -> str:
    """Strip a common English suffix so inflections compare equal."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _expand(word: str) -> list[str]:
    if word in CONTRACTIONS:
        return CONTRACTIONS[word].split()
    if word in APOSTROPHE_LOST:
        return APOSTROPHE_LOST[word].split()
    if word.endswith("n't"):
        return [word[:-3], "not"]
    for suffix, full in SUFFIXES.items():
        if word.endswith(suffix):
            return [word[: -len(suffix)], full]
    if word.endswith("'s"):
        # Spoken "'s" is mostly "is" ("timing's off"); a possessive gains an "is"
        # in triggers and input alike, and function words weigh little.
        return [word[:-2], "is"]
    return [word.replace("'", "")]


def tokenize(text: str) -> list[Token]:
    """Split text into normalised, stemmed tokens with their source spans."""
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    tokens: list[Token] = []
    for found in WORD.finditer(lowered):
        for word in _expand(found.group()):
            if word[0].isdigit() or word in NUMBER_WORDS:
                if tokens and tokens[-1].word == NUMBER:
                    # "twenty five" and "25" become one number token.
                    tokens[-1] = Token(NUMBER, tokens[-1].start, found.end())
                    continue
                word = NUMBER
            tokens.append(Token(stem(word), found.start(), found.end()))
    return tokens


def words(text: str) -> list[str]:
    """Return just the normalised words of ``text``."""
    return [token.word for token in tokenize(text)]
