"""Start the desktop app: the Qt application, the settings and the window."""

import logging
import sys

from PySide6.QtWidgets import QApplication

from app.errors import CuecardError
from app.settings import Settings, load_settings
from app.ui.icons import app_icon
from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def application() -> QApplication:
    """Return the running QApplication, creating it on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Cuecard")
    app.setOrganizationName("Cuecard")
    app.setWindowIcon(app_icon())
    return app


def settings_or_defaults() -> tuple[Settings, str | None]:
    """Return the saved settings, or the defaults and why they could not load."""
    try:
        return load_settings(), None
    except CuecardError as error:
        log.warning("using default settings: %s", error)
        return Settings(), str(error)


def create_window() -> MainWindow:
    """Create the main window with the saved settings (not shown yet)."""
    settings, problem = settings_or_defaults()
    window = MainWindow(settings)
    if problem:
        window.show_error(problem)
    return window


def run_app() -> int:
    """Open the window and run the event loop; return the exit status."""
    app = application()
    window = create_window()
    window.show()
    log.info("window shown")
    return app.exec()
