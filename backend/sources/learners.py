"""The learners system: its URLs and field names, mapped to the backend's plain learner dict."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from backend.sources.http import Deadline, SourceClient, list_page, shape_error

SYSTEM = "learners"


def by_email(client: SourceClient, email: str, deadline: Deadline) -> list[dict]:
    """Every learner with this email among their addresses (the system matches case-insensitively)."""
    return _find(client, {"email": email}, deadline)


def by_external_id(client: SourceClient, external_id: str, deadline: Deadline) -> list[dict]:
    """Every learner with this SSO external id."""
    return _find(client, {"external_id": external_id}, deadline)


def by_id(client: SourceClient, learner_id: str, deadline: Deadline) -> dict | None:
    """The learner with this id, or None when the system does not know it."""
    raw = client.get(f"/learners/{quote(learner_id, safe='')}", None, deadline, allow_404=True)
    return None if raw is None else to_learner(raw)


def _find(client: SourceClient, params: dict, deadline: Deadline) -> list[dict]:
    data, _, _ = list_page(SYSTEM, client.get("/learners", params, deadline))
    return [to_learner(raw) for raw in data]


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness (an unknown id's 404 proves the API answers)."""
    client.get("/learners/L-0000000", None, deadline, allow_404=True)

def to_learner(raw: Any) -> dict:
    """API learner -> {"id", "external_id", "name", "email", "emails", "country", "language",
    "time_zone", "status", "member_since", "erased_at"}; an erased learner keeps id/status/erased_at."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or "status" not in raw:
        raise shape_error(SYSTEM, "learner without id/status")
    emails = raw.get("emails") or []
    if not isinstance(emails, list):
        raise shape_error(SYSTEM, "emails is not a list")
    return {
        "id": raw["id"],
        "external_id": raw.get("external_id"),
        "name": raw.get("name"),
        "email": raw.get("primary_email") or (emails[0] if emails else None),
        "emails": [e for e in emails if isinstance(e, str)],
        "country": raw.get("country"),
        "language": raw.get("language"),
        "time_zone": raw.get("time_zone"),
        "status": raw["status"],
        "member_since": raw.get("created_at"),
        "erased_at": raw.get("erased_at"),
    }
