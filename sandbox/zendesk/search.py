"""Zendesk search query syntax for tickets -> an SQL condition (the subset the jobs use)."""
from __future__ import annotations

import re
import shlex
import time

from sandbox.zendesk.timeutil import DAY, parse_iso

STATUS_ORDER = ["new", "open", "pending", "hold", "solved", "closed"]
TIME_FIELDS = {"created": "t.created_at", "updated": "COALESCE(o.updated_at, t.updated_at)",
               "solved": "t.solved_at"}
TEXT_FIELDS = {"priority": "t.priority", "ticket_type": "t.type", "via": "t.channel"}
ID_FIELDS = {"assignee": "t.assignee_id", "requester": "t.requester_id", "group": "t.group_id"}
UNITS = {"minutes": 60, "hours": 3600, "days": DAY, "weeks": 7 * DAY, "months": 30 * DAY, "years": 365 * DAY}
TERM = re.compile(r"^(?P<field>[a-z_]+)(?P<op>>=|<=|:|>|<)(?P<value>.+)$")
RELATIVE = re.compile(r"^(\d+)(minute|hour|day|week|month|year)s?$")
SUPPORTED = ("type:ticket, created/updated/solved with : > >= < <= and a date, an ISO time or a relative "
             "span (4hours), status (also < >), tags, priority, ticket_type, via, assignee, requester, group")


def _moment(value: str, op: str) -> tuple[int, int]:
    """[start, end) of a time value: one second for ISO times, a day for dates, up to now for spans."""
    relative = RELATIVE.match(value)
    if relative:
        now = int(time.time())
        # created>4hours: within the last four hours, i.e. after now - 4h
        return now - int(relative.group(1)) * UNITS[relative.group(2) + "s"], now + 1
    moment = parse_iso(value)
    span = DAY if len(value) == 10 else 1
    return moment, moment + span


def _time_term(column: str, op: str, value: str) -> tuple[str, list]:
    start, end = _moment(value, op)
    if RELATIVE.match(value):
        op = {">": ">=", ":": ">="}.get(op, op)
        return {">=": (f"{column} >= ?", [start]), "<": (f"{column} < ?", [start]),
                "<=": (f"{column} <= ?", [start])}[op]
    return {":": (f"{column} >= ? AND {column} < ?", [start, end]), ">": (f"{column} >= ?", [end]),
            ">=": (f"{column} >= ?", [start]), "<": (f"{column} < ?", [start]),
            "<=": (f"{column} < ?", [end])}[op]


def _status_term(op: str, value: str) -> tuple[str, list]:
    if value not in STATUS_ORDER:
        raise ValueError(f"unknown status {value!r}")
    rank = STATUS_ORDER.index(value)
    chosen = {":": [value], "<": STATUS_ORDER[:rank], "<=": STATUS_ORDER[:rank + 1],
              ">": STATUS_ORDER[rank + 1:], ">=": STATUS_ORDER[rank:]}[op] or ["-"]
    return f"t.status IN ({','.join('?' for _ in chosen)})", chosen


def _term(field: str, op: str, value: str) -> tuple[str, list]:
    if field == "type":
        if op != ":" or value != "ticket":
            raise ValueError("only type:ticket can be counted")
        return "1 = 1", []
    if field in TIME_FIELDS:
        return _time_term(TIME_FIELDS[field], op, value)
    if field == "status":
        return _status_term(op, value)
    if op != ":":
        raise ValueError(f"{field} takes ':' only")
    if field in ("tags", "tag"):
        return "(' ' || t.tags || ' ') LIKE ?", [f"% {value} %"]
    if field in TEXT_FIELDS:
        return f"{TEXT_FIELDS[field]} = ?", [value]
    if field in ID_FIELDS:
        if value == "none":
            return f"{ID_FIELDS[field]} IS NULL", []
        if not value.isdigit():
            raise ValueError(f"{field} takes a numeric id in the sandbox")
        return f"{ID_FIELDS[field]} = ?", [int(value)]
    raise ValueError(f"unsupported search term {field}{op}{value}; the sandbox supports {SUPPORTED}")


def parse(query: str) -> tuple[str, list]:
    """`type:ticket created>=2026-11-23T10:00:00Z created<2026-11-23T11:00:00Z` -> (SQL, params)."""
    try:
        words = shlex.split(query)
    except ValueError:
        raise ValueError("unbalanced quotes in query") from None
    if not words:
        raise ValueError("query is required")
    clauses, params = [], []
    for word in words:
        match = TERM.match(word)
        if not match:
            raise ValueError(f"free-text search ({word!r}) is not supported; "
                             f"the sandbox supports {SUPPORTED}")
        clause, values = _term(match["field"], match["op"], match["value"])
        clauses.append(f"({clause})")
        params += values
    return " AND ".join(clauses), params
