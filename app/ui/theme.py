"""Light and dark colours that follow the system colour scheme.

Qt 6.5+ reports the system scheme through ``QStyleHints.colorScheme()`` and
signals changes with ``colorSchemeChanged``. Where the platform theme gives
no dark palette for a dark scheme (Fusion on a bare X server, some Linux
desktops), a dark palette is installed here. The card, error and alert
colours are derived from the palette in use, so they follow it.
"""

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

Role = QPalette.ColorRole

# Colours of the dark palette installed when the platform gives none.
_DARK = {
    Role.Window: "#2b2b2b",
    Role.WindowText: "#e8e8e8",
    Role.Base: "#1f1f1f",
    Role.AlternateBase: "#2f2f2f",
    Role.Text: "#e8e8e8",
    Role.Button: "#353535",
    Role.ButtonText: "#e8e8e8",
    Role.ToolTipBase: "#3a3a3a",
    Role.ToolTipText: "#e8e8e8",
    Role.PlaceholderText: "#9a9a9a",
    Role.Highlight: "#3d7fd6",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
    Role.BrightText: "#ff6b6b",
}
# Text colours for an error and the monologue alert, readable on each scheme's
# window colour (WCAG contrast ratio 5.6:1 or more against #2b2b2b and #efefef).
_ERROR = {True: "#ff8a80", False: "#b3261e"}
_ALERT = {True: "#ffcc80", False: "#8a4b00"}


def palette_is_dark(palette: QPalette) -> bool:
    """Return whether ``palette`` draws light text on a dark window."""
    return palette.color(Role.Window).lightness() < 128


def dark_palette() -> QPalette:
    """Return the dark palette used where the platform has none."""
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    disabled = QColor("#8a8a8a")
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def _mix(first: QColor, second: QColor, share: float) -> str:
    red = first.redF() * (1 - share) + second.redF() * share
    green = first.greenF() * (1 - share) + second.greenF() * share
    blue = first.blueF() * (1 - share) + second.blueF() * share
    return QColor.fromRgbF(red, green, blue).name()


def window_style(palette: QPalette) -> str:
    """Return the style sheet for the card, error line and alert on ``palette``."""
    dark = palette_is_dark(palette)
    base = palette.color(Role.Base)
    accent = palette.color(Role.Highlight)
    text = palette.color(Role.WindowText)
    # Secondary lines (the words heard, the partial transcript) mix 65% text
    # into the window colour: dimmer than the text but still easy to read.
    secondary = _mix(palette.color(Role.Window), text, 0.65)
    return (
        f"#currentCard {{ background: {_mix(base, accent, 0.12)};"
        f" border: 1px solid {_mix(base, accent, 0.6)}; border-radius: 6px; }}\n"
        f"#cardHeard, #partialLine {{ color: {secondary}; }}\n"
        f"#errorLine {{ color: {_ERROR[dark]}; }}\n"
        f"#metricsAlert {{ color: {_ALERT[dark]}; font-weight: bold; }}\n"
    )


class ThemeFollower(QObject):
    """Applies the chosen colour scheme ("system", "light" or "dark") to the app.

    With "system" it follows ``colorSchemeChanged`` while the app runs.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.choice = "system"
        self._installed_dark = False
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_change)

    def apply(self, choice: str) -> None:
        """Use ``choice`` and restyle the window."""
        self.choice = choice
        hints = QGuiApplication.styleHints()
        if choice == "system":
            hints.unsetColorScheme()
        else:
            wanted = Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light
            hints.setColorScheme(wanted)
        self._restyle()

    def scheme(self) -> Qt.ColorScheme:
        """Return the scheme in effect: the choice, else the system's."""
        if self.choice == "dark":
            return Qt.ColorScheme.Dark
        if self.choice == "light":
            return Qt.ColorScheme.Light
        return QGuiApplication.styleHints().colorScheme()

    def _on_system_change(self, scheme: Qt.ColorScheme) -> None:
        log.info("system colour scheme changed to %s", scheme.name)
        self._restyle()

    def _restyle(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        want_dark = self.scheme() == Qt.ColorScheme.Dark
        if want_dark and not palette_is_dark(app.palette()):
            app.setPalette(dark_palette())
            self._installed_dark = True
            log.info("installed the dark palette (the platform gave none)")
        elif (
            self._installed_dark
            and not want_dark
            or (self.choice == "light" and palette_is_dark(app.palette()))
        ):
            # A dark system palette stays under "system" when the platform
            # reports no scheme, since it is then the only sign of the scheme.
            app.setPalette(app.style().standardPalette())
            self._installed_dark = False
        self.window.setStyleSheet(window_style(app.palette()))
