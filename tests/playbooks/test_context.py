"""Words around a trigger that change what it means, on the default playbook."""

import pytest

from app.paths import default_playbook_dir
from app.playbooks.loader import load_playbook
from app.playbooks.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_playbook(default_playbook_dir()))


def categories(matcher: Matcher, text: str) -> list[str]:
    return [match.card.category for match in matcher.match(text)]


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't say we have no budget.",
        "i would not say we have no budget",
        "It's not that we're not interested.",
        "Not that we don't have a vendor, we just want options.",
    ],
)
def test_denied_statement_fires_nothing(matcher: Matcher, text: str) -> None:
    assert categories(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Honestly it didn't work for us last time.", "tried-before"),
        ("the pilot did not work for our team", "tried-before"),
    ],
)
def test_negation_binds_to_next_word(
    matcher: Matcher, text: str, category: str
) -> None:
    # "not ... for us" would be a flat no if "work" did not take the negation.
    assert categories(matcher, text) == [category]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'd have to run that by my finance lead first.", "need-to-consult"),
        ("i have to run it past the owner", "need-to-consult"),
    ],
)
def test_phrasal_verb_is_not_leaving(
    matcher: Matcher, text: str, category: str
) -> None:
    assert "busy-now" not in categories(matcher, text)
    assert categories(matcher, text)[0] == category


def test_bare_verb_still_fires(matcher: Matcher) -> None:
    assert categories(matcher, "Sorry, I have to run.") == ["busy-now"]


def test_pass_it_on_is_not_a_refusal(matcher: Matcher) -> None:
    assert "not-interested" not in categories(matcher, "I'll pass it along to her.")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Take us off your list and don't call this office again.", "do-not-call"),
        ("Remove this number from your database please.", "do-not-call"),
    ],
)
def test_one_phrase_fires_one_card(matcher: Matcher, text: str, category: str) -> None:
    # The words of the stronger card must not also fire a weaker one.
    assert categories(matcher, text) == [category]


@pytest.mark.parametrize(
    "text",
    [
        "One sec, I'll put you through now.",
        "Sure, I'll tell him to expect your call on Friday.",
        "Our contract ends in June, so the timing is good.",
        "We use a competitor and honestly we're fed up with them.",
        "Let's lock in ten o'clock tomorrow.",
        "We tried doing it by hand and it's a mess.",
    ],
)
def test_engaging_prospect_fires_nothing(matcher: Matcher, text: str) -> None:
    assert categories(matcher, text) == []
