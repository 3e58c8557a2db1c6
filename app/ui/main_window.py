"""The compact coaching window a rep keeps beside the dialer."""

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.audio.sources import WavReplaySource
from app.audio.wavfile import load_call_audio
from app.coaching.events import (
    CardFired,
    CardWithdrawn,
    MetricsUpdate,
    SourceProblem,
    TranscriptFinal,
    TranscriptPartial,
)
from app.playbooks.loader import resolve_playbook_path
from app.playbooks.matcher import Matcher
from app.playbooks.model import Playbook
from app.settings import Settings, save_settings
from app.store.local import LocalStore
from app.ui.actions import WindowActions
from app.ui.call_controller import CallController, CallState, EndedCall
from app.ui.card_view import CurrentCard, EarlierCards
from app.ui.loading import CallParts, load_call_parts, open_store
from app.ui.metrics_bar import MetricsBar
from app.ui.outcome_flow import OutcomeFlow
from app.ui.panels import Panels
from app.ui.playbook_reload import PlaybookReloader
from app.ui.sources import capture_source
from app.ui.transcript_view import TranscriptView
from app.ui.workers import Workers

log = logging.getLogger(__name__)

SAMPLE_CALL = "sample_call.wav"


class MainWindow(QMainWindow):
    """Start and end calls, show cards, the transcript and talk metrics."""

    loaded = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cuecard")
        self.setObjectName("mainWindow")
        self.settings = settings
        self.workers = Workers(self)
        self.controller = CallController(self.workers, self)
        self.parts: CallParts | None = None
        self.store: LocalStore | None = None
        self._closing = False
        self._opener_showing = False
        self._opener_timer = QTimer(self)
        self._opener_timer.setSingleShot(True)
        self._opener_timer.timeout.connect(self._end_opener)

        self.actions_ = WindowActions(self)
        self._build()
        self.outcomes = OutcomeFlow(self, self.workers, lambda: self.store)
        self.panels = Panels(self)
        self._connect()
        self.set_pinned(settings.always_on_top)
        self._update_state(str(CallState.IDLE))
        self._load()

    # Building

    def _build(self) -> None:
        central = QWidget(self)
        self.start_button = QPushButton("Start call", central)
        self.end_button = QPushButton("End call", central)
        self.persona = QComboBox(central)
        self.persona.setToolTip("The buyer persona: picks the opener")
        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.end_button)
        controls.addWidget(self.persona, 1)

        self.status = QLabel("Loading the speech model and playbook...", central)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.error = QLabel(central)
        self.error.setObjectName("errorLine")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.reminder = QLabel(central)
        self.reminder.setObjectName("untaggedReminder")
        self.reminder.setWordWrap(True)
        self.reminder.setVisible(False)
        self.reminder.linkActivated.connect(lambda _link: self.panels.open_history())

        self.card_view = CurrentCard(central)
        self.earlier_cards = EarlierCards(central)
        self.earlier_cards.setMaximumHeight(120)
        self.metrics = MetricsBar(central)
        self.transcript = TranscriptView(central)

        layout = QVBoxLayout(central)
        layout.addLayout(controls)
        for widget in (self.status, self.error, self.reminder, self.card_view):
            layout.addWidget(widget)
        layout.addWidget(self.earlier_cards)
        layout.addWidget(self.metrics)
        layout.addWidget(self.transcript)
        layout.setStretch(layout.indexOf(self.card_view), 3)
        layout.setStretch(layout.indexOf(self.transcript), 2)
        self.setCentralWidget(central)
        self.resize(420, 640)
        self.actions_.transcript.setChecked(self.settings.show_transcript)
        self.transcript.setVisible(self.settings.show_transcript)

    def _connect(self) -> None:
        actions = self.actions_
        self.start_button.clicked.connect(self.start_call)
        self.end_button.clicked.connect(self.end_call)
        actions.start.triggered.connect(self.start_call)
        actions.end.triggered.connect(self.end_call)
        actions.dismiss.triggered.connect(self.dismiss_card)
        actions.helpful.triggered.connect(lambda: self.vote_current(True))
        actions.not_helpful.triggered.connect(lambda: self.vote_current(False))
        actions.pin.toggled.connect(self.set_pinned)
        actions.transcript.toggled.connect(self._show_transcript)
        actions.replay.triggered.connect(self.choose_recording)
        actions.replay_sample.triggered.connect(
            lambda: self.replay_recording(paths.resources_dir() / SAMPLE_CALL)
        )
        actions.quit.triggered.connect(self.close)
        self.controller.event.connect(self._on_event)
        self.controller.state_changed.connect(self._update_state)
        self.controller.state_changed.connect(self.panels.show_call_state)
        self.controller.started.connect(self._on_started)
        self.controller.ended.connect(self._on_ended)
        self.controller.failed.connect(self.show_error)
        self.outcomes.failed.connect(self.show_error)
        self.outcomes.saved.connect(self._on_outcome_saved)
        self.reloader = PlaybookReloader(self)
        self.reloader.reloaded.connect(self._on_playbook_reloaded)
        self.reloader.failed.connect(self.show_error)

    def _load(self) -> None:
        self.workers.run(
            "opening the call database", open_store, self._on_store, self.show_error
        )
        settings = self.settings
        self.workers.run(
            "loading the speech model and playbook",
            lambda: load_call_parts(settings),
            self._on_parts,
            self.show_error,
        )

    def _on_store(self, store: LocalStore) -> None:
        self.store = store
        if store.notice:
            self.show_error(store.notice)
        self._after_load()

    def _on_parts(self, parts: CallParts) -> None:
        self.parts = parts
        playbook = parts.playbook
        self.status.setText(
            f"Speech: {parts.engine.name} {parts.model.name} · "
            f"Playbook: {playbook.name} {playbook.version}"
        )
        self.persona.clear()
        self.persona.addItem("Any persona", None)
        for persona in playbook.personas:
            self.persona.addItem(persona.name, persona.id)
        chosen = self.persona.findData(self.settings.persona)
        self.persona.setCurrentIndex(max(chosen, 0))
        self._after_load()

        self.reloader.watch(resolve_playbook_path(self.settings.playbook_path))

    def _on_playbook_reloaded(self, reloaded: tuple[Playbook, Matcher]) -> None:
        playbook, matcher = reloaded
        if self.parts is None:
            return
        self.parts = dataclasses.replace(self.parts, playbook=playbook, matcher=matcher)
        self.controller.use_playbook(playbook, matcher)
        self.status.setText(
            f"Speech: {self.parts.engine.name} {self.parts.model.name} · "
            f"Playbook: {playbook.name} {playbook.version} (reloaded)"
        )
        log.info("playbook %s %s applied", playbook.name, playbook.version)

    def _after_load(self) -> None:
        self._update_state(str(self.controller.state))
        if self.is_ready():
            log.info("window ready")
            self.loaded.emit()

    def is_ready(self) -> bool:
        """Return whether the playbook, engine and database are loaded."""
        return self.parts is not None and self.store is not None

    # Calls

    def start_call(self) -> None:
        """Start a call on the microphone and the prospect's audio."""
        settings = self.settings
        self._start(lambda: capture_source(settings), live=True)

    def choose_recording(self) -> None:
        """Ask for a recording and replay it in real time."""
        sample = paths.resources_dir() / SAMPLE_CALL
        path, _ = QFileDialog.getOpenFileName(
            self, "Replay a recording", str(sample), "Recordings (*.wav *.flac *.ogg)"
        )
        if path:
            self.replay_recording(Path(path))

    def replay_recording(self, path: Path, realtime: bool = True) -> None:
        """Replay a recording through the call pipeline as if it were a call.

        With ``realtime`` False the audio goes as fast as recognition allows.
        """
        log.info("replaying %s (realtime=%s)", path, realtime)
        self._start(
            lambda: WavReplaySource(load_call_audio(path), realtime=realtime),
            live=realtime,
        )

    def _start(self, make_source, live: bool) -> None:  # noqa: ANN001
        if self.parts is None or self.store is None:
            self.show_error("Still loading; start the call in a moment.")
            return
        if self.controller.state != CallState.IDLE:
            return
        self.error.setVisible(False)
        self.reminder.setVisible(False)
        self.earlier_cards.clear_cards()
        self.transcript.reset()
        self.metrics.reset()
        persona = self.persona.currentData()
        self._show_opener(persona)
        self.controller.start(
            self.parts, self.store, self.settings, make_source, live, persona
        )

    def end_call(self) -> None:
        """End the call; the outcome dialog opens when it has stopped."""
        self.controller.end()

    def _show_opener(self, persona: str | None) -> None:
        assert self.parts is not None
        openers = self.parts.playbook.openers_for(persona)
        if not openers or self.settings.opener_seconds <= 0:
            self.card_view.show_idle("Listening...")
            return
        self.card_view.show_opener(openers[0], self.settings.rep_name)
        self._opener_showing = True
        self._opener_timer.start(round(self.settings.opener_seconds * 1000))

    def _end_opener(self) -> None:
        if self._opener_showing:
            self._opener_showing = False
            self.card_view.show_idle("Listening...")

    def _on_started(self, untagged: int) -> None:
        if untagged:
            calls = "call has" if untagged == 1 else "calls have"
            self.reminder.setText(
                f"{untagged} earlier {calls} no outcome yet: "
                '<a href="history">tag them in History</a>.'
            )
            self.reminder.setVisible(True)

    def _on_ended(self, ended: EndedCall) -> None:
        self._opener_timer.stop()
        self._opener_showing = False
        self.card_view.show_idle("Call ended.")
        if self._closing:
            log.info("call %s saved untagged as the window closes", ended.call_id)
            self.close()
            return
        self.outcomes.ask(ended)

    def _on_outcome_saved(self, call_id: str, outcome: str) -> None:
        self.statusBar().showMessage(f"Call saved as {outcome}", 5000)
        self.panels.refresh_history()

    def apply_settings(self, settings: Settings) -> None:
        """Save new settings; reload the playbook and engine when they changed."""
        reload = (settings.playbook_path, settings.speech_model) != (
            self.settings.playbook_path,
            self.settings.speech_model,
        )
        self.settings = settings
        save_settings(settings)
        self.set_pinned(settings.always_on_top)
        if reload:
            self.parts = None
            self.status.setText("Loading the speech model and playbook...")
            self._update_state(str(self.controller.state))
            self.workers.run(
                "loading the speech model and playbook",
                lambda: load_call_parts(settings),
                self._on_parts,
                self.show_error,
            )

    # Cards

    def _on_event(self, event: object) -> None:
        if isinstance(event, CardFired):
            self._show_card(event)
        elif isinstance(event, CardWithdrawn):
            self._withdraw(event.event_id)
        elif isinstance(event, TranscriptFinal):
            self.transcript.add_final(event)
        elif isinstance(event, TranscriptPartial):
            self.transcript.set_partial(event)
        elif isinstance(event, MetricsUpdate):
            self.metrics.update_metrics(event)
        elif isinstance(event, SourceProblem):
            self.show_error(event.message)

    def _show_card(self, event: CardFired) -> None:
        current = self.card_view.event
        if current is not None:
            self.earlier_cards.add(current)
        self._opener_showing = False
        self.card_view.show_card(event, self.settings.rep_name)

    def _withdraw(self, event_id: str) -> None:
        current = self.card_view.event
        if current is not None and current.event_id == event_id:
            self.card_view.show_idle("Listening...")
        else:
            self.earlier_cards.remove(event_id)

    def dismiss_card(self) -> None:
        """Move the current card to the earlier list, or hide the opener."""
        current = self.card_view.event
        if current is not None:
            self.earlier_cards.add(current)
        elif not self._opener_showing:
            return
        self._opener_showing = False
        self.card_view.show_idle("Listening...")

    def vote_current(self, helpful: bool) -> None:
        """Mark the current card (else the latest earlier card) helpful or not."""
        current = self.card_view.event
        if current is not None:
            event_id = current.event_id
        elif self.earlier_cards.count():
            event_id = self.earlier_cards.event_ids()[0]
        else:
            return
        shown = self.controller.cards.get(event_id)
        new_vote = None if shown is not None and shown.helpful is helpful else helpful
        self.controller.vote(event_id, new_vote)
        self.earlier_cards.mark(event_id, new_vote)
        mark = {True: "helpful", False: "not helpful", None: "no vote"}[new_vote]
        self.statusBar().showMessage(f"Card marked {mark}", 3000)

    # Window state

    def show_error(self, message: str) -> None:
        """Show one line about something the rep should know or fix."""
        self.error.setText(message)
        self.error.setVisible(True)

    def set_pinned(self, pinned: bool) -> None:
        """Keep the window above others (or not) and remember the choice."""
        self.actions_.pin.setChecked(pinned)
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, pinned)
        if visible:
            self.show()
        self._remember(always_on_top=pinned)

    def _show_transcript(self, shown: bool) -> None:
        self.transcript.setVisible(shown)
        self._remember(show_transcript=shown)

    def _remember(self, **changes: object) -> None:
        updated = self.settings.replace(**changes)
        if updated != self.settings:
            self.settings = updated
            save_settings(updated)

    def _update_state(self, state: str) -> None:
        ready = self.is_ready()
        idle = state == CallState.IDLE
        self.start_button.setEnabled(ready and idle)
        self.actions_.start.setEnabled(ready and idle)
        self.actions_.replay.setEnabled(ready and idle)
        self.actions_.replay_sample.setEnabled(ready and idle)
        self.persona.setEnabled(idle)
        live = state == CallState.LIVE
        self.end_button.setEnabled(live or state == CallState.STARTING)
        self.actions_.end.setEnabled(live or state == CallState.STARTING)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Ask before closing mid-call, then end and save the call first."""
        state = self.controller.state
        if state == CallState.IDLE and not self.workers.busy():
            self._shut_down()
            event.accept()
            return
        event.ignore()
        if self._closing:
            return
        if state in (CallState.LIVE, CallState.STARTING):
            self.close_prompt = QMessageBox(
                QMessageBox.Icon.Question,
                "End the call?",
                "A call is running. End it, save it untagged and close Cuecard?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            self.close_prompt.setObjectName("closePrompt")
            self.close_prompt.buttonClicked.connect(self._on_close_answer)
            self.close_prompt.open()
        else:
            # A call is ending or a job is running: close once it is done.
            QTimer.singleShot(100, self.close)

    def _on_close_answer(self, button: QAbstractButton) -> None:
        answer = self.close_prompt.standardButton(button)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._closing = True
        self.controller.end()

    def _shut_down(self) -> None:
        self.reloader.stop()
        self.outcomes.close_dialog()
        self.panels.close_all()
        self.workers.wait()
        if self.store is not None:
            self.store.close()
            self.store = None
        log.info("window closed")
