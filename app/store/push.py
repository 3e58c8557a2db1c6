"""Pushing the outbox of local changes to the shared store.

Each batch is upserted by UUID in one shared transaction and only then removed
from the outbox. When the acknowledgement is lost, the same rows are sent again
and overwrite themselves, so a retry never creates a duplicate.
"""

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects import sqlite

from app import paths
from app.store.local import LocalStore
from app.store.redact import redact
from app.store.schema import calls, card_events, outbox, segments

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
SENT_LOG_NAME = "sync-sent.jsonl"
# Tables in the order their rows must arrive: card events and segments refer to
# their call.
KINDS: tuple[tuple[str, sa.Table, str | None], ...] = (
    ("call", calls, "note"),
    ("segment", segments, "text"),
    ("card_event", card_events, "heard"),
)


@dataclass
class PushTotals:
    """Counts of rows sent and of personal data redacted from them."""

    rows: Counter[str] = field(default_factory=Counter)
    redacted: Counter[str] = field(default_factory=Counter)
    batches: int = 0


def push_outbox(
    local: LocalStore,
    shared: sa.Engine,
    *,
    store_name: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch_committed: Callable[[int], None] | None = None,
) -> PushTotals:
    """Send every queued change to ``shared`` in batches, oldest first.

    ``on_batch_committed`` is called with the batch number after the shared
    store commits a batch and before its outbox entries are deleted.
    """
    totals = PushTotals()
    while True:
        with local.engine.connect() as connection:
            entries = connection.execute(
                sa.select(outbox.c.id, outbox.c.kind, outbox.c.row_id)
                .order_by(outbox.c.id)
                .limit(batch_size)
            ).all()
        if not entries:
            return totals

        ids_by_kind: dict[str, set[str]] = {kind: set() for kind, _, _ in KINDS}
        for entry in entries:
            ids_by_kind[entry.kind].add(entry.row_id)
        redacted: Counter[str] = Counter()
        rows_by_kind = {
            kind: _load_rows(local, table, ids_by_kind[kind], text_column, redacted)
            for kind, table, text_column in KINDS
        }

        with shared.begin() as connection:
            for kind, table, _ in KINDS:
                _upsert(connection, table, rows_by_kind[kind])
        totals.batches += 1
        totals.redacted.update(redacted)
        for kind, rows in rows_by_kind.items():
            totals.rows[kind] += len(rows)
        _write_sent_log(store_name, rows_by_kind, redacted)
        log.info(
            "pushed batch %d to %s: %s",
            totals.batches,
            store_name,
            {kind: len(rows) for kind, rows in rows_by_kind.items()},
        )
        if on_batch_committed is not None:
            on_batch_committed(totals.batches)

        with local.write_transaction() as connection:
            connection.execute(outbox.delete().where(outbox.c.id <= entries[-1].id))


def _load_rows(
    local: LocalStore,
    table: sa.Table,
    ids: set[str],
    text_column: str | None,
    redacted: Counter[str],
) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows: list[dict[str, Any]] = []
    ordered = sorted(ids)
    # SQLite limits the number of bound parameters in one statement.
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        with local.engine.connect() as connection:
            result = connection.execute(sa.select(table).where(table.c.id.in_(chunk)))
            rows.extend(dict(row._mapping) for row in result)
    if text_column is not None:
        for row in rows:
            if row[text_column]:
                row[text_column], found = redact(row[text_column])
                redacted.update(found)
    return rows


def _upsert(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _upsert_by_copy(connection, table, rows)
        return
    statement = sqlite.insert(table)
    changes = {
        column.name: statement.excluded[column.name]
        for column in table.columns
        if column.name != "id"
    }
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.id], set_=changes
    )
    connection.execute(statement, list(rows))


def _upsert_by_copy(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> None:
    # psycopg runs an executemany as one pipelined statement per row. COPY into
    # a temporary table and one INSERT ... SELECT took 4.8 s instead of 9.2 s
    # for 110,000 rows in bench/sync_bench.py.
    names = [column.name for column in table.columns]
    quoted = ", ".join(f'"{name}"' for name in names)
    staging = f"staging_{table.name}"
    updates = ", ".join(f'"{n}" = EXCLUDED."{n}"' for n in names if n != "id")
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    dialect = connection.dialect
    processors = {
        column.name: column.type.bind_processor(dialect) for column in table.columns
    }

    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} "
            f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {staging} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for name in names:
                    value = row[name]
                    if name in json_columns:
                        value = None if value is None else Jsonb(value)
                    elif (process := processors[name]) is not None:
                        value = process(value)
                    values.append(value)
                copy.write_row(values)
        cursor.execute(
            f"INSERT INTO {table.name} ({quoted}) SELECT {quoted} FROM {staging} "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
        cursor.execute(f"DELETE FROM {staging}")


def _write_sent_log(
    store_name: str, rows_by_kind: dict[str, list[dict]], redacted: Counter[str]
) -> None:
    record = {
        "sent_at": datetime.now(UTC).isoformat(),
        "store": store_name,
        "redacted": dict(redacted),
        **{kind: [row["id"] for row in rows] for kind, rows in rows_by_kind.items()},
    }
    with (paths.log_dir() / SENT_LOG_NAME).open("a", encoding="utf-8") as sent_log:
        sent_log.write(json.dumps(record) + "\n")
