"""Weekly agent activity: read one ISO week from the warehouse and compute each agent's figures."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.engine import Connection

from insights.warehouse import agents, comment_events, satisfaction_ratings, ticket_metrics, tickets

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
METRICS = ("solved", "public_replies", "median_first_reply_min", "median_resolution_min",
           "satisfaction", "one_touch_rate")


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) in UTC for an ISO week like 2026-W46; ValueError if malformed."""
    match = WEEK.match(week)
    if not match:
        raise ValueError(f"week must look like 2026-W46, got {week!r}")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValueError(f"{week} is not a week of {year}") from exc
    start = datetime(monday.year, monday.month, monday.day)
    return start, start + timedelta(days=7)


@dataclass
class WeekData:
    """The raw facts of one week, as read from the warehouse."""

    agent_names: dict[int, str] = field(default_factory=dict)
    # (assignee_id, first_reply_min, full_resolution_min, agent replies) per ticket solved in the week
    solved: list[tuple[int, int | None, int | None, int | None]] = field(default_factory=list)
    reply_authors: list[int] = field(default_factory=list)  # one entry per public agent reply
    ratings: list[tuple[int, str]] = field(default_factory=list)  # (assignee_id, "good"|"bad")


@dataclass
class AgentRow:
    """One agent's figures for the week (None where there is nothing to measure)."""

    agent_id: int
    name: str
    solved: int = 0
    public_replies: int = 0
    median_first_reply_min: float | None = None
    median_resolution_min: float | None = None
    satisfaction: float | None = None
    one_touch_rate: float | None = None


@dataclass
class Report:
    """Per-agent rows plus the team median of each metric."""

    week: str
    rows: list[AgentRow]
    team_median: dict[str, float | None]


def not_deleted() -> ColumnElement[bool]:
    """Rows whose ticket is not deleted; a ticket the warehouse does not hold (yet) is not known deleted."""
    return or_(tickets.c.deleted.is_(None), tickets.c.deleted.is_(False))


def read_week(conn: Connection, start: datetime, end: datetime) -> WeekData:
    """Everything the report needs for [start, end) from the warehouse."""
    data = WeekData()
    for row in conn.execute(select(agents.c.id, agents.c.name)):
        data.agent_names[row.id] = row.name or f"agent {row.id}"
    solved = conn.execute(
        select(tickets.c.assignee_id, ticket_metrics.c.first_reply_min, ticket_metrics.c.full_resolution_min,
               ticket_metrics.c.replies)
        .join(ticket_metrics, ticket_metrics.c.ticket_id == tickets.c.id)
        .where(and_(ticket_metrics.c.solved_at >= start, ticket_metrics.c.solved_at < end,
                    tickets.c.deleted.is_(False), tickets.c.assignee_id.is_not(None),
                    tickets.c.status.in_(("solved", "closed")))))
    data.solved = [tuple(r) for r in solved]
    replies = conn.execute(
        select(comment_events.c.author_id)
        .select_from(comment_events.outerjoin(tickets, tickets.c.id == comment_events.c.ticket_id))
        .where(and_(comment_events.c.public.is_(True), comment_events.c.created_at >= start,
                    comment_events.c.created_at < end, not_deleted())))
    # Only agents' replies count: requesters comment publicly too.
    data.reply_authors = [r.author_id for r in replies if r.author_id in data.agent_names]
    rated = satisfaction_ratings
    ratings = conn.execute(
        select(rated.c.assignee_id, rated.c.score)
        .select_from(rated.outerjoin(tickets, tickets.c.id == rated.c.ticket_id))
        .where(and_(rated.c.created_at >= start, rated.c.created_at < end,
                    rated.c.score.in_(("good", "bad")), not_deleted())))
    data.ratings = [(r.assignee_id, r.score) for r in ratings if r.assignee_id is not None]
    return data


def sort_key(name: str) -> str:
    """Alphabetical order that puts "Émilie" beside "Emma", not after "Zoé"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _median(values: list[float]) -> float | None:
    return float(median(values)) if values else None


def compute(week: str, data: WeekData) -> Report:
    """Each agent's figures and the team medians (pure: no I/O)."""
    active: set[int] = {a for a, *_ in data.solved} | set(data.reply_authors) | {a for a, _ in data.ratings}
    rows = []
    for agent_id in sorted(active, key=lambda a: (sort_key(data.agent_names.get(a, "")), a)):
        mine = [s for s in data.solved if s[0] == agent_id]
        first = [s[1] for s in mine if s[1] is not None]
        full = [s[2] for s in mine if s[2] is not None]
        one_touch = [s for s in mine if s[3] == 1]
        scores = [score for a, score in data.ratings if a == agent_id]
        good = scores.count("good")
        rows.append(AgentRow(
            agent_id=agent_id,
            name=data.agent_names.get(agent_id, f"agent {agent_id}"),
            solved=len(mine),
            public_replies=sum(1 for a in data.reply_authors if a == agent_id),
            median_first_reply_min=_median(first),
            median_resolution_min=_median(full),
            satisfaction=good / len(scores) if scores else None,
            one_touch_rate=len(one_touch) / len(mine) if mine else None,
        ))
    team = {m: _median([getattr(r, m) for r in rows if getattr(r, m) is not None]) for m in METRICS}
    return Report(week=week, rows=rows, team_median=team)


def build(conn: Connection, week: str) -> Report:
    """The report for an ISO week read from the warehouse."""
    start, end = week_bounds(week)
    return compute(week, read_week(conn, start, end))
