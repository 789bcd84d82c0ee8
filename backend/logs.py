"""JSON-lines logging to stderr with the request id; PII-free by construction of what we log."""
from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Attributes every LogRecord has; anything else passed through `extra=` becomes a JSON field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Fields we never emit even if a caller passes them by mistake (tokens, emails, names).
_FORBIDDEN = {"authorization", "token", "email", "emails", "name", "secret", "password"}


def sane_request_id(value: str | None) -> str:
    """The caller's X-Request-Id when it is short and plain, else a fresh random id."""
    if value and _REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    if has_request_context():
        return g.get("request_id")
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id and safe extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key.lower() in _FORBIDDEN:
                continue
            entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's type and stack, not its message: messages can carry request data.
            entry["exception"] = record.exc_info[0].__name__
            entry["stack"] = self.formatStack(_frames(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


def _frames(tb) -> str:
    return "".join(traceback.format_tb(tb))


_base_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: object, **kwargs: object) -> logging.LogRecord:
    """Stamp each record with the request id when it is created (handlers may format it later)."""
    record = _base_factory(*args, **kwargs)
    if not hasattr(record, "request_id"):
        record.request_id = current_request_id()
    return record


def configure(level: str = "INFO") -> None:
    """Send the root logger's records to stderr as JSON lines (idempotent)."""
    logging.setLogRecordFactory(_record_with_request_id)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter):  # ours, or gunicorn's logconfig_dict
            break
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level.upper())
