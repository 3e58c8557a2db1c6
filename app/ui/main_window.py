"""The compact coaching window a rep keeps beside the dialer."""

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QWidget,
)

from app.audio.sources import AudioSource
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
from app.ui.call_area import CallArea
from app.ui.call_controller import CallController, CallState, EndedCall
from app.ui.card_deck import CardDeck
from app.ui.close_guard import CloseGuard
from app.ui.global_hotkeys import GlobalHotkeys
from app.ui.loading import CallParts, load_call_parts, open_store
from app.ui.outcome_flow import OutcomeFlow
from app.ui.panels import Panels
from app.ui.playbook_reload import PlaybookReloader
from app.ui.replays import Replays
from app.ui.sources import capture_source
from app.ui.sync_status import SyncStatus
from app.ui.theme import ThemeFollower
from app.ui.workers import Workers

log = logging.getLogger(__name__)


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
        self.close_guard = CloseGuard(self)

        self.actions_ = WindowActions(self)
        self._build()
        self.deck = CardDeck(
            self.area.card_view, self.area.earlier_cards, self.controller, self
        )
        self.outcomes = OutcomeFlow(self, self.workers, lambda: self.store)
        self.panels = Panels(self)
        self.replays = Replays(self)
        self.sync = SyncStatus(self, self.workers)
        self.hotkeys = GlobalHotkeys(self)
        self.theme = ThemeFollower(self)
        self._connect()
        self.set_pinned(settings.always_on_top)
        self.theme.apply(settings.color_scheme)
        self.hotkeys.start(settings.hotkeys)
        self._update_state(str(CallState.IDLE))
        self._load()

    # Building

    def _build(self) -> None:
        self.area = CallArea(self)
        self.setCentralWidget(self.area)
        self.resize(420, 640)
        self.actions_.transcript.setChecked(self.settings.show_transcript)
        self.area.transcript.setVisible(self.settings.show_transcript)

    def _connect(self) -> None:
        actions = self.actions_
        self.area.start_button.clicked.connect(self.start_call)
        self.area.end_button.clicked.connect(self.end_call)
        actions.start.triggered.connect(self.start_call)
        actions.end.triggered.connect(self.end_call)
        actions.dismiss.triggered.connect(self.deck.dismiss)
        actions.helpful.triggered.connect(lambda: self.vote_current(True))
        actions.not_helpful.triggered.connect(lambda: self.vote_current(False))
        actions.pin.toggled.connect(self.set_pinned)
        actions.transcript.toggled.connect(self._show_transcript)
        actions.sync_now.triggered.connect(self.sync.sync_now)
        actions.quit.triggered.connect(self.close)
        self.controller.coach_event.connect(self._on_event)
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
        self.sync.problem.connect(self.show_error)
        self.sync.changed.connect(lambda _state: actions.sync_now.setEnabled(True))
        self.hotkeys.triggered.connect(self._on_hotkey)

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
        self.sync.start(store, self.settings)
        self._after_load()

    def _on_parts(self, parts: CallParts) -> None:
        self.parts = parts
        playbook = parts.playbook
        self.area.status.setText(
            f"Speech: {parts.engine.name} {parts.model.name} · "
            f"Playbook: {playbook.name} {playbook.version}"
        )
        self.area.persona.clear()
        self.area.persona.addItem("Any persona", None)
        for persona in playbook.personas:
            self.area.persona.addItem(persona.name, persona.id)
        chosen = self.area.persona.findData(self.settings.persona)
        self.area.persona.setCurrentIndex(max(chosen, 0))
        self._after_load()

        self.reloader.watch(resolve_playbook_path(self.settings.playbook_path))

    def _on_playbook_reloaded(self, reloaded: tuple[Playbook, Matcher]) -> None:
        playbook, matcher = reloaded
        if self.parts is None:
            return
        self.parts = dataclasses.replace(self.parts, playbook=playbook, matcher=matcher)
        self.controller.use_playbook(playbook, matcher)
        self.area.status.setText(
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
        self.start_source(lambda: capture_source(settings), live=True)

    def replay_recording(self, path: Path, realtime: bool = True) -> None:
        """Replay a recording as a call; see ``Replays.replay``."""
        self.replays.replay(path, realtime)

    def start_allowed(self) -> bool:
        """Return whether a call can start now; while loading, show why it cannot."""
        if self.parts is None or self.store is None:
            self.show_error("Still loading; start the call in a moment.")
            return False
        return self.controller.state == CallState.IDLE

    def start_source(self, make_source: Callable[[], AudioSource], live: bool) -> None:
        """Start a call on the audio source that ``make_source`` builds."""
        if not self.start_allowed():
            return
        assert self.parts is not None and self.store is not None
        self.area.error.setVisible(False)
        self.area.reminder.setVisible(False)
        self.area.transcript.reset()
        self.area.metrics.reset()
        persona = self.area.persona.currentData()
        self.deck.start_call(self.parts.playbook, persona, self.settings)
        self.controller.start(
            self.parts, self.store, self.settings, make_source, live, persona
        )

    def end_call(self) -> None:
        """End the call; the outcome dialog opens when it has stopped."""
        self.controller.end()

    def _on_started(self, untagged: int) -> None:
        if untagged:
            calls = "call has" if untagged == 1 else "calls have"
            self.area.reminder.setText(
                f"{untagged} earlier {calls} no outcome yet: "
                '<a href="history">tag them in History</a>.'
            )
            self.area.reminder.setVisible(True)

    def _on_ended(self, ended: EndedCall) -> None:
        self.deck.end_call()
        if self.close_guard.closing:
            log.info("call %s saved untagged as the window closes", ended.call_id)
            self.close()
            return
        self.outcomes.ask(ended)

    def _on_outcome_saved(self, call_id: str, outcome: str) -> None:
        self.statusBar().showMessage(f"Call saved as {outcome}", 5000)
        self.panels.refresh_history()

    def apply_settings(self, settings: Settings) -> None:
        """Save new settings; reload the playbook and engine when they changed."""
        previous = self.settings
        reload = (settings.playbook_path, settings.speech_model) != (
            previous.playbook_path,
            previous.speech_model,
        )
        self.settings = settings
        save_settings(settings)
        self.set_pinned(settings.always_on_top)
        self.theme.apply(settings.color_scheme)
        if settings.hotkeys != previous.hotkeys:
            self.hotkeys.start(settings.hotkeys)
        if settings.shared_database_url != previous.shared_database_url:
            self.actions_.sync_now.setEnabled(False)
            if self.store is not None:
                self.sync.start(self.store, settings)
        if reload:
            self.parts = None
            self.area.status.setText("Loading the speech model and playbook...")
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
            self.deck.show_card(event, self.settings.rep_name)
        elif isinstance(event, CardWithdrawn):
            self.deck.withdraw(event.event_id)
        elif isinstance(event, TranscriptFinal):
            self.area.transcript.add_final(event)
        elif isinstance(event, TranscriptPartial):
            self.area.transcript.set_partial(event)
        elif isinstance(event, MetricsUpdate):
            self.area.metrics.update_metrics(event)
        elif isinstance(event, SourceProblem):
            self.show_error(event.message)

    def vote_current(self, helpful: bool) -> None:
        """Mark the current card (else the latest earlier card) helpful or not."""
        mark = self.deck.vote(helpful)
        if mark is not None:
            self.statusBar().showMessage(f"Card marked {mark}", 3000)

    def _on_hotkey(self, action: str) -> None:
        {"start": self.start_call, "end": self.end_call, "dismiss": self.deck.dismiss}[
            action
        ]()

    # Window state

    def show_error(self, message: str) -> None:
        """Show one line about something the rep should know or fix."""
        self.area.error.setText(message)
        self.area.error.setVisible(True)

    def set_pinned(self, pinned: bool) -> None:
        """Keep the window above others (or not) and remember the choice."""
        self.actions_.pin.setChecked(pinned)
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, pinned)
        if visible:
            self.show()
        self.remember(always_on_top=pinned)

    def _show_transcript(self, shown: bool) -> None:
        self.area.transcript.setVisible(shown)
        self.remember(show_transcript=shown)

    def remember(self, **changes: object) -> None:
        """Apply ``changes`` to the settings and save them when they differ."""
        updated = self.settings.replace(**changes)
        if updated != self.settings:
            self.settings = updated
            save_settings(updated)

    def _update_state(self, state: str) -> None:
        ready = self.is_ready()
        idle = state == CallState.IDLE
        self.area.start_button.setEnabled(ready and idle)
        self.actions_.start.setEnabled(ready and idle)
        self.actions_.replay.setEnabled(ready and idle)
        self.actions_.replay_sample.setEnabled(ready and idle)
        self.area.persona.setEnabled(idle)
        live = state == CallState.LIVE
        self.area.end_button.setEnabled(live or state == CallState.STARTING)
        self.actions_.end.setEnabled(live or state == CallState.STARTING)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Ask before closing mid-call, then end and save the call first."""
        if self.close_guard.may_close():
            self._shut_down()
            event.accept()
        else:
            event.ignore()

    def _shut_down(self) -> None:
        self.hotkeys.stop()
        self.sync.stop()
        self.reloader.stop()
        self.outcomes.close_dialog()
        self.panels.close_all()
        self.workers.wait()
        if self.store is not None:
            self.store.close()
            self.store = None
        log.info("window closed")
