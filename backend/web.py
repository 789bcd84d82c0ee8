"""Cross-cutting HTTP behaviour: request ids, security headers, body limit, one JSON error envelope."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import orjson
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from backend.errors import ApiError, BadRequest, PayloadTooLarge, UnsupportedMediaType
from backend.logs import REQUEST_ID, sane_request_id

log = logging.getLogger("backend.http")

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
}
REQUEST_ID_KEY = "lc.request_id"  # WSGI environ keys shared by the envelope and the views
AGENT_KEY = "lc.agent_sub"
_FIXED_HEADERS = list(SECURITY_HEADERS.items())
_REPLACED = {name.lower() for name in SECURITY_HEADERS} | {"x-request-id"}
# Werkzeug's exception names as stable codes for the envelope.
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 408: "request_timeout",
               411: "length_required", 413: "payload_too_large", 414: "uri_too_long",
               415: "unsupported_media_type", 429: "rate_limited", 431: "headers_too_large"}


def error_response(status: int, code: str, message: str, details: object = None,
                   headers: dict[str, str] | None = None) -> Response:
    """The {"error": {...}} answer every failure uses."""
    body: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def json_body(max_bytes: int) -> object:
    """The request's JSON body, enforcing content type (415), size (413) and syntax (400)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge(f"The body exceeds {max_bytes} bytes.")
    raw = request.get_data(cache=True)  # a streamed body is cut at max_bytes + 1 (see install)
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"The body exceeds {max_bytes} bytes.")
    try:
        # UTF-8 only (RFC 8259), no NaN/Infinity, integers within 64 bits, nesting below 1,024.
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("The body is not valid JSON.", code="invalid_json") from None


class RequestEnvelope:
    """WSGI middleware around the whole app: the request id, the security headers and no CORS
    headers on every response (framework errors and 500s included), and one log line per request.

    Plain list work on the headers handed to start_response: werkzeug's Headers.set validated and
    scanned the list again for each of the eight headers, a tenth of a warm lookup's CPU."""

    def __init__(self, app: Callable):
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = environ[REQUEST_ID_KEY] = sane_request_id(environ.get("HTTP_X_REQUEST_ID"))
        token = REQUEST_ID.set(request_id)
        status_line = ["500"]

        def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
            status_line[0] = status
            kept = [(name, value) for name, value in headers
                    if name.lower() not in _REPLACED and not name.lower().startswith("access-control-")]
            kept += _FIXED_HEADERS
            kept.append(("X-Request-Id", request_id))
            return start_response(status, kept, exc_info)

        try:
            return self.app(environ, start)
        finally:
            log.info("request", extra={
                "method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
                "status": int(status_line[0][:3]), "agent_sub": environ.get(AGENT_KEY),
                "latency_ms": round((time.perf_counter() - started) * 1000, 1)})
            REQUEST_ID.reset(token)


def install(app: Flask, max_body_bytes: int) -> None:
    """Wrap app in the RequestEnvelope and register the body-limit and error hooks."""
    # One byte of slack: werkzeug cuts a streamed (chunked) body at this size without an error,
    # so a body that reaches it is known to be over the limit (json_body checks the length).
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes + 1
    # No automatic OPTIONS answers (an empty text/html 200): the proxy calls server to server and
    # there is no CORS, so OPTIONS is a 405 in the JSON envelope with Allow like any other method.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.wsgi_app = RequestEnvelope(app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def _start() -> Response | None:
        if request.content_length is not None and request.content_length > max_body_bytes:
            return error_response(413, "payload_too_large", f"The body exceeds {max_body_bytes} bytes.")
        return None

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        allowed = getattr(exc, "valid_methods", None)
        headers = {"Allow": ", ".join(sorted(allowed))} if allowed else None
        message = exc.description or exc.name
        if status == 400:
            message = "The request is malformed."
        return error_response(status, _HTTP_CODES.get(status, "http_error"), message, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "internal_error",
                              f"Something went wrong; quote request id {REQUEST_ID.get() or '-'}.")
