"""The team report: dials, connects, meetings, objections and card usefulness.

Runs as a handful of GROUP BY queries, so the work happens in the database and
the same code serves the local SQLite file and the shared store.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.errors import CuecardError
from app.store import migrate
from app.store.credentials import describe
from app.store.engine import shared_engine
from app.store.outcomes import CONNECTED_OUTCOMES, MEETING_OUTCOME
from app.store.schema import calls, card_events
from app.store.shared import unavailable

log = logging.getLogger(__name__)

EXAMPLES_PER_CATEGORY = 3


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
class UnansweredObjection:
    """Objections whose card the rep marked as not helpful, with sample wording."""

    category: str
    count: int
    examples: list[str]


@dataclass
class Report:
    """The team report over the calls started since ``since``."""

    since: datetime
    days: int
    team: RepStats
    reps: list[RepStats]
    cards: list[CardStats]
    unanswered: list[UnansweredObjection]
    meetings_with_card: int

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
) -> list[RepStats]:
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
    stats = {
        rep: RepStats(rep, dials, connects, meetings)
        for rep, dials, connects, meetings in rows
    }

    objection_rows = connection.execute(
        sa.select(calls.c.rep, card_events.c.category, sa.func.count())
        .select_from(card_events.join(calls))
        .where(in_window, ~card_events.c.withdrawn)
        .group_by(calls.c.rep, card_events.c.category)
    ).all()
    for rep, category, count in objection_rows:
        stats[rep].objections[category] = count
    return list(stats.values())


def _card_stats(
    connection: sa.Connection, in_window: sa.ColumnElement
) -> list[CardStats]:
    helpful = card_events.c.helpful.is_(True)
    rows = connection.execute(
        sa.select(
            card_events.c.card_id,
            card_events.c.category,
            sa.func.count(),
            sa.func.count(sa.distinct(sa.case((helpful, card_events.c.call_id)))),
            sa.func.count(
                sa.distinct(
                    sa.case(
                        (
                            helpful & (calls.c.outcome == MEETING_OUTCOME),
                            card_events.c.call_id,
                        )
                    )
                )
            ),
        )
        .select_from(card_events.join(calls))
        .where(in_window, ~card_events.c.withdrawn)
        .group_by(card_events.c.card_id, card_events.c.category)
        .order_by(sa.func.count().desc(), card_events.c.card_id)
    ).all()
    return [CardStats(*row) for row in rows]


def _unanswered(
    connection: sa.Connection, in_window: sa.ColumnElement
) -> list[UnansweredObjection]:
    not_helpful = card_events.c.helpful.is_(False)
    counts = connection.execute(
        sa.select(card_events.c.category, sa.func.count())
        .select_from(card_events.join(calls))
        .where(in_window, not_helpful)
        .group_by(card_events.c.category)
        .order_by(sa.func.count().desc())
    ).all()
    examples: dict[str, list[str]] = defaultdict(list)
    for category, _ in counts:
        examples[category] = list(
            connection.scalars(
                sa.select(card_events.c.heard)
                .select_from(card_events.join(calls))
                .where(in_window, not_helpful, card_events.c.category == category)
                .order_by(calls.c.started_at.desc())
                .limit(EXAMPLES_PER_CATEGORY)
            )
        )
    return [UnansweredObjection(c, n, examples[c]) for c, n in counts]


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
    return connection.scalar(
        sa.select(sa.func.count())
        .select_from(calls)
        .where(in_window, calls.c.outcome == MEETING_OUTCOME, used)
    )


def build_report(
    db_url: str, since_days: int, *, now: datetime | None = None
) -> Report:
    """Compute the team report over calls started in the last ``since_days`` days.

    A card counts as used in a meeting when it fired, was not withdrawn and the
    rep did not mark it unhelpful. An objection counts as unanswered when the
    rep marked the card that fired for it as not helpful.
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
            reps = _rep_stats(connection, in_window)
            cards = _card_stats(connection, in_window)
            unanswered = _unanswered(connection, in_window)
            meetings_with_card = _meetings_with_card(connection, in_window)
    except sa.exc.OperationalError as error:
        raise unavailable(db_url, error, command="report") from error
    finally:
        engine.dispose()

    team = RepStats("team")
    for stats in reps:
        team.dials += stats.dials
        team.connects += stats.connects
        team.meetings += stats.meetings
        for category, count in stats.objections.items():
            team.objections[category] = team.objections.get(category, 0) + count
    log.info("built report over %d calls since %s", team.dials, since.isoformat())
    return Report(since, since_days, team, reps, cards, unanswered, meetings_with_card)
