"""The window's menu actions and their keyboard shortcuts."""

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

# Shortcuts work while the Cuecard window has focus.
SHORTCUTS = {
    "start": "Ctrl+Return",
    "end": "Ctrl+E",
    "dismiss": "Esc",
    "helpful": "Ctrl+Up",
    "not_helpful": "Ctrl+Down",
    "pin": "Ctrl+T",
    "replay": "Ctrl+O",
    "history": "Ctrl+H",
    "transcript": "Ctrl+R",
}


class WindowActions:
    """Creates every action of the main window and puts them in its menus."""

    def __init__(self, window: QMainWindow) -> None:
        self.replay = self._action(window, "&Replay a recording...", "replay")
        self.replay_sample = self._action(window, "Replay the &sample call")
        self.history = self._action(window, "&History...", "history")
        self.sync_now = self._action(window, "S&ync now")
        self.sync_now.setEnabled(False)
        self.settings = self._action(window, "&Settings...")
        self.settings.setShortcut(QKeySequence.StandardKey.Preferences)
        self.quit = self._action(window, "&Quit")
        self.quit.setShortcut(QKeySequence.StandardKey.Quit)

        self.start = self._action(window, "&Start call", "start")
        self.end = self._action(window, "&End call", "end")
        self.dismiss = self._action(window, "&Dismiss card", "dismiss")
        self.helpful = self._action(window, "Mark card &helpful", "helpful")
        self.not_helpful = self._action(window, "Mark card &not helpful", "not_helpful")
        self.pin = self._action(window, "Keep on &top", "pin")
        self.pin.setCheckable(True)
        self.transcript = self._action(window, "Show &transcript", "transcript")
        self.transcript.setCheckable(True)

        self.log = self._action(window, "Show the &log...")
        self.hotkeys = self._action(window, "&Keyboard shortcuts...")

        menus = window.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.replay)
        file_menu.addAction(self.replay_sample)
        self.recent = file_menu.addMenu("Recent re&plays")
        self.recent.setObjectName("recentReplays")
        for action in (self.history, self.sync_now, self.settings):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        call_menu = menus.addMenu("&Call")
        for action in (self.start, self.end, self.dismiss, self.helpful):
            call_menu.addAction(action)
        call_menu.addAction(self.not_helpful)
        call_menu.addSeparator()
        call_menu.addAction(self.pin)
        call_menu.addAction(self.transcript)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.hotkeys)
        help_menu.addAction(self.log)

    @staticmethod
    def _action(window: QMainWindow, text: str, shortcut: str | None = None) -> QAction:
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(SHORTCUTS[shortcut]))
        window.addAction(action)
        return action


def shortcut_help(global_status: str) -> str:
    """Return the shortcut list and ``global_status`` (the global hotkeys line)."""
    names = {
        "start": "Start call",
        "end": "End call",
        "dismiss": "Dismiss the card",
        "helpful": "Mark the card helpful",
        "not_helpful": "Mark the card not helpful",
        "pin": "Keep the window on top",
        "replay": "Replay a recording",
        "history": "Call history",
        "transcript": "Show or hide the transcript",
    }
    lines = [f"{SHORTCUTS[key]:>12}   {label}" for key, label in names.items()]
    lines.append("")
    lines.append("These shortcuts work while the Cuecard window has focus.")
    lines.append(global_status)
    return "\n".join(lines)
