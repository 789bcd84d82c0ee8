"""Incremental exports: cursor-based tickets (with metric_sets) and time-based ticket events."""
from __future__ import annotations

import sqlite3
import time
from urllib.parse import urlencode

import flask

from sandbox.zendesk import shapes
from sandbox.zendesk.api import ApiError, api, db, int_arg, root, state
from sandbox.zendesk.paging import decode_cursor, encode_cursor
from sandbox.zendesk.routes import TICKET_SELECT, ticket_shapes

MAX_EXPORT_PAGE = 1000
MIN_AGE_S = 60  # Zendesk: start_time must be more than one minute in the past
EVENT_SELECT = ("SELECT e.*, t.channel, t.lang, t.topic, t.variant, t.course_n, t.order_n, t.subject,"
                " t.description, t.created_at FROM events e JOIN tickets t ON t.id = e.ticket_id")


def _start_time() -> int:
    """The start_time parameter, 400 when missing, negative, in the future or too recent."""
    start = int_arg("start_time")
    if start is None:
        raise ApiError(400, "InvalidValue", "start_time is required")
    if start < 0:
        raise ApiError(400, "InvalidValue", "start_time must be a positive epoch time")
    if start > time.time() - MIN_AGE_S:
        raise ApiError(400, "InvalidValue", "start_time must be more than one minute in the past")
    return start


def _includes() -> set[str]:
    return {part.strip() for part in flask.request.args.get("include", "").split(",") if part.strip()}


def _export_url(**params: object) -> str:
    kept = {k: flask.request.args[k] for k in ("per_page", "include", "exclude_deleted")
            if k in flask.request.args}
    return f"{root()}{flask.request.path}?{urlencode({**kept, **params})}"


def _changed_tickets(conn: sqlite3.Connection, position: tuple[int, ...], limit: int, cutoff: int,
                     touched: dict[int, int], exclude_deleted: bool) -> list[sqlite3.Row]:
    """Up to limit tickets after position in (updated_at, id) order, none changed after cutoff."""
    deleted = " AND t.status != 'deleted'" if exclude_deleted else ""
    # touched tickets carry an in-memory updated_at: fetch extra rows so the page stays full after
    # they are taken out of the stored order, then merge them back at their new place.
    rows = conn.execute(f"{TICKET_SELECT} WHERE (t.updated_at, t.id) > (?, ?) AND t.updated_at <= ?{deleted}"
                        " ORDER BY t.updated_at, t.id LIMIT ?",
                        [*position, cutoff, limit + len(touched)]).fetchall()
    rows = [r for r in rows if r["id"] not in touched]
    due = [i for i, stamp in touched.items() if (stamp, i) > position and stamp <= cutoff]
    if due:
        marks = ",".join("?" for _ in due)
        rows += conn.execute(f"{TICKET_SELECT} WHERE t.id IN ({marks}){deleted}", due).fetchall()
    rows.sort(key=lambda r: (touched.get(r["id"], r["updated_at"]), r["id"]))
    return rows[:limit]


@api.get("/incremental/tickets/cursor.json")
def export_tickets() -> flask.Response:
    """Tickets changed since a start_time or a cursor, oldest change first, one page at a time.

    As in Zendesk, changes of the last minute are left for a later request, and exclude_deleted=true
    leaves deleted tickets out.
    """
    per_page = int_arg("per_page", MAX_EXPORT_PAGE, low=1, high=MAX_EXPORT_PAGE)
    cursor = flask.request.args.get("cursor")
    position = decode_cursor(cursor, 2) if cursor else (_start_time(), -1)
    exclude_deleted = flask.request.args.get("exclude_deleted", "false").lower() == "true"
    touched = state().touched_snapshot()
    with db() as conn:
        rows = _changed_tickets(conn, position, per_page + 1, int(time.time()) - MIN_AGE_S, touched,
                                exclude_deleted)
    more = len(rows) > per_page
    rows = rows[:per_page]
    tickets = ticket_shapes(rows, touched)
    if rows:
        first = encode_cursor(touched.get(rows[0]["id"], rows[0]["updated_at"]), rows[0]["id"])
        after = encode_cursor(touched.get(rows[-1]["id"], rows[-1]["updated_at"]), rows[-1]["id"])
    else:
        first, after = None, encode_cursor(*position)
    body: dict = {
        "tickets": tickets, "after_cursor": after, "after_url": _export_url(cursor=after),
        "before_cursor": first, "before_url": _export_url(cursor=first) if first else None,
        "end_of_stream": not more,
    }
    if "metric_sets" in _includes():
        body["metric_sets"] = [shapes.metric(r, root(), touched) for r in rows]
    return flask.jsonify(body)


def _bulk_audits(conn: sqlite3.Connection, start: int, cutoff: int, limit: int) -> list[dict]:
    """The first `limit` audits of /_sandbox/zendesk/bulk-update from start to cutoff, shaped as event rows
    (a public agent reply each), joined to their tickets as EVENT_SELECT joins them."""
    due = sorted(a for a in state().audits_snapshot() if start <= a[0] <= cutoff)[:limit]
    if not due:
        return []
    tickets: dict[int, dict] = {}
    ids = sorted({a[2] for a in due})
    for at in range(0, len(ids), 500):  # SQLite caps the number of parameters of one statement
        chunk = ids[at:at + 500]
        marks = ",".join("?" for _ in chunk)
        sql = ("SELECT id, channel, lang, topic, variant, course_n, order_n, subject, description,"  # noqa: S608
               f" created_at FROM tickets WHERE id IN ({marks})")
        tickets.update((r["id"], dict(r)) for r in conn.execute(sql, chunk))
    return [{**tickets[ticket_id], "id": event_id, "ticket_id": ticket_id, "ts": ts, "kind": "reply",
             "author_id": author_id, "public": 1} for ts, event_id, ticket_id, author_id in due]


@api.get("/incremental/ticket_events.json")
def export_ticket_events() -> flask.Response:
    """Ticket audits since start_time, paged as Zendesk's time-based exports are.

    A page holds at most per_page events in (timestamp, id) order and is cut there even inside a second;
    end_time (the start_time of next_page) is the newest timestamp in the page, so the next page repeats
    the events of that second, and a page filled by the events of one second has end_time equal to its
    start_time: time-based paging cannot get past such a second (clients must notice; see
    docs/insights.md). end_of_stream is true when the page was not full.
    """
    per_page = int_arg("per_page", MAX_EXPORT_PAGE, low=1, high=MAX_EXPORT_PAGE)
    start = _start_time()
    comments = "comment_events" in _includes()
    with db() as conn:
        cutoff = int(time.time()) - MIN_AGE_S  # the last minute is left for a later request
        rows = [dict(r) for r in conn.execute(
            f"{EVENT_SELECT} WHERE e.ts >= ? AND e.ts <= ? ORDER BY e.ts, e.id LIMIT ?",
            [start, cutoff, per_page + 1]).fetchall()]
        bulk = _bulk_audits(conn, start, cutoff, per_page + 1)
    if bulk:
        rows = sorted(rows + bulk, key=lambda r: (r["ts"], r["id"]))
    more = len(rows) > per_page
    rows = rows[:per_page]
    end_time = rows[-1]["ts"] if rows else start
    return flask.jsonify({
        "ticket_events": [shapes.ticket_event(r, comments) for r in rows],
        "next_page": _export_url(start_time=end_time), "count": len(rows),
        "end_of_stream": not more, "end_time": end_time,
    })
