"""The in-app log view: the latest log lines, to copy into a problem report."""

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import logs


class LogDialog(QDialog):
    """Shows the in-memory log tail and where the full log file is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cuecard log")
        self.setObjectName("logDialog")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        where = QLabel(f"Full log: {logs.current_log_file()}", self)
        where.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        refresh = buttons.addButton("Refresh", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        refresh.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.refresh()

    def refresh(self) -> None:
        """Show the latest lines, newest at the bottom."""
        self.text.setPlainText("\n".join(logs.tail.lines()))
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())

    def copy(self) -> None:
        """Put the shown lines on the clipboard."""
        QGuiApplication.clipboard().setText(self.text.toPlainText())
