"""Time the team report over 100,000 calls on PostgreSQL and on a SQLite file.

Run from the repository root: ``python -m bench.report_bench [--calls N]``.
Synthetic calls (spread over 30 days, 50 reps, 10 card events each by default)
are loaded first. Only build_report over the last 30 days is timed, three
times per backend, and the best and worst runs are printed.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from app.analytics.report import build_report
from app.store import migrate
from app.store.engine import shared_engine
from app.store.schema import calls, card_events
from bench.synthetic import synthetic_calls
from tests.postgres import PostgresServer

RUNS = 3


def load(url: str, count: int, events_per_call: int) -> None:
    """Create the schema at ``url`` and insert the synthetic calls."""
    engine = shared_engine(url)
    migrate.upgrade(engine)
    call_rows, event_rows = [], []
    for call, events in synthetic_calls(count, events_per_call):
        call_rows.append(call)
        event_rows.extend(events)
    with engine.begin() as connection:
        for start in range(0, len(call_rows), 10_000):
            connection.execute(calls.insert(), call_rows[start : start + 10_000])
        for start in range(0, len(event_rows), 10_000):
            connection.execute(card_events.insert(), event_rows[start : start + 10_000])
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("ANALYZE"))
    engine.dispose()


def time_report(url: str) -> list[float]:
    """Return the seconds each of RUNS report builds took."""
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        report = build_report(url, 30)
        seconds.append(time.perf_counter() - started)
    print(f"  dials in the report: {report.team.dials}")
    return seconds


def main() -> None:
    """Print the report time on each backend."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cuecard-bench-"))
    os.environ["CUECARD_HOME"] = str(folder)

    sqlite_url = f"sqlite:///{folder / 'report.sqlite3'}"
    load(sqlite_url, args.calls, args.events)
    print(f"SQLite, {args.calls} calls x {args.events} card events:")
    sqlite_seconds = time_report(sqlite_url)
    print(
        f"  report: best {min(sqlite_seconds):.2f} s, worst {max(sqlite_seconds):.2f} s"
    )

    server = PostgresServer(durable=True)
    server.start()
    try:
        postgres_url = server.url(server.create_database())
        load(postgres_url, args.calls, args.events)
        print(f"PostgreSQL 15, {args.calls} calls x {args.events} card events:")
        pg_seconds = time_report(postgres_url)
    finally:
        server.stop()
        server.remove()
    print(f"  report: best {min(pg_seconds):.2f} s, worst {max(pg_seconds):.2f} s")


if __name__ == "__main__":
    main()
