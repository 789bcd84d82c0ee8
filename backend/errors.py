"""The backend's exceptions: one root, API errors that map to a JSON envelope, source failures."""
from __future__ import annotations


class LearnerContextError(Exception):
    """Root of every exception this package raises on purpose."""


class ApiError(LearnerContextError):
    """An error answered to the caller as {"error": {"code", "message", "details"?}}."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: object = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details
        self.headers = headers or {}


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class TooManyRequests(ApiError):
    status, code = 429, "rate_limited"


class ServiceUnavailable(ApiError):
    status, code = 503, "unavailable"


class SourceError(LearnerContextError):
    """A call to an outside system failed; `section_status` is what the answer shows for it, and
    `http_status` the status the system answered with, if it answered."""

    section_status = "error"

    def __init__(self, system: str, reason: str, *, http_status: int | None = None):
        super().__init__(f"{system}: {reason}")
        self.system = system
        self.reason = reason
        self.http_status = http_status


class SourceTimeout(SourceError):
    section_status = "timeout"


class SourceUnavailable(SourceError):
    """Connection refused/reset, circuit open, 5xx after retries."""

    section_status = "unavailable"


class SourceBadResponse(SourceError):
    """The system answered, but not with what its contract promises (bad JSON, wrong shape, 4xx)."""

    section_status = "error"
