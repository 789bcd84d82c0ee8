"""Liveness and readiness: /healthz says the process serves, /readyz checks each dependency."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up and answers; no dependency is contacted."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """200 when the audit database and every system answer, else 503; one entry per dependency."""
    state = current_app.extensions["lc"]

    def probe() -> dict[str, dict]:
        return {"database": state.audit.ping(), **state.service().readiness()}

    try:
        checks = state.readiness.get(probe)  # remembered LC_READY_CACHE_S seconds
    except TimeoutError:  # another request's first round of probes is still running
        return jsonify(status="unavailable", checks={}), 503
    ready = all(check.get("status") == "ok" for check in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
