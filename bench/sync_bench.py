"""Time one sync of 10,000 calls with 10 card events each to a local PostgreSQL.

Run from the repository root: ``python -m bench.sync_bench [--calls N]``.
The calls are bulk-inserted into a fresh local database with their outbox
entries (as LocalStore would queue them); only the sync is timed. The
PostgreSQL server is a throwaway cluster with fsync on.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from app.store.local import LocalStore
from app.store.schema import calls, card_events, outbox
from app.store.setup import set_up_shared_store
from app.store.sync import sync
from bench.synthetic import synthetic_calls
from tests.postgres import PostgresServer


def fill_local(store: LocalStore, count: int, events_per_call: int) -> None:
    """Insert synthetic calls, card events and their outbox entries."""
    call_rows, event_rows, queue = [], [], []
    for call, events in synthetic_calls(count, events_per_call):
        call_rows.append(call)
        queue.append({"kind": "call", "row_id": call["id"]})
        event_rows.extend(events)
        queue.extend({"kind": "card_event", "row_id": e["id"]} for e in events)
    with store.write_transaction() as connection:
        connection.execute(calls.insert(), call_rows)
        connection.execute(card_events.insert(), event_rows)
        connection.execute(outbox.insert(), queue)


def main() -> None:
    """Print the rows sent, the seconds taken and the rows per second."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10)
    args = parser.parse_args()

    os.environ["CUECARD_HOME"] = tempfile.mkdtemp(prefix="cuecard-bench-")
    server = PostgresServer(durable=True)
    server.start()
    try:
        url = server.url(server.create_database())
        set_up_shared_store(url)
        local = LocalStore.open(Path(os.environ["CUECARD_HOME"]) / "bench.sqlite3")
        fill_local(local, args.calls, args.events)

        started = time.perf_counter()
        report = sync(local, url)
        elapsed = time.perf_counter() - started

        engine = sa.create_engine(url)
        with engine.connect() as connection:
            shared_events = connection.scalar(
                sa.text("SELECT count(*) FROM card_events")
            )
        engine.dispose()
        local.close()
    finally:
        server.stop()
        server.remove()

    rows = sum(report.sent.values())
    print(f"calls: {report.sent['call']}, card events: {report.sent['card_event']}")
    print(f"card events in the shared store: {shared_events}")
    print(f"redacted: {dict(report.redacted)}")
    print(f"sync time: {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s)")


if __name__ == "__main__":
    main()
