"""The enrolments system: its URLs and field names, mapped to the backend's plain enrolment dict."""
from __future__ import annotations

from typing import Any

from backend.sources.http import Deadline, SourceClient, shape_error

SYSTEM = "enrolments"


def for_learner(client: SourceClient, learner_id: str, deadline: Deadline,
                max_items: int) -> tuple[list[dict], int]:
    """The learner's enrolments, newest activity first, at most max_items, plus how many exist."""
    items, total = client.get_list("/enrolments", {"learner_id": learner_id}, deadline, max_items)
    return [to_enrolment(raw) for raw in items], total


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness."""
    client.get("/enrolments", {"learner_id": "L-0000000", "limit": 1}, deadline)

def to_enrolment(raw: Any) -> dict:
    """API enrolment -> the internal dict (same names; deadlines and certificate normalised)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw.get("course_id"):
        raise shape_error(SYSTEM, "enrolment without id/course_id")
    cert = raw.get("certificate") if isinstance(raw.get("certificate"), dict) else {}
    deadlines = raw.get("deadlines") if isinstance(raw.get("deadlines"), list) else []
    return {
        "id": raw["id"],
        "learner_id": raw.get("learner_id"),
        "course_id": raw["course_id"],
        "session_id": raw.get("session_id"),
        "track": raw.get("track"),
        "status": raw.get("status"),
        "progress_pct": raw.get("progress_pct"),
        "grade": raw.get("grade"),
        "enrolled_at": raw.get("enrolled_at"),
        "session_start": raw.get("session_start"),
        "session_end": raw.get("session_end"),
        "last_activity_at": raw.get("last_activity_at"),
        "deadlines": [{"title": d.get("title"), "kind": d.get("kind"), "due_at": d.get("due_at"),
                       "extended": bool(d.get("extended"))} for d in deadlines if isinstance(d, dict)],
        "certificate": {"status": cert.get("status"), "issued_at": cert.get("issued_at")},
    }
