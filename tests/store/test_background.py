"""Background sync: backoff while the store is down, then catching up."""

import threading

from app.store.background import MAX_RETRY_S, BackgroundSync, SyncState, retry_delay
from app.store.local import LocalStore
from tests.postgres import PostgresServer
from tests.store.helpers import count_rows, record_calls


def test_retry_delay_doubles_to_cap() -> None:
    delays = [retry_delay(n, jitter=0) for n in range(1, 12)]
    assert delays[:3] == [5.0, 10.0, 20.0]
    assert delays[-1] == MAX_RETRY_S
    assert all(a <= b for a, b in zip(delays, delays[1:], strict=False))


def test_retries_until_server_starts(local: LocalStore) -> None:
    server = PostgresServer()
    states: list[SyncState] = []
    synced = threading.Event()
    failures_seen = threading.Event()

    def on_state(state: SyncState) -> None:
        states.append(state)
        if state.status == "retrying" and len(states) >= 4:
            failures_seen.set()
        if state.status == "synced":
            synced.set()

    try:
        server.start()
        url = server.url(server.create_database())
        from app.store.setup import set_up_shared_store

        set_up_shared_store(url)
        server.stop()
        record_calls(local, 3)
        worker = BackgroundSync(
            local, url, interval=30, on_state=on_state, delay=lambda n: 0.05 * n
        )
        worker.start()
        assert failures_seen.wait(30)
        server.start()
        worker.sync_now()
        assert synced.wait(30)
        worker.stop()
        assert count_rows(url, "calls") == 3
    finally:
        server.stop()
        server.remove()
    retrying = [s for s in states if s.status == "retrying"]
    assert retrying[0].next_attempt_in < retrying[-1].next_attempt_in
    assert "cannot reach the shared store" in retrying[0].message
