"""The courses system: its URLs and field names, mapped to the backend's plain course dict."""
from __future__ import annotations

from typing import Any

from backend.deadline import Deadline
from backend.sources.http import SourceClient
from backend.sources.shapes import STR, as_dict, list_page, pick, require

SYSTEM = "courses"
BATCH = 100  # the API's maximum ids per ?ids= call


def by_ids(client: SourceClient, course_ids: list[str], deadline: Deadline) -> dict[str, dict]:
    """{course id: course} for the ids the system knows (unknown ids are simply absent)."""
    unique = sorted(set(course_ids))
    courses: dict[str, dict] = {}
    for start in range(0, len(unique), BATCH):
        ids = ",".join(unique[start:start + BATCH])
        data, _, _ = list_page(SYSTEM, client.get("/courses", {"ids": ids}, deadline))
        for raw in data:
            course = to_course(raw)
            courses[course["id"]] = course
    return courses


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness."""
    client.probe("/partners", {"limit": 1}, deadline)


def to_course(raw: Any) -> dict:
    """API course -> {"id", "title", "slug", "language", "partner" (name), "partner_kind"}."""
    course = pick(SYSTEM, require(SYSTEM, raw, "id"), {"id": STR, "title": STR, "slug": STR, "language": STR})
    partner = pick(SYSTEM, as_dict(raw.get("partner")), {"name": STR, "kind": STR})
    course.update(partner=partner["name"], partner_kind=partner["kind"])
    return course
