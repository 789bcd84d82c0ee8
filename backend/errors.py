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


class SourceRateLimited(SourceError):
    """The system answered 429: our share of its request budget is spent for now (Zendesk's is shared
    with the insights export and other integrations). It is up, so this is never a breaker failure;
    the section shows "unavailable" (its data cannot be had right now). `retry_after_s` is its
    Retry-After in seconds, None when absent or unreadable."""

    section_status = "unavailable"

    def __init__(self, system: str, reason: str, *, retry_after_s: float | None = None):
        super().__init__(system, reason, http_status=429)
        self.retry_after_s = retry_after_s


class SourceBadResponse(SourceError):
    """The system answered, but not with what its contract promises (bad JSON, wrong shape, 4xx)."""

    section_status = "error"
