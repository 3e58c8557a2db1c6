"""Validation points at the file, line and column a marketer must fix."""

from pathlib import Path

import pytest

from app.paths import default_playbook_dir
from app.playbooks.loader import (
    PlaybookError,
    load_playbook,
    resolve_playbook_path,
    validate_path,
)
from app.playbooks.model import OBJECTION_IDS
from tests.playbooks.conftest import MINIMAL


def single(problems: list) -> tuple[int, int, str]:  # type: ignore[type-arg]
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0].line, problems[0].column, problems[0].message


def test_default_playbook_is_valid() -> None:
    assert validate_path(default_playbook_dir()) == []
    playbook = load_playbook(default_playbook_dir())
    assert {card.category for card in playbook.cards} == set(OBJECTION_IDS)
    assert len(playbook.openers) >= 3
    assert 2 <= len(playbook.personas) <= 3
    for persona in playbook.personas:
        assert playbook.openers_for(persona.id)


def test_minimal_playbook_loads(write) -> None:  # type: ignore[no-untyped-def]
    playbook = load_playbook(write("p.yaml", MINIMAL))
    assert playbook.card("price").triggers == ("too expensive",)
    assert playbook.version == "1"
    assert len(playbook.content_hash) == 64


CASES = [
    # (description, text to splice in, expected line, column, words in message)
    ("unknown key", MINIMAL + "    titel: x\n", 12, 5, "did you mean 'title'"),
    ("duplicate key", MINIMAL + "    title: again\n", 12, 5, "duplicate key 'title'"),
    (
        "boolean text",
        MINIMAL.replace("title: Too expensive", "title: no"),
        7,
        12,
        "yes/no value",
    ),
    (
        "boolean OFF",
        MINIMAL.replace("rebuttal: It pays for itself.", "rebuttal: OFF"),
        8,
        15,
        "put it in quotes",
    ),
    (
        "unknown category",
        MINIMAL.replace("category: no-budget", "category: no-budgett"),
        6,
        15,
        "did you mean 'no-budget'",
    ),
    (
        "missing field",
        MINIMAL.replace("    follow_up: How many invoices a month?\n", ""),
        5,
        5,
        "missing the required key 'follow_up'",
    ),
    ("tab indentation", MINIMAL.replace("    title:", "\ttitle:"), 7, 1, "tab"),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [case[1:] for case in CASES],
    ids=[c[0] for c in CASES],
)
def test_problem_location(write, text: str, line: int, column: int, words: str) -> None:  # type: ignore[no-untyped-def]
    path = write("p.yaml", text)
    found_line, found_column, message = single(validate_path(path))
    assert (found_line, found_column) == (line, column)
    assert words in message


def test_duplicate_card_id_across_files(write) -> None:  # type: ignore[no-untyped-def]
    write("pb/a.yaml", MINIMAL)
    card = MINIMAL.split("cards:\n", 1)[1]
    path = write("pb/b.yaml", "cards:\n" + card)
    problems = validate_path(path.parent)
    line, column, message = single(problems)
    assert problems[0].path.name == "b.yaml"
    assert (line, column) == (2, 9)
    assert "duplicate card id 'price'" in message


def test_byte_order_mark(write) -> None:  # type: ignore[no-untyped-def]
    path = write("p.yaml", b"\xef\xbb\xbf" + MINIMAL.encode())
    line, column, message = single(validate_path(path))
    assert (line, column) == (1, 1)
    assert "byte-order mark" in message


def test_windows_1252_text(write) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("It pays for itself.", "It\x92s worth it.")
    path = write("p.yaml", text.encode("latin-1"))
    line, column, message = single(validate_path(path))
    assert (line, column) == (8, 17)
    assert "Windows-1252" in message


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_file(write, content: str) -> None:  # type: ignore[no-untyped-def]
    line, column, message = single(validate_path(write("p.yaml", content)))
    assert (line, column) == (1, 1)
    assert "empty" in message


def test_single_common_word_trigger(write) -> None:  # type: ignore[no-untyped-def]
    path = write("p.yaml", MINIMAL.replace("- too expensive", "- in"))
    line, column, message = single(validate_path(path))
    assert (line, column) == (11, 9)
    assert "common word" in message


def test_error_message_counts_the_rest(write) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL + "    titel: x\n    colour: red\n"
    with pytest.raises(PlaybookError) as caught:
        load_playbook(write("p.yaml", text))
    assert len(caught.value.problems) == 2
    assert str(caught.value).endswith("(and 1 more)")
    assert str(caught.value).startswith(f"{caught.value.problems[0].path}:12:5: ")


def test_markdown_card(write) -> None:  # type: ignore[no-untyped-def]
    header = MINIMAL.split("cards:", 1)[0]
    write("pb/playbook.yaml", header)
    write(
        "pb/stop.md",
        "---\nid: stop\ncategory: do-not-call\ntitle: Stop\nfollow_up: Confirm.\n"
        "triggers: [take me off your list]\n---\nStop and apologise.\n",
    )
    playbook = load_playbook(Path(write("pb/README.md", "notes").parent))
    assert playbook.card("stop").rebuttal == "Stop and apologise."


def test_markdown_front_matter_line_numbers(write) -> None:  # type: ignore[no-untyped-def]
    write("pb/playbook.yaml", MINIMAL)
    path = write("pb/x.md", "---\nid: x\ncategory: nope\n---\ntext\n")
    problems = [p for p in validate_path(path.parent) if p.path == path]
    assert any(p.line == 3 and "unknown objection id" in p.message for p in problems)
    assert any(p.line == 2 and "'title'" in p.message for p in problems)


def test_missing_playbook_path_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="--playbook"):
        resolve_playbook_path(str(tmp_path / "missing.yaml"))
    assert resolve_playbook_path(None) == default_playbook_dir()
