"""The enrolments API: a learner's enrolments (newest activity first) and single enrolments."""

from __future__ import annotations

import re

from flask import Blueprint, request

from sandbox.internal.db import check_params, iso, not_found, page, query

bp = Blueprint("internal_enrolments", __name__)
ENROLMENT_ID = re.compile(r"^E-\d{7}$")
ORDER = "ORDER BY last_activity_off DESC, id DESC"


def _in(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


def serialize(rows: list) -> list[dict]:
    """Enrolment rows with session dates, deadlines (extensions applied) and certificate."""
    if not rows:
        return []
    session_ids = sorted({row["session_id"] for row in rows})
    enrolment_ids = [row["id"] for row in rows]
    sessions = {
        s["id"]: s
        for s in query(
            f"SELECT * FROM sessions WHERE id IN ({_in(session_ids)})",  # noqa: S608
            tuple(session_ids),
        )
    }
    deadlines: dict[str, list] = {}
    for d in query(
        f"SELECT * FROM deadlines WHERE session_id IN ({_in(session_ids)})"  # noqa: S608
        " ORDER BY session_id, seq",
        tuple(session_ids),
    ):
        deadlines.setdefault(d["session_id"], []).append(d)
    extensions = {
        (e["enrolment_id"], e["deadline_id"]): e["days"]
        for e in query(
            f"SELECT * FROM extensions WHERE enrolment_id IN ({_in(enrolment_ids)})",  # noqa: S608
            tuple(enrolment_ids),
        )
    }
    out = []
    for row in rows:
        session = sessions[row["session_id"]]
        items = []
        for d in deadlines.get(row["session_id"], []):
            days = extensions.get((row["id"], d["id"]))
            items.append(
                {
                    "title": d["title"],
                    "kind": d["kind"],
                    "due_at": iso(d["due_off"] + (days or 0) * 86_400),
                    "extended": days is not None,
                }
            )
        out.append(
            {
                "id": row["id"],
                "learner_id": row["learner_id"],
                "course_id": row["course_id"],
                "session_id": row["session_id"],
                "track": row["track"],
                "status": row["status"],
                "progress_pct": row["progress_pct"],
                "grade": row["grade"],
                "enrolled_at": iso(row["enrolled_off"]),
                "session_start": iso(session["starts_off"]),
                "session_end": iso(session["ends_off"]),
                "last_activity_at": iso(row["last_activity_off"]),
                "deadlines": items,
                "certificate": {
                    "status": row["cert_status"],
                    "issued_at": iso(row["cert_issued_off"]),
                    "verify_code": row["cert_code"],
                },
            }
        )
    return out


@bp.get("/enrolments")
def find():
    """A learner's enrolments, newest activity first, paginated."""
    check_params({"learner_id", "limit", "cursor"}, {"learner_id"})
    learner_id = request.args["learner_id"].strip()
    total = query("SELECT COUNT(*) FROM enrolments WHERE learner_id = ?", (learner_id,))[0][0]
    return page(
        f"enrolments|{learner_id}",
        total,
        lambda limit, offset: query(
            f"SELECT * FROM enrolments WHERE learner_id = ? {ORDER} LIMIT ? OFFSET ?",  # noqa: S608
            (learner_id, limit, offset),
        ),
        serialize,
    )


@bp.get("/enrolments/<enrolment_id>")
def one(enrolment_id: str):
    """One enrolment by id."""
    check_params(set())
    rows = (
        query("SELECT * FROM enrolments WHERE id = ?", (enrolment_id,))
        if ENROLMENT_ID.match(enrolment_id)
        else []
    )
    if not rows:
        raise not_found("enrolment")
    return serialize(rows)[0]
