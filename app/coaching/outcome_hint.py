"""Suggest a call's outcome from what was heard, where it is clear."""

import re

from app.speech.recognizer import SpeechResult

_DAY_OR_TIME = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|tomorrow|next week|"
    r"\d{1,2}(:\d{2})?\s*(am|pm|a m|p m)?|o'?clock|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
)
_AGREEMENT = re.compile(
    r"\b(works( for me)?|sounds good|that's fine|let's do (it|that)|see you|"
    r"talk (then|tuesday|monday|wednesday|thursday|friday)|send (me )?the invite|"
    r"book it|put me down)\b"
)
_VOICEMAIL = re.compile(
    r"\b(leave (me )?a message|after the (tone|beep)|you've reached|"
    r"not available to take your call|mailbox)\b"
)


def suggest_outcome(
    results: list[SpeechResult], categories_fired: list[str]
) -> str | None:
    """Return an outcome id that the call clearly points to, or None.

    A standing do-not-call card wins; then a voicemail greeting on the far end;
    then a prospect agreeing to a day or time.
    """
    if "do-not-call" in categories_fired:
        return "do-not-call"
    far_end = [r.text.lower() for r in results if r.speaker in ("prospect", "mixed")]
    if any(_VOICEMAIL.search(text) for text in far_end):
        return "voicemail"
    for text in far_end:
        if _AGREEMENT.search(text) and _DAY_OR_TIME.search(text):
            return "meeting-booked"
    return None
