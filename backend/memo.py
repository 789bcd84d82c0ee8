"""Built matches remembered per learner while their inputs are the same objects and no rule would turn."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from backend.clock import Clock
from backend.derive import Policy
from backend.match import Records, build

MAX_LEARNERS = 1024  # matches of ~5-50 KB each, whose records the cache mostly holds anyway


def _inputs(records: Records, account_count: int, cap: int) -> tuple:
    """What a match is built from: the fetched objects (compared by identity: the in-process cache
    hands out the same object until it expires or is refreshed) and the small values (by equality)."""
    courses = tuple(records.courses.get(e.get("course_id") or "") for e in (records.enrolments or [])[:cap])
    return (records.learner, records.enrolments, records.orders, records.subscriptions, records.financial_aid,
            records.sponsorships, courses, records.enrolments_total, records.orders_total, account_count)


def _same(one: tuple, other: tuple) -> bool:
    # The objects are held by the entry, so an identical id() cannot belong to a new object.
    return len(one) == len(other) and all(
        a is b or (type(a) in (int, type(None)) and a == b) or (type(a) is tuple and _same(a, b))
        for a, b in zip(one, other, strict=True))


@dataclass(frozen=True)
class _Entry:
    inputs: tuple
    matched_by: list
    built_at: datetime
    valid_until: datetime
    match: dict


class MatchMemo:
    """match.build for the in-process cache's steady state: a learner looked up again (the agent
    reopens the ticket, a colleague opens it) gets the match built last time, unless one of its
    records was fetched again or the time passed a moment at which a rule reads differently (a
    refund window closing, a deadline passing, a day less to a deadline): exact, not a TTL.

    The match returned is shared between requests: callers only read it (it is encoded as JSON)."""

    def __init__(self, policy: Policy, max_learners: int = MAX_LEARNERS):
        self.policy = policy
        self.max_learners = max_learners
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.hits = self.builds = 0  # for tests and benchmarks

    def build(self, records: Records, account_count: int, now: datetime) -> dict:
        """The match of records at now, built or remembered."""
        key = str(records.learner.get("id"))
        inputs = _inputs(records, account_count, self.policy.max_items)
        entry = self._entries.get(key)
        if (entry is not None and entry.built_at <= now < entry.valid_until and _same(entry.inputs, inputs)
                and entry.matched_by == records.matched_by):
            self.hits += 1
            return entry.match
        clock = Clock(now)
        match = build(records, account_count, clock, self.policy)
        self.builds += 1
        with self._lock:
            self._entries.pop(key, None)  # re-inserted last: the dict's order is the order of use
            self._entries[key] = _Entry(inputs, list(records.matched_by), now, clock.until, match)
            while len(self._entries) > self.max_learners:
                del self._entries[next(iter(self._entries))]
        return match
