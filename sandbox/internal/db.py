"""Shared plumbing of the internal APIs: per-thread SQLite, read-time dates, pagination, JSON errors."""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, request

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_OFFSET = 10_000_000  # far past any list; keeps SQLite's OFFSET in range
_DIGITS = re.compile(r"[0-9]{1,3}")


class ApiError(Exception):
    """An error answered as {"error": {"code", "message"}} with an HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


def bad_request(message: str) -> ApiError:
    """A 400 for a malformed or unknown parameter."""
    return ApiError(400, "bad_request", message)


def not_found(what: str) -> ApiError:
    """A 404 for an unknown id."""
    return ApiError(404, "not_found", f"{what} not found")


class Store:
    """Read-only access to internal.db with one connection per server thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn


def store() -> Store:
    """The Store of the running internal-API app."""
    return current_app.extensions["internal_store"]


def query(sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    """Rows of a parameterised SELECT."""
    return store().conn().execute(sql, params).fetchall()


def anchor() -> int:
    """Epoch seconds of 00:00 UTC today: stored offsets count from here, so demo dates move with time."""
    now = int(time.time())
    return now - now % 86_400


def iso(offset: int | None) -> str | None:
    """ISO 8601 UTC ('…Z') of a stored offset, or None."""
    if offset is None:
        return None
    return datetime.fromtimestamp(anchor() + offset, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(cents: int) -> str:
    """Minor units as a decimal string: 4900 -> '49.00'."""
    return f"{cents // 100}.{cents % 100:02d}"


def check_params(allowed: set[str], required: set[str] = frozenset()) -> None:
    """400 for any query parameter not in allowed, given twice, or a missing required one."""
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise bad_request(
            f"unknown parameter(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    for name in request.args:
        if len(request.args.getlist(name)) > 1:
            raise bad_request(f"parameter {name} given more than once")
    missing = sorted(name for name in required if not request.args.get(name, "").strip())
    if missing:
        raise bad_request(f"missing required parameter(s): {', '.join(missing)}")


def page_limit() -> int:
    """?limit= (default DEFAULT_LIMIT), or 400 when it is not an integer from 1 to MAX_LIMIT."""
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_request(f"limit must be an integer from 1 to {MAX_LIMIT}")
    return int(raw)


def page_window(key: str) -> tuple[int, int]:
    """(limit, offset) from ?limit= and the opaque ?cursor=, which must belong to the same query."""
    limit = page_limit()
    cursor = request.args.get("cursor")
    if not cursor:
        return limit, 0
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
        offset = state["o"]
        if state["k"] != key or type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise ValueError("cursor of another query")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise bad_request("cursor is not valid for this query") from None
    return limit, offset


def cursor_for(key: str, offset: int) -> str:
    """The opaque cursor continuing a query at offset."""
    raw = json.dumps({"k": key, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page(key: str, total: int, fetch, serialize) -> dict:
    """A list response: fetch(limit, offset) gives rows, serialize turns them into items."""
    limit, offset = page_window(key)
    items = serialize(fetch(limit, offset)) if offset < total else []
    following = offset + limit
    return {
        "data": items,
        "next_cursor": cursor_for(key, following) if following < total else None,
        "total": total,
    }


def whole(items: list) -> dict:
    """A list response that fits one page."""
    return {"data": items, "next_cursor": None, "total": len(items)}
