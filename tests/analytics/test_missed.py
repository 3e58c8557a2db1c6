"""Objection-like prospect lines that no card answered, in the team report."""

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.analytics.formats import report_to_csv, report_to_table
from app.analytics.report import build_report
from app.cli import report as report_cli
from app.cli.report import playbook_classifier
from app.store.local import LocalStore

NOW = datetime.now(UTC)


def keyword_category(text: str) -> str | None:
    """Classify by one keyword, so these tests check only the time window."""
    return "has-vendor" if "vendor" in text else None


def begin(store: LocalStore, **overrides: object) -> str:
    values = dict(
        rep="alice",
        playbook_name="team",
        playbook_version="1",
        persona=None,
        engine="vosk",
        started_at=NOW - timedelta(days=1),
    )
    values.update(overrides)
    return store.begin_call(**values)  # type: ignore[arg-type]


def line(store: LocalStore, call_id: str, start: float, text: str, **kw: str) -> None:
    store.add_segment(
        call_id,
        speaker=kw.get("speaker", "prospect"),
        start=start,
        end=start + 2.0,
        text=text,
    )


def card(store: LocalStore, call_id: str, at: float) -> str:
    return store.add_card_event(
        call_id,
        card_id="vendor-card",
        category="has-vendor",
        playbook_version="1",
        at=at,
        heard="vendor",
        score=0.9,
        speaker="prospect",
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    opened = LocalStore.open(tmp_path / "missed.sqlite3")
    yield opened
    opened.close()


def missed(store: LocalStore) -> list[tuple[str, int, list[str]]]:
    url = store.engine.url.render_as_string()
    report = build_report(url, 30, classify=keyword_category)
    assert report.missed is not None
    return [(gap.category, gap.count, gap.examples) for gap in report.missed]


def test_unanswered_line_counts(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    assert missed(store) == [("has-vendor", 1, ["we use a vendor"])]


def test_card_within_window_answers(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    # The line ends at 12 s, so a card up to 17 s answers it.
    card(store, call_id, at=16.5)
    assert missed(store) == []


def test_card_during_line_answers(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    card(store, call_id, at=11.0)
    assert missed(store) == []


def test_late_card_does_not_answer(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    card(store, call_id, at=17.5)
    assert missed(store) == [("has-vendor", 1, ["we use a vendor"])]


def test_withdrawn_card_does_not_answer(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    store.withdraw_card_event(card(store, call_id, at=11.0))
    assert missed(store) == [("has-vendor", 1, ["we use a vendor"])]


def test_card_in_other_call_does_not_answer(store: LocalStore) -> None:
    call_id = begin(store)
    other = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    card(store, other, at=11.0)
    assert missed(store) == [("has-vendor", 1, ["we use a vendor"])]


def test_rep_lines_and_non_objections_skipped(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 1.0, "our vendor platform", speaker="rep")
    line(store, call_id, 5.0, "sounds good")
    assert missed(store) == []


def test_mixed_channel_and_drafts_count(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 1.0, "the vendor we have", speaker="mixed")
    store.save_draft_segment(
        call_id, speaker="prospect", utterance=7, start=9.0, end=10.0, text="a vendor"
    )
    assert missed(store) == [("has-vendor", 2, ["a vendor", "the vendor we have"])]


def test_old_calls_outside_window(store: LocalStore) -> None:
    call_id = begin(store, started_at=NOW - timedelta(days=40))
    line(store, call_id, 10.0, "we use a vendor")
    assert missed(store) == []


def test_examples_newest_first_and_capped(store: LocalStore) -> None:
    for day in range(5):
        call_id = begin(store, started_at=NOW - timedelta(days=day + 1))
        line(store, call_id, 10.0, f"vendor {day}")
    assert missed(store) == [("has-vendor", 5, ["vendor 0", "vendor 1", "vendor 2"])]


def test_without_classifier_missed_is_none(store: LocalStore) -> None:
    report = build_report(store.engine.url.render_as_string(), 30)
    assert report.missed is None
    assert "Objection-like" not in report_to_table(report)


def test_playbook_classifier_uses_categories() -> None:
    classify = playbook_classifier(None)
    assert classify("we already work with another vendor for that") == "has-vendor"
    assert classify("can you just email me something") == "send-info"
    assert classify("sounds good talk soon") is None


def test_cli_lists_missed_objections(
    capsys: pytest.CaptureFixture[str], cuecard_home: Path
) -> None:
    store = LocalStore.open()
    call_id = begin(store)
    line(store, call_id, 3.0, "we already work with another vendor for that")
    store.close()
    parser = argparse.ArgumentParser()
    report_cli.register(parser.add_subparsers())
    args = parser.parse_args(["report", "--format", "json"])
    assert args.handler(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["missed_objections"] == [
        {
            "category": "has-vendor",
            "count": 1,
            "examples": ["we already work with another vendor for that"],
        }
    ]


def test_csv_has_missed_rows(store: LocalStore) -> None:
    call_id = begin(store)
    line(store, call_id, 10.0, "we use a vendor")
    url = store.engine.url.render_as_string()
    text = report_to_csv(build_report(url, 30, classify=keyword_category))
    assert "missed,,has-vendor,count,1" in text
