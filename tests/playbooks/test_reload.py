"""Hot reload applies edits, including rename-saves, and survives broken files."""

import os
import queue
from pathlib import Path

from app.playbooks.loader import PlaybookError
from app.playbooks.model import Playbook
from app.playbooks.reload import PlaybookWatcher
from tests.playbooks.conftest import MINIMAL

WAIT_SECONDS = 10


def start_watcher(path: Path) -> tuple[PlaybookWatcher, queue.Queue, queue.Queue]:
    changes: queue.Queue[Playbook] = queue.Queue()
    errors: queue.Queue[PlaybookError] = queue.Queue()
    watcher = PlaybookWatcher(path, changes.put, errors.put, poll_seconds=0.05)
    watcher.start()
    return watcher, changes, errors


def test_rename_save_applies(write) -> None:  # type: ignore[no-untyped-def]
    path = write("pb.yaml", MINIMAL)
    watcher, changes, errors = start_watcher(path)
    try:
        temporary = path.with_name(".pb.yaml.swp")
        temporary.write_text(MINIMAL.replace('"1"', '"2"'), encoding="utf-8")
        os.replace(temporary, path)
        playbook = changes.get(timeout=WAIT_SECONDS)
    finally:
        watcher.stop()
    assert playbook.version == "2"
    assert errors.empty()


def test_broken_file_keeps_last_good(write) -> None:  # type: ignore[no-untyped-def]
    path = write("pb.yaml", MINIMAL)
    watcher, changes, errors = start_watcher(path)
    try:
        path.write_text(MINIMAL[:40], encoding="utf-8")
        error = errors.get(timeout=WAIT_SECONDS)
        assert changes.empty()
        path.write_text(MINIMAL.replace('"1"', '"3"'), encoding="utf-8")
        playbook = changes.get(timeout=WAIT_SECONDS)
    finally:
        watcher.stop()
    assert isinstance(error, PlaybookError)
    assert error.problems[0].path == path
    assert playbook.version == "3"


def test_empty_write_reports_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("pb.yaml", MINIMAL)
    watcher, changes, errors = start_watcher(path)
    try:
        path.write_text("", encoding="utf-8")
        error = errors.get(timeout=WAIT_SECONDS)
    finally:
        watcher.stop()
    assert "empty" in str(error)
    assert changes.empty()
