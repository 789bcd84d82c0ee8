"""Cross-cutting HTTP behaviour: request ids, security headers, body limit, one JSON error envelope."""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from backend.errors import ApiError, BadRequest, PayloadTooLarge, UnsupportedMediaType
from backend.logs import sane_request_id

log = logging.getLogger("backend.http")

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
}
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
        parsed = request.get_json(silent=True)
    except RecursionError:  # nesting deeper than the parser's recursion limit; silent only covers ValueError
        parsed = None
    if parsed is None:
        raise BadRequest("The body is not valid JSON.", code="invalid_json")
    return parsed


def install(app: Flask, max_body_bytes: int) -> None:
    """Register the request-id, header and error hooks on app."""
    # One byte of slack: werkzeug cuts a streamed (chunked) body at this size without an error,
    # so a body that reaches it is known to be over the limit (json_body checks the length).
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes + 1
    # No automatic OPTIONS answers (an empty text/html 200): the proxy calls server to server and
    # there is no CORS, so OPTIONS is a 405 in the JSON envelope with Allow like any other method.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False

    @app.before_request
    def _start() -> Response | None:
        g.request_id = sane_request_id(request.headers.get("X-Request-Id"))
        g.started = time.perf_counter()
        if request.content_length is not None and request.content_length > max_body_bytes:
            return error_response(413, "payload_too_large", f"The body exceeds {max_body_bytes} bytes.")
        return None

    @app.after_request
    def _finish(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        for name in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
            del response.headers[name]
        request_id = g.get("request_id") or sane_request_id(None)
        response.headers["X-Request-Id"] = request_id
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("request", extra={"method": request.method, "path": request.path,
                                   "status": response.status_code, "latency_ms": round(elapsed, 1),
                                   "agent_sub": g.get("agent_sub")})
        return response

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
                              f"Something went wrong; quote request id {g.get('request_id', '-')}.")
