"""Ticket metrics, satisfaction ratings and the search count endpoint under /api/v2."""
from __future__ import annotations

import time

import flask

from sandbox.zendesk import shapes
from sandbox.zendesk.api import ApiError, api, db, int_arg, record_not_found, root, state
from sandbox.zendesk.paging import listing
from sandbox.zendesk.search import parse

SCORES = {"offered": ["offered"], "received": ["good", "bad"], "good": ["good"], "bad": ["bad"],
          "unoffered": []}


@api.get("/ticket_metrics.json")
def list_metrics() -> flask.Response:
    touched = state().touched_snapshot()
    with db() as conn:
        page = listing(conn, "id", "status != 'deleted'", [], "SELECT * FROM tickets",
                       lambda r: shapes.metric(r, root(), touched))
    page["ticket_metrics"] = page.pop("items")
    return flask.jsonify(page)


@api.get("/tickets/<int:ticket_id>/metrics.json")
def ticket_metrics(ticket_id: int) -> flask.Response:
    with db() as conn:
        row = conn.execute("SELECT * FROM tickets WHERE id = ? AND status != 'deleted'",
                           [ticket_id]).fetchone()
    if row is None:
        raise record_not_found()
    return flask.jsonify({"ticket_metric": shapes.metric(row, root(), state().touched_snapshot())})


@api.get("/satisfaction_ratings.json")
def list_ratings() -> flask.Response:
    """Ratings filtered by created_at (start_time, end_time: epoch seconds) and score."""
    where, params = ["1 = 1"], []
    start, end = int_arg("start_time", low=0), int_arg("end_time", low=0)
    if start is not None:
        where.append("created_at >= ?")
        params.append(start)
    if end is not None:
        where.append("created_at <= ?")
        params.append(end)
    score = flask.request.args.get("score")
    if score is not None:
        if score not in SCORES:
            raise ApiError(400, "InvalidValue", f"score must be one of {', '.join(SCORES)}")
        values = SCORES[score] or ["-"]
        where.append(f"score IN ({','.join('?' for _ in values)})")
        params += values
    with db() as conn:
        page = listing(conn, "id", " AND ".join(where), params, "SELECT * FROM ratings",
                       lambda r: shapes.rating(r, root()))
    page["satisfaction_ratings"] = page.pop("items")
    return flask.jsonify(page)


@api.get("/search/count.json")
def search_count() -> flask.Response:
    """{"count": N} of tickets matching a query (deleted tickets are never found, as in Zendesk).

    As in Zendesk, a new ticket is found only once indexed: here, search_lag_s after its creation."""
    query = flask.request.args.get("query", "")
    try:
        where, params = parse(query)
    except ValueError as exc:
        raise ApiError(400, "InvalidValue", str(exc)) from None
    touched = state().touched_snapshot()
    # updated_at of touched tickets lives in memory: join it in as a small VALUES table
    overlay = " UNION ALL ".join("SELECT ?, ?" for _ in touched) or "SELECT NULL, NULL WHERE 0"
    # `where` is built by search.parse from fixed fragments; query values travel as parameters
    sql = (f"WITH o(id, updated_at) AS ({overlay}) SELECT COUNT(*) FROM tickets t"  # noqa: S608
           f" LEFT JOIN o ON o.id = t.id WHERE t.status != 'deleted' AND t.created_at <= ? AND {where}")
    indexed = int(time.time()) - state().search_lag_s  # created later: not yet in the search index
    with db() as conn:
        overlaid = [v for item in touched.items() for v in item]
        count = conn.execute(sql, [*overlaid, indexed, *params]).fetchone()[0]
    return flask.jsonify({"count": count})
