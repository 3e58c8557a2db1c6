"""Helpers for playbook tests: a minimal valid playbook to start from."""

from pathlib import Path

import pytest

MINIMAL = """\
playbook:
  name: Test
  version: "1"
cards:
  - id: price
    category: no-budget
    title: Too expensive
    rebuttal: It pays for itself.
    follow_up: How many invoices a month?
    triggers:
      - too expensive
"""


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes bytes or text to a file under tmp_path."""

    def write_file(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write_file
