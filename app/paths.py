"""Per-user folders for the database, settings, logs and models.

When the CUECARD_HOME variable is set, every folder lives below it instead, so
tests and scripts run isolated from the user's own data.
"""

import os
import sys
from pathlib import Path

import platformdirs

from app.errors import CuecardError

APP_NAME = "Cuecard"
HOME_VARIABLE = "CUECARD_HOME"


def _base(kind: str) -> Path:
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser() / kind
    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    if kind == "logs":
        return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    raise ValueError(f"unknown folder kind {kind!r}")


def _ensure(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CuecardError(
            f"cannot create the folder {path} ({error.strerror}); fix its "
            f"permissions or set {HOME_VARIABLE} to a writable folder"
        ) from error
    return path


def data_dir() -> Path:
    """Return the folder for the local database and models, creating it."""
    return _ensure(_base("data"))


def config_dir() -> Path:
    """Return the folder for the settings file, creating it."""
    return _ensure(_base("config"))


def log_dir() -> Path:
    """Return the folder for log files, creating it."""
    return _ensure(_base("logs"))


def log_file() -> Path:
    """Return the path of the log file, without creating its folder."""
    return _base("logs") / "cuecard.log"


def models_dir() -> Path:
    """Return the folder where downloaded speech models are unpacked."""
    return _ensure(data_dir() / "models")


def local_database_path() -> Path:
    """Return the path of the rep's local SQLite database."""
    return data_dir() / "cuecard.sqlite3"


def _install_root() -> Path:
    # A PyInstaller build unpacks the bundled folders below sys._MEIPASS; a source
    # checkout keeps them beside the app package.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """Return the folder of shipped resources (sample call, icons)."""
    return _install_root() / "resources"


def default_playbook_dir() -> Path:
    """Return the folder of the default playbook shipped with the app."""
    return _install_root() / "talk_tracks"
