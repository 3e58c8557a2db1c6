"""The settings dialog: devices with level meters, speech model, playbook, privacy."""

import logging
from pathlib import Path

import sounddevice
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.audio.devices import DeviceInfo, list_input_devices
from app.errors import CuecardError
from app.settings import DeviceSetting, HotkeySettings, Settings
from app.speech.models import ModelInfo, installed_models
from app.ui.level_meter import LevelMeter
from app.ui.model_download import ModelDownload
from app.ui.workers import Workers

log = logging.getLogger(__name__)

DEFAULT_LABEL = "System default"
SCHEME_LABELS = {
    "Follow the system": "system",
    "Light": "light",
    "Dark": "dark",
}
HOTKEY_LABELS = {"start": "Start call", "end": "End call", "dismiss": "Dismiss card"}


class _DeviceRow(QWidget):
    """A device picker with a test button and a live level meter."""

    def __init__(self, parent: QWidget, error_line: QLabel) -> None:
        super().__init__(parent)
        self.error_line = error_line
        self.combo = QComboBox(self)
        self.combo.addItem(DEFAULT_LABEL, None)
        self.meter = LevelMeter(self)
        self.test = QPushButton("Test", self)
        self.test.setCheckable(True)
        self.test.toggled.connect(self._on_test)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 2)
        row.addWidget(self.test)
        row.addWidget(self.meter, 1)

    def fill(self, devices: list[DeviceInfo], chosen: DeviceSetting | None) -> None:
        """List ``devices`` and select the remembered one (kept when missing)."""
        for device in devices:
            self.combo.addItem(f"{device.name} ({device.hostapi})", device)
        if chosen is None:
            return
        for index in range(1, self.combo.count()):
            device = self.combo.itemData(index)
            if (device.name, device.hostapi) == (chosen.name, chosen.hostapi):
                self.combo.setCurrentIndex(index)
                return
        self.combo.addItem(f"{chosen.name} ({chosen.hostapi}) - not connected", chosen)
        self.combo.setCurrentIndex(self.combo.count() - 1)

    def choice(self) -> DeviceSetting | None:
        """Return the chosen device, or None for the system default."""
        data = self.combo.currentData()
        if data is None:
            return None
        return DeviceSetting(data.name, data.hostapi)

    def _on_test(self, on: bool) -> None:
        if not on:
            self.meter.stop()
            return
        device = self.combo.currentData()
        if not isinstance(device, DeviceInfo):
            self.error_line.setText("Pick a connected device to test it.")
            self.test.setChecked(False)
            return
        try:
            self.meter.start(device)
        except sounddevice.PortAudioError as error:
            log.warning("level test on %s failed: %s", device.name, error)
            self.error_line.setText(f"{device.name} could not be opened: {error}")
            self.test.setChecked(False)


class SettingsDialog(QDialog):
    """Edits a copy of the settings, which ``result_settings`` contains after Save."""

    def __init__(
        self,
        settings: Settings,
        workers: Workers,
        parent: QWidget,
        hotkey_status: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.settings = settings
        self.workers = workers
        self.result_settings: Settings | None = None
        # Set when the dialog closes: the device and model lists may arrive
        # from their workers after the widgets are deleted.
        self._closed = False
        self.error = QLabel(self)
        self.error.setWordWrap(True)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(), "General")
        self.tabs.addTab(self._audio_tab(), "Audio")
        self.tabs.addTab(self._speech_tab(), "Speech")
        self.tabs.addTab(self._privacy_tab(), "Privacy and sync")
        self.tabs.addTab(self._hotkeys_tab(hotkey_status), "Hotkeys")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.finished.connect(self._on_finished)

        # No rescan: PortAudio must not rescan while a call's stream is open.
        self.workers.run(
            "listing audio devices",
            lambda: list_input_devices(refresh=False),
            self._fill_devices,
            self._no_devices,
        )
        self.workers.run(
            "listing speech models",
            installed_models,
            self._fill_models,
            self._show_error,
        )

    def _general_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.rep_name = QLineEdit(self.settings.rep_name, tab)
        self.rep_name.setPlaceholderText("Your first name, used in the scripts")
        self.opener_seconds = self._seconds(tab, self.settings.opener_seconds, 0, 120)
        self.monologue = self._seconds(tab, self.settings.monologue_alert_s, 10, 600)
        self.alert_interval = self._seconds(
            tab, self.settings.alert_interval_s, 10, 3600
        )
        self.on_top = QCheckBox("Keep the window above the dialer", tab)
        self.on_top.setChecked(self.settings.always_on_top)
        self.color_scheme = QComboBox(tab)
        for label, value in SCHEME_LABELS.items():
            self.color_scheme.addItem(label, value)
        self.color_scheme.setCurrentIndex(
            max(self.color_scheme.findData(self.settings.color_scheme), 0)
        )
        form.addRow("Your name", self.rep_name)
        form.addRow("Show the opener for", self.opener_seconds)
        form.addRow("Monologue alert after", self.monologue)
        form.addRow("At most one alert every", self.alert_interval)
        form.addRow(self.on_top)
        form.addRow("Colours", self.color_scheme)
        return tab

    @staticmethod
    def _seconds(
        parent: QWidget, value: float, low: float, high: float
    ) -> QDoubleSpinBox:
        box = QDoubleSpinBox(parent)
        box.setRange(low, high)
        box.setDecimals(0)
        box.setSuffix(" s")
        box.setValue(value)
        return box

    def _audio_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.microphone = _DeviceRow(tab, self.error)
        self.loopback = _DeviceRow(tab, self.error)
        form.addRow("Your microphone", self.microphone)
        form.addRow("Prospect audio", self.loopback)
        hint = QLabel(
            "Prospect audio is the system output as an input (a monitor or loopback "
            "device). Without it, the microphone is treated as the whole call.",
            tab,
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        return tab

    def _speech_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.model = QComboBox(tab)
        self.model.addItem("Automatic (best installed)", None)
        self.download = ModelDownload(self.workers, tab)
        self.download.installed.connect(self._on_model_installed)
        self.download.failed.connect(self.error.setText)
        self.playbook = QLineEdit(self.settings.playbook_path or "", tab)
        self.playbook.setPlaceholderText("The built-in playbook")
        browse = QPushButton("Browse...", tab)
        browse.clicked.connect(self._browse_playbook)
        playbook_row = QHBoxLayout()
        playbook_row.addWidget(self.playbook, 1)
        playbook_row.addWidget(browse)
        form.addRow("Speech model", self.model)
        form.addRow("Download a model", self.download)
        form.addRow("Playbook", playbook_row)
        return tab

    def _privacy_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.store_transcripts = QCheckBox("Store call transcripts", tab)
        self.store_transcripts.setChecked(self.settings.store_transcripts)
        audio_note = QLabel("Call audio is never stored.", tab)
        self.shared_url = QLineEdit(self.settings.shared_database_url or "", tab)
        self.shared_url.setPlaceholderText(
            "postgresql://user@host/cuecard (no password)"
        )
        form.addRow(self.store_transcripts)
        form.addRow(audio_note)
        form.addRow("Shared database", self.shared_url)
        return tab

    def _hotkeys_tab(self, status: str) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        hotkeys = self.settings.hotkeys
        self.hotkeys_enabled = QCheckBox(
            "Use global hotkeys (they work while the dialer has focus)", tab
        )
        self.hotkeys_enabled.setChecked(hotkeys.enabled)
        self.hotkey_edits: dict[str, QLineEdit] = {}
        form.addRow(self.hotkeys_enabled)
        for action, combo in hotkeys.bindings().items():
            edit = QLineEdit(combo, tab)
            edit.setPlaceholderText("<ctrl>+<alt>+s")
            self.hotkey_edits[action] = edit
            form.addRow(HOTKEY_LABELS[action], edit)
        self.hotkey_status = QLabel(status, tab)
        self.hotkey_status.setObjectName("hotkeyStatus")
        self.hotkey_status.setWordWrap(True)
        form.addRow(self.hotkey_status)
        return tab

    def _fill_devices(self, devices: list[DeviceInfo]) -> None:
        if self._closed:
            return
        microphones = [device for device in devices if not device.is_loopback]
        self.microphone.fill(microphones, self.settings.microphone)
        self.loopback.fill(devices, self.settings.loopback)

    def _show_error(self, message: str) -> None:
        if not self._closed:
            self.error.setText(message)

    def _no_devices(self, message: str) -> None:
        if self._closed:
            return
        self.error.setText(f"Audio devices could not be listed: {message}")

    def _fill_models(self, models: list[ModelInfo]) -> None:
        if self._closed:
            return
        for model in models:
            self.model.addItem(
                f"{model.name} ({model.engine}, {model.language})", model.name
            )
        chosen = self.model.findData(self.settings.speech_model)
        if chosen < 0 and self.settings.speech_model:
            self.model.addItem(self.settings.speech_model, self.settings.speech_model)
            chosen = self.model.count() - 1
        self.model.setCurrentIndex(max(chosen, 0))

    def _on_model_installed(self, path: str) -> None:
        name = Path(path).name
        self.model.addItem(name, path)
        self.model.setCurrentIndex(self.model.count() - 1)

    def _browse_playbook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a playbook", self.playbook.text(), "Playbooks (*.yaml *.yml)"
        )
        if path:
            self.playbook.setText(path)

    def collect(self) -> Settings:
        """Return the settings as edited; raises CuecardError for an invalid value."""
        return self.settings.replace(
            rep_name=self.rep_name.text().strip(),
            opener_seconds=self.opener_seconds.value(),
            monologue_alert_s=self.monologue.value(),
            alert_interval_s=self.alert_interval.value(),
            always_on_top=self.on_top.isChecked(),
            microphone=self.microphone.choice(),
            loopback=self.loopback.choice(),
            speech_model=self.model.currentData(),
            playbook_path=self.playbook.text().strip() or None,
            store_transcripts=self.store_transcripts.isChecked(),
            shared_database_url=self.shared_url.text().strip() or None,
            color_scheme=self.color_scheme.currentData(),
            hotkeys=HotkeySettings(
                self.hotkeys_enabled.isChecked(),
                **{
                    action: edit.text().strip()
                    for action, edit in self.hotkey_edits.items()
                },
            ),
        )

    def accept(self) -> None:
        """Keep the edited settings, or show why one value is invalid."""
        try:
            self.result_settings = self.collect()
        except CuecardError as error:
            self.error.setText(str(error))
            return
        super().accept()

    def _on_finished(self) -> None:
        self._closed = True
        self.microphone.meter.stop()
        self.loopback.meter.stop()
        self.download.cancel()
