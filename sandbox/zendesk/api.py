"""The /api/v2 blueprint: API-token auth, the rate limit, Zendesk-style errors and shared helpers."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import flask

from sandbox.zendesk import store
from sandbox.zendesk.state import State

api = flask.Blueprint("sandbox_zendesk_api", __name__, url_prefix="/api/v2")
MAX_INT = 2**63 - 1  # SQLite's INTEGER range


class ApiError(Exception):
    """An error answered in Zendesk's shape: {"error": ..., "description": ...}."""

    def __init__(self, status: int, error: str, description: str, details: dict | None = None):
        super().__init__(description)
        self.status, self.error, self.description, self.details = status, error, description, details


def state() -> State:
    return flask.current_app.extensions["sandbox_zendesk"]


def root() -> str:
    """Scheme and host the client used, so returned URLs lead back here."""
    return flask.request.host_url.rstrip("/")


@contextmanager
def db() -> Iterator[sqlite3.Connection]:
    """A read connection to zendesk.db for the current request."""
    path = state().db_path
    if not path.exists():
        raise ApiError(503, "ServiceUnavailable", "The sandbox's Zendesk data has not been generated yet")
    conn = store.connect(path)
    try:
        yield conn
    finally:
        conn.close()


def int_arg(name: str, default: int | None = None, *, low: int | None = None,
            high: int | None = None) -> int | None:
    """An integer query parameter, 400 when it is not one or out of range."""
    raw = flask.request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "InvalidValue", f"{name} must be an integer") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ApiError(400, "InvalidValue", f"{name} must be between {low} and {high}")
    if abs(value) > MAX_INT:
        raise ApiError(400, "InvalidValue", f"{name} is out of range")
    return value


@api.before_request
def guard() -> flask.Response | None:
    """Authenticate like Zendesk (401 first), then spend the per-minute budget (429 + Retry-After)."""
    current = state()
    if current.advancer is not None:
        current.advancer.poke()  # a request for the history: bring it up to now (in the background)
    if not current.authorised(flask.request.headers.get("Authorization")):
        resp = flask.jsonify({"error": "Couldn't authenticate you"})
        resp.status_code = 401
        resp.headers["WWW-Authenticate"] = 'Basic realm="Web Password"'
        return resp
    now = time.time()
    allowed, remaining, retry_after = current.limiter.take(now)
    flask.g.zendesk_rate = (current.limiter.per_minute, remaining, retry_after)
    if not allowed:
        return too_many("Number of allowed API requests per minute exceeded", retry_after)
    if flask.request.path.startswith("/api/v2/incremental/"):
        allowed, _, retry_after = current.incremental_limiter.take(now)
        if not allowed:
            return too_many("Number of allowed incremental export API requests per minute exceeded",
                            retry_after)
    return None


def too_many(description: str, retry_after: int) -> flask.Response:
    """Zendesk's 429: APIRateLimitExceeded with the seconds to the next window in Retry-After."""
    resp = flask.jsonify({"error": "APIRateLimitExceeded", "description": description})
    resp.status_code = 429
    resp.headers["Retry-After"] = str(retry_after)
    return resp


@api.after_request
def rate_headers(resp: flask.Response) -> flask.Response:
    """Zendesk's rate-limit headers (the classic and the IETF-draft ones) on authenticated answers."""
    rate = flask.g.get("zendesk_rate")
    if rate is not None:
        limit, remaining, reset = rate
        resp.headers["X-Rate-Limit"] = str(limit)
        resp.headers["X-Rate-Limit-Remaining"] = str(remaining)
        resp.headers["ratelimit-limit"] = str(limit)
        resp.headers["ratelimit-remaining"] = str(remaining)
        resp.headers["ratelimit-reset"] = str(reset)
    return resp


@api.errorhandler(ApiError)
def api_error(exc: ApiError) -> tuple[flask.Response, int]:
    body = {"error": exc.error, "description": exc.description}
    if exc.details is not None:
        body["details"] = exc.details  # RecordInvalid: what each field got wrong
    return flask.jsonify(body), exc.status


@api.errorhandler(OverflowError)
def out_of_range(_exc: OverflowError) -> tuple[flask.Response, int]:
    """An id or number beyond SQLite's integers (e.g. /tickets/99999999999999999999.json)."""
    return flask.jsonify({"error": "InvalidValue", "description": "number out of range"}), 400


@api.errorhandler(404)
def not_found(_exc: Exception) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": "InvalidEndpoint", "description": "Not found"}), 404


@api.errorhandler(405)
def not_allowed(_exc: Exception) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": "InvalidEndpoint", "description": "Method not allowed"}), 405


def record_not_found() -> ApiError:
    return ApiError(404, "RecordNotFound", "Not found")
