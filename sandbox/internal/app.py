"""The four internal REST APIs as one Flask app, mounted by the server under /internal."""

from __future__ import annotations

import hmac
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from sandbox.config import SandboxSettings
from sandbox.internal import courses, enrolments, learners, payments
from sandbox.internal.db import ApiError, Store

SYSTEMS = {
    "learners": learners.bp,
    "courses": courses.bp,
    "enrolments": enrolments.bp,
    "payments": payments.bp,
}


def create_app(db_path: Path, settings: SandboxSettings) -> Flask:
    """Flask app serving /<system>/v1/... (the server mounts it at /internal)."""
    app = Flask(__name__)
    app.extensions["internal_store"] = Store(db_path)
    app.json.ensure_ascii = False  # names like 张伟 stay readable on the wire
    for system, blueprint in SYSTEMS.items():
        app.register_blueprint(blueprint, url_prefix=f"/{system}/v1")
    expected = f"Bearer {settings.internal_api_token}".encode()

    @app.before_request
    def require_token():
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            raise ApiError(401, "unauthorized", "missing or wrong service token")

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        response = jsonify(exc.body())
        response.status_code = exc.status
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="internal"'
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = jsonify({"error": {"code": code, "message": exc.description or exc.name}})
        response.status_code = exc.code or 500
        for name, value in exc.get_headers():
            if name.lower() != "content-type":  # keeps e.g. Allow on a 405
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # a bug must still answer JSON, never an HTML stack trace
        app.logger.exception("internal API failure on %s", request.path)
        response = jsonify({"error": {"code": "internal_error", "message": "unexpected server error"}})
        response.status_code = 500
        return response

    return app
