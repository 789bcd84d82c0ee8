"""Which enrolments an agent sees first: those with a deadline soon, soonest first, then the others.

The enrolments system lists a learner's enrolments by recent activity; the deadline an agent must not
miss can sit on an enrolment nobody touched lately. One order serves the capped list the backend
selects (backend/records.py) and the list it sends (backend/match.py); the app shows it as is.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from backend import derive
from backend.clock import Clock, clock_of, parse_time

T = TypeVar("T")


def is_soon(due_at: str | None, clock: Clock, soon_days: int) -> bool:
    """True when a next deadline falls within the deadline_soon window (the flag's very rule)."""
    at = parse_time(due_at)
    return at is not None and clock.reached(at - timedelta(days=soon_days))


def deadlines_first(items: list[T], next_due: Callable[[T], str | None], now: datetime | Clock,
                    soon_days: int) -> list[T]:
    """Items whose next deadline (next_due) is soon, soonest first, then the others in their given
    order; equal deadlines keep their given order too."""
    clock = clock_of(now)
    soon: list[tuple[datetime, int, T]] = []
    rest: list[T] = []
    for position, item in enumerate(items):
        due_at = next_due(item)
        if is_soon(due_at, clock, soon_days):
            soon.append((parse_time(due_at), position, item))  # type: ignore[arg-type]
        else:
            rest.append(item)
    soon.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in soon] + rest


def select_enrolments(enrolments: list[dict], now: datetime | Clock, soon_days: int,
                      max_items: int) -> list[dict]:
    """The max_items enrolments to send of those read (newest activity first): deadlines soon first."""
    clock = clock_of(now)

    def next_due(enrolment: dict) -> str | None:
        upcoming = derive.upcoming_deadlines(enrolment, clock)
        return upcoming[0]["due_at"] if upcoming else None

    return deadlines_first(enrolments, next_due, clock, soon_days)[:max_items]
