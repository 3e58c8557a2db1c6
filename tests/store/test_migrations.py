"""Migrations from an empty database and from the previous revision, both backends."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.errors import CuecardError
from app.store import migrate
from app.store.engine import shared_engine

PREVIOUS = "0002"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_upgrade_from_empty(database_url: str) -> None:
    engine = shared_engine(database_url)
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"calls", "card_events", "segments", "outbox", "playbooks"} <= tables


@pytest.mark.parametrize("previous", ["0001", PREVIOUS])
def test_upgrade_from_previous_keeps_rows(database_url: str, previous: str) -> None:
    engine = shared_engine(database_url)
    at = {"at": datetime(2025, 1, 1, tzinfo=UTC)}
    try:
        migrate.upgrade(engine, previous)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO calls (id, rep, playbook_name, playbook_version,"
                    " engine, started_at, store_transcript, updated_at) VALUES"
                    " ('c1', 'alice', 'p', '1', 'vosk', :at, true, :at)"
                ),
                at,
            )
            connection.execute(
                sa.text(
                    'INSERT INTO segments (id, call_id, rep, speaker, start, "end",'
                    " text) VALUES ('s1', 'c1', 'alice', 'rep', 0, 1, 'hello')"
                )
            )
        migrate.upgrade(engine)
        with engine.connect() as connection:
            row = connection.execute(
                sa.text("SELECT rep, next_step FROM calls WHERE id = 'c1'")
            ).one()
            segment = connection.execute(
                sa.text("SELECT text, utterance, draft FROM segments WHERE id = 's1'")
            ).one()
        revision = migrate.current_revision(engine)
    finally:
        engine.dispose()
    assert row == ("alice", None)
    assert segment == ("hello", None, False)
    assert revision == migrate.head_revision()


def test_utterance_unique_per_speaker(database_url: str) -> None:
    engine = shared_engine(database_url)
    insert = sa.text(
        'INSERT INTO segments (id, call_id, rep, speaker, start, "end", text,'
        " utterance) VALUES (:id, 'c1', 'alice', :speaker, 0, 1, 'hi', :utterance)"
    )
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO calls (id, rep, playbook_name, playbook_version,"
                    " engine, started_at, store_transcript, updated_at) VALUES"
                    " ('c1', 'alice', 'p', '1', 'vosk', :at, true, :at)"
                ),
                {"at": datetime(2025, 1, 1, tzinfo=UTC)},
            )
            for index, (speaker, utterance) in enumerate(
                [("rep", 1), ("prospect", 1), ("rep", None), ("rep", None)]
            ):
                connection.execute(
                    insert,
                    {"id": f"s{index}", "speaker": speaker, "utterance": utterance},
                )
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(insert, {"id": "s9", "speaker": "rep", "utterance": 1})
    finally:
        engine.dispose()


def test_sqlite_backup_before_upgrade(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = shared_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine, PREVIOUS)
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    backups = list(tmp_path.glob(f"old.sqlite3.{PREVIOUS}-*.bak"))
    assert len(backups) == 1


def test_failed_upgrade_leaves_previous(tmp_path) -> None:
    path = tmp_path / "blocked.sqlite3"
    engine = shared_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine, "0001")
        # A table with the name the next revision creates makes that step fail.
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE playbooks (x INTEGER)")
        failed = f"from revision 0001 to {migrate.head_revision()} failed"
        with pytest.raises(CuecardError, match=failed):
            migrate.upgrade(engine)
        assert migrate.current_revision(engine) == "0001"
        columns = {c["name"] for c in sa.inspect(engine).get_columns("calls")}
    finally:
        engine.dispose()
    assert "next_step" not in columns
