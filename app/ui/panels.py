"""The window's secondary panels: history, settings, log, shortcuts and tray."""

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMessageBox

from app.ui.actions import shortcut_help
from app.ui.history_dialog import HistoryDialog
from app.ui.log_view import LogDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.tray import create_tray, show_call_state

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class Panels(QObject):
    """Opens each secondary dialog once, without blocking the window."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.history: HistoryDialog | None = None
        self.settings: SettingsDialog | None = None
        self.log: LogDialog | None = None
        self.tray = create_tray(window)
        actions = window.actions_
        actions.history.triggered.connect(self.open_history)
        actions.settings.triggered.connect(self.open_settings)
        actions.log.triggered.connect(self.open_log)
        actions.hotkeys.triggered.connect(self.show_shortcuts)

    def open_history(self) -> None:
        """Show the call history."""
        store = self.window.store
        if store is None:
            self.window.show_error("The call database is still opening.")
            return
        if self.history is None:
            self.history = HistoryDialog(store, self.window.workers, self.window)
            self.history.finished.connect(self._forget_history)
        self.history.show()
        self.history.raise_()

    def refresh_history(self) -> None:
        """Reload the history list when it is open."""
        if self.history is not None:
            self.history.refresh()

    def open_settings(self) -> None:
        """Show the settings dialog; saving applies them to the window."""
        if self.settings is None:
            dialog = SettingsDialog(
                self.window.settings,
                self.window.workers,
                self.window,
                hotkey_status=self.window.hotkeys.status,
            )
            dialog.finished.connect(
                lambda result: self._on_settings_closed(dialog, result)
            )
            self.settings = dialog
        self.settings.show()
        self.settings.raise_()

    def open_log(self) -> None:
        """Show the latest log lines."""
        if self.log is None:
            self.log = LogDialog(self.window)
        self.log.refresh()
        self.log.show()
        self.log.raise_()

    def show_shortcuts(self) -> None:
        """Show the keyboard shortcuts."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts",
            shortcut_help(self.window.hotkeys.status),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("shortcutHelp")
        box.open()

    def show_call_state(self, state: str) -> None:
        """Show the call state on the tray icon and in the window title."""
        show_call_state(self.tray, state)
        suffix = {"live": " - call in progress", "ending": " - saving"}.get(state, "")
        self.window.setWindowTitle("Cuecard" + suffix)

    def close_all(self) -> None:
        """Close every open panel and hide the tray icon."""
        for dialog in (self.history, self.settings, self.log):
            if dialog is not None:
                dialog.close()
        if self.tray is not None:
            self.tray.hide()

    def _forget_history(self) -> None:
        self.history = None

    def _on_settings_closed(self, dialog: SettingsDialog, result: int) -> None:
        self.settings = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and dialog.result_settings is not None:
            log.info("settings changed in the dialog")
            self.window.apply_settings(dialog.result_settings)
