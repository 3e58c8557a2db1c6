"""Property-based fuzzing of the playbook parser: no crash, one-line errors."""

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import CuecardError
from app.playbooks.loader import load_playbook
from tests.conftest import REPO_ROOT

PLAYBOOK_FILE = REPO_ROOT / "talk_tracks" / "playbook.yaml"
OBJECTIONS_FILE = REPO_ROOT / "talk_tracks" / "objections.yaml"
FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

yaml_pieces = st.sampled_from(
    [
        ":",
        "- ",
        "  ",
        "\n",
        "\t",
        "'",
        '"',
        "{",
        "}",
        "[",
        "]",
        "&a",
        "*a",
        "!!",
        "---",
        "...",
        "#",
        "playbook:",
        "cards:",
        "triggers:",
        "id:",
        "category:",
        "version:",
        "\ufeff",
        "\x00",
        "é",
        "🎧",
        "yes",
        "null",
        "1e9",
    ]
)


def check_load(path: Path) -> None:
    """Load a playbook and accept only success or a one-line CuecardError."""
    try:
        load_playbook(path)
    except CuecardError as error:
        message = str(error)
        assert message.strip(), "empty error message"
        assert "\n" not in message, f"multi-line error: {message!r}"


@FUZZ_SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_bytes(data)
    check_load(path)


@FUZZ_SETTINGS
@given(pieces=st.lists(st.one_of(yaml_pieces, st.text(max_size=12)), max_size=80))
def test_yaml_like_text_never_crashes(tmp_path: Path, pieces: list[str]) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text("".join(pieces), encoding="utf-8", errors="surrogatepass")
    check_load(path)


@FUZZ_SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    edits=st.integers(1, 8),
    insert=st.one_of(yaml_pieces, st.text(max_size=6)),
)
def test_mutated_default_playbook(
    tmp_path: Path, seed: int, edits: int, insert: str
) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "mutated"
    folder.mkdir(exist_ok=True)
    for source in (PLAYBOOK_FILE, OBJECTIONS_FILE):
        text = source.read_text(encoding="utf-8")
        for _ in range(edits):
            at = rng.randrange(len(text))
            cut = rng.randrange(0, 12)
            text = text[:at] + (insert if rng.random() < 0.5 else "") + text[at + cut :]
        (folder / source.name).write_text(
            text, encoding="utf-8", errors="surrogatepass"
        )
    check_load(folder)
