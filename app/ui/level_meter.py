"""A live input level meter for the settings dialog's device test."""

import logging
import threading

import numpy as np
import sounddevice
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar, QWidget

from app.audio.devices import DeviceInfo
from app.audio.levels import SILENCE_DBFS, rms_dbfs

log = logging.getLogger(__name__)

# The meter shows -60 dBFS (empty) to 0 dBFS (full); quieter reads as empty.
METER_FLOOR_DBFS = -60.0
REFRESH_MS = 100


class LevelMeter(QProgressBar):
    """Shows the level of one input device while its test runs.

    The PortAudio callback only stores the latest level; a GUI timer reads it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 100)
        self.setValue(0)
        self.setFormat("%v%")
        self._stream: sounddevice.InputStream | None = None
        self._level = SILENCE_DBFS
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh)

    def start(self, device: DeviceInfo) -> None:
        """Open ``device`` and show its level; raises sounddevice.PortAudioError."""
        self.stop()
        stream = sounddevice.InputStream(
            device=device.index,
            channels=1,
            dtype="int16",
            samplerate=device.default_samplerate,
            callback=self._on_audio,
        )
        stream.start()
        self._stream = stream
        self._timer.start()
        log.info("level test started on %s", device.name)

    def stop(self) -> None:
        """Close the device, if open."""
        self._timer.stop()
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self.setValue(0)

    def running(self) -> bool:
        """Return whether a device is open."""
        return self._stream is not None

    def _on_audio(
        self, data: np.ndarray, frames: int, time: object, status: object
    ) -> None:
        level = rms_dbfs(data[:, 0])
        with self._lock:
            self._level = level

    def _refresh(self) -> None:
        with self._lock:
            level = self._level
        fraction = (max(level, METER_FLOOR_DBFS) - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS
        self.setValue(round(fraction * 100))
