"""Download Vosk models from the official model list.

A download goes to ``NAME.zip.part`` in the models folder. An interrupted
download keeps that file and the next attempt resumes it with an HTTP Range
request. A finished archive is checked against the size and checksum from the
list, unpacked into a temporary folder, validated and then renamed into place.
Vosk's own downloader is never used because it calls ``sys.exit`` on errors.
"""

import hashlib
import http.client
import json
import logging
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app import paths
from app.errors import CuecardError
from app.speech.models import METADATA_FILE, validate_vosk_model

log = logging.getLogger(__name__)

DEFAULT_MODEL_LIST_URL = "https://alphacephei.com/vosk/models/model-list.json"
MODEL_LIST_VARIABLE = "CUECARD_MODEL_LIST_URL"

CHUNK_BYTES = 64 * 1024
# A dropped connection is resumed this many times within one call.
MAX_RESUMES = 3

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RemoteModel:
    """One entry of the model list: where to get a model and how to check it."""

    name: str
    url: str
    size: int
    md5: str | None
    sha256: str | None
    language: str
    type: str
    obsolete: bool


class DownloadCancelled(CuecardError):
    """The caller cancelled a download. The partial file is kept for resuming."""


def model_list_url(url: str | None = None) -> str:
    """Return ``url``, else CUECARD_MODEL_LIST_URL, else the official list."""
    return url or os.environ.get(MODEL_LIST_VARIABLE) or DEFAULT_MODEL_LIST_URL


def fetch_model_list(url: str | None = None, timeout: float = 10) -> list[RemoteModel]:
    """Download and parse the model list JSON. ``timeout`` is in seconds.

    Raises CuecardError when the list cannot be reached or is not valid JSON.
    Entries without a name or URL are logged and skipped.
    """
    url = model_list_url(url)
    _check_scheme(url)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        raise _network_error(url, error) from error

    try:
        entries = json.loads(body)
    except ValueError as error:
        log.warning("model list %s is not valid JSON: %s", url, error)
        raise CuecardError(
            f"the model list at {url} is not valid JSON: try again later, or set "
            f"{MODEL_LIST_VARIABLE} to a working list"
        ) from error
    if not isinstance(entries, list):
        raise CuecardError(
            f"the model list at {url} is not a JSON array: set {MODEL_LIST_VARIABLE} "
            "to a working list"
        )

    models = []
    for entry in entries:
        model = _parse_entry(entry, url)
        if model is not None:
            models.append(model)
    return models


def _parse_entry(entry: object, list_url: str) -> RemoteModel | None:
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
        log.warning("skipping an invalid entry in the model list: %r", entry)
        return None
    try:
        size = int(entry.get("size") or 0)
    except (TypeError, ValueError):
        log.warning("model %s has an invalid size %r", entry["name"], entry["size"])
        size = 0
    return RemoteModel(
        name=str(entry["name"]),
        url=urllib.parse.urljoin(list_url, str(entry["url"])),
        size=size,
        md5=_checksum(entry.get("md5")),
        sha256=_checksum(entry.get("sha256")),
        language=str(entry.get("lang") or "unknown").lower(),
        type=str(entry.get("type") or ""),
        obsolete=str(entry.get("obsolete", "false")).lower() == "true",
    )


def _checksum(value: object) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def download_model(
    name: str,
    *,
    list_url: str | None = None,
    dest_dir: Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    timeout: float = 30,
) -> Path:
    """Download, check and unpack the model ``name`` and return its folder.

    ``progress(bytes_done, bytes_total)`` is called after each chunk, from the
    calling thread. ``timeout`` is the seconds to wait for the server at connect
    time and between chunks. A model already unpacked in ``dest_dir`` is returned
    without a download. Raises CuecardError when the server cannot be reached,
    stalls, or sends an archive that fails the size or checksum check, and
    DownloadCancelled when ``cancel`` is set.
    """
    dest_dir = dest_dir or paths.models_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    remote = _find_remote(name, list_url, timeout)

    target = dest_dir / remote.name
    if target.is_dir():
        try:
            validate_vosk_model(target)
        except CuecardError as error:
            log.warning("replacing the invalid model folder %s: %s", target, error)
        else:
            log.info("model %s is already installed at %s", remote.name, target)
            return target

    _check_free_space(dest_dir, remote.size)
    partial = dest_dir / f"{remote.name}.zip.part"
    _fetch_with_resume(remote, partial, dest_dir, progress, cancel, timeout)
    _verify_archive(remote, partial)

    _unpack(remote.name, partial, target)
    _write_metadata(target, remote)
    partial.unlink()
    log.info("installed model %s at %s", remote.name, target)
    return target


def _find_remote(name: str, list_url: str | None, timeout: float) -> RemoteModel:
    remotes = fetch_model_list(list_url, timeout=timeout)
    for remote in remotes:
        if remote.name == name:
            if remote.obsolete:
                log.warning("model %s is marked obsolete in the model list", name)
            return remote
    raise CuecardError(
        f"no model named {name!r} in the model list at {model_list_url(list_url)}: "
        "run `python -m app models list --available` to see the names"
    )


def _fetch_with_resume(
    remote: RemoteModel,
    partial: Path,
    dest_dir: Path,
    progress: Progress | None,
    cancel: threading.Event | None,
    timeout: float,
) -> None:
    resumes = 0
    while True:
        try:
            _fetch(remote, partial, progress, cancel, timeout)
            return
        except (http.client.IncompleteRead, ConnectionError) as error:
            resumes += 1
            log.warning(
                "download of %s dropped at %d bytes (attempt %d): %s",
                remote.name,
                _size_of(partial),
                resumes,
                error,
            )
            if resumes > MAX_RESUMES:
                raise CuecardError(
                    f"the download of {remote.name} kept dropping: run the command "
                    "again to resume it, or download the zip by hand and unpack it "
                    f"into {dest_dir}"
                ) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if _is_timeout(error):
                log.warning("download of %s timed out: %s", remote.name, error)
                raise CuecardError(
                    f"the download of {remote.name} timed out after {timeout:g} s "
                    f"without data from {_host(remote.url)}: run the command again "
                    "to resume it, or check your connection"
                ) from error
            raise _network_error(remote.url, error, dest_dir) from error


def _is_timeout(error: Exception) -> bool:
    # urlopen wraps a timeout before the response headers in URLError.
    reason = getattr(error, "reason", None)
    return isinstance(error, TimeoutError) or isinstance(reason, TimeoutError)


def _fetch(
    remote: RemoteModel,
    partial: Path,
    progress: Progress | None,
    cancel: threading.Event | None,
    timeout: float,
) -> None:
    offset = _size_of(partial)
    if remote.size and offset >= remote.size:
        # Either complete or longer than expected: the size check decides.
        return

    request = urllib.request.Request(remote.url)
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    _check_scheme(remote.url)

    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            # The partial file already has every byte: the size check decides.
            return
        raise

    with response:
        if offset and not _resumes_at(response, offset):
            log.info(
                "server did not resume %s at byte %d; restarting", remote.url, offset
            )
            offset = 0
        length = int(response.headers.get("Content-Length") or 0)
        total = remote.size or (offset + length)
        log.info("downloading %s from byte %d of %d", remote.name, offset, total)

        with partial.open("r+b" if offset else "wb") as output:
            output.seek(offset)
            output.truncate()
            done = offset
            # read1 returns what has arrived, so a stall keeps every received byte.
            while chunk := response.read1(CHUNK_BYTES):
                output.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
                if cancel is not None and cancel.is_set():
                    log.info("download of %s cancelled at %d bytes", remote.name, done)
                    raise DownloadCancelled(
                        f"the download of {remote.name} was cancelled: run it again "
                        "to resume"
                    )

    if length and done < offset + length:
        # read1 ends quietly when the server closes the connection early.
        raise http.client.IncompleteRead(b"", offset + length - done)


def _resumes_at(response: http.client.HTTPResponse, offset: int) -> bool:
    content_range = response.headers.get("Content-Range") or ""
    return response.status == 206 and content_range.startswith(f"bytes {offset}-")


def _verify_archive(remote: RemoteModel, partial: Path) -> None:
    size = _size_of(partial)
    if remote.size and size != remote.size:
        partial.unlink()
        log.warning(
            "model %s: %d bytes downloaded, %d expected", remote.name, size, remote.size
        )
        raise CuecardError(
            f"the download of {remote.name} has {size} bytes, not the {remote.size} "
            "the model list gives: the file was deleted, so run the command again"
        )

    for algorithm, expected in (("sha256", remote.sha256), ("md5", remote.md5)):
        if expected is None:
            continue
        actual = _file_digest(partial, algorithm)
        if actual != expected:
            partial.unlink()
            log.warning(
                "model %s: %s %s, expected %s", remote.name, algorithm, actual, expected
            )
            raise CuecardError(
                f"the download of {remote.name} is corrupt ({algorithm} {actual}, "
                f"expected {expected}): the file was deleted, so run the command again"
            )
        return
    log.warning("model %s has no checksum in the model list", remote.name)


def _file_digest(path: Path, algorithm: str) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, algorithm).hexdigest()


def _unpack(name: str, archive: Path, target: Path) -> None:
    """Unpack ``archive`` into ``target`` through a staging folder.

    The archive is deleted when it is corrupt or unsafe, or contains no valid model.
    """
    staging = target.parent / f".{target.name}.unpacking"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(archive) as zip_file:
            members = zip_file.infolist()
            for member in members:
                _check_member(name, member)
            _check_free_space(target.parent, sum(m.file_size for m in members), 1)
            zip_file.extractall(staging)

        root = _archive_root(staging)
        validate_vosk_model(root)
        if target.exists():
            shutil.rmtree(target)
        os.replace(root, target)
    except (zipfile.BadZipFile, EOFError) as error:
        archive.unlink()
        log.warning("archive of model %s is corrupt: %s", name, error)
        raise CuecardError(
            f"the download of {name} is not a valid zip archive ({error}): the file "
            "was deleted, so run the command again"
        ) from error
    except CuecardError:
        archive.unlink()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_member(name: str, member: zipfile.ZipInfo) -> None:
    # Reject entries that would land outside the staging folder or make links.
    parts = PurePosixPath(member.filename.replace("\\", "/")).parts
    is_link = (member.external_attr >> 16) & 0o170000 == 0o120000
    escapes = not parts or parts[0] == "/" or ":" in parts[0] or ".." in parts
    if escapes or is_link:
        log.warning("model %s: unsafe archive entry %r", name, member.filename)
        raise CuecardError(
            f"the archive of {name} contains the unsafe entry {member.filename!r}, "
            "so it was not unpacked and was deleted"
        )


def _archive_root(staging: Path) -> Path:
    # Vosk archives contain one top-level folder named after the model. An archive
    # with the model files at its top level is accepted too.
    entries = list(staging.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return staging


def _write_metadata(target: Path, remote: RemoteModel) -> None:
    metadata = {"name": remote.name, "language": remote.language, "url": remote.url}
    (target / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")


def _check_free_space(folder: Path, size: int, factor: int = 2) -> None:
    # Before the download, the archive and its unpacked copy must both fit: twice
    # the archive size is an estimate, because models compress by different ratios.
    needed = factor * size
    free = shutil.disk_usage(folder).free
    if needed and free < needed:
        raise CuecardError(
            f"not enough free disk space in {folder}: the model needs about "
            f"{needed // 1_000_000} MB and {free // 1_000_000} MB are free"
        )


def _check_scheme(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CuecardError(
            f"invalid model URL {url!r}: only http and https URLs are supported"
        )


def _network_error(
    url: str, error: Exception, dest_dir: Path | None = None
) -> CuecardError:
    host = _host(url)
    folder = dest_dir or paths.models_dir()
    log.warning("request to %s failed: %s", url, error)
    if isinstance(error, urllib.error.HTTPError):
        return CuecardError(
            f"{url} returned HTTP {error.code} {error.reason}: try again later, or "
            f"download the zip by hand and unpack it into {folder}"
        )
    reason = getattr(error, "reason", error)
    return CuecardError(
        f"could not reach {host}: {reason}. Check your connection, or download the "
        f"zip by hand and unpack it into {folder}"
    )


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
