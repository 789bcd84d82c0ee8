"""The enrolments system: its URLs and field names, mapped to the backend's plain enrolment dict."""
from __future__ import annotations

from typing import Any

from backend.deadline import Deadline
from backend.sources.http import SourceClient
from backend.sources.shapes import NUM, STR, as_dict, as_list, pick, require

SYSTEM = "enrolments"
FIELDS = {"id": STR, "learner_id": STR, "course_id": STR, "session_id": STR, "track": STR, "status": STR,
          "progress_pct": NUM, "grade": NUM, "enrolled_at": STR, "session_start": STR, "session_end": STR,
          "last_activity_at": STR}
DEADLINE_FIELDS = {"title": STR, "kind": STR, "due_at": STR, "extended": (bool,)}
CERTIFICATE_FIELDS = {"status": STR, "issued_at": STR}


def for_learner(client: SourceClient, learner_id: str, deadline: Deadline,
                max_items: int) -> tuple[list[dict], int]:
    """The learner's enrolments, newest activity first, at most max_items, plus how many exist."""
    items, total = client.get_list("/enrolments", {"learner_id": learner_id}, deadline, max_items)
    return [to_enrolment(raw) for raw in items], total


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness."""
    client.probe("/enrolments", {"learner_id": "L-0000000", "limit": 1}, deadline)


def to_enrolment(raw: Any) -> dict:
    """API enrolment -> the internal dict (same names; deadlines and certificate normalised)."""
    enrolment = pick(SYSTEM, require(SYSTEM, raw, "id", "course_id"), FIELDS)
    enrolment["deadlines"] = [pick(SYSTEM, d, DEADLINE_FIELDS) for d in as_list(raw.get("deadlines"))]
    enrolment["certificate"] = pick(SYSTEM, as_dict(raw.get("certificate")), CERTIFICATE_FIELDS)
    return enrolment
