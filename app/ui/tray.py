"""The tray icon: shows the call state and brings the window back."""

from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from app.ui.icons import state_icon

STATE_TEXT = {
    "idle": "Cuecard: no call",
    "starting": "Cuecard: starting a call",
    "live": "Cuecard: call in progress",
    "ending": "Cuecard: saving the call",
}


def create_tray(window: QMainWindow) -> QSystemTrayIcon | None:
    """Return a tray icon for ``window``, or None where there is no tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(state_icon("idle"), window)
    menu = QMenu(window)
    menu.addAction("Show Cuecard", window.showNormal)
    menu.addAction("Quit", window.close)
    tray.setContextMenu(menu)
    tray.activated.connect(lambda _reason: _bring_forward(window))
    show_call_state(tray, "idle")
    tray.show()
    return tray


def show_call_state(tray: QSystemTrayIcon | None, state: str) -> None:
    """Set the tray icon and tooltip for a call state."""
    if tray is None:
        return
    tray.setIcon(state_icon(state))
    tray.setToolTip(STATE_TEXT.get(state, "Cuecard"))


def _bring_forward(window: QMainWindow) -> None:
    window.showNormal()
    window.raise_()
