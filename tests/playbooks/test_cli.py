"""``playbook validate`` and ``playbook publish`` exit codes and output."""

import argparse
import sys
import types
from pathlib import Path

import pytest

from app.cli import playbook as playbook_command
from app.paths import default_playbook_dir
from tests.playbooks.conftest import MINIMAL


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    playbook_command.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


def test_validate_default_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["playbook", "validate", str(default_playbook_dir())]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert "15 cards" in out[0]


def test_validate_invalid_prints_rows(
    write,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    path = write("p.yaml", MINIMAL + "    titel: x\n    colour: red\n")
    assert run(["playbook", "validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:12:5: unknown key 'titel'")
    assert out[1].startswith(f"{path}:13:5: unknown key 'colour'")


def test_publish_prints_version(
    write,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    published = []

    def publish_playbook(playbook: object, db_url: str) -> str:
        published.append((playbook, db_url))
        return "Test 1 (abc123)"

    # The store layer is built separately; a stand-in module records the call.
    fake = types.ModuleType("app.store.publish")
    fake.publish_playbook = publish_playbook  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.store.publish", fake)
    path = write("p.yaml", MINIMAL)

    assert run(["playbook", "publish", str(path), "--db", "sqlite:///x.db"]) == 0

    assert capsys.readouterr().out.strip() == "Test 1 (abc123)"
    assert published[0][0].name == "Test"
    assert published[0][1] == "sqlite:///x.db"


def test_publish_invalid_stores_nothing(write) -> None:  # type: ignore[no-untyped-def]
    path = write("p.yaml", "")
    assert run(["playbook", "publish", str(path), "--db", "sqlite://"]) == 1
    assert Path(path).exists()
