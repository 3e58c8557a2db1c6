"""The call session: firing, de-duplication, withdrawal and the outcome hint."""

import pytest

from app.coaching.events import CardFired, CardWithdrawn, TranscriptFinal
from app.coaching.session import CallSession
from app.playbooks.loader import load_playbook
from app.playbooks.matcher import Match, Matcher
from app.speech.recognizer import SpeechResult
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def playbook():
    return load_playbook(REPO_ROOT / "talk_tracks")


@pytest.fixture
def session(playbook) -> CallSession:
    return CallSession(playbook, Matcher(playbook))


def _result(
    text: str,
    speaker: str = "prospect",
    utterance: int = 0,
    final: bool = True,
    start: float = 1.0,
    end: float = 3.0,
) -> SpeechResult:
    return SpeechResult(speaker, utterance, text, final, start, end)


def _fired(events) -> list[CardFired]:  # noqa: ANN001
    return [event for event in events if isinstance(event, CardFired)]


def test_prospect_objection_fires_its_card(session) -> None:
    events = session.on_result(_result("there's no budget for this at all this year"))
    cards = _fired(events)

    assert [card.category for card in cards] == ["no-budget"]
    assert cards[0].heard
    assert cards[0].speaker == "prospect"


def test_rep_words_never_fire(session) -> None:
    events = session.on_result(
        _result("I know there's no budget, so just email me something", speaker="rep")
    )

    assert _fired(events) == []
    assert any(isinstance(event, TranscriptFinal) for event in events)


def test_mixed_channel_fires(session) -> None:
    cards = _fired(session.on_result(_result("we have no budget", speaker="mixed")))

    assert [card.category for card in cards] == ["no-budget"]


def test_utterance_fires_a_card_once(session) -> None:
    first = session.on_result(_result("there's no budget", final=False, end=2.0))
    second = session.on_result(_result("there's no budget for it", final=False))
    final = session.on_result(_result("there's no budget for it this year"))

    assert len(_fired(first)) == 1
    assert _fired(second) == []
    assert _fired(final) == []
    assert not any(isinstance(event, CardWithdrawn) for event in final)
    assert len(session.standing_cards()) == 1


def test_next_utterance_can_fire_again(session) -> None:
    session.on_result(_result("there's no budget", utterance=0))
    events = session.on_result(
        _result("really, no budget", utterance=1, start=5, end=6)
    )

    assert len(_fired(events)) == 1


def test_contradicted_partial_card_is_withdrawn(session) -> None:
    partial = session.on_result(_result("just email me", final=False, end=2.0))
    card = _fired(partial)[0]
    final = session.on_result(_result("what's your email address"))
    withdrawn = [event for event in final if isinstance(event, CardWithdrawn)]

    assert card.category == "send-info"
    assert [event.event_id for event in withdrawn] == [card.event_id]
    assert session.standing_cards() == []


def test_do_not_call_suggests_its_outcome(session) -> None:
    session.on_result(_result("take me off your list and don't call me again"))
    summary = session.summary("whisper", "tiny.en", 10.0)

    assert "do-not-call" in [card for card in summary.cards]
    assert summary.suggested_outcome == "do-not-call"


def test_agreed_time_suggests_a_meeting(session) -> None:
    session.on_result(_result("okay, Tuesday at 10:30 works for me"))
    summary = session.summary("whisper", "tiny.en", 10.0)

    assert summary.suggested_outcome == "meeting-booked"


def test_plain_talk_fires_nothing(session) -> None:
    events = session.on_result(_result("sure, we have about fourteen vans right now"))

    assert _fired(events) == []
    assert session.summary("vosk", "m", 3.0).suggested_outcome is None


class _TableMatcher:
    """Returns fixed matches per text, so the test controls what each result fires."""

    def __init__(self, playbook, table: dict[str, list[str]]) -> None:  # noqa: ANN001
        self._playbook = playbook
        self._table = table

    def match(self, text: str) -> list[Match]:
        return [Match(self._playbook.card(c), 1.0, text) for c in self._table[text]]


def test_withdrawn_card_frees_its_slot(playbook) -> None:
    table = {
        "partial": ["who-are-you", "send-info"],
        "final": ["send-info", "no-budget"],
    }
    session = CallSession(playbook, _TableMatcher(playbook, table))

    session.on_result(_result("partial", final=False, end=2.0))
    events = session.on_result(_result("final"))

    withdrawn = [e.card for e in events if isinstance(e, CardWithdrawn)]
    assert withdrawn == ["who-are-you"]
    assert [card.card for card in _fired(events)] == ["no-budget"]
    standing = {card.card for card in session.standing_cards()}
    assert standing == {"send-info", "no-budget"}
