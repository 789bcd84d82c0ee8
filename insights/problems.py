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
