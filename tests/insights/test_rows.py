"""Zendesk JSON to warehouse rows, and reading Retry-After."""
from __future__ import annotations

import time
from datetime import UTC, datetime

from insights import rows
from insights.streams import coverage, epoch, joined, usable_start
from insights.zendesk import retry_after_seconds


def test_a_deleted_ticket_is_flagged_and_keeps_no_requester_details():
    row = rows.ticket({"id": 7, "status": "deleted", "created_at": "2026-11-16T09:30:00Z",
                       "updated_at": "2026-11-16T10:00:00+01:00", "via": {"channel": "web"},
                       "tags": ["lc_paid", "refund"], "requester_id": 55, "subject": "private text"})
    assert row["deleted"] is True and row["status"] == "deleted"
    assert row["updated_at"] == datetime(2026, 11, 16, 9, 0)
    assert row["channel"] == "web" and row["tags"] == "lc_paid refund"
    assert "subject" not in row


def test_metric_sets_keep_calendar_minutes():
    row = rows.metric({"id": 1, "ticket_id": 7, "replies": 1, "reopens": 0,
                       "reply_time_in_minutes": {"calendar": 42, "business": 30},
                       "full_resolution_time_in_minutes": {"calendar": None, "business": None},
                       "solved_at": None, "updated_at": "2026-11-16T09:30:00Z"})
    assert (row["first_reply_min"], row["full_resolution_min"], row["solved_at"]) == (42, None, None)


def test_comment_events_come_from_child_events_only():
    event = {"id": 1, "ticket_id": 7, "updater_id": 3, "created_at": "2026-11-16T09:30:00Z",
             "child_events": [{"id": 11, "event_type": "Comment", "public": True, "author_id": 4},
                              {"id": 12, "event_type": "Change", "field_name": "status"},
                              {"id": 13, "event_type": "Comment", "public": False}]}
    out = rows.comments(event)
    assert [(c["id"], c["author_id"], c["public"]) for c in out] == [(11, 4, True), (13, 3, False)]
    assert out[0]["created_at"] == datetime(2026, 11, 16, 9, 30)


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    ten = datetime(2026, 11, 23, 10, tzinfo=UTC).timestamp()
    assert retry_after_seconds("Mon, 23 Nov 2026 10:00:30 GMT", now=ten) == 30.0
    assert retry_after_seconds("Mon, 23 Nov 2026 09:00:00 GMT", now=ten) == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


def test_a_start_time_under_a_minute_old_is_moved_back():
    now = int(time.time())
    assert usable_start(now) <= now - 61
    assert usable_start(1_000) == 1_000


def test_coverage_starts_at_the_first_run_and_stays_on_resume():
    jan, feb, mar = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)
    assert coverage(None, None, epoch(feb)) == (feb, None)
    assert coverage({"since": jan}, {"since": jan}, 0) == (jan, None)
    # a back-fill from before where the last run's stream got joins up with what that run covered
    assert coverage({"since": jan, "reached": mar, "updated_at": mar}, None, epoch(feb)) == (jan, None)
    # a "back-fill" starting after the last run stopped leaves a gap: only the new start counts
    assert coverage({"since": jan, "reached": feb, "updated_at": feb}, None, epoch(mar)) == (mar, None)


def test_coverage_joins_by_the_streams_position_not_by_when_its_last_page_was_saved():
    sep, oct_, nov = datetime(2026, 9, 1), datetime(2026, 10, 1), datetime(2026, 11, 1)
    # a run from September stopped (exit 3) on 24 November after reaching only 8 September
    unfinished = {"since": sep, "reached": datetime(2026, 9, 8), "updated_at": datetime(2026, 11, 24),
                  "done": False}
    assert coverage(unfinished, None, epoch(nov)) == (nov, None)
    # a state saved before positions were recorded: a finished run reached its last save (less a minute) ...
    legacy = {"since": sep, "reached": None, "updated_at": nov}
    assert coverage({**legacy, "done": True}, None, epoch(oct_)) == (sep, None)
    # ... an unfinished one may have got anywhere: nothing joins it
    assert coverage({**legacy, "done": False}, None, epoch(oct_)) == (oct_, None)


def test_a_back_fill_from_before_the_coverage_counts_from_its_start_once_it_has_read_up_to_it():
    aug, sep, oct_, nov = (datetime(2026, m, 1) for m in (8, 9, 10, 11))
    finished = {"since": oct_, "reached": nov, "updated_at": nov, "done": True}
    assert coverage(finished, None, epoch(sep)) == (oct_, sep)  # October stays until September is read
    assert joined(oct_, sep, datetime(2026, 9, 20)) == (oct_, sep)
    assert joined(oct_, sep, oct_) == (sep, None)
    assert coverage(finished, {"since": oct_, "pending_since": sep}, 0) == (oct_, sep)  # resumed: pending
    # another back-fill while the first is under way (it has read 1 to 20 September)
    under_way = {"since": oct_, "reached": datetime(2026, 9, 20), "pending_since": sep, "done": False}
    assert coverage(under_way, None, epoch(aug)) == (oct_, aug)
    assert coverage(under_way, None, epoch(datetime(2026, 9, 10))) == (oct_, sep)  # it extends what was read
    assert coverage(under_way, None, epoch(datetime(2026, 9, 25))) == (oct_, datetime(2026, 9, 25))
    assert joined(oct_, None, nov) == (oct_, None)  # nothing pending: nothing changes
