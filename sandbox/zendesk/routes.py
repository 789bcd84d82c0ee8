"""Tickets, users, identities and groups under /api/v2 (what ticket-bound mode and reports read)."""
from __future__ import annotations

import flask

from sandbox.zendesk import shapes
from sandbox.zendesk.api import ApiError, api, db, record_not_found, root, state
from sandbox.zendesk.paging import listing

# The requester's primary address and name: an e-mailed ticket's via.source.from (shapes.ticket).
TICKET_SELECT = ("SELECT t.*, r.score AS rating_score, r.id AS rating_id, u.email AS requester_email,"
                 " u.name AS requester_name FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id"
                 " LEFT JOIN users u ON u.id = t.requester_id")
# A user is verified when any of its identities is (as in Zendesk).
USER_SELECT = ("SELECT u.*, EXISTS(SELECT 1 FROM identities i WHERE i.user_id = u.id AND i.verified = 1)"
               " AS any_verified FROM users u")
MAX_SHOW_MANY = 100
ROLES = ("end-user", "agent", "admin")


def ticket_shapes(rows: list, touched: dict[int, int] | None = None) -> list[dict]:
    """Rows of TICKET_SELECT in Zendesk's shape, with what the sandbox changed in memory (touches, saved
    requesters); touched: the snapshot the rows were chosen by, when the caller took one."""
    current = state()
    touched = current.touched_snapshot() if touched is None else touched
    requesters = current.requesters_snapshot()
    return [shapes.ticket(row, root(), touched, requesters) for row in rows]


def _ids_arg() -> list[int]:
    raw = flask.request.args.get("ids", "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ApiError(400, "InvalidValue", "ids must be a comma-separated list of integers") from None
    if not ids or len(ids) > MAX_SHOW_MANY:
        raise ApiError(400, "InvalidValue", f"ids takes 1 to {MAX_SHOW_MANY} ids")
    return ids


@api.get("/tickets/<int:ticket_id>.json")
def show_ticket(ticket_id: int) -> flask.Response:
    with db() as conn:
        row = conn.execute(f"{TICKET_SELECT} WHERE t.id = ? AND t.status != 'deleted'",
                           [ticket_id]).fetchone()
    if row is None:
        raise record_not_found()
    return flask.jsonify({"ticket": ticket_shapes([row])[0]})


@api.get("/tickets/show_many.json")
def show_many_tickets() -> flask.Response:
    ids = _ids_arg()
    marks = ",".join("?" for _ in ids)
    with db() as conn:
        sql = f"{TICKET_SELECT} WHERE t.id IN ({marks}) AND t.status != 'deleted' ORDER BY t.id"
        rows = conn.execute(sql, ids).fetchall()
    tickets = ticket_shapes(rows)
    return flask.jsonify({"tickets": tickets, "next_page": None, "previous_page": None,
                          "count": len(tickets)})


@api.get("/users/<int:user_id>.json")
def show_user(user_id: int) -> flask.Response:
    with db() as conn:
        row = conn.execute(f"{USER_SELECT} WHERE id = ?", [user_id]).fetchone()
    if row is None:
        raise record_not_found()
    return flask.jsonify({"user": shapes.user(row, root())})


@api.get("/users/me.json")
def me() -> flask.Response:
    """The user the API token belongs to (the configured e-mail)."""
    email = state().settings.email
    with db() as conn:
        row = conn.execute(f"{USER_SELECT} WHERE lower(email) = lower(?) ORDER BY id LIMIT 1",
                           [email]).fetchone()
        if row is None:  # another configured e-mail: the API user under that address
            row = conn.execute(f"{USER_SELECT} WHERE role = 'admin' ORDER BY id LIMIT 1").fetchone()
    user = shapes.user(row, root())
    user["email"] = email
    return flask.jsonify({"user": user})


@api.get("/users/search.json")
def search_users() -> flask.Response:
    """Users with an email identity equal to `query` (case-insensitive): the requester picker's lookup.
    Zendesk also searches names and other fields; the sandbox answers an email address only."""
    query = flask.request.args.get("query", "").strip()
    if "@" not in query:
        raise ApiError(400, "InvalidValue", "the sandbox searches users by email address only")
    with db() as conn:
        rows = conn.execute("SELECT * FROM users WHERE id IN (SELECT user_id FROM identities"
                            " WHERE type = 'email' AND lower(value) = lower(?)) ORDER BY id LIMIT ?",
                            [query, MAX_SHOW_MANY]).fetchall()
    users = [shapes.user(r, root()) for r in rows]
    return flask.jsonify({"users": users, "next_page": None, "previous_page": None, "count": len(users)})


@api.get("/users/<int:user_id>/identities.json")
def user_identities(user_id: int) -> flask.Response:
    with db() as conn:
        if conn.execute("SELECT 1 FROM users WHERE id = ?", [user_id]).fetchone() is None:
            raise record_not_found()
        page = listing(conn, "id", "user_id = ?", [user_id], "SELECT * FROM identities",
                       lambda r: shapes.identity(r, root()))
    page["identities"] = page.pop("items")
    return flask.jsonify(page)


@api.get("/users.json")
def list_users() -> flask.Response:
    """Users, optionally filtered by role (role=agent, or role[]=agent&role[]=admin)."""
    roles = flask.request.args.getlist("role") + flask.request.args.getlist("role[]")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ApiError(400, "InvalidValue", f"role must be one of {', '.join(ROLES)}")
    where, params = "1 = 1", []
    if roles:
        where = f"role IN ({','.join('?' for _ in roles)})"
        params = roles
    with db() as conn:
        page = listing(conn, "id", where, params, USER_SELECT, lambda r: shapes.user(r, root()))
    page["users"] = page.pop("items")
    return flask.jsonify(page)


@api.get("/groups.json")
def list_groups() -> flask.Response:
    with db() as conn:
        rows = conn.execute("SELECT id, name FROM groups ORDER BY id").fetchall()
    groups = [{"url": f"{root()}/api/v2/groups/{r['id']}.json", "id": r["id"], "name": r["name"],
               "description": "", "default": r["id"] == rows[0]["id"], "deleted": False} for r in rows]
    return flask.jsonify({"groups": groups, "next_page": None, "previous_page": None, "count": len(groups)})
