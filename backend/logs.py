"""JSON-lines logging to stderr with the request id; PII-free by construction of what we log."""
from __future__ import annotations

import logging
import re
import secrets
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

import orjson

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Attributes every LogRecord has; anything else passed through `extra=` becomes a JSON field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Fields we never emit even if a caller passes them by mistake (tokens, emails, names).
_FORBIDDEN = {"authorization", "token", "email", "emails", "name", "secret", "password"}
_SCALARS = (str, int, float, bool, type(None))
# The id of the request this thread (or task) is serving: set by web.RequestEnvelope around each
# request, read when a record is created. A ContextVar is what Flask's request context sits on,
# without the LocalProxy chain that made every record cost a has_request_context() + g lookup.
REQUEST_ID: ContextVar[str | None] = ContextVar("lc_request_id", default=None)


def sane_request_id(value: str | None) -> str:
    """The caller's X-Request-Id when it is short and plain, else a fresh random id."""
    if value and _REQUEST_ID.fullmatch(value):
        return value
    return secrets.token_hex(16)  # 128 random bits, as a uuid4's hex without building a UUID


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    return REQUEST_ID.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id and safe extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": _timestamp(record.created),
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
            entry[key] = value if isinstance(value, _SCALARS) and not _huge(value) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's type and stack, not its message: messages can carry request data.
            entry["exception"] = record.exc_info[0].__name__
            entry["stack"] = self.formatStack(_frames(record.exc_info[2]))
        return orjson.dumps(entry).decode()


def _huge(value: object) -> bool:
    """An integer JSON encoders disagree on (orjson refuses beyond 64 bits): logged as text."""
    return type(value) is int and not -(2**63) <= value < 2**64


_stamp: tuple[int, str] = (-1, "")  # (whole second, its text): one strftime per second, not per line


def _timestamp(created: float) -> str:
    """ISO 8601 UTC with milliseconds, as datetime.isoformat(timespec="milliseconds") writes it."""
    global _stamp
    second, text = _stamp  # one read of one tuple: threads never see a second with another's text
    if second != int(created):
        second = int(created)
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _stamp = (second, text)
    return f"{text}.{int((created - second) * 1000):03d}+00:00"


def _frames(tb) -> str:
    return "".join(traceback.format_tb(tb))


_base_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: object, **kwargs: object) -> logging.LogRecord:
    """Stamp each record with the request id when it is created (handlers may format it later)."""
    record = _base_factory(*args, **kwargs)
    if not hasattr(record, "request_id"):
        record.request_id = current_request_id()
    return record


QUIET_LIBRARIES = ("urllib3", "requests")


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
    # Their DEBUG lines carry request URLs, whose queries hold learners' emails and ids.
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
