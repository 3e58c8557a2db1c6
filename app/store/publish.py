"""Publishing a validated playbook version to the shared store."""

import getpass
import logging
import re
import uuid

import sqlalchemy as sa

from app.errors import CuecardError
from app.playbooks.loader import playbook_files
from app.playbooks.model import Playbook
from app.store.credentials import describe, with_password
from app.store.schema import playbooks
from app.store.shared import connect_shared

log = logging.getLogger(__name__)

# A name or version becomes one folder name when reps pull the playbook, so it
# may hold spaces but no path separators, and may not start with a dot.
SAFE_LABEL = re.compile(r"[^/\\.\x00-\x1f][^/\\\x00-\x1f]*")
# Any constant works; it only has to be the same for every publisher.
PUBLISH_LOCK_ID = 0x637565636172


def _files_of(playbook: Playbook) -> dict[str, str]:
    source = playbook.source
    root = source if source.is_dir() else source.parent
    files: dict[str, str] = {}
    for path in playbook_files(source):
        try:
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CuecardError(
                f"cannot read playbook file {path} ({error}); save it as UTF-8 text"
            ) from error
    return files


def _check_label(value: str, what: str) -> None:
    if not SAFE_LABEL.fullmatch(value):
        raise CuecardError(
            f"invalid playbook {what} {value!r}; change it in the playbook header "
            "so it does not start with '.' and has no '/' or '\\'"
        )


def publish_playbook(playbook: Playbook, db_url: str) -> str:
    """Store ``playbook``'s files as an immutable version; return the version.

    Publishing the same content again is a no-op. Raises CuecardError when that
    name and version already hold different content.
    """
    _check_label(playbook.name, "name")
    _check_label(playbook.version, "version")
    files = _files_of(playbook)
    url = with_password(db_url)
    with connect_shared(url) as shared, shared.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            # Serialises publishers, so seq values become visible in order and
            # a client's watermark never passes a version still being written.
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK_ID}
            )
        existing = connection.scalar(
            sa.select(playbooks.c.content_hash).where(
                playbooks.c.name == playbook.name,
                playbooks.c.version == playbook.version,
            )
        )
        if existing == playbook.content_hash:
            log.info(
                "playbook %s %s already published", playbook.name, playbook.version
            )
            return playbook.version
        if existing is not None:
            raise CuecardError(
                f"playbook {playbook.name} version {playbook.version} is already "
                "published with different content; raise the version and publish again"
            )
        publisher = (
            connection.scalar(sa.text("SELECT current_user"))
            if postgres
            else getpass.getuser()
        )
        next_seq = sa.select(sa.func.coalesce(sa.func.max(playbooks.c.seq), 0) + 1)
        connection.execute(
            playbooks.insert().from_select(
                ["id", "name", "version", "content_hash", "files", "published_by",
                 "published_at", "seq"],
                sa.select(
                    sa.literal(str(uuid.uuid4())),
                    sa.literal(playbook.name),
                    sa.literal(playbook.version),
                    sa.literal(playbook.content_hash),
                    sa.literal(files, playbooks.c.files.type),
                    sa.literal(publisher),
                    sa.func.now(),
                    next_seq.scalar_subquery(),
                ),
            )
        )  # fmt: skip
    log.info(
        "published playbook %s %s (%d files) to %s",
        playbook.name,
        playbook.version,
        len(files),
        describe(url),
    )
    return playbook.version
