"""Control plane /_sandbox/: per-system fault injection and the request log, as WSGI middleware."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque

from werkzeug.wrappers import Request, Response

from sandbox.config import HANG_SECONDS, REQUEST_LOG_SIZE

SYSTEMS = ("learners", "enrolments", "courses", "payments", "zendesk")
KINDS = ("latency", "hang", "error", "reset", "garbage")
MAX_LATENCY_MS = 120_000
SETTLE_SECONDS = 5.0  # clearing faults waits at most this long for the calls it released to be logged
LOOPBACK = ("127.0.0.1", "::1", "localhost")
PART_ROUTES = ("/_sandbox/zendesk/", "/_sandbox/webhooks/")  # served by the parts themselves


def system_of(path: str) -> str | None:
    """Which of the five systems a request path belongs to, if any."""
    if path.startswith("/api/v2/") or path == "/api/v2":
        return "zendesk"
    parts = path.split("/", 4)
    if len(parts) >= 4 and parts[1] == "internal" and parts[2] in SYSTEMS[:4] and parts[3] == "v1":
        return parts[2]
    return None


class Fault:
    """One armed fault; `released` ends a hang early when the fault is cleared."""

    def __init__(self, system: str, kind: str, ms: int, times: int | None) -> None:
        self.system, self.kind, self.ms, self.times = system, kind, ms, times
        self.released = threading.Event()
        self.active = 0  # requests that took this fault and are not logged yet

    def describe(self) -> dict:
        return {"kind": self.kind, "ms": self.ms, "times": self.times}


class Control:
    """Faults per system and the log of calls to the systems, shared by all server threads."""

    def __init__(self) -> None:
        self.lock = threading.Condition()  # guards everything below; notified when a call is logged
        self.faults: dict[str, Fault] = {}
        self.log: deque[dict] = deque(maxlen=REQUEST_LOG_SIZE)
        self.in_flight: dict[str, int] = {}  # calls started and not yet logged, per system
        self.waiting: list[Fault] = []  # one entry per request held, even after `times` used a fault up

    def arm(self, system: str, fault: Fault) -> None:
        with self.lock:
            old = self.faults.get(system)
            self.faults[system] = fault
        if old:
            old.released.set()

    def clear(self, system: str | None = None) -> None:
        with self.lock:
            names = list(self.faults) if system is None else [system]
            cleared = [self.faults.pop(name) for name in names if name in self.faults]
            cleared += [f for f in set(self.waiting) if system in (None, f.system)]
        for fault in cleared:
            fault.released.set()
        with self.lock:  # answer only once the released calls are in the log: no late entries after this
            self.lock.wait_for(lambda: all(f.active == 0 for f in cleared), timeout=SETTLE_SECONDS)

    def take(self, system: str) -> Fault | None:
        """The fault to apply to this request, counting down `times`."""
        with self.lock:
            fault = self.faults.get(system)
            if fault is None:
                return None
            fault.active += 1
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    del self.faults[system]
            return fault

    def start(self, system: str) -> None:
        with self.lock:
            self.in_flight[system] = self.in_flight.get(system, 0) + 1

    def record(self, entry: dict, fault: Fault | None = None) -> None:
        """Log a finished call (the same moment it stops counting as in flight)."""
        with self.lock:
            self.log.append(entry)
            if fault is not None:
                fault.active -= 1
            self.lock.notify_all()
            left = self.in_flight.get(entry["system"], 0) - 1
            if left > 0:
                self.in_flight[entry["system"]] = left
            else:
                self.in_flight.pop(entry["system"], None)


def json_response(data: object, status: int = 200) -> Response:
    """A JSON answer of the control plane or of a fault."""
    return Response(json.dumps(data), status=status, mimetype="application/json")


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
