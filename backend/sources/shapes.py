"""The shape of the internal systems' answers: list pages and records checked field by field."""
from __future__ import annotations

import math
import re
from typing import Any

from backend.errors import SourceBadResponse


def list_page(system: str, page: Any) -> tuple[list[dict], str | None, int]:
    """Validate a {"data", "next_cursor", "total"} page; wrong shape is SourceBadResponse."""
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise SourceBadResponse(system, "list answer without a data array")
    if not all(isinstance(item, dict) for item in page["data"]):
        raise SourceBadResponse(system, "list entries are not objects")
    cursor = page.get("next_cursor")
    total = page.get("total")
    return page["data"], cursor if isinstance(cursor, str) else None, total if isinstance(total, int) else 0


def shape_error(system: str, what: str) -> SourceBadResponse:
    """The error for a record that lacks what the contract promises."""
    return SourceBadResponse(system, f"unexpected shape: {what}")


STR, NUM = (str,), (int, float)
# A decimal-string amount of money with a sane magnitude: "1e999999" is no price, and once summed it
# raised decimal.Overflow or put a megabyte of digits into the answer.
_MONEY = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,4})?")


def pick(system: str, raw: dict, spec: dict[str, tuple[type, ...]]) -> dict:
    """Copy the fields named in spec, each null or of its types; any other value is a shape error,
    so the rules never meet a string where they compare numbers."""
    out = {}
    for name, kinds in spec.items():
        value = raw.get(name)
        wrong_bool = isinstance(value, bool) and bool not in kinds  # True is an int to isinstance
        if value is not None and (not isinstance(value, kinds) or wrong_bool):
            raise shape_error(system, f"{name} has the wrong type")
        if isinstance(value, float) and not math.isfinite(value):  # Python's JSON reads NaN, Infinity
            raise shape_error(system, f"{name} is not a finite number")
        out[name] = value
    return out


def money(system: str, record: dict, *names: str) -> dict:
    """record itself, when each named field is null or a decimal string such as "49.00"; else a shape
    error."""
    for name in names:
        value = record.get(name)
        if value is not None and not (isinstance(value, str) and _MONEY.fullmatch(value)):
            raise shape_error(system, f"{name} is not a decimal amount")
    return record


def require(system: str, raw: Any, *names: str) -> dict:
    """raw itself, when it is an object whose named fields are non-empty strings; else a shape error."""
    if not isinstance(raw, dict) or not all(isinstance(raw.get(n), str) and raw[n] for n in names):
        raise shape_error(system, f"record without {'/'.join(names)}")
    return raw


def as_dict(value: Any) -> dict:
    """A nested object, or {} when absent."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[dict]:
    """A nested list's objects, or [] when absent."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
