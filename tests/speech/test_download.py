"""Model download against a local HTTP server on 127.0.0.1 that the tests start.

The server serves a model list and a zip of a fake Vosk model, and can stall,
drop the connection mid-body, ignore Range requests or serve corrupt bytes.
"""

import argparse
import hashlib
import io
import json
import os
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app import paths
from app.cli import models as models_cli
from app.errors import CuecardError
from app.speech import download
from app.speech.download import DownloadCancelled, download_model, fetch_model_list
from app.speech.models import METADATA_FILE, choose_model, validate_vosk_model

MODEL_NAME = "vosk-model-small-en-us-0.15"

MakeModel = Callable[..., Path]


@dataclass
class ServerState:
    """What the fake model server serves and the requests it received."""

    archive: bytes = b""
    list_entries: list[dict] = field(default_factory=list)
    mode: str = "ok"
    ranges: list[str | None] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class ModelServerHandler(BaseHTTPRequestHandler):
    """Serve /model-list.json and /models/NAME.zip from the server's state."""

    state: ServerState

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        """Serve the list or the archive according to the state's mode."""
        if self.path == "/model-list.json":
            self._send(200, json.dumps(self.state.list_entries).encode())
            return
        if self.path != f"/models/{MODEL_NAME}.zip":
            self._send(404, b"not found")
            return

        state = self.state
        state.ranges.append(self.headers.get("Range"))
        body = state.archive
        if state.mode == "corrupt":
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]

        start = self._range_start()
        if start is not None and state.mode != "ignore-range":
            self.send_response(206)
            self.send_header(
                "Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}"
            )
            body = body[start:]
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()

        if state.mode in ("stall", "drop"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if state.mode == "stall":
                state.release.wait(10)
            else:
                state.mode = "ok"
            self.close_connection = True
            return
        self.wfile.write(body)

    def _range_start(self) -> int | None:
        header = self.headers.get("Range")
        if not header:
            return None
        return int(header.removeprefix("bytes=").split("-")[0])

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def zip_folder(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """Return a zip of ``folder`` with the folder's name as its top-level entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, f"{folder.name}/{file.relative_to(folder)}")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def list_entry(archive: bytes, **changes: object) -> dict:
    """Return a model list entry in the official list's format for ``archive``."""
    entry = {
        "lang": "en-us",
        "lang_text": "English",
        "md5": hashlib.md5(archive).hexdigest(),
        "name": MODEL_NAME,
        "obsolete": "false",
        "size": len(archive),
        "size_text": "1MiB",
        "type": "small",
        "url": f"models/{MODEL_NAME}.zip",
        "version": "0.15",
    }
    entry.update(changes)
    return entry


@pytest.fixture
def model_archive(tmp_path: Path, make_vosk_model: MakeModel) -> bytes:
    """Return a zip of a fake English model, large enough to span many chunks."""
    folder = make_vosk_model(tmp_path / "source" / MODEL_NAME)
    (folder / "am" / "final.mdl").write_bytes(os.urandom(600_000))
    return zip_folder(folder)


@pytest.fixture
def server(
    model_archive: bytes, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerState]:
    """Start the model server on a free loopback port and point the list URL at it."""
    state = ServerState(archive=model_archive, list_entries=[list_entry(model_archive)])
    handler = type("Handler", (ModelServerHandler,), {"state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    monkeypatch.setenv(
        download.MODEL_LIST_VARIABLE, f"http://127.0.0.1:{port}/model-list.json"
    )
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def partial_path() -> Path:
    return paths.models_dir() / f"{MODEL_NAME}.zip.part"


def test_list_parses_entries(server: ServerState):
    remotes = fetch_model_list()

    assert len(remotes) == 1
    remote = remotes[0]
    assert remote.name == MODEL_NAME
    assert remote.url.startswith("http://127.0.0.1:")
    assert remote.url.endswith(f"/models/{MODEL_NAME}.zip")
    assert remote.size == len(server.archive)
    assert remote.md5 == hashlib.md5(server.archive).hexdigest()
    assert remote.language == "en-us"
    assert remote.type == "small"
    assert remote.obsolete is False


def test_list_skips_invalid_entries(server: ServerState):
    server.list_entries.append({"lang": "fr"})
    server.list_entries.append("not an object")

    assert [r.name for r in fetch_model_list()] == [MODEL_NAME]


def test_download_installs_model(server: ServerState):
    calls: list[tuple[int, int]] = []

    folder = download_model(MODEL_NAME, progress=lambda d, t: calls.append((d, t)))

    assert folder == paths.models_dir() / MODEL_NAME
    validate_vosk_model(folder)
    assert not partial_path().exists()
    assert json.loads((folder / METADATA_FILE).read_text())["language"] == "en-us"
    assert calls[-1] == (len(server.archive), len(server.archive))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert server.ranges == [None]


def test_downloaded_model_chosen(server: ServerState):
    folder = download_model(MODEL_NAME)

    chosen = choose_model(language="en")

    assert chosen.path == folder
    assert chosen.origin == "user-data"


def test_installed_model_not_downloaded(server: ServerState):
    download_model(MODEL_NAME)

    again = download_model(MODEL_NAME)

    assert again == paths.models_dir() / MODEL_NAME
    assert len(server.ranges) == 1


def test_stall_keeps_partial_for_resume(server: ServerState):
    server.mode = "stall"

    with pytest.raises(CuecardError) as raised:
        download_model(MODEL_NAME, timeout=0.5)

    message = str(raised.value)
    assert "timed out" in message
    assert "resume" in message
    kept_bytes = partial_path().stat().st_size
    assert kept_bytes == len(server.archive) // 2

    server.release.set()
    server.mode = "ok"
    folder = download_model(MODEL_NAME)

    validate_vosk_model(folder)
    assert server.ranges[-1] == f"bytes={kept_bytes}-"
    assert not partial_path().exists()


def test_dropped_connection_resumes(server: ServerState):
    server.mode = "drop"

    folder = download_model(MODEL_NAME)

    validate_vosk_model(folder)
    assert server.ranges == [None, f"bytes={len(server.archive) // 2}-"]


def test_range_ignored_restarts(server: ServerState):
    server.mode = "ignore-range"
    partial_path().write_bytes(server.archive[:1000])

    folder = download_model(MODEL_NAME)

    validate_vosk_model(folder)
    assert server.ranges == ["bytes=1000-"]


def test_corrupt_archive_cleaned_up(server: ServerState):
    server.mode = "corrupt"

    with pytest.raises(CuecardError) as raised:
        download_model(MODEL_NAME)

    assert "corrupt" in str(raised.value)
    assert "md5" in str(raised.value)
    assert list(paths.models_dir().iterdir()) == []


def test_size_mismatch_cleaned_up(server: ServerState):
    server.list_entries[0]["size"] = len(server.archive) + 10

    with pytest.raises(CuecardError, match="bytes, not the"):
        download_model(MODEL_NAME)

    assert list(paths.models_dir().iterdir()) == []


def test_bad_zip_without_checksum(server: ServerState):
    server.archive = b"this is not a zip archive" * 100
    server.list_entries[0] = list_entry(server.archive, md5="")

    with pytest.raises(CuecardError, match="not a valid zip archive"):
        download_model(MODEL_NAME)

    assert list(paths.models_dir().iterdir()) == []


def test_path_traversal_rejected(
    server: ServerState, tmp_path: Path, make_vosk_model: MakeModel
):
    folder = make_vosk_model(tmp_path / "evil" / MODEL_NAME)
    server.archive = zip_folder(folder, {"../escaped.txt": b"outside"})
    server.list_entries[0] = list_entry(server.archive)

    with pytest.raises(CuecardError, match="unsafe entry '../escaped.txt'"):
        download_model(MODEL_NAME)

    assert not (paths.models_dir().parent / "escaped.txt").exists()
    assert list(paths.models_dir().iterdir()) == []


def test_archive_without_model(
    server: ServerState, tmp_path: Path, make_vosk_model: MakeModel
):
    folder = make_vosk_model(tmp_path / "broken" / MODEL_NAME)
    (folder / "am" / "final.mdl").unlink()
    server.archive = zip_folder(folder)
    server.list_entries[0] = list_entry(server.archive)

    with pytest.raises(CuecardError, match="has no am/final.mdl"):
        download_model(MODEL_NAME)

    assert list(paths.models_dir().iterdir()) == []


def test_cancel_keeps_partial(server: ServerState):
    cancel = threading.Event()
    reported: list[int] = []

    def stop_after_first_chunk(done: int, total: int) -> None:
        reported.append(done)
        cancel.set()

    with pytest.raises(DownloadCancelled):
        download_model(MODEL_NAME, progress=stop_after_first_chunk, cancel=cancel)

    assert len(reported) == 1
    assert partial_path().stat().st_size == reported[0]
    assert reported[0] < len(server.archive)
    assert not (paths.models_dir() / MODEL_NAME).exists()


def test_unknown_name_rejected(server: ServerState):
    with pytest.raises(CuecardError, match="models list --available"):
        download_model("vosk-model-small-xx-0.1")


def test_missing_archive_http_error(server: ServerState):
    server.list_entries[0]["url"] = "models/missing.zip"

    with pytest.raises(CuecardError, match="HTTP 404"):
        download_model(MODEL_NAME)


def test_offline_message(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(
        download.MODEL_LIST_VARIABLE, f"http://127.0.0.1:{port}/model-list.json"
    )

    with pytest.raises(CuecardError) as raised:
        download_model(MODEL_NAME)

    message = str(raised.value)
    assert f"could not reach 127.0.0.1:{port}" in message
    assert f"unpack it into {paths.models_dir()}" in message


def test_non_http_url_rejected(tmp_path: Path):
    with pytest.raises(CuecardError, match="only http and https"):
        fetch_model_list(f"file://{tmp_path}/model-list.json")


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    models_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_download_prints_progress(
    server: ServerState, capsys: pytest.CaptureFixture[str]
):
    status = run_cli(["models", "download", MODEL_NAME])

    output = capsys.readouterr()
    assert status == 0
    assert output.out.strip() == str(paths.models_dir() / MODEL_NAME)
    assert "100% of" in output.err


def test_cli_lists_available(server: ServerState, capsys: pytest.CaptureFixture[str]):
    server.list_entries.append(list_entry(b"", name="vosk-model-old", obsolete="true"))

    status = run_cli(["models", "list", "--available"])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0].split() == ["NAME", "LANGUAGE", "TYPE", "SIZE"]
    assert lines[1].split()[:3] == [MODEL_NAME, "en-us", "small"]
    assert len(lines) == 2
