"""The learners API: find by email (any of a learner's addresses), external id, or id."""

from __future__ import annotations

import re

from flask import Blueprint, request

from sandbox.internal.db import bad_request, check_params, iso, not_found, page, query
from sandbox.internal.schema import email_hash

bp = Blueprint("internal_learners", __name__)
LEARNER_ID = re.compile(r"^L-\d{7}$")


def _emails(learner_ids: list[str]) -> dict[str, list[str]]:
    marks = ",".join("?" * len(learner_ids))
    rows = query(
        f"SELECT learner_id, email FROM learner_emails WHERE learner_id IN ({marks})"  # noqa: S608
        " AND email IS NOT NULL ORDER BY learner_id, position",
        tuple(learner_ids),
    )
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row["learner_id"], []).append(row["email"])
    return out


def serialize(rows: list) -> list[dict]:
    """Learner rows as API objects; an erased learner keeps only id, status and erased_at."""
    emails = _emails([row["id"] for row in rows]) if rows else {}
    return [
        {
            "id": row["id"],
            "external_id": row["external_id"],
            "name": row["name"],
            "emails": emails.get(row["id"], []),
            "primary_email": row["primary_email"],
            "country": row["country"],
            "language": row["language"],
            "time_zone": row["time_zone"],
            "status": row["status"],
            "created_at": iso(row["created_off"]),
            "erased_at": iso(row["erased_off"]),
        }
        for row in rows
    ]


@bp.get("/learners")
def find():
    """Learners with this email (any of theirs, case-insensitive) and/or this external id."""
    check_params({"email", "external_id", "limit", "cursor"})
    email, external_id = request.args.get("email", "").strip(), request.args.get("external_id", "").strip()
    if not email and not external_id:
        raise bad_request("give email or external_id")
    where, params = [], []
    if email:
        where.append("id IN (SELECT learner_id FROM learner_emails WHERE email_hash = ?)")
        params.append(email_hash(email))
    if external_id:
        where.append("external_id = ?")
        params.append(external_id)
    clause = " AND ".join(where)
    total = query(f"SELECT COUNT(*) FROM learners WHERE {clause}", tuple(params))[0][0]  # noqa: S608
    key = f"learners|{email.lower()}|{external_id}"
    return page(
        key,
        total,
        lambda limit, offset: query(
            f"SELECT * FROM learners WHERE {clause} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
            (*params, limit, offset),
        ),
        serialize,
    )


@bp.get("/learners/<learner_id>")
def one(learner_id: str):
    """One learner by id."""
    check_params(set())
    rows = query("SELECT * FROM learners WHERE id = ?", (learner_id,)) if LEARNER_ID.match(learner_id) else []
    if not rows:
        raise not_found("learner")
    return serialize(rows)[0]
