"""Start and end calls off the GUI thread and bring their events to it.

The pipeline calls ``on_event`` on its worker threads. The controller re-emits
each event through a Qt signal, so widgets only ever see events on the GUI
thread and in the order the pipeline produced them.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QObject, Signal, Slot

from app.audio.sources import AudioSource
from app.coaching.call import CallSetup, start_call
from app.coaching.events import CallSummary, CardFired, CardWithdrawn, CoachEvent
from app.coaching.metrics import MetricSettings
from app.coaching.pipeline import CallPipeline
from app.playbooks.matcher import Matcher
from app.playbooks.model import Playbook
from app.settings import Settings
from app.store.local import LocalStore
from app.ui.loading import CallParts
from app.ui.workers import Workers

log = logging.getLogger(__name__)


class CallState(StrEnum):
    """The stage of the current call."""

    IDLE = "idle"
    STARTING = "starting"
    LIVE = "live"
    ENDING = "ending"


@dataclass
class ShownCard:
    """A card the rep saw in this call, with their vote (None: no vote)."""

    event: CardFired
    helpful: bool | None = None


@dataclass
class EndedCall:
    """A stopped call: its summary, call id and shown cards, for the outcome dialog."""

    summary: CallSummary
    call_id: str | None
    cards: list[ShownCard]
    store_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceFinished:
    """The call's audio source ran out (a replay reached its end)."""

    pipeline: CallPipeline


class CallController(QObject):
    """Runs one call at a time for the window."""

    coach_event = Signal(object)
    state_changed = Signal(str)
    started = Signal(int)
    ended = Signal(object)
    failed = Signal(str)
    _posted = Signal(object)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.state = CallState.IDLE
        self.cards: dict[str, ShownCard] = {}
        self.untagged_before = 0
        self._pipeline: CallPipeline | None = None
        self._end_requested = False
        self._posted.connect(self._deliver)

    def start(
        self,
        parts: CallParts,
        store: LocalStore,
        settings: Settings,
        make_source: Callable[[], AudioSource],
        live: bool,
        persona: str | None,
    ) -> None:
        """Start a call on the source ``make_source`` builds, in a worker.

        ``started`` then carries how many earlier calls are still untagged.
        """
        if self.state != CallState.IDLE:
            log.warning("start ignored: a call is %s", self.state)
            return
        self.cards = {}
        self._end_requested = False
        self._set_state(CallState.STARTING)
        setup = CallSetup(
            parts.playbook,
            parts.matcher,
            parts.engine,
            store=store,
            rep=settings.rep_name,
            persona=persona,
            store_transcript=settings.store_transcripts,
            metric_settings=MetricSettings(
                settings.monologue_alert_s, settings.alert_interval_s
            ),
        )

        def work() -> tuple[CallPipeline, int]:
            untagged = len(store.untagged_calls())
            source = make_source()
            pipeline = start_call(setup, source, self._posted.emit, live=live)
            self._watch_source(pipeline)
            return pipeline, untagged

        self.workers.run("starting the call", work, self._on_started, self._on_failed)

    def use_playbook(self, playbook: Playbook, matcher: Matcher) -> None:
        """Apply an edited playbook to the call in progress, if any."""
        if self._pipeline is not None:
            self._pipeline.session.use_playbook(playbook, matcher)

    def end(self) -> None:
        """Stop the call in a worker; ``ended`` follows with its summary."""
        if self.state == CallState.STARTING:
            self._end_requested = True
            return
        if self.state != CallState.LIVE or self._pipeline is None:
            return
        pipeline = self._pipeline
        self._set_state(CallState.ENDING)
        self.workers.run(
            "ending the call", pipeline.stop, self._on_stopped, self._on_failed
        )

    def vote(self, event_id: str, helpful: bool | None) -> None:
        """Record the rep's helpful / not helpful vote on a shown card."""
        shown = self.cards.get(event_id)
        if shown is not None:
            shown.helpful = helpful

    def _watch_source(self, pipeline: CallPipeline) -> None:
        # The pipeline flags the end of its source but only stop() drains it, so
        # a thread waits for the flag and the GUI thread decides what to do.
        def wait() -> None:
            pipeline.wait_until_done()
            self._posted.emit(SourceFinished(pipeline))

        threading.Thread(target=wait, name="source-watch", daemon=True).start()

    @Slot(object)
    def _deliver(self, event: CoachEvent | SourceFinished) -> None:
        if isinstance(event, SourceFinished):
            if event.pipeline is self._pipeline and self.state == CallState.LIVE:
                log.info("call %s: the audio source ran out", self._call_id())
                self.end()
            return
        if isinstance(event, CardFired):
            self.cards[event.event_id] = ShownCard(event)
        elif isinstance(event, CardWithdrawn):
            self.cards.pop(event.event_id, None)
        self.coach_event.emit(event)

    def _on_started(self, result: tuple[CallPipeline, int]) -> None:
        self._pipeline, self.untagged_before = result
        call_id = self._call_id()
        log.info("call %s started", call_id)
        self._set_state(CallState.LIVE)
        self.started.emit(self.untagged_before)
        source_ran_out = self._pipeline.wait_until_done(0)
        if self._end_requested or source_ran_out:
            self.end()

    def _on_stopped(self, summary: CallSummary) -> None:
        pipeline = self._pipeline
        self._pipeline = None
        store_ids: dict[str, str] = {}
        if pipeline is not None and pipeline.recorder is not None:
            for event_id in self.cards:
                stored = pipeline.recorder.stored_event_id(event_id)
                if stored is not None:
                    store_ids[event_id] = stored
        ended = EndedCall(
            summary, summary.call_id, list(self.cards.values()), store_ids
        )
        self._set_state(CallState.IDLE)
        self.ended.emit(ended)

    def _on_failed(self, message: str) -> None:
        if self.state == CallState.STARTING:
            self._set_state(CallState.IDLE)
        elif self.state == CallState.ENDING:
            self._pipeline = None
            self._set_state(CallState.IDLE)
        self.failed.emit(message)

    def _call_id(self) -> str | None:
        if self._pipeline is None or self._pipeline.recorder is None:
            return None
        return self._pipeline.recorder.call_id

    def _set_state(self, state: CallState) -> None:
        self.state = state
        self.state_changed.emit(str(state))
