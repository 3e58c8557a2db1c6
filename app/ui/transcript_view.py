"""The live transcript by speaker: final lines, then the utterance in progress."""

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.coaching.events import TranscriptFinal, TranscriptPartial

# Lines kept in the view; older lines scroll out (the database keeps them all).
MAX_LINES = 500

SPEAKER_LABELS = {"rep": "You", "prospect": "Prospect", "mixed": "Call"}


class TranscriptView(QWidget):
    """Shows each speaker's transcript lines, newest at the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = QPlainTextEdit(self)
        self.lines.setObjectName("transcript")
        self.lines.setReadOnly(True)
        self.lines.setMaximumBlockCount(MAX_LINES)
        self.partial = QLabel(self)
        self.partial.setWordWrap(True)
        self.partial.setObjectName("partialLine")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines)
        layout.addWidget(self.partial)
        self._partials: dict[str, str] = {}

    def add_final(self, event: TranscriptFinal) -> None:
        """Append a finished utterance."""
        self._partials.pop(event.speaker, None)
        speaker = SPEAKER_LABELS.get(event.speaker, event.speaker)
        self.lines.appendPlainText(f"{speaker}: {event.text}")
        self.lines.moveCursor(QTextCursor.MoveOperation.End)
        self._show_partials()

    def set_partial(self, event: TranscriptPartial) -> None:
        """Show the words heard so far in an utterance that is still going."""
        self._partials[event.speaker] = event.text
        self._show_partials()

    def reset(self) -> None:
        """Empty the view for a new call."""
        self.lines.clear()
        self._partials.clear()
        self._show_partials()

    def text(self) -> str:
        """Return the final lines shown, for tests and copying."""
        return self.lines.toPlainText()

    def _show_partials(self) -> None:
        parts = [
            f"{SPEAKER_LABELS.get(speaker, speaker)}: {text} ..."
            for speaker, text in self._partials.items()
            if text
        ]
        self.partial.setText("\n".join(parts))
        self.partial.setVisible(bool(parts))
