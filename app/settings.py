"""The user's settings: typed, versioned, stored as JSON in the config folder.

``load_settings`` migrates an older file forward one version at a time and
rewrites it. A missing file gives the defaults. A file that is not valid JSON
is moved aside (``settings.json.broken``), logged and replaced by the defaults,
so a bad edit never stops the app from starting. No password is ever stored:
a shared database URL that carries one is rejected.
"""

import dataclasses
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app import paths
from app.errors import CuecardError

log = logging.getLogger(__name__)

SETTINGS_VERSION = 3
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class DeviceSetting:
    """An audio input as the settings remember it (PortAudio indexes change)."""

    name: str
    hostapi: str


@dataclass(frozen=True)
class HotkeySettings:
    """Global hotkeys in pynput's notation, such as ``<ctrl>+<alt>+s``."""

    enabled: bool = True
    start: str = "<ctrl>+<alt>+s"
    end: str = "<ctrl>+<alt>+e"
    dismiss: str = "<ctrl>+<alt>+x"

    def bindings(self) -> dict[str, str]:
        """Return the hotkey of each window action, by action name."""
        return {"start": self.start, "end": self.end, "dismiss": self.dismiss}


# Modifier names a global hotkey may use, and named keys it may end with.
HOTKEY_MODIFIERS = frozenset({"ctrl", "alt", "shift", "cmd"})
HOTKEY_NAMED_KEYS = frozenset(
    {f"f{number}" for number in range(1, 21)}
    | {"space", "enter", "tab", "esc", "backspace", "delete", "insert"}
    | {"home", "end", "page_up", "page_down", "up", "down", "left", "right"}
)
COLOR_SCHEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Settings:
    """Every setting the window reads; None means "use the default"."""

    rep_name: str = ""
    microphone: DeviceSetting | None = None
    loopback: DeviceSetting | None = None
    speech_model: str | None = None
    playbook_path: str | None = None
    persona: str | None = None
    shared_database_url: str | None = None
    store_transcripts: bool = True
    always_on_top: bool = True
    show_transcript: bool = True
    opener_seconds: float = 15.0
    monologue_alert_s: float = 45.0
    alert_interval_s: float = 60.0
    recent_replays: tuple[str, ...] = field(default=())
    hotkeys: HotkeySettings = field(default_factory=HotkeySettings)
    color_scheme: str = "system"

    def replace(self, **changes: Any) -> "Settings":
        """Return a copy with ``changes`` applied and checked."""
        updated = dataclasses.replace(self, **changes)
        check_settings(updated)
        return updated


def settings_path() -> Path:
    """Return the path of the settings file."""
    return paths.config_dir() / SETTINGS_FILE


def check_settings(settings: Settings) -> None:
    """Raise CuecardError naming the first setting that is out of range."""
    if settings.opener_seconds < 0 or settings.opener_seconds > 120:
        raise CuecardError(
            f"opener time {settings.opener_seconds} s is invalid; use 0 to 120 s"
        )
    if settings.monologue_alert_s < 10 or settings.monologue_alert_s > 600:
        raise CuecardError(
            f"monologue alert {settings.monologue_alert_s} s is invalid; "
            "use 10 to 600 s"
        )
    if settings.alert_interval_s < 10:
        raise CuecardError(
            f"alert interval {settings.alert_interval_s} s is invalid; use 10 s or more"
        )
    if settings.color_scheme not in COLOR_SCHEMES:
        raise CuecardError(
            f"colour scheme {settings.color_scheme!r} is invalid; use one of "
            + ", ".join(COLOR_SCHEMES)
        )
    check_hotkeys(settings.hotkeys)
    url = settings.shared_database_url
    if url and urlsplit(url).password:
        raise CuecardError(
            "the shared database URL contains a password; remove it from the URL "
            "(the password is kept in the system keyring, not in the settings)"
        )


def check_hotkeys(hotkeys: HotkeySettings) -> None:
    """Raise CuecardError naming a global hotkey that is invalid or used twice."""
    seen: dict[str, str] = {}
    for action, combo in hotkeys.bindings().items():
        keys = combo.lower().split("+")
        modifiers = {key.strip("<>") for key in keys[:-1]}
        last = keys[-1]
        named = last.startswith("<") and last.endswith(">")
        valid_key = last.strip("<>") in HOTKEY_NAMED_KEYS if named else len(last) == 1
        if (
            not modifiers
            or not modifiers <= HOTKEY_MODIFIERS
            or any(not (k.startswith("<") and k.endswith(">")) for k in keys[:-1])
            or not valid_key
        ):
            raise CuecardError(
                f"global hotkey {combo!r} for {action} is invalid; write modifiers "
                "then one key, such as <ctrl>+<alt>+s or <ctrl>+<shift>+<f9>"
            )
        normalized = "+".join(sorted(modifiers)) + "+" + last
        if normalized in seen:
            raise CuecardError(
                f"global hotkey {combo!r} is set for both {seen[normalized]} and "
                f"{action}; give each action its own keys"
            )
        seen[normalized] = action


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file, migrating and rewriting an older version.

    Raises CuecardError for a file written by a newer Cuecard or with a value
    out of range.
    """
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the top level is not an object")
    except (OSError, ValueError) as error:
        broken = path.with_name(path.name + ".broken")
        log.warning("settings %s unreadable (%s); moved to %s", path, error, broken)
        os.replace(path, broken)
        return Settings()

    version = data.get("version", 1)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        raise CuecardError(
            f"settings file {path} has version {version!r}, newer than this "
            f"Cuecard understands ({SETTINGS_VERSION}); update Cuecard or delete "
            "the file"
        )
    migrated = version < SETTINGS_VERSION
    while version < SETTINGS_VERSION:
        data = _MIGRATIONS[version](data)
        version += 1
        log.info("migrated settings %s to version %d", path, version)

    settings = _from_json(data, path)
    check_settings(settings)
    if migrated:
        save_settings(settings, path)
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (a temporary file renamed over the old one)."""
    check_settings(settings)
    path = path or settings_path()
    data = {"version": SETTINGS_VERSION, **dataclasses.asdict(settings)}
    data["recent_replays"] = list(settings.recent_replays)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    log.info("saved settings to %s", path)


def _from_json(data: dict[str, Any], path: Path) -> Settings:
    known = {item.name: item for item in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "version":
            continue
        if key not in known:
            log.warning("ignoring unknown setting %r in %s", key, path)
            continue
        values[key] = _typed(key, value, path)
    return Settings(**values)


def _typed(key: str, value: Any, path: Path) -> Any:
    if key in ("microphone", "loopback"):
        if value is None:
            return None
        if not isinstance(value, dict) or {"name", "hostapi"} - value.keys():
            raise CuecardError(
                f"setting {key} in {path} is invalid; pick the device again in "
                "the settings or delete the file"
            )
        return DeviceSetting(str(value["name"]), str(value["hostapi"]))
    if key == "hotkeys":
        return _hotkeys(value, path)
    if key == "recent_replays":
        return tuple(str(item) for item in value or ())
    default = getattr(Settings(), key)
    expected = type(default) if default is not None else str
    if value is None and default is None:
        return None
    if expected is float and isinstance(value, int | float):
        return float(value)
    if not isinstance(value, expected):
        raise CuecardError(
            f"setting {key} in {path} is {value!r}, not a {expected.__name__}; "
            "fix it in the settings dialog or delete the file"
        )
    return value


def _hotkeys(value: Any, path: Path) -> HotkeySettings:
    defaults = HotkeySettings()
    if not isinstance(value, dict):
        raise CuecardError(
            f"setting hotkeys in {path} is {value!r}, not an object; fix it in "
            "the settings dialog or delete the file"
        )
    values: dict[str, Any] = {}
    for name, given in value.items():
        if not hasattr(defaults, name):
            log.warning("ignoring unknown hotkey setting %r in %s", name, path)
            continue
        if not isinstance(given, type(getattr(defaults, name))):
            raise CuecardError(
                f"setting hotkeys.{name} in {path} is {given!r}; fix it in the "
                "settings dialog or delete the file"
            )
        values[name] = given
    return HotkeySettings(**values)


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 named the devices by bare strings with the host API after a
    # slash, called the transcript switch "keep_transcripts" and the pin "on_top".
    migrated = {key: value for key, value in data.items() if key != "version"}
    for key in ("microphone", "loopback"):
        value = migrated.get(key)
        if isinstance(value, str):
            name, _, hostapi = (
                value.rpartition("/") if "/" in value else (value, "", "")
            )
            migrated[key] = {"name": name, "hostapi": hostapi}
    if "keep_transcripts" in migrated:
        migrated["store_transcripts"] = bool(migrated.pop("keep_transcripts"))
    if "on_top" in migrated:
        migrated["always_on_top"] = bool(migrated.pop("on_top"))
    migrated["version"] = 2
    return migrated


def _migrate_2_to_3(data: dict[str, Any]) -> dict[str, Any]:
    # Version 3 added the global hotkeys and the colour scheme. Writing the
    # defaults into the file shows a user who edits it by hand what they are.
    migrated = dict(data)
    migrated.setdefault("hotkeys", dataclasses.asdict(HotkeySettings()))
    migrated.setdefault("color_scheme", "system")
    migrated["version"] = 3
    return migrated


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
}
