"""Zendesk's two list paginations: offset (page, per_page) and cursor (page[size], page[after])."""
from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable
from urllib.parse import urlencode

import flask

from sandbox.zendesk.api import ApiError, int_arg, root

MAX_PAGE = 100


def encode_cursor(*parts: int) -> str:
    """An opaque cursor for an ordered key."""
    return base64.urlsafe_b64encode(":".join(str(p) for p in parts).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, n: int) -> tuple[int, ...]:
    """The key inside a cursor; 400 when it was not made by encode_cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = tuple(int(p) for p in raw.split(":"))
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "InvalidPaginationParameter", "cursor is invalid") from None
    if len(parts) != n:
        raise ApiError(400, "InvalidPaginationParameter", "cursor is invalid")
    return parts


def _url(**params: object) -> str:
    query = {k: v for k, v in flask.request.args.items() if k not in params}
    query.update({k: v for k, v in params.items() if v is not None})
    return f"{root()}{flask.request.path}?{urlencode(query)}"


def listing(conn: sqlite3.Connection, key: str, where: str, params: list, select: str,
            shape: Callable[[sqlite3.Row], dict]) -> dict:
    """List rows of `select ... WHERE where` ordered by the integer column `key`, either pagination."""
    args = flask.request.args
    if "page[size]" in args or "page[after]" in args or "page[before]" in args:
        return _cursor_page(conn, key, where, params, select, shape)
    per_page = int_arg("per_page", MAX_PAGE, low=1, high=MAX_PAGE)
    page = int_arg("page", 1, low=1, high=1_000_000)
    # select/where/key are this package's own SQL fragments; user values only travel as parameters
    count = conn.execute(f"SELECT COUNT(*) FROM ({select} WHERE {where})", params).fetchone()[0]  # noqa: S608
    rows = conn.execute(f"{select} WHERE {where} ORDER BY {key} LIMIT ? OFFSET ?",
                        [*params, per_page, (page - 1) * per_page]).fetchall()
    return {"items": [shape(r) for r in rows],
            "next_page": _url(page=page + 1, per_page=per_page) if page * per_page < count else None,
            "previous_page": _url(page=page - 1, per_page=per_page) if page > 1 else None, "count": count}


def _cursor_page(conn: sqlite3.Connection, key: str, where: str, params: list, select: str,
                 shape: Callable[[sqlite3.Row], dict]) -> dict:
    size = int_arg("page[size]", MAX_PAGE, low=1, high=MAX_PAGE)
    after, before = flask.request.args.get("page[after]"), flask.request.args.get("page[before]")
    if after and before:
        raise ApiError(400, "InvalidPaginationParameter", "page[after] and page[before] are exclusive")
    if before:
        (edge,) = decode_cursor(before, 1)
        rows = conn.execute(f"{select} WHERE ({where}) AND {key} < ? ORDER BY {key} DESC LIMIT ?",
                            [*params, edge, size + 1]).fetchall()
        has_more = len(rows) > size
        rows = list(reversed(rows[:size]))
    else:
        edge = decode_cursor(after, 1)[0] if after else None
        extra = f" AND {key} > ?" if edge is not None else ""
        rows = conn.execute(f"{select} WHERE ({where}){extra} ORDER BY {key} LIMIT ?",
                            [*params, *([edge] if edge is not None else []), size + 1]).fetchall()
        has_more = len(rows) > size
        rows = rows[:size]
    first = encode_cursor(rows[0][key]) if rows else None
    last = encode_cursor(rows[-1][key]) if rows else None
    return {"items": [shape(r) for r in rows],
            "meta": {"has_more": has_more, "after_cursor": last, "before_cursor": first},
            "links": {"next": _url(**{"page[after]": last, "page[size]": size, "page[before]": None})
                      if has_more and last else None,
                      "prev": _url(**{"page[before]": first, "page[size]": size, "page[after]": None})
                      if first else None}}
