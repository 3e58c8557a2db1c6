"""Sync between a real local SQLite file and a real PostgreSQL shared store."""

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import paths
from app.errors import CuecardError
from app.store.local import LocalStore
from app.store.shared import SharedStoreUnavailable
from app.store.sync import sync
from tests.postgres import PostgresServer
from tests.store.helpers import count_rows, record_calls


class LostAcknowledgement(Exception):
    """Stands for a connection that dropped after the server committed."""


def test_push_sends_everything(local: LocalStore, shared_url: str) -> None:
    call_ids = record_calls(local, 3, events=2)
    report = sync(local, shared_url)
    assert report.sent["call"] == 3
    assert report.sent["card_event"] == 6
    assert report.sent["segment"] == 3
    assert report.pending == 0
    assert count_rows(shared_url, "calls") == 3
    assert count_rows(shared_url, "card_events") == 6
    sent_log = (paths.log_dir() / "sync-sent.jsonl").read_text().splitlines()
    assert sorted(json.loads(sent_log[-1])["call"]) == sorted(call_ids)


def test_transcript_redacted_before_sending(local: LocalStore, shared_url: str) -> None:
    call_id = record_calls(local, 1)[0]
    local.add_segment(
        call_id,
        speaker="prospect",
        start=3.0,
        end=6.0,
        text="mail jo@acme.com or call 555-201-7788, card 4111 1111 1111 1111",
    )
    local.tag_call(call_id, "callback", note="her cell is +1 415 555 0199")
    report = sync(local, shared_url)

    engine = sa.create_engine(shared_url)
    with engine.connect() as connection:
        texts = connection.exec_driver_sql("SELECT text FROM segments").scalars().all()
        note = connection.exec_driver_sql("SELECT note FROM calls").scalar()
    engine.dispose()
    sent = " ".join(texts)
    assert "jo@acme.com" not in sent
    assert "555-201-7788" not in sent
    assert "4111" not in sent
    assert "[card number]" in sent
    assert note == "her cell is [phone]"
    assert report.redacted == {"email": 1, "phone": 2, "card": 1}
    # The local copy keeps the original text.
    assert "jo@acme.com" in local.get_call(call_id).segments[-1].text


def test_lost_ack_retried_three_times(local: LocalStore, shared_url: str) -> None:
    record_calls(local, 4, events=3)

    def lose_acknowledgement(batch: int) -> None:
        raise LostAcknowledgement(f"batch {batch}")

    for _ in range(3):
        with pytest.raises(LostAcknowledgement):
            sync(local, shared_url, on_batch_committed=lose_acknowledgement)
        assert local.pending_changes() > 0
    sync(local, shared_url)

    assert count_rows(shared_url, "calls") == 4
    assert count_rows(shared_url, "card_events") == 12
    assert count_rows(shared_url, "segments") == 4
    assert local.pending_changes() == 0


def test_later_edit_overwrites_shared_row(local: LocalStore, shared_url: str) -> None:
    call_id = record_calls(local, 1, outcome=None)[0]
    sync(local, shared_url)
    local.tag_call(call_id, "not-interested")
    sync(local, shared_url)
    engine = sa.create_engine(shared_url)
    with engine.connect() as connection:
        outcomes = connection.exec_driver_sql("SELECT outcome FROM calls").all()
    engine.dispose()
    assert outcomes == [("not-interested",)]


def test_server_stopped_mid_sync(local: LocalStore) -> None:
    server = PostgresServer()
    server.start()
    try:
        url = server.url(server.create_database())
        from app.store.setup import set_up_shared_store

        set_up_shared_store(url)
        record_calls(local, 30, events=3)

        def stop_server(batch: int) -> None:
            if batch == 2:
                server.stop("immediate")

        with pytest.raises(SharedStoreUnavailable, match="127.0.0.1"):
            sync(local, url, batch_size=40, on_batch_committed=stop_server)
        assert local.pending_changes() > 0

        server.start()
        sync(local, url, batch_size=40)
        assert count_rows(url, "calls") == 30
        assert count_rows(url, "card_events") == 90
        assert count_rows(url, "segments") == 30
        assert local.pending_changes() == 0
    finally:
        server.stop()
        server.remove()


def test_store_down_keeps_outbox(local: LocalStore) -> None:
    record_calls(local, 2)
    pending = local.pending_changes()
    url = "postgresql://alice@127.0.0.1:1/cuecard"
    with pytest.raises(SharedStoreUnavailable, match="127.0.0.1:1/cuecard"):
        sync(local, url)
    assert local.pending_changes() == pending


def test_twenty_clients_at_once(tmp_path: Path, shared_url: str) -> None:
    stores = [LocalStore.open(tmp_path / f"rep{i}.sqlite3") for i in range(20)]
    for index, store in enumerate(stores):
        record_calls(store, 5, rep=f"rep{index}", events=4)
    errors: list[BaseException] = []

    def run(store: LocalStore) -> None:
        try:
            sync(store, shared_url, batch_size=7)
        except BaseException as error:  # collected for the assert below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()

    assert errors == []
    assert count_rows(shared_url, "calls") == 100
    assert count_rows(shared_url, "card_events") == 400


def test_skewed_clocks_skip_nothing(tmp_path: Path, shared_url: str) -> None:
    ahead = LocalStore.open(
        tmp_path / "ahead.sqlite3",
        clock=lambda: datetime.now(UTC) + timedelta(hours=2),
    )
    future = LocalStore.open(
        tmp_path / "future.sqlite3", clock=lambda: datetime(2099, 1, 1, tzinfo=UTC)
    )
    try:
        record_calls(future, 3, rep="bob", started_at=future.now())
        sync(future, shared_url)
        record_calls(ahead, 3, rep="carol", started_at=ahead.now())
        sync(ahead, shared_url)
        record_calls(future, 2, rep="bob", started_at=future.now())
        sync(future, shared_url)
    finally:
        ahead.close()
        future.close()
    assert count_rows(shared_url, "calls") == 8
    assert count_rows(shared_url, "card_events") == 16


def test_tls_connection(local: LocalStore, shared_url: str) -> None:
    record_calls(local, 1)
    report = sync(local, shared_url + "?sslmode=require")
    assert report.sent["call"] == 1


def test_old_schema_rejected(local: LocalStore, postgres_url: str) -> None:
    record_calls(local, 1)
    with pytest.raises(CuecardError, match="sync --setup"):
        sync(local, postgres_url)
    assert local.pending_changes() > 0


def test_shared_sqlite_file(local: LocalStore, tmp_path: Path) -> None:
    from app.store.setup import set_up_shared_store

    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    set_up_shared_store(url)
    record_calls(local, 2, events=1)
    sync(local, url)
    sync(local, url)
    assert count_rows(url, "calls") == 2
    assert count_rows(url, "card_events") == 2
