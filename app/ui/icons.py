"""The app's icons, drawn as SVG files in resources/icons."""

from PySide6.QtGui import QIcon

from app import paths

# Icon file for each call state; states without an entry use the app icon.
STATE_ICONS = {"live": "call-live.svg", "starting": "call-live.svg"}
STATE_ICONS["ending"] = "call-ending.svg"


def icon(name: str) -> QIcon:
    """Return the icon in resources/icons/``name``."""
    return QIcon(str(paths.resources_dir() / "icons" / name))


def app_icon() -> QIcon:
    """Return the Cuecard icon."""
    return icon("cuecard.svg")


def state_icon(state: str) -> QIcon:
    """Return the icon that shows the call state (idle, live, ending)."""
    return icon(STATE_ICONS.get(state, "cuecard.svg"))
