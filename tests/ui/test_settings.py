"""Settings: round trip, migration from version 1, bad files, and the dialog."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.errors import CuecardError
from app.settings import (
    SETTINGS_VERSION,
    DeviceSetting,
    HotkeySettings,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)
from app.store.credentials import URL_VARIABLE, resolve_shared_url
from app.ui.main_window import MainWindow
from tests.conftest import REPO_ROOT


def test_settings_round_trip() -> None:
    settings = Settings(
        rep_name="Dana",
        microphone=DeviceSetting("USB headset", "ALSA"),
        speech_model="embedded",
        store_transcripts=False,
        monologue_alert_s=30.0,
        recent_replays=("/tmp/a.wav",),
    )
    save_settings(settings)
    assert load_settings() == settings
    stored = json.loads(settings_path().read_text())
    assert stored["version"] == SETTINGS_VERSION


def test_missing_file_gives_defaults() -> None:
    assert load_settings() == Settings()


def test_version_1_is_migrated_and_rewritten() -> None:
    settings_path().write_text(
        json.dumps(
            {
                "version": 1,
                "rep_name": "Sam",
                "microphone": "Blue Yeti/ALSA",
                "keep_transcripts": False,
                "on_top": False,
            }
        )
    )
    settings = load_settings()
    assert settings.rep_name == "Sam"
    assert settings.microphone == DeviceSetting("Blue Yeti", "ALSA")
    assert settings.store_transcripts is False
    assert settings.always_on_top is False
    rewritten = json.loads(settings_path().read_text())
    assert rewritten["version"] == SETTINGS_VERSION
    assert "keep_transcripts" not in rewritten


def test_newer_version_is_rejected() -> None:
    settings_path().write_text(json.dumps({"version": SETTINGS_VERSION + 1}))
    with pytest.raises(CuecardError, match="newer than this Cuecard"):
        load_settings()


def test_broken_file_is_moved_aside() -> None:
    settings_path().write_text("{not json")
    assert load_settings() == Settings()
    assert settings_path().with_name("settings.json.broken").exists()
    assert not settings_path().exists()


def test_wrong_type_names_setting() -> None:
    settings_path().write_text(json.dumps({"version": 3, "opener_seconds": "long"}))
    with pytest.raises(CuecardError, match="opener_seconds"):
        load_settings()


def test_password_in_url_is_rejected() -> None:
    with pytest.raises(CuecardError, match="password"):
        Settings().replace(shared_database_url="postgresql://rep:secret@db/cuecard")
    ok = Settings().replace(shared_database_url="postgresql://rep@db/cuecard")
    assert ok.shared_database_url == "postgresql://rep@db/cuecard"


def test_settings_dialog_saves(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.panels.open_settings()
    dialog = window.panels.settings
    assert dialog is not None
    dialog.rep_name.setText("Dana")
    dialog.store_transcripts.setChecked(False)
    dialog.monologue.setValue(30)
    with qtbot.waitSignal(dialog.finished) as finished:
        dialog.accept()
    assert finished.args == [QDialog.DialogCode.Accepted.value]
    assert window.settings.rep_name == "Dana"
    assert load_settings().store_transcripts is False
    assert load_settings().monologue_alert_s == 30.0


def test_settings_dialog_rejects_password(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.panels.open_settings()
    dialog = window.panels.settings
    dialog.shared_url.setText("postgresql://rep:secret@db/cuecard")
    dialog.accept()
    assert dialog.isVisible()
    assert "password" in dialog.error.text()
    dialog.reject()
    assert load_settings().shared_database_url is None


def _self_test(home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=REPO_ROOT,
        env={"CUECARD_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_self_test_passes(cuecard_home: Path) -> None:
    result = _self_test(cuecard_home)
    assert result.returncode == 0, result.stderr
    assert "ok: window opens and loads" in result.stdout


def test_self_test_names_broken_playbook(cuecard_home: Path) -> None:
    save_settings(Settings(playbook_path=str(cuecard_home / "missing.yaml")))
    result = _self_test(cuecard_home)
    assert result.returncode == 1
    assert "playbook not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_2_is_migrated_to_3() -> None:
    settings_path().write_text(
        json.dumps({"version": 2, "rep_name": "Sam", "always_on_top": False})
    )
    settings = load_settings()
    assert settings.rep_name == "Sam"
    assert settings.always_on_top is False
    assert settings.hotkeys == HotkeySettings()
    assert settings.color_scheme == "system"
    rewritten = json.loads(settings_path().read_text())
    assert rewritten["version"] == 3
    assert rewritten["hotkeys"]["dismiss"] == "<ctrl>+<alt>+x"


def test_hotkeys_round_trip() -> None:
    hotkeys = HotkeySettings(enabled=False, start="<ctrl>+<shift>+<f9>")
    save_settings(Settings(hotkeys=hotkeys, color_scheme="dark"))
    loaded = load_settings()
    assert loaded.hotkeys == hotkeys
    assert loaded.color_scheme == "dark"


@pytest.mark.parametrize(
    "combo",
    ["s", "<ctrl>+", "<ctrl>+<alt>+sx", "<hyper>+s", "ctrl+s", "<ctrl>+<f99>", ""],
)
def test_invalid_hotkey_is_rejected(combo: str) -> None:
    with pytest.raises(CuecardError, match="for start is invalid"):
        Settings().replace(hotkeys=HotkeySettings(start=combo))


def test_hotkey_used_twice_is_rejected() -> None:
    with pytest.raises(CuecardError, match="set for both start and dismiss"):
        Settings().replace(
            hotkeys=HotkeySettings(start="<alt>+<ctrl>+x", dismiss="<ctrl>+<alt>+x")
        )


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(CuecardError, match="colour scheme 'blue' is invalid"):
        Settings().replace(color_scheme="blue")


def test_hotkeys_wrong_type_names_setting() -> None:
    settings_path().write_text(json.dumps({"version": 3, "hotkeys": {"start": 5}}))
    with pytest.raises(CuecardError, match=r"hotkeys\.start"):
        load_settings()


def test_shared_url_sources_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    with pytest.raises(CuecardError, match="enter a shared database in the settings"):
        resolve_shared_url(None)

    save_settings(Settings(shared_database_url="sqlite:///from-settings.db"))
    assert resolve_shared_url(None) == "sqlite:///from-settings.db"

    monkeypatch.setenv(URL_VARIABLE, "sqlite:///from-environment.db")
    assert resolve_shared_url(None) == "sqlite:///from-environment.db"
    assert resolve_shared_url("sqlite:///from-argument.db") == (
        "sqlite:///from-argument.db"
    )
