"""Call outcomes: the ids the outcome dialog, `calls tag` and the report use."""

OUTCOMES: dict[str, str] = {
    "meeting-booked": "Meeting booked",
    "callback": "Callback",
    "not-interested": "Not interested",
    "gatekeeper": "Gatekeeper",
    "voicemail": "Voicemail",
    "no-answer": "No answer",
    "wrong-person": "Wrong person",
    "do-not-call": "Do not call",
}

# Outcomes where the rep spoke with the person they called. The gatekeeper,
# voicemail and no-answer outcomes count as dials without a connect.
CONNECTED_OUTCOMES: frozenset[str] = frozenset(
    {"meeting-booked", "callback", "not-interested", "wrong-person", "do-not-call"}
)

MEETING_OUTCOME = "meeting-booked"
