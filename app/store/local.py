"""The rep's local call database: every call is written while it happens.

Thread safety: one LocalStore may be shared by several threads. Each method runs
its own short transaction on a pooled connection, and writes are serialised by a
lock, so SQLite has one writer per process. Each segment and card event is
committed as soon as it is added, so a killed process loses only what had not
been handed to the store yet.
"""

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from app import paths
from app.errors import CuecardError
from app.store import migrate
from app.store.failures import user_fixable_failures
from app.store.outcomes import OUTCOMES
from app.store.records import CallDetail, CallSummary, CardEvent, Segment
from app.store.recovery import open_checked
from app.store.schema import calls, card_events, outbox, segments

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class LocalStore:
    """The local SQLite database of calls, card events and transcript segments."""

    def __init__(self, engine: sa.Engine, *, clock: Clock, notice: str | None) -> None:
        self.engine = engine
        self.path = Path(engine.url.database or "")
        self._write_engine = engine.execution_options(immediate=True)
        self._write_lock = threading.Lock()
        self._clock = clock
        self._transcript_allowed: dict[str, tuple[str, bool]] = {}
        # A message for the window when opening had to recover from a problem.
        self.notice = notice

    @classmethod
    def open(cls, path: Path | None = None, *, clock: Clock = utc_now) -> "LocalStore":
        """Open (creating or migrating) the local database at ``path``.

        The default path is app.paths.local_database_path(). When SQLite's
        quick_check fails, or the file is not a database, the file is renamed to
        ``*.corrupt-<time>`` and a new database is made in its place. ``notice``
        then names the moved file. Raises CuecardError when the file cannot be
        opened or written, such as a full disk, a read-only folder or a lock
        held by another program for longer than the busy timeout.
        """
        path = path or paths.local_database_path()
        with user_fixable_failures(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            engine, notice = open_checked(path)
            try:
                migrate.upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
        return cls(engine, clock=clock, notice=notice)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def write_transaction(self) -> Iterator[sa.Connection]:
        """Open a write transaction; only one runs at a time in this process.

        Raises CuecardError for a lock held too long, a full disk or a file
        that cannot be written.
        """
        with (
            user_fixable_failures(self.path),
            self._write_lock,
            self._write_engine.begin() as connection,
        ):
            yield connection

    @contextmanager
    def read_connection(self) -> Iterator[sa.Connection]:
        """Open a connection for reading; errors a user can fix become CuecardError."""
        with user_fixable_failures(self.path), self.engine.connect() as connection:
            yield connection

    def now(self) -> datetime:
        """Return the store clock's current time (UTC)."""
        return self._clock()

    def begin_call(
        self,
        *,
        rep: str,
        playbook_name: str,
        playbook_version: str,
        persona: str | None,
        engine: str,
        started_at: datetime,
        store_transcript: bool = True,
    ) -> str:
        """Record the start of a call and return its new id (a UUID4 string)."""
        call_id = str(uuid.uuid4())
        with self.write_transaction() as connection:
            connection.execute(
                calls.insert().values(
                    id=call_id,
                    rep=rep,
                    playbook_name=playbook_name,
                    playbook_version=playbook_version,
                    persona=persona,
                    engine=engine,
                    started_at=started_at,
                    store_transcript=store_transcript,
                    updated_at=self._clock(),
                )
            )
            _queue(connection, "call", call_id)
        self._transcript_allowed[call_id] = (rep, store_transcript)
        log.info("began call %s for rep %s", call_id, rep)
        return call_id

    def add_segment(
        self,
        call_id: str,
        *,
        speaker: str,
        start: float,
        end: float,
        text: str,
        utterance: int | None = None,
    ) -> None:
        """Store a final transcript segment, unless the call keeps no transcript.

        With ``utterance``, the segment replaces the draft (or an earlier final
        segment) of that utterance number and speaker in the same transaction.
        It keeps the draft's id, so a shared store that received the draft is
        overwritten on the next sync.
        """
        self._write_segment(
            call_id,
            speaker=speaker,
            utterance=utterance,
            start=start,
            end=end,
            text=text,
            draft=False,
        )

    def save_draft_segment(
        self,
        call_id: str,
        *,
        speaker: str,
        utterance: int,
        start: float,
        end: float,
        text: str,
    ) -> None:
        """Store the text so far of an utterance that is still being spoken.

        Each call replaces the previous draft with the same call, speaker and
        utterance number; a draft never replaces a final segment. One short
        transaction each, meant for about one call a second per speaker, so a
        killed process loses at most the last second of the transcript.
        """
        self._write_segment(
            call_id,
            speaker=speaker,
            utterance=utterance,
            start=start,
            end=end,
            text=text,
            draft=True,
        )

    def add_card_event(
        self,
        call_id: str,
        *,
        card_id: str,
        category: str,
        playbook_version: str,
        at: float,
        heard: str,
        score: float,
        speaker: str,
    ) -> str:
        """Store a card shown during a call and return the event's id."""
        rep, _ = self._call_privacy(call_id)
        event_id = str(uuid.uuid4())
        with self.write_transaction() as connection:
            connection.execute(
                card_events.insert().values(
                    id=event_id,
                    call_id=call_id,
                    rep=rep,
                    card_id=card_id,
                    category=category,
                    playbook_version=playbook_version,
                    at=at,
                    heard=heard,
                    score=score,
                    speaker=speaker,
                    withdrawn=False,
                )
            )
            _queue(connection, "card_event", event_id)
        return event_id

    def withdraw_card_event(self, event_id: str) -> None:
        """Mark a card event as withdrawn (the rep dismissed a wrong card)."""
        with self.write_transaction() as connection:
            result = connection.execute(
                card_events.update()
                .where(card_events.c.id == event_id)
                .values(withdrawn=True)
            )
            if result.rowcount == 0:
                raise CuecardError(f"card event {event_id} not found")
            _queue(connection, "card_event", event_id)

    def finish_call(
        self, call_id: str, *, ended_at: datetime, duration: float, metrics: dict
    ) -> None:
        """Record the end of a call with its length in seconds and talk metrics."""
        with self.write_transaction() as connection:
            _update_call(
                connection,
                call_id,
                ended_at=ended_at,
                duration=duration,
                metrics=metrics,
                updated_at=self._clock(),
            )
        log.info("finished call %s after %.1f s", call_id, duration)

    def tag_call(
        self,
        call_id: str,
        outcome: str,
        *,
        note: str | None = None,
        next_step: date | None = None,
        helpful: dict[str, bool] | None = None,
    ) -> None:
        """Record a call's outcome, note, next step and helpful votes on its cards.

        A ``note`` or ``next_step`` of None keeps the stored one; an empty note
        clears it. Raises CuecardError for an unknown outcome, call id or card
        event id.
        """
        if outcome not in OUTCOMES:
            raise CuecardError(
                f"unknown outcome {outcome!r}; use one of: {', '.join(OUTCOMES)}"
            )
        changes: dict[str, Any] = {"outcome": outcome, "updated_at": self._clock()}
        if note is not None:
            changes["note"] = note or None
        if next_step is not None:
            changes["next_step"] = next_step
        with self.write_transaction() as connection:
            _update_call(connection, call_id, **changes)
            for event_id, vote in (helpful or {}).items():
                result = connection.execute(
                    card_events.update()
                    .where(
                        card_events.c.id == event_id, card_events.c.call_id == call_id
                    )
                    .values(helpful=vote)
                )
                if result.rowcount == 0:
                    raise CuecardError(
                        f"card event {event_id} is not part of call {call_id}"
                    )
                _queue(connection, "card_event", event_id)
        log.info("tagged call %s as %s", call_id, outcome)

    def resolve_call_id(self, prefix: str) -> str:
        """Return the one call id that starts with ``prefix``.

        Raises CuecardError when no call or more than one call matches.
        """
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self.read_connection() as connection:
            found = connection.scalars(
                sa.select(calls.c.id)
                .where(calls.c.id.like(f"{pattern}%", escape="\\"))
                .limit(2)
            ).all()
        if not found:
            raise CuecardError(
                f"no call id starts with {prefix!r}; `calls list` shows the ids"
            )
        if len(found) > 1:
            raise CuecardError(
                f"call id prefix {prefix!r} matches several calls; give more characters"
            )
        return found[0]

    def list_calls(self, limit: int = 50) -> list[CallSummary]:
        """Return up to ``limit`` calls, newest first."""
        return self._summaries(sa.true(), limit)

    def untagged_calls(self) -> list[CallSummary]:
        """Return every call that has no outcome yet, newest first."""
        return self._summaries(calls.c.outcome.is_(None), None)

    def get_call(self, call_id: str) -> CallDetail:
        """Return a call with its segments and card events; CuecardError if unknown."""
        with self.read_connection() as connection:
            row = connection.execute(
                sa.select(calls).where(calls.c.id == call_id)
            ).one_or_none()
            if row is None:
                raise CuecardError(
                    f"call {call_id} not found; `calls list` shows the ids"
                )
            segment_rows = connection.execute(
                sa.select(segments)
                .where(segments.c.call_id == call_id)
                .order_by(segments.c.start)
            ).all()
            event_rows = connection.execute(
                sa.select(card_events)
                .where(card_events.c.call_id == call_id)
                .order_by(card_events.c.at)
            ).all()
        events = tuple(_card_event(event) for event in event_rows)
        shown = sum(1 for event in events if not event.withdrawn)
        return CallDetail(
            summary=_summary(row._mapping, shown),
            engine=row.engine,
            ended_at=row.ended_at,
            metrics=row.metrics or {},
            next_step=row.next_step,
            segments=tuple(
                Segment(
                    speaker=s.speaker,
                    start=s.start,
                    end=s.end,
                    text=s.text,
                    draft=s.draft,
                )
                for s in segment_rows
            ),
            card_events=events,
        )

    def pending_changes(self) -> int:
        """Return how many local changes wait to be pushed to the shared store."""
        with self.read_connection() as connection:
            count = connection.scalar(sa.select(sa.func.count()).select_from(outbox))
        return count or 0

    def _summaries(self, condition: Any, limit: int | None) -> list[CallSummary]:
        shown = (
            sa.select(sa.func.count())
            .where(card_events.c.call_id == calls.c.id, ~card_events.c.withdrawn)
            .scalar_subquery()
        )
        query = (
            sa.select(calls, shown.label("card_count"))
            .where(condition)
            .order_by(calls.c.started_at.desc())
            .limit(limit)
        )
        with self.read_connection() as connection:
            rows = connection.execute(query).all()
        return [_summary(row._mapping, row.card_count) for row in rows]

    def _write_segment(
        self,
        call_id: str,
        *,
        speaker: str,
        utterance: int | None,
        start: float,
        end: float,
        text: str,
        draft: bool,
    ) -> None:
        rep, allowed = self._call_privacy(call_id)
        if not allowed:
            return
        statement = sqlite.insert(segments).values(
            id=str(uuid.uuid4()),
            call_id=call_id,
            rep=rep,
            speaker=speaker,
            utterance=utterance,
            start=start,
            end=end,
            text=text,
            draft=draft,
        )
        if utterance is not None:
            excluded = statement.excluded
            statement = statement.on_conflict_do_update(
                index_elements=[
                    segments.c.call_id,
                    segments.c.speaker,
                    segments.c.utterance,
                ],
                set_={
                    "start": excluded.start,
                    "end": excluded.end,
                    "text": excluded.text,
                    "draft": excluded.draft,
                },
                # A late draft must not turn a final segment back into a draft.
                where=segments.c.draft if draft else None,
            )
        with self.write_transaction() as connection:
            segment_id = connection.scalar(statement.returning(segments.c.id))
            if segment_id is not None:
                _queue(connection, "segment", segment_id)

    def _call_privacy(self, call_id: str) -> tuple[str, bool]:
        known = self._transcript_allowed.get(call_id)
        if known is not None:
            return known
        with self.read_connection() as connection:
            row = connection.execute(
                sa.select(calls.c.rep, calls.c.store_transcript).where(
                    calls.c.id == call_id
                )
            ).one_or_none()
        if row is None:
            raise CuecardError(f"call {call_id} not found; `calls list` shows the ids")
        self._transcript_allowed[call_id] = (row.rep, row.store_transcript)
        return row.rep, row.store_transcript


def _queue(connection: sa.Connection, kind: str, row_id: str) -> None:
    connection.execute(outbox.insert().values(kind=kind, row_id=row_id))


def _update_call(connection: sa.Connection, call_id: str, **values: Any) -> None:
    result = connection.execute(
        calls.update().where(calls.c.id == call_id).values(**values)
    )
    if result.rowcount == 0:
        raise CuecardError(f"call {call_id} not found; `calls list` shows the ids")
    _queue(connection, "call", call_id)


def _summary(row: Any, card_count: int) -> CallSummary:
    return CallSummary(
        id=row["id"],
        rep=row["rep"],
        started_at=row["started_at"],
        duration=row["duration"],
        playbook_name=row["playbook_name"],
        playbook_version=row["playbook_version"],
        persona=row["persona"],
        outcome=row["outcome"],
        note=row["note"],
        card_count=card_count,
    )


def _card_event(row: Any) -> CardEvent:
    return CardEvent(
        id=row.id,
        card_id=row.card_id,
        category=row.category,
        playbook_version=row.playbook_version,
        at=row.at,
        heard=row.heard,
        score=row.score,
        speaker=row.speaker,
        withdrawn=row.withdrawn,
        helpful=row.helpful,
    )
