"""The outer WSGI layer: serves /_sandbox/ and wraps every system call in its fault and a log entry."""

from __future__ import annotations

import math
import socket
import struct
import time

from werkzeug.wrappers import Request, Response

from sandbox.config import HANG_SECONDS
from sandbox.control import LOOPBACK, Control, Fault, json_response, system_of

PART_ROUTES = ("/_sandbox/zendesk/", "/_sandbox/webhooks/")  # served by the parts themselves


def drop_connection(environ: dict) -> None:
    """End the client's connection without an answer: shut down now, reset on close (SO_LINGER 0)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client is already gone
    # werkzeug treats a ConnectionError from the app as a dropped connection and writes nothing.
    raise ConnectionAbortedError("sandbox fault: connection dropped")


def rate_limited(fault: Fault) -> Response:
    """HTTP 429 with Retry-After: ceil(ms / 1000) seconds, in the system's own error shape (Zendesk's
    APIRateLimitExceeded for /api/v2, the internal {"error": {"code", "message"}} otherwise)."""
    if fault.system == "zendesk":
        body: dict = {"error": "APIRateLimitExceeded",
                      "description": "Number of allowed API requests per minute exceeded"}
    else:
        body = {"error": {"code": "rate_limited", "message": "too many requests, retry later"}}
    resp = json_response(body, 429)
    resp.headers["Retry-After"] = str(math.ceil(fault.ms / 1000))
    return resp


class ControlMiddleware:
    """Serves /_sandbox/ itself and wraps every call to a system with its fault and a log entry."""

    def __init__(self, app, control: Control | None = None, health=lambda: True) -> None:
        self.app, self.control, self.health = app, control or Control(), health

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PART_ROUTES) and environ.get("REMOTE_ADDR") in LOOPBACK:
            return self.app(environ, start_response)  # a part's own control routes (loopback only)
        if path == "/_sandbox" or path.startswith("/_sandbox/"):
            return self.plane(Request(environ))(environ, start_response)
        system = system_of(path)
        if system is None:
            return self.app(environ, start_response)
        entry = {
            "system": system,
            "method": environ.get("REQUEST_METHOD", ""),
            "path": path,
            "status": None,
            "started": time.time(),
            "ended": None,
        }
        self.control.start(system)
        fault = None
        try:
            fault = self.control.take(system)
            if fault is not None:
                early = self.apply(fault, environ)
                if early is not None:
                    entry["status"] = early.status_code
                    return _Logged(early(environ, start_response), entry, self.control, fault)

            def recording_start(status, headers, exc_info=None):
                entry["status"] = int(status.split(" ", 1)[0])
                return start_response(status, headers, exc_info)

            return _Logged(self.app(environ, recording_start), entry, self.control, fault)
        except BaseException:
            entry["ended"] = time.time()
            self.control.record(entry, fault)  # a dropped connection is logged with status null
            raise

    def apply(self, fault: Fault, environ: dict) -> Response | None:
        """Act out a fault; returns the response that replaces the system's, if any."""
        if fault.kind in ("latency", "hang"):
            with self.control.lock:
                self.control.waiting.append(fault)
            try:
                fault.released.wait(fault.ms / 1000 if fault.kind == "latency" else HANG_SECONDS)
            finally:
                with self.control.lock:
                    self.control.waiting.remove(fault)
            if fault.kind == "latency":
                return None
        if fault.kind == "error":
            return json_response({"error": {"code": "sandbox_fault", "message": "injected HTTP 500"}}, 500)
        if fault.kind == "rate_limited":
            return rate_limited(fault)
        if fault.kind == "garbage":
            return Response(b"<html>\x00\xffnot json{{", status=200, mimetype="application/json")
        drop_connection(environ)  # reset, and the end of a hang
        return None

    def plane(self, request: Request) -> Response:
        """The control-plane endpoints (loopback clients only): sandbox.control_plane."""
        from sandbox import control_plane  # it needs this module's Fault, KINDS and SYSTEMS

        return control_plane.serve(self.control, self.health, request)


class _Logged:
    """Response iterable that logs the call once the server has finished sending it."""

    def __init__(self, iterable, entry: dict, control: Control, fault: Fault | None) -> None:
        self.iterable, self.entry, self.control, self.fault = iterable, entry, control, fault

    def __iter__(self):
        return iter(self.iterable)

    def close(self) -> None:
        try:
            close = getattr(self.iterable, "close", None)
            if close is not None:
                close()
        finally:
            self.entry["ended"] = time.time()
            self.control.record(self.entry, self.fault)
