"""Redaction of phone numbers, e-mail addresses and card numbers in text.

Transcripts reach us either with digits ("555 0142", from Whisper) or with the
digits spelled out ("five five five oh one four two", from Vosk), so both forms
are recognised.
"""

import re
from collections import Counter

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# A run of digits that may be split by spaces, dots, dashes or brackets.
DIGIT_RUN = re.compile(r"(?<![\w])\+?\(?\d(?:[\d\s().-]*\d)?(?![\w])")
DIGIT_WORDS = "zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple|plus"
SPOKEN_RUN = re.compile(rf"\b(?:(?:{DIGIT_WORDS})\b[\s,-]*){{7,}}", re.IGNORECASE)
PHONE_DIGITS = range(7, 16)
CARD_DIGITS = range(13, 20)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def redact(text: str) -> tuple[str, Counter[str]]:
    """Replace personal data in ``text`` with placeholders.

    Returns the new text and how many e-mail addresses, card numbers and phone
    numbers were replaced. A digit run of 13 to 19 digits that passes the Luhn
    check is a card number; any other run of 7 to 15 digits, or seven or more
    spoken digit words, is a phone number.
    """
    found: Counter[str] = Counter()

    def replace_email(_match: re.Match[str]) -> str:
        found["email"] += 1
        return "[email]"

    def replace_digits(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        if len(digits) in CARD_DIGITS and _luhn_valid(digits):
            found["card"] += 1
            return "[card number]"
        if len(digits) in PHONE_DIGITS:
            found["phone"] += 1
            return "[phone]"
        return match.group()

    def replace_spoken(match: re.Match[str]) -> str:
        found["phone"] += 1
        trailing = match.group()[len(match.group().rstrip(" ,-")) :]
        return "[phone]" + trailing

    text = EMAIL.sub(replace_email, text)
    text = DIGIT_RUN.sub(replace_digits, text)
    text = SPOKEN_RUN.sub(replace_spoken, text)
    return text, found
