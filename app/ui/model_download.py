"""Download a Vosk model from the settings dialog, with progress and cancel."""

import logging
import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QPushButton, QWidget

from app.speech.download import DownloadCancelled, download_model
from app.ui.workers import Workers

log = logging.getLogger(__name__)


class ModelDownload(QWidget):
    """A model name field, a Download/Cancel button and a progress bar.

    ``installed`` carries the folder of the unpacked model.
    """

    installed = Signal(str)
    failed = Signal(str)
    _progress = Signal(int, int)

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("vosk-model-small-en-us-0.15")
        self.button = QPushButton("Download", self)
        self.button.clicked.connect(self._on_button)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.name, 2)
        row.addWidget(self.button)
        row.addWidget(self.bar, 1)
        self._cancel: threading.Event | None = None
        self._progress.connect(self._show_progress)

    def cancel(self) -> None:
        """Stop a running download; its partial file is kept for a resume."""
        if self._cancel is not None:
            self._cancel.set()

    def _on_button(self) -> None:
        if self._cancel is not None:
            self.cancel()
            return
        name = self.name.text().strip()
        if not name:
            self.failed.emit("Type the name of a model from the Vosk model list.")
            return
        cancel = threading.Event()
        self._cancel = cancel
        self.button.setText("Cancel")
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)

        def work() -> str:
            try:
                path = download_model(name, progress=self._progress.emit, cancel=cancel)
            except DownloadCancelled:
                log.info("download of model %s cancelled", name)
                return ""
            return str(path)

        self.workers.run(
            f"downloading model {name}", work, self._on_done, self._on_failed
        )

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(done * 1000 / total))

    def _on_done(self, path: str) -> None:
        self._reset()
        if path:
            self.installed.emit(path)

    def _on_failed(self, message: str) -> None:
        self._reset()
        self.failed.emit(message)

    def _reset(self) -> None:
        self._cancel = None
        self.button.setText("Download")
        self.bar.setVisible(False)
