"""Load what every call needs (playbook, speech engine, database) in a worker.

The engine takes seconds to load, so it is loaded once per model and reused by
every later call and window in the process.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from app.playbooks.loader import load_playbook, resolve_playbook_path
from app.playbooks.matcher import Matcher
from app.playbooks.model import Playbook
from app.settings import Settings
from app.speech.engines import load_engine
from app.speech.models import ModelInfo, choose_model
from app.speech.recognizer import SpeechEngine
from app.store.local import LocalStore

log = logging.getLogger(__name__)

_engines: dict[Path, SpeechEngine] = {}
_engines_lock = threading.Lock()


@dataclass
class CallParts:
    """The playbook and speech engine a window runs calls with."""

    playbook: Playbook
    matcher: Matcher
    model: ModelInfo
    engine: SpeechEngine


def engine_for(model: ModelInfo) -> SpeechEngine:
    """Return the engine for ``model``, loading it on first use only."""
    key = model.path.resolve()
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            log.info("loading %s model %s from %s", model.engine, model.name, key)
            engine = load_engine(model)
            _engines[key] = engine
        return engine


def load_playbook_for(settings: Settings) -> Playbook:
    """Load the playbook the settings name, or the default one."""
    return load_playbook(resolve_playbook_path(settings.playbook_path))


def load_call_parts(settings: Settings) -> CallParts:
    """Load the playbook and the speech engine; slow, for a worker.

    Raises CuecardError naming the part that failed and its fix.
    """
    playbook = load_playbook_for(settings)
    model = choose_model(None, settings.speech_model, language=playbook.language)
    engine = engine_for(model)
    return CallParts(playbook, Matcher(playbook), model, engine)


def open_store() -> LocalStore:
    """Open the local call database; for a worker (it may migrate the schema)."""
    return LocalStore.open()
