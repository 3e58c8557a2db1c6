"""Load the engine for a chosen model."""

import logging

from app.errors import CuecardError
from app.speech.models import ModelInfo, native_model_path, validate_vosk_model
from app.speech.recognizer import SpeechEngine

log = logging.getLogger(__name__)


def load_engine(model: ModelInfo) -> SpeechEngine:
    """Load ``model`` with its engine; CuecardError when the files will not load."""
    try:
        if model.engine == "whisper":
            from app.speech.whisper_engine import WhisperEngine

            return WhisperEngine(model.path, model.name)
        if model.engine == "vosk":
            from app.speech.vosk_engine import VoskEngine

            validate_vosk_model(model.path)
            return VoskEngine(native_model_path(model.path), model.name)
    except CuecardError:
        raise
    except Exception as error:
        log.exception("loading %s model %s failed", model.engine, model.path)
        raise CuecardError(
            f"the {model.engine} model at {model.path} failed to load ({error}): "
            "download it again with `python -m app models download NAME` or choose "
            "another with --model"
        ) from error
    raise CuecardError(f"unknown speech engine {model.engine!r} for {model.path}")
