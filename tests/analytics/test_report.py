"""The team report on known calls, from the local file and from PostgreSQL."""

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.analytics.formats import report_to_csv, report_to_json, report_to_table
from app.analytics.report import build_report
from app.cli import report as report_cli
from app.errors import CuecardError
from app.store.local import LocalStore
from app.store.setup import set_up_shared_store
from app.store.sync import sync

NOW = datetime.now(UTC)


def call(
    store: LocalStore,
    rep: str,
    outcome: str | None,
    cards: list[tuple[str, str, bool | None]],
    *,
    days_ago: float = 1,
) -> str:
    call_id = store.begin_call(
        rep=rep,
        playbook_name="team",
        playbook_version="1",
        persona=None,
        engine="vosk",
        started_at=NOW - timedelta(days=days_ago),
    )
    votes = {}
    for card_id, category, helpful in cards:
        event_id = store.add_card_event(
            call_id,
            card_id=card_id,
            category=category,
            playbook_version="1",
            at=1.0,
            heard=f"{category} words",
            score=0.9,
            speaker="prospect",
        )
        if helpful is not None:
            votes[event_id] = helpful
    if outcome:
        store.tag_call(call_id, outcome, helpful=votes)
    return call_id


@pytest.fixture
def filled(tmp_path: Path) -> LocalStore:
    """Return a local store with a known mix of calls by alice and bob."""
    store = LocalStore.open(tmp_path / "report.sqlite3")
    call(store, "alice", "meeting-booked", [("budget", "no-budget", True)])
    call(store, "alice", "not-interested", [("budget", "no-budget", False)])
    call(store, "alice", "voicemail", [])
    call(store, "alice", "meeting-booked", [])
    call(store, "bob", "meeting-booked", [("vendor", "has-vendor", None)])
    call(store, "bob", "gatekeeper", [("gate", "gatekeeper", True)])
    call(store, "bob", None, [])
    call(store, "bob", "meeting-booked", [("budget", "no-budget", True)], days_ago=40)
    withdrawn = call(store, "bob", "callback", [("vendor", "has-vendor", None)])
    store.withdraw_card_event(store.get_call(withdrawn).card_events[0].id)
    yield store
    store.close()


def local_url(store: LocalStore) -> str:
    return store.engine.url.render_as_string()


def check_report(url: str) -> None:
    report = build_report(url, 30)
    by_rep = {stats.rep: stats for stats in report.reps}
    assert by_rep["alice"].dials == 4
    assert by_rep["alice"].connects == 3
    assert by_rep["alice"].meetings == 2
    assert by_rep["bob"].dials == 4
    assert by_rep["bob"].connects == 2
    assert by_rep["bob"].meetings == 1
    assert report.team.dials == 8
    assert report.team.connect_to_meeting_rate == pytest.approx(3 / 5)
    assert report.team.objections == {
        "no-budget": 2,
        "has-vendor": 1,
        "gatekeeper": 1,
    }
    cards = {card.card_id: card for card in report.cards}
    assert cards["budget"].fired == 2
    assert cards["budget"].helpful_calls == 1
    assert cards["budget"].helpful_meeting_rate == 1.0
    assert cards["vendor"].fired == 1
    assert cards["vendor"].helpful_meeting_rate is None
    assert [(u.category, u.count) for u in report.unanswered] == [("no-budget", 1)]
    assert report.unanswered[0].examples == ["no-budget words"]
    assert report.meetings_with_card == 2
    assert report.meetings_with_card_share == pytest.approx(2 / 3)


def test_report_on_local_file(filled: LocalStore) -> None:
    check_report(local_url(filled))


def test_report_on_postgres(filled: LocalStore, postgres_url: str) -> None:
    set_up_shared_store(postgres_url)
    sync(filled, postgres_url)
    check_report(postgres_url)


def test_formats_agree(filled: LocalStore) -> None:
    report = build_report(local_url(filled), 30)
    as_json = report_to_json(report)
    assert json.loads(json.dumps(as_json))["team"]["meetings"] == 3
    rows = list(csv.DictReader(io.StringIO(report_to_csv(report))))
    team_meetings = [
        r for r in rows if r["name"] == "team" and r["metric"] == "meetings"
    ]
    assert team_meetings[0]["value"] == "3"
    table = report_to_table(report)
    assert "no-budget" in table
    assert "Meetings where a card was used: 2 of 3 (67%)" in table


def test_empty_database_report(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path / "empty.sqlite3")
    report = build_report(local_url(store), 7)
    store.close()
    assert report.team.dials == 0
    assert report.meetings_with_card_share is None
    assert "none" in report_to_table(report)


def test_database_without_tables(postgres_url: str) -> None:
    with pytest.raises(CuecardError, match="no Cuecard tables"):
        build_report(postgres_url, 30)


def test_database_down() -> None:
    with pytest.raises(CuecardError, match="127.0.0.1:1/team"):
        build_report("postgresql://alice@127.0.0.1:1/team", 30)


def test_cli_json_reads_local(
    filled: LocalStore, capsys: pytest.CaptureFixture[str], cuecard_home: Path
) -> None:
    sync_target = LocalStore.open()
    call(sync_target, "carol", "meeting-booked", [])
    sync_target.close()
    parser = argparse.ArgumentParser()
    report_cli.register(parser.add_subparsers())
    args = parser.parse_args(["report", "--format", "json", "--since", "7"])
    assert args.handler(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["reps"][0]["rep"] == "carol"
    assert printed["team"]["meetings"] == 1
