"""`calls list` and `calls tag` against the local database in CUECARD_HOME."""

import argparse
import json
from datetime import UTC, datetime

import pytest

from app.cli import calls
from app.errors import CuecardError
from app.store.local import LocalStore


def run_calls(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    calls.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["calls", *argv])
    return args.handler(args)


def record_call() -> str:
    store = LocalStore.open()
    try:
        return store.begin_call(
            rep="alice",
            playbook_name="default",
            playbook_version="1.0",
            persona=None,
            engine="vosk",
            started_at=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
        )
    finally:
        store.close()


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    call_id = record_call()
    assert run_calls("list", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in rows] == [call_id]
    assert rows[0]["outcome"] is None


def test_list_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_calls("list") == 0
    assert "no calls" in capsys.readouterr().out


def test_tag_by_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    call_id = record_call()
    assert run_calls("tag", call_id[:6], "callback", "--note", "after lunch") == 0
    assert call_id in capsys.readouterr().out
    store = LocalStore.open()
    try:
        summary = store.get_call(call_id).summary
    finally:
        store.close()
    assert summary.outcome == "callback"
    assert summary.note == "after lunch"


def test_tag_bad_outcome() -> None:
    call_id = record_call()
    with pytest.raises(CuecardError, match="unknown outcome 'won'"):
        run_calls("tag", call_id, "won")
