"""The default playbook's matcher on phrasings written for these tests."""

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from app.cli import match as match_command
from app.paths import default_playbook_dir
from app.playbooks.loader import load_playbook
from app.playbooks.matcher import Matcher

PHRASINGS = Path(__file__).with_name("phrasings.tsv")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_playbook(default_playbook_dir()))


def rows(kind: str) -> list[tuple[str, str]]:
    found = []
    for line in PHRASINGS.read_text(encoding="utf-8").splitlines()[1:]:
        category, text = line.split("\t")
        if (category == "none") == (kind == "none"):
            found.append((category, text))
    return found


@pytest.mark.parametrize(("category", "text"), rows("objection"))
def test_objection_fires_its_card(matcher: Matcher, category: str, text: str) -> None:
    matches = matcher.match(text)
    assert matches, f"no card for {text!r}"
    assert matches[0].card.category == category
    assert 0.0 < matches[0].score <= 1.0


@pytest.mark.parametrize(("category", "text"), rows("none"))
def test_look_alike_fires_nothing(matcher: Matcher, category: str, text: str) -> None:
    assert matcher.match(text) == []


def test_heard_is_a_span_of_the_input(matcher: Matcher) -> None:
    text = "Honestly, we're locked into a contract until next summer."
    top = matcher.match(text)[0]
    assert top.card.category == "under-contract"
    assert top.heard in text
    assert "contract" in top.heard or "locked" in top.heard


def test_partial_result_fires_early(matcher: Matcher) -> None:
    partial = "please take me off your list and"
    assert matcher.match(partial)[0].card.category == "do-not-call"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("we're under contrackt with them", "under-contract"),
        ("we dont have the budget", "no-budget"),
        ("we are under contract until twenty twenty seven", "under-contract"),
    ],
)
def test_recognizer_text(matcher: Matcher, text: str, category: str) -> None:
    assert matcher.match(text)[0].card.category == category


@pytest.mark.parametrize(
    "text",
    [
        "we're not under contract with anyone",
        "we don't have a vendor for that yet",
        "I'm not happy with our current vendor",
    ],
)
def test_negated_trigger_fires_nothing(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []


def test_empty_text_fires_nothing(matcher: Matcher) -> None:
    assert matcher.match("") == []
    assert matcher.match("   ...  ") == []


def test_match_json_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    match_command.register(parser.add_subparsers())
    args = parser.parse_args(["match", "--json"])
    lines = "Just email me something.\n\nSure, send me the invite.\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))

    assert args.handler(args) == 0

    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(printed) == 2
    assert printed[0]["text"] == "Just email me something."
    card = printed[0]["cards"][0]
    assert set(card) == {"card", "category", "heard", "score"}
    assert card["category"] == "send-info"
    assert card["heard"] in printed[0]["text"]
    assert printed[1] == {"text": "Sure, send me the invite.", "cards": []}
