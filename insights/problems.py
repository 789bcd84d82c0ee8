"""Warehouse errors as one line each, without the statement, its parameters or quoted values (PII)."""
from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError


def db_problem(exc: DBAPIError) -> str:
    """The database's complaint in one line: error class, SQLSTATE and its primary message, values masked."""
    orig = exc.orig
    if orig is None:
        return type(exc).__name__
    diag = getattr(orig, "diag", None)  # psycopg: the primary message, without the detail lines
    lines = (getattr(diag, "message_primary", None) or str(orig)).splitlines()
    said = re.sub(r'"[^"]*"', '"…"', lines[0] if lines else "")[:200]
    code = getattr(orig, "sqlstate", None)
    return type(orig).__name__ + (f" (SQLSTATE {code})" if code else "") + (f": {said}" if said else "")


def waited_for_lock(exc: DBAPIError) -> bool:
    """The statement gave up waiting for a lock another session holds (PostgreSQL's lock_timeout,
    SQLite's busy timeout)."""
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) == "55P03"
            or getattr(orig, "sqlite_errorname", None) in ("SQLITE_BUSY", "SQLITE_LOCKED"))
