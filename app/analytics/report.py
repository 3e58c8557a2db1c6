"""The team report: dials, connects, meetings, objections and card usefulness.

The card events are read in one pass, grouped by call and card and then by rep
in the database, so the work happens there and the same code serves the local
SQLite file and the shared store.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.analytics.missed import (
    EXAMPLES_PER_CATEGORY,
    ObjectionClassifier,
    ObjectionGap,
    missed_objections,
)
from app.errors import CuecardError
from app.store import migrate
from app.store.credentials import describe
from app.store.engine import shared_engine
from app.store.outcomes import CONNECTED_OUTCOMES, MEETING_OUTCOME
from app.store.schema import calls, card_events
from app.store.shared import unavailable

log = logging.getLogger(__name__)


@dataclass
class RepStats:
    """Call counts of one rep, or of the whole team when ``rep`` is "team"."""

    rep: str
    dials: int = 0
    connects: int = 0
    meetings: int = 0
    objections: dict[str, int] = field(default_factory=dict)

    @property
    def connect_to_meeting_rate(self) -> float | None:
        """Return meetings per connect, or None without connects."""
        return self.meetings / self.connects if self.connects else None


@dataclass
class CardStats:
    """How often a card fired and how calls went where a rep found it helpful."""

    card_id: str
    category: str
    fired: int
    helpful_calls: int
    helpful_meetings: int

    @property
    def helpful_meeting_rate(self) -> float | None:
        """Return the meeting rate of calls where the card was marked helpful."""
        return (
            self.helpful_meetings / self.helpful_calls if self.helpful_calls else None
        )


@dataclass
class Report:
    """The team report over the calls started since ``since``."""

    since: datetime
    days: int
    team: RepStats
    reps: list[RepStats]
    cards: list[CardStats]
    # Objections whose card the rep marked as not helpful.
    unanswered: list[ObjectionGap]
    meetings_with_card: int
    # Objection-like prospect lines that no card answered (see app.analytics.missed);
    # None when the report was built without a classifier.
    missed: list[ObjectionGap] | None = None

    @property
    def meetings_with_card_share(self) -> float | None:
        """Return the share of meetings where a card was used, or None."""
        if not self.team.meetings:
            return None
        return self.meetings_with_card / self.team.meetings


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _rep_stats(
    connection: sa.Connection, in_window: sa.ColumnElement
) -> dict[str, RepStats]:
    rows = connection.execute(
        sa.select(
            calls.c.rep,
            sa.func.count(),
            _count_if(calls.c.outcome.in_(sorted(CONNECTED_OUTCOMES))),
            _count_if(calls.c.outcome == MEETING_OUTCOME),
        )
        .where(in_window)
        .group_by(calls.c.rep)
        .order_by(calls.c.rep)
    ).all()
    return {
        rep: RepStats(rep, dials, connects, meetings)
        for rep, dials, connects, meetings in rows
    }


def _add_event_stats(
    connection: sa.Connection,
    in_window: sa.ColumnElement,
    reps: dict[str, RepStats],
) -> tuple[list[CardStats], Counter[str]]:
    """Add objection counts to ``reps``; return card stats and not-helpful counts.

    The inner query makes one row per call and card: the events shown, the
    not-helpful votes (withdrawn cards included) and whether a shown event was
    marked helpful. The outer one sums those rows per rep, card and meeting
    outcome, so only a few hundred rows leave the database.
    """
    on_screen = ~card_events.c.withdrawn
    per_call = (
        sa.select(
            calls.c.rep,
            (calls.c.outcome == MEETING_OUTCOME).label("meeting"),
            card_events.c.card_id,
            card_events.c.category,
            _count_if(on_screen).label("fired"),
            _count_if(card_events.c.helpful.is_(False)).label("not_helpful"),
            sa.func.max(
                sa.case((on_screen & card_events.c.helpful.is_(True), 1), else_=0)
            ).label("helpful"),
        )
        .select_from(calls.join(card_events))
        .where(in_window)
        .group_by(calls.c.id, card_events.c.card_id, card_events.c.category)
        .subquery()
    )
    keys = (per_call.c.rep, per_call.c.meeting, per_call.c.card_id, per_call.c.category)
    rows = connection.execute(
        sa.select(
            *keys,
            sa.func.sum(per_call.c.fired),
            sa.func.sum(per_call.c.not_helpful),
            sa.func.sum(per_call.c.helpful),
        ).group_by(*keys)
    )
    cards: dict[tuple[str, str], CardStats] = {}
    not_helpful: Counter[str] = Counter()
    for rep, meeting, card_id, category, fired, unhelpful, helpful_calls in rows:
        not_helpful[category] += unhelpful
        if not fired:
            continue
        objections = reps[rep].objections
        objections[category] = objections.get(category, 0) + fired
        card = cards.get((card_id, category))
        if card is None:
            card = cards[(card_id, category)] = CardStats(card_id, category, 0, 0, 0)
        card.fired += fired
        card.helpful_calls += helpful_calls
        if meeting:
            card.helpful_meetings += helpful_calls
    ranked = sorted(cards.values(), key=lambda card: (-card.fired, card.card_id))
    return ranked, +not_helpful


def _unanswered(
    connection: sa.Connection, in_window: sa.ColumnElement, counts: Counter[str]
) -> list[ObjectionGap]:
    gaps = []
    for category, count in counts.most_common():
        examples = connection.scalars(
            sa.select(card_events.c.heard)
            .select_from(card_events.join(calls))
            .where(
                in_window,
                card_events.c.helpful.is_(False),
                card_events.c.category == category,
            )
            .order_by(calls.c.started_at.desc())
            .limit(EXAMPLES_PER_CATEGORY)
        )
        gaps.append(ObjectionGap(category, count, list(examples)))
    return gaps


def _meetings_with_card(connection: sa.Connection, in_window: sa.ColumnElement) -> int:
    used = (
        sa.select(card_events.c.id)
        .where(
            card_events.c.call_id == calls.c.id,
            ~card_events.c.withdrawn,
            sa.or_(card_events.c.helpful.is_(None), card_events.c.helpful.is_(True)),
        )
        .exists()
    )
    count = connection.scalar(
        sa.select(sa.func.count())
        .select_from(calls)
        .where(in_window, calls.c.outcome == MEETING_OUTCOME, used)
    )
    return count or 0


def build_report(
    db_url: str,
    since_days: int,
    *,
    now: datetime | None = None,
    classify: ObjectionClassifier | None = None,
) -> Report:
    """Compute the team report over calls started in the last ``since_days`` days.

    A card counts as used in a meeting when it fired, was not withdrawn and the
    rep did not mark it unhelpful. An objection counts as unanswered when the
    rep marked the card that fired for it as not helpful. With ``classify``, the
    report also lists objection-like prospect lines that no card answered.
    """
    since = (now or datetime.now(UTC)) - timedelta(days=since_days)
    in_window = calls.c.started_at >= since
    engine = shared_engine(db_url)
    try:
        if migrate.current_revision(engine) is None:
            raise CuecardError(
                f"{describe(db_url)} has no Cuecard tables; check the database name "
                "or run `cuecard sync --setup --db URL` to create them"
            )
        with engine.connect() as connection:
            by_rep = _rep_stats(connection, in_window)
            cards, not_helpful = _add_event_stats(connection, in_window, by_rep)
            unanswered = _unanswered(connection, in_window, not_helpful)
            meetings_with_card = _meetings_with_card(connection, in_window)
            missed = (
                None
                if classify is None
                else missed_objections(connection, in_window, classify)
            )
    except sa.exc.OperationalError as error:
        raise unavailable(db_url, error, command="report") from error
    finally:
        engine.dispose()

    reps = list(by_rep.values())
    team = RepStats("team")
    for stats in reps:
        team.dials += stats.dials
        team.connects += stats.connects
        team.meetings += stats.meetings
        for category, count in stats.objections.items():
            team.objections[category] = team.objections.get(category, 0) + count
    log.info("built report over %d calls since %s", team.dials, since.isoformat())
    return Report(
        since, since_days, team, reps, cards, unanswered, meetings_with_card, missed
    )
