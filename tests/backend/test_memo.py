"""A remembered match is exactly what building it again would give, at any later time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.clock import Clock, iso
from backend.derive import Policy
from backend.match import Records, build
from backend.memo import MatchMemo

T0 = datetime(2026, 11, 23, 12, 0, 0, 250_000, tzinfo=UTC)
POLICY = Policy(refund_window_days=14, refund_max_progress_pct=50, deadline_soon_days=7, max_items=50)


def at(days: float) -> str:
    return iso(T0 + timedelta(days=days))


def records() -> Records:
    """Every time-dependent rule, with its moment a few days from T0."""
    deadlines = [{"title": f"Quiz {n}", "kind": "quiz", "due_at": at(n * 1.5 + 0.3)} for n in range(8)]
    enrolments = [
        {"id": "E-1", "course_id": "C-1", "track": "verified", "status": "active", "progress_pct": 10,
         "session_start": at(-20), "session_end": at(30), "deadlines": deadlines, "certificate": None},
        {"id": "E-2", "course_id": "C-2", "track": "verified", "status": "active", "progress_pct": 60,
         "session_start": at(-20), "session_end": at(6), "deadlines": [{"title": "Final", "due_at": at(7)}]},
    ]
    orders = [
        {"id": f"O-{n}", "created_at": at(-14 + n), "status": "paid", "amount": "49.00", "currency": "EUR",
         "product": {"kind": "course", "course_id": "C-1", "enrolment_id": "E-1"}, "payer": {"kind": "self"},
         "refunds": []}
        for n in range(4)
    ]
    return Records(
        learner={"id": "L-1", "name": "Amélie", "status": "active", "language": "fr"},
        matched_by=[{"kind": "email", "value": "amelie@example.fr"}],
        enrolments=enrolments, enrolments_total=2,
        courses={"C-1": {"title": "Course 1"}, "C-2": {"title": "Course 2"}},
        orders=orders, orders_total=4,
        subscriptions=[{"id": "S-1", "status": "active", "current_period_end": at(2.2)},
                       {"id": "S-2", "status": "active", "current_period_end": at(9), "cancelled_at": at(5)}],
        financial_aid=[],
        sponsorships=[{"status": "active", "sponsor_name": "Acme", "valid_until": at(3.7)}],
    )


def test_the_clock_notes_the_first_moment_a_comparison_would_turn():
    clock = Clock(T0)
    assert not clock.reached(T0 + timedelta(hours=5))
    assert clock.reached(T0) and clock.passed(T0 - timedelta(seconds=1))
    assert not clock.passed(T0 + timedelta(hours=3))
    assert clock.until == T0 + timedelta(hours=3)
    assert clock.whole_days_until(T0 + timedelta(days=2, hours=1)) == 2
    assert clock.until == T0 + timedelta(hours=1)  # then only one whole day and 23 hours are left


def test_a_remembered_match_equals_a_fresh_build_at_every_moment():
    memo, recs = MatchMemo(POLICY), records()
    moments = [T0 + timedelta(minutes=37 * n) for n in range(0, 40 * 24 * 60 // 37)]
    # and just around every moment at which a fresh build reads differently
    seen_until = {Clock(T0).until}
    for now in moments:
        clock = Clock(now)
        build(recs, 1, clock, POLICY)
        seen_until.add(clock.until)
    moments += [u + d for u in seen_until if u.year < 9999 for d in (timedelta(microseconds=-1), timedelta(0),
                                                                      timedelta(microseconds=1))]
    for now in sorted(moments):
        assert memo.build(recs, 1, now) == build(recs, 1, now, POLICY), now
    assert memo.hits > memo.builds > 10  # reused most of the time, rebuilt at each turn


@pytest.mark.parametrize("change", ["new enrolments object", "other course object", "account count",
                                    "matched by", "total"])
def test_other_inputs_are_built_again(change):
    memo, recs = MatchMemo(POLICY), records()
    first = memo.build(recs, 1, T0)
    count = 1
    if change == "new enrolments object":
        recs.enrolments = [dict(e) for e in recs.enrolments]  # equal content, fetched again
    elif change == "other course object":
        recs.courses = {**recs.courses, "C-1": {"title": "Course 1, renamed"}}
    elif change == "account count":
        count = 2
    elif change == "matched by":
        recs.matched_by = [{"kind": "external_id", "value": "sso-1"}]
    else:
        recs.orders_total = 5
    again = memo.build(recs, count, T0 + timedelta(seconds=1))
    assert memo.builds == 2 and memo.hits == 0
    assert again == build(recs, count, T0 + timedelta(seconds=1), POLICY)
    assert again is not first


def test_the_same_objects_a_moment_later_are_remembered():
    memo, recs = MatchMemo(POLICY), records()
    first = memo.build(recs, 1, T0)
    assert memo.build(recs, 1, T0 + timedelta(milliseconds=5)) is first
    assert memo.build(recs, 1, T0 - timedelta(seconds=1)) is not first  # the clock went back: rebuilt


def test_it_remembers_a_bounded_number_of_learners():
    memo = MatchMemo(POLICY, max_learners=3)
    for n in range(5):
        recs = records()
        recs.learner = {**recs.learner, "id": f"L-{n}"}
        memo.build(recs, 1, T0)
    assert len(memo._entries) == 3
