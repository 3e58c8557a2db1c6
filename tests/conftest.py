"""Fixtures shared by every test: an isolated CUECARD_HOME and offscreen Qt."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def cuecard_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CUECARD_HOME at a fresh folder so no test touches the user's data."""
    home = tmp_path / "cuecard-home"
    home.mkdir()
    monkeypatch.setenv("CUECARD_HOME", str(home))
    return home
