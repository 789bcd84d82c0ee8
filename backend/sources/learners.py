"""The learners system: its URLs and field names, mapped to the backend's plain learner dict."""
from __future__ import annotations

from typing import Any

from backend.deadline import Deadline
from backend.sources.http import SourceClient, path_segment
from backend.sources.shapes import STR, list_page, pick, require, shape_error

SYSTEM = "learners"
FIELDS = {"id": STR, "external_id": STR, "name": STR, "primary_email": STR, "country": STR, "language": STR,
          "time_zone": STR, "status": STR, "created_at": STR, "erased_at": STR}


def by_email(client: SourceClient, email: str, deadline: Deadline) -> list[dict]:
    """Every learner with this email among their addresses (the system matches case-insensitively)."""
    return _find(client, {"email": email}, deadline)


def by_external_id(client: SourceClient, external_id: str, deadline: Deadline) -> list[dict]:
    """Every learner with this SSO external id."""
    return _find(client, {"external_id": external_id}, deadline)


def by_id(client: SourceClient, learner_id: str, deadline: Deadline) -> dict | None:
    """The learner with this id, or None when the system does not know it."""
    segment = path_segment(learner_id)
    if segment is None:  # no such id can exist, and asking would ask another URL
        return None
    raw = client.get(f"/learners/{segment}", None, deadline, allow_404=True)
    return None if raw is None else to_learner(raw)


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness (an unknown id's 404 proves the API answers)."""
    client.probe("/learners/L-0000000", None, deadline, allow_404=True)


def _find(client: SourceClient, params: dict, deadline: Deadline) -> list[dict]:
    data, _, _ = list_page(SYSTEM, client.get("/learners", params, deadline))
    return [to_learner(raw) for raw in data]


def to_learner(raw: Any) -> dict:
    """API learner -> {"id", "external_id", "name", "email", "emails", "country", "language",
    "time_zone", "status", "member_since", "erased_at"}; an erased learner keeps id/status/erased_at."""
    learner = pick(SYSTEM, require(SYSTEM, raw, "id", "status"), FIELDS)
    emails = raw.get("emails") or []
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise shape_error(SYSTEM, "emails is not a list of strings")
    learner["emails"] = list(emails)
    learner["email"] = learner.pop("primary_email") or (emails[0] if emails else None)
    learner["member_since"] = learner.pop("created_at")
    return learner
