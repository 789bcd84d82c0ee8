"""Control routes under /_sandbox/zendesk: spike labels, the history's clock, the rate budget, touching,
bulk updates."""
from __future__ import annotations

import flask

from sandbox.zendesk import store
from sandbox.zendesk.state import RateLimiter, State
from sandbox.zendesk.timeutil import iso

blueprint = flask.Blueprint("sandbox_zendesk_control", __name__, url_prefix="/_sandbox/zendesk")
MAX_TOUCH = 1000
MAX_BULK = 5000  # more than one incremental page (1000) can hold


def _state() -> State:
    return flask.current_app.extensions["sandbox_zendesk"]


def _bad(message: str, status: int = 400) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": {"code": "bad_request" if status == 400 else "not_found",
                                    "message": message}}), status


@blueprint.get("/spikes")
def spikes() -> flask.Response:
    """The labelled spikes of the generated history, for the alerts back-test."""
    conn = store.connect(_state().db_path)
    try:
        rows = conn.execute('SELECT kind, label, start, "end" FROM spikes ORDER BY start').fetchall()
    finally:
        conn.close()
    return flask.jsonify({"data": [{"kind": r["kind"], "label": r["label"], "start": iso(r["start"]),
                                    "end": iso(r["end"])} for r in rows]})


@blueprint.get("/clock")
def clock() -> flask.Response:
    """How far the served history reaches, and whether it moves with the clock (advance.py)."""
    current = _state()
    advancer = current.advancer  # None: the history stays as generated
    history_at = store.read_meta(current.db_path).get("generated_at")
    return flask.jsonify({"history_at": iso(int(history_at)) if history_at else None,
                          "advance_s": advancer.interval_s if advancer else 0,
                          "rebuilding": advancer.rebuilding if advancer else False,
                          "rebuilds": advancer.rebuilds if advancer else 0})


@blueprint.route("/rate-limit", methods=["GET", "PUT"])
def rate_limit() -> flask.Response | tuple[flask.Response, int]:
    """GET the per-minute budget, or PUT {"per_minute": N} to change it (starts a fresh window)."""
    return _budget(_state().limiter)


@blueprint.route("/incremental-rate-limit", methods=["GET", "PUT"])
def incremental_rate_limit() -> flask.Response | tuple[flask.Response, int]:
    """The same for the separate budget of the /incremental/* export endpoints."""
    return _budget(_state().incremental_limiter)


@blueprint.route("/search-lag", methods=["GET", "PUT"])
def search_lag() -> flask.Response | tuple[flask.Response, int]:
    """GET or PUT {"seconds": N}: how long after its creation a ticket becomes searchable."""
    current = _state()
    if flask.request.method == "PUT":
        body = flask.request.get_json(silent=True)
        value = body.get("seconds") if isinstance(body, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
            return _bad('body must be {"seconds": <integer, 0 or more>}')
        current.search_lag_s = value
    return flask.jsonify({"seconds": current.search_lag_s})


def _budget(limiter: RateLimiter) -> flask.Response | tuple[flask.Response, int]:
    if flask.request.method == "PUT":
        body = flask.request.get_json(silent=True)
        value = body.get("per_minute") if isinstance(body, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return _bad('body must be {"per_minute": <positive integer>}')
        limiter.configure(value)
    return flask.jsonify({"per_minute": limiter.per_minute})


@blueprint.route("/touch", methods=["POST", "DELETE"])
def touch() -> flask.Response:
    """POST {"ids": [...]} marks tickets as just updated (an export sees them again); DELETE forgets all.

    The new updated_at is a minute ago: incremental exports leave the last minute out, as Zendesk's do.
    """
    current = _state()
    if flask.request.method == "DELETE":
        current.untouch()
        return flask.jsonify({"touched": []})
    known = _known_ids(current, MAX_TOUCH)
    stamp = current.touch(sorted(known), after=max(known.values()))
    return flask.jsonify({"touched": sorted(known), "updated_at": iso(stamp)})


@blueprint.route("/bulk-update", methods=["POST", "DELETE"])
def bulk_update() -> flask.Response:
    """POST {"ids": [...]} updates those tickets in one second, as a bulk update or an import does: each
    gets an audit with a public agent reply, all sharing one timestamp (a minute ago, like touch), so the
    time-based events export meets more events in one second than a page holds. DELETE forgets the
    audits and the touches."""
    current = _state()
    if flask.request.method == "DELETE":
        current.forget_audits()
        current.untouch()
        return flask.jsonify({"audits": 0})
    known = _known_ids(current, MAX_BULK)
    conn = store.connect(current.db_path)
    try:
        last_event = conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
        agent = conn.execute("SELECT MIN(id) FROM users WHERE role = 'agent'").fetchone()[0]
    finally:
        conn.close()
    stamp = current.bulk_update(sorted(known), max(known.values()), last_event + 1, agent)
    return flask.jsonify({"audits": len(known), "at": iso(stamp), "timestamp": stamp})


def _known_ids(current: State, limit: int) -> dict[int, int]:
    """{id: updated_at} of the tickets the body's {"ids": [...]} names; answers 400 for a body that is
    not 1 to limit ticket ids and 404 naming the ids that do not exist."""
    ids = _ids(limit)
    if ids is None:
        flask.abort(flask.make_response(_bad(f'body must be {{"ids": [1 to {limit} ticket ids]}}')))
    known, unknown = _known(current, ids)
    if unknown:
        flask.abort(flask.make_response(_bad(f"unknown ticket ids: {unknown[:20]}", 404)))
    return known


def _ids(limit: int) -> list[int] | None:
    """The body's {"ids": [...]}: 1 to limit positive integers, None otherwise."""
    body = flask.request.get_json(silent=True)
    ids = body.get("ids") if isinstance(body, dict) else None
    if (not isinstance(ids, list) or not ids or len(ids) > limit
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63 for i in ids)):
        return None
    return ids


def _known(current: State, ids: list[int]) -> tuple[dict[int, int], list[int]]:
    """({id: updated_at} of the tickets that exist, the sorted ids that do not)."""
    conn = store.connect(current.db_path)
    try:
        known: dict[int, int] = {}
        for at in range(0, len(ids), 500):  # SQLite caps the number of parameters of one statement
            chunk = ids[at:at + 500]
            marks = ",".join("?" for _ in chunk)
            sql = f"SELECT id, updated_at FROM tickets WHERE id IN ({marks})"  # noqa: S608 - placeholders only
            known.update(conn.execute(sql, chunk).fetchall())
    finally:
        conn.close()
    return known, sorted(set(ids) - set(known))


@blueprint.delete("/edits")
def edits() -> flask.Response:
    """Forget what was saved through the API (a ticket's requester): every ticket as generated again."""
    return flask.jsonify({"forgotten": _state().forget_edits()})
