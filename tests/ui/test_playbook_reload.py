"""An edited playbook applies to the open window without a restart."""

import shutil
from pathlib import Path

from app import paths
from app.settings import load_settings, save_settings
from app.ui.application import create_window
from tests.ui.conftest import LOAD_TIMEOUT_MS


def _window_on(qtbot, folder: Path):  # noqa: ANN001, ANN202
    save_settings(load_settings().replace(playbook_path=str(folder)))
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=LOAD_TIMEOUT_MS)
    return window


def test_edited_playbook_is_applied(qtbot, tmp_path, speech_engine) -> None:  # noqa: ANN001
    folder = tmp_path / "tracks"
    shutil.copytree(paths.default_playbook_dir(), folder)
    window = _window_on(qtbot, folder)
    header = folder / "playbook.yaml"

    header.write_text(
        header.read_text(encoding="utf-8").replace('"2025.1"', '"2025.2"'),
        encoding="utf-8",
    )

    qtbot.waitUntil(lambda: window.parts.playbook.version == "2025.2", timeout=5000)
    assert "(reloaded)" in window.area.status.text()


def test_broken_edit_keeps_playbook(qtbot, tmp_path, speech_engine) -> None:  # noqa: ANN001
    folder = tmp_path / "tracks"
    shutil.copytree(paths.default_playbook_dir(), folder)
    window = _window_on(qtbot, folder)
    before = window.parts.playbook

    (folder / "playbook.yaml").write_text("name: [unclosed\n", encoding="utf-8")

    qtbot.waitUntil(lambda: "not applied" in window.area.error.text(), timeout=5000)
    assert window.parts.playbook is before
