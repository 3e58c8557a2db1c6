"""Rendering the team report as a text table, CSV rows or JSON."""

import csv
import io
from typing import Any

from app.analytics.missed import ANSWER_WINDOW_S, ObjectionGap
from app.analytics.report import Report, RepStats


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _gaps(gaps: list[ObjectionGap]) -> list[dict[str, Any]]:
    return [
        {"category": g.category, "count": g.count, "examples": g.examples} for g in gaps
    ]


def report_to_json(report: Report) -> dict[str, Any]:
    """Return the report as JSON-ready values; rates are fractions or null."""

    def rep(stats: RepStats) -> dict[str, Any]:
        return {
            "rep": stats.rep,
            "dials": stats.dials,
            "connects": stats.connects,
            "meetings": stats.meetings,
            "connect_to_meeting_rate": stats.connect_to_meeting_rate,
            "objections": stats.objections,
        }

    return {
        "since": report.since.isoformat(),
        "days": report.days,
        "team": rep(report.team),
        "reps": [rep(stats) for stats in report.reps],
        "cards": [
            {
                "card": card.card_id,
                "category": card.category,
                "fired": card.fired,
                "helpful_calls": card.helpful_calls,
                "helpful_meeting_rate": card.helpful_meeting_rate,
            }
            for card in report.cards
        ],
        "unanswered_objections": _gaps(report.unanswered),
        "missed_objections": None if report.missed is None else _gaps(report.missed),
        "meetings_with_card": report.meetings_with_card,
        "meetings_with_card_share": report.meetings_with_card_share,
    }


def report_to_csv(report: Report) -> str:
    """Return the report as long-format CSV: section, name, category, metric, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "name", "category", "metric", "value"])
    for stats in [report.team, *report.reps]:
        for metric in ("dials", "connects", "meetings", "connect_to_meeting_rate"):
            writer.writerow(["rep", stats.rep, "", metric, getattr(stats, metric)])
        for category, count in sorted(stats.objections.items()):
            writer.writerow(["objections", stats.rep, category, "count", count])
    for card in report.cards:
        writer.writerow(["card", card.card_id, card.category, "fired", card.fired])
        writer.writerow(
            ["card", card.card_id, card.category, "helpful_calls", card.helpful_calls]
        )
        writer.writerow(
            ["card", card.card_id, card.category, "helpful_meeting_rate",
             card.helpful_meeting_rate]
        )  # fmt: skip
    for unanswered in report.unanswered:
        writer.writerow(
            ["unanswered", "", unanswered.category, "count", unanswered.count]
        )
    for missed in report.missed or []:
        writer.writerow(["missed", "", missed.category, "count", missed.count])
    writer.writerow(
        ["team", "team", "", "meetings_with_card", report.meetings_with_card]
    )
    return buffer.getvalue()


def _gap_lines(gaps: list[ObjectionGap]) -> list[str]:
    if not gaps:
        return ["  none"]
    return [
        f"  {gap.category:24} {gap.count:>5}  e.g. {'; '.join(gap.examples)}"
        for gap in gaps
    ]


def report_to_table(report: Report) -> str:
    """Return the report as aligned text sections for a terminal."""
    lines = [
        f"Calls started since {report.since:%Y-%m-%d %H:%M} UTC ({report.days} days)",
        "",
    ]
    lines.append(f"{'rep':20} {'dials':>7} {'connects':>9} {'meetings':>9} {'rate':>6}")
    for stats in [*report.reps, report.team]:
        lines.append(
            f"{stats.rep[:20]:20} {stats.dials:>7} {stats.connects:>9} "
            f"{stats.meetings:>9} {_percent(stats.connect_to_meeting_rate):>6}"
        )

    lines += ["", "Objections (team)"]
    for category, count in sorted(report.team.objections.items(), key=lambda i: -i[1]):
        lines.append(f"  {category:24} {count:>7}")

    lines += ["", f"{'card':28} {'fired':>7} {'helpful':>8} {'meeting rate':>13}"]
    for card in report.cards:
        lines.append(
            f"{card.card_id[:28]:28} {card.fired:>7} {card.helpful_calls:>8} "
            f"{_percent(card.helpful_meeting_rate):>13}"
        )

    lines += ["", "Objections no card answered (card marked not helpful)"]
    lines += _gap_lines(report.unanswered)
    if report.missed is not None:
        window = f"{ANSWER_WINDOW_S:g} s"
        lines += ["", f"Objection-like prospect lines with no card within {window}"]
        lines += _gap_lines(report.missed)

    lines += [
        "",
        f"Meetings where a card was used: {report.meetings_with_card} of "
        f"{report.team.meetings} ({_percent(report.meetings_with_card_share)})",
    ]
    return "\n".join(lines)
