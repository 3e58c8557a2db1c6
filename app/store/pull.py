"""Pulling published playbooks from the shared store into the user data folder.

Each version is written to ``<data>/playbooks/<name>/<version>/`` and loaded
once to check it. The index file records which versions loaded, so the app
keeps using the previous good version when a new one fails to load. The pull
watermark is the highest server-assigned ``seq`` seen, never a clock time.
"""

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from app import paths
from app.errors import CuecardError
from app.store.local import LocalStore
from app.store.schema import playbooks, sync_state

log = logging.getLogger(__name__)

INDEX_NAME = "pulled.json"


@dataclass(frozen=True)
class PulledPlaybook:
    """A playbook version written to disk, and whether it loaded."""

    name: str
    version: str
    seq: int
    folder: str
    loaded: bool
    error: str | None


def pulled_root() -> Path:
    """Return the folder that pulled playbooks are written below."""
    return paths.data_dir() / "playbooks"


def _read_index() -> list[PulledPlaybook]:
    index = pulled_root() / INDEX_NAME
    if not index.exists():
        return []
    try:
        return [PulledPlaybook(**entry) for entry in json.loads(index.read_text())]
    except (ValueError, TypeError) as error:
        log.warning("ignoring unreadable playbook index %s: %s", index, error)
        return []


def _write_index(entries: list[PulledPlaybook]) -> None:
    index = pulled_root() / INDEX_NAME
    temporary = index.with_suffix(".tmp")
    temporary.write_text(json.dumps([asdict(entry) for entry in entries], indent=1))
    temporary.replace(index)


def latest_pulled_playbook() -> Path | None:
    """Return the folder of the newest pulled playbook that loaded, if any."""
    good = [
        entry for entry in _read_index() if entry.loaded and Path(entry.folder).is_dir()
    ]
    if not good:
        return None
    return Path(max(good, key=lambda entry: entry.seq).folder)


def safe_relative_path(name: str) -> PurePosixPath:
    """Return ``name`` as a relative path that stays inside its folder.

    Raises CuecardError for absolute paths, drive letters and ``..`` parts, so a
    stored playbook cannot write outside the playbooks folder.
    """
    path = PurePosixPath(name.replace("\\", "/"))
    if (
        not path.parts
        or path.is_absolute()
        or ".." in path.parts
        or ":" in path.parts[0]
    ):
        raise CuecardError(f"invalid playbook file name {name!r}")
    return path


def _write_version(name: str, version: str, files: dict[str, str]) -> Path:
    folder = pulled_root() / safe_relative_path(name) / safe_relative_path(version)
    folder.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        target = folder / safe_relative_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def _check_loads(folder: Path) -> str | None:
    from app.playbooks.loader import load_playbook

    try:
        load_playbook(folder)
    except CuecardError as error:
        return str(error)
    return None


def pull_playbooks(
    local: LocalStore, shared: sa.Engine, *, store_name: str
) -> list[PulledPlaybook]:
    """Fetch playbook versions published since the last pull and write them."""
    key = f"pull-seq {store_name}"
    with local.engine.connect() as connection:
        watermark = int(
            connection.scalar(
                sa.select(sync_state.c.value).where(sync_state.c.key == key)
            )
            or 0
        )
    with shared.connect() as connection:
        rows = connection.execute(
            sa.select(playbooks)
            .where(playbooks.c.seq > watermark)
            .order_by(playbooks.c.seq)
        ).all()

    pulled: list[PulledPlaybook] = []
    for row in rows:
        try:
            folder = _write_version(row.name, row.version, row.files)
        except CuecardError as error:
            log.warning("skipping playbook %s %s: %s", row.name, row.version, error)
            continue
        problem = _check_loads(folder)
        if problem:
            log.warning(
                "pulled playbook %s %s does not load: %s",
                row.name,
                row.version,
                problem,
            )
        pulled.append(
            PulledPlaybook(
                row.name, row.version, row.seq, str(folder), problem is None, problem
            )
        )

    if rows:
        entries = [
            e for e in _read_index() if e.folder not in {p.folder for p in pulled}
        ]
        _write_index(entries + pulled)
        with local.write_transaction() as connection:
            connection.execute(sync_state.delete().where(sync_state.c.key == key))
            connection.execute(
                sync_state.insert().values(key=key, value=str(rows[-1].seq))
            )
        log.info("pulled %d playbook version(s) from %s", len(pulled), store_name)
    return pulled
