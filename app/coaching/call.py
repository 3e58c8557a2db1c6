"""Assemble a call's pipeline from a playbook, a model and an audio source."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.audio.sources import AudioSource
from app.coaching.events import CoachEvent
from app.coaching.metrics import MetricSettings
from app.coaching.pipeline import CallPipeline
from app.coaching.recorder import CallRecorder
from app.coaching.session import CallSession
from app.playbooks.matcher import Matcher
from app.playbooks.model import Playbook
from app.speech.models import ModelInfo
from app.speech.recognizer import SpeechEngine
from app.speech.vocabulary import unknown_words
from app.store.local import LocalStore

log = logging.getLogger(__name__)


@dataclass
class CallSetup:
    """Everything a call needs that outlives it: loaded once, reused per call."""

    playbook: Playbook
    matcher: Matcher
    engine: SpeechEngine
    store: LocalStore | None = None
    rep: str = ""
    persona: str | None = None
    store_transcript: bool = True
    metric_settings: MetricSettings | None = None


def start_call(
    setup: CallSetup,
    source: AudioSource,
    on_event: Callable[[CoachEvent], None],
    live: bool = True,
) -> CallPipeline:
    """Start a call on ``source`` and return its running pipeline."""
    session = CallSession(setup.playbook, setup.matcher, setup.metric_settings)
    recorder = None
    if setup.store is not None:
        recorder = CallRecorder(
            setup.store,
            setup.playbook,
            engine=f"{setup.engine.name}:{setup.engine.model_name}",
            rep=setup.rep,
            persona=setup.persona,
            store_transcript=setup.store_transcript,
        )
    pipeline = CallPipeline(
        setup.engine, session, source, on_event, recorder=recorder, live=live
    )
    pipeline.start()
    return pipeline


def check_vocabulary(model: ModelInfo, playbook: Playbook) -> list[str]:
    """Return the playbook's trigger words the model cannot recognize, logged.

    A manager rewords those triggers: a word outside a Vosk model's vocabulary is
    never in its output, so a trigger that needs it never fires.
    """
    missing = unknown_words(model, playbook.trigger_words())
    if missing:
        log.warning(
            "%d trigger words of playbook %s are not in the vocabulary of %s, so "
            "triggers that need them cannot fire; reword them: %s",
            len(missing),
            playbook.name,
            model.name,
            ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""),
        )
    return missing
