"""Table definitions shared by the local database and the shared store.

Both use the same tables, created by the Alembic migrations in ``migrations/``;
these definitions only describe them for queries. The outbox and sync state
tables stay empty in a shared store.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData()


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back as an aware datetime.

    SQLite keeps no time zone, so every value is converted to UTC on the way in
    and marked UTC on the way out. A naive datetime is taken as UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


calls = sa.Table(
    "calls",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("rep", sa.String(200), nullable=False),
    sa.Column("playbook_name", sa.String(200), nullable=False),
    sa.Column("playbook_version", sa.String(100), nullable=False),
    sa.Column("persona", sa.String(200)),
    sa.Column("engine", sa.String(100), nullable=False),
    sa.Column("started_at", UtcDateTime(), nullable=False, index=True),
    sa.Column("ended_at", UtcDateTime()),
    sa.Column("duration", sa.Float),
    sa.Column("metrics", sa.JSON),
    sa.Column("store_transcript", sa.Boolean, nullable=False),
    sa.Column("outcome", sa.String(50)),
    sa.Column("note", sa.Text),
    sa.Column("next_step", sa.Date),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

card_events = sa.Table(
    "card_events",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "call_id",
        sa.String(36),
        sa.ForeignKey("calls.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("rep", sa.String(200), nullable=False),
    sa.Column("card_id", sa.String(200), nullable=False),
    sa.Column("category", sa.String(100), nullable=False),
    sa.Column("playbook_version", sa.String(100), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("heard", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("speaker", sa.String(20), nullable=False),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
    sa.Column("helpful", sa.Boolean),
    # Covers the report's pass over card events grouped by call and card.
    sa.Index(
        "ix_card_events_call_card",
        "call_id",
        "card_id",
        "category",
        "withdrawn",
        "helpful",
    ),
)

segments = sa.Table(
    "segments",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "call_id",
        sa.String(36),
        sa.ForeignKey("calls.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("rep", sa.String(200), nullable=False),
    sa.Column("speaker", sa.String(20), nullable=False),
    sa.Column("start", sa.Float, nullable=False),
    sa.Column("end", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    # The recognizer's utterance number within the call and speaker, when known.
    sa.Column("utterance", sa.Integer),
    # True while the utterance is still being spoken: the text so far, replaced
    # by the final text when the utterance ends, or left as it was by a crash.
    sa.Column("draft", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ux_segments_utterance", "call_id", "speaker", "utterance", unique=True),
)

# Local changes waiting to be pushed, in the order they were made.
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
)

# Published playbook versions. ``seq`` is assigned by the shared store at publish
# time and is what clients use as their pull watermark.
playbooks = sa.Table(
    "playbooks",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("version", sa.String(100), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("files", sa.JSON, nullable=False),
    sa.Column("published_by", sa.String(200), nullable=False),
    sa.Column("published_at", UtcDateTime(), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
    sa.UniqueConstraint("name", "version"),
)

# Small key/value state of the local database, such as pull watermarks.
sync_state = sa.Table(
    "sync_state",
    metadata,
    sa.Column("key", sa.String(500), primary_key=True),
    sa.Column("value", sa.String(500), nullable=False),
)
