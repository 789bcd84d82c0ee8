"""Which enrolments are sent and in what order: deadlines soon first, soonest first, then newest activity."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend import clock
from backend.derive import Policy
from backend.match import Records, build
from backend.urgency import select_enrolments

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SOON_DAYS = 7


def ahead(days: float) -> str:
    return clock.iso(NOW + timedelta(days=days))


def enrolment(eid: str, *due_in_days: float, status: str = "active") -> dict:
    """An enrolment whose session runs a month either side of NOW, with deadlines due_in_days ahead."""
    return {"id": eid, "course_id": f"C-{eid[-4:]}", "track": "verified", "status": status,
            "session_start": ahead(-30), "session_end": ahead(30),
            "deadlines": [{"title": f"due {d}", "kind": "exam", "due_at": ahead(d)} for d in due_in_days],
            "certificate": {"status": "in_progress", "issued_at": None}}


def ids(enrolments: list[dict]) -> list[str]:
    return [e["id"] for e in enrolments]


# The system's order (newest activity first): the soonest deadline sits on the least active enrolment.
BY_ACTIVITY = [
    enrolment("E-0000001"),                 # no deadline
    enrolment("E-0000002", 5.0),            # soon
    enrolment("E-0000003", 20.0),           # ahead, beyond the window
    enrolment("E-0000004", -1.0, 3.0),      # one passed, the next one soon
    enrolment("E-0000005", 0.5, status="completed"),  # not active: no upcoming deadline at all
    enrolment("E-0000006", 0.25),           # the soonest of all
]


def test_deadlines_soon_come_first_soonest_first_and_the_rest_keep_the_systems_order():
    chosen = select_enrolments(BY_ACTIVITY, NOW, SOON_DAYS, max_items=50)
    assert ids(chosen) == ["E-0000006", "E-0000004", "E-0000002", "E-0000001", "E-0000003", "E-0000005"]


def test_the_cap_keeps_the_most_urgent_even_when_they_are_the_least_recently_active():
    old_and_urgent = [enrolment(f"E-10000{n:02d}") for n in range(10)] + [enrolment("E-0000099", 1.0)]
    assert ids(select_enrolments(old_and_urgent, NOW, SOON_DAYS, max_items=3)) == [
        "E-0000099", "E-1000000", "E-1000001"]


def test_the_window_is_the_deadline_soon_flags_own():
    assert ids(select_enrolments(BY_ACTIVITY, NOW, 30, max_items=50))[:4] == [
        "E-0000006", "E-0000004", "E-0000002", "E-0000003"]
    assert ids(select_enrolments(BY_ACTIVITY, NOW, 0, max_items=50)) == ids(BY_ACTIVITY)


def test_the_match_lists_enrolments_in_that_order_and_each_one_soon_has_its_flag():
    records = Records(learner={"id": "L-0000001", "status": "active"}, matched_by=[],
                      enrolments=list(BY_ACTIVITY), enrolments_total=300)
    match = build(records, 1, NOW, Policy(deadline_soon_days=SOON_DAYS, max_items=5))
    assert ids(match["enrolments"]) == ["E-0000006", "E-0000004", "E-0000002", "E-0000001", "E-0000003"]
    soon = [f["params"]["enrolment_id"] for f in match["flags"] if f["code"] == "deadline_soon"]
    assert soon == ["E-0000006", "E-0000004", "E-0000002"]
    assert match["enrolments_total"] == 300
