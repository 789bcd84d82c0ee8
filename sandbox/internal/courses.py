"""The courses API: catalogue of courses with partner, sessions and deadlines; partners."""

from __future__ import annotations

import re

from flask import Blueprint, request

from sandbox.internal.db import bad_request, check_params, iso, not_found, page, page_limit, query, whole

bp = Blueprint("internal_courses", __name__)
COURSE_ID = re.compile(r"^C-\d{4}$")
PARTNER_ID = re.compile(r"^P-\d{3}$")
MAX_IDS = 100


def _in(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


def serialize(rows: list) -> list[dict]:
    """Course rows with their partner, sessions and each session's deadlines (three queries in all)."""
    if not rows:
        return []
    course_ids = [row["id"] for row in rows]
    partner_ids = sorted({row["partner_id"] for row in rows})
    partners = {
        p["id"]: p
        for p in query(
            f"SELECT * FROM partners WHERE id IN ({_in(partner_ids)})",  # noqa: S608
            tuple(partner_ids),
        )
    }
    sessions = query(
        f"SELECT * FROM sessions WHERE course_id IN ({_in(course_ids)})"  # noqa: S608
        " ORDER BY course_id, seq",
        tuple(course_ids),
    )
    session_ids = [s["id"] for s in sessions]
    deadlines: dict[str, list[dict]] = {}
    for d in query(
        f"SELECT * FROM deadlines WHERE session_id IN ({_in(session_ids)})"  # noqa: S608
        " ORDER BY session_id, seq",
        tuple(session_ids),
    ):
        deadlines.setdefault(d["session_id"], []).append(
            {"id": d["id"], "title": d["title"], "kind": d["kind"], "due_at": iso(d["due_off"])}
        )
    by_course: dict[str, list[dict]] = {}
    for s in sessions:
        by_course.setdefault(s["course_id"], []).append(
            {
                "id": s["id"],
                "starts_at": iso(s["starts_off"]),
                "ends_at": iso(s["ends_off"]),
                "deadlines": deadlines.get(s["id"], []),
            }
        )
    return [
        {
            "id": row["id"],
            "slug": row["slug"],
            "title": row["title"],
            "language": row["language"],
            "partner": partner(partners[row["partner_id"]]),
            "workload_hours": row["workload_hours"],
            "sessions": by_course.get(row["id"], []),
        }
        for row in rows
    ]


def partner(row) -> dict:
    """A partner row as an API object."""
    return {"id": row["id"], "name": row["name"], "kind": row["kind"]}


@bp.get("/courses")
def find():
    """Courses by ?ids= (up to 100, unknown omitted), by ?partner_id=, or the whole catalogue, paginated."""
    check_params({"ids", "partner_id", "limit", "cursor"})
    if "ids" in request.args:
        # An empty optional parameter means absent, as everywhere in these APIs.
        if request.args.get("partner_id", "").strip() or request.args.get("cursor"):
            raise bad_request("ids cannot be combined with partner_id or cursor")
        page_limit()  # one page holds every id asked for, but a bad limit is still a bad request
        ids = [part.strip() for part in request.args["ids"].split(",") if part.strip()]
        if not ids:
            raise bad_request("ids must list at least one course id")
        if len(ids) > MAX_IDS:
            raise bad_request(f"ids accepts at most {MAX_IDS} course ids")
        ids = list(dict.fromkeys(i for i in ids if COURSE_ID.match(i)))
        rows = query(f"SELECT * FROM courses WHERE id IN ({_in(ids)}) ORDER BY id", tuple(ids)) if ids else []  # noqa: S608
        return whole(serialize(rows))
    partner_id = request.args.get("partner_id", "").strip()
    clause, params = ("WHERE partner_id = ?", (partner_id,)) if partner_id else ("", ())
    total = query(f"SELECT COUNT(*) FROM courses {clause}", params)[0][0]  # noqa: S608
    return page(
        f"courses|{partner_id}",
        total,
        lambda limit, offset: query(
            f"SELECT * FROM courses {clause} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608 - fixed clause
            (*params, limit, offset),
        ),
        serialize,
    )


@bp.get("/courses/<course_id>")
def one(course_id: str):
    """One course by id."""
    check_params(set())
    rows = query("SELECT * FROM courses WHERE id = ?", (course_id,)) if COURSE_ID.match(course_id) else []
    if not rows:
        raise not_found("course")
    return serialize(rows)[0]


@bp.get("/partners")
def partners_list():
    """All partners, paginated."""
    check_params({"limit", "cursor"})
    total = query("SELECT COUNT(*) FROM partners")[0][0]
    return page(
        "partners",
        total,
        lambda limit, offset: query("SELECT * FROM partners ORDER BY id LIMIT ? OFFSET ?", (limit, offset)),
        lambda rows: [partner(row) for row in rows],
    )


@bp.get("/partners/<partner_id>")
def partner_one(partner_id: str):
    """One partner by id."""
    check_params(set())
    rows = query("SELECT * FROM partners WHERE id = ?", (partner_id,)) if PARTNER_ID.match(partner_id) else []
    if not rows:
        raise not_found("partner")
    return partner(rows[0])
