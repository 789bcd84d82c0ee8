"""Control plane /_sandbox/: the faults armed per system and the log of calls (middleware.py acts)."""

from __future__ import annotations

import json
import threading
from collections import deque

from werkzeug.wrappers import Response

from sandbox.config import REQUEST_LOG_SIZE

SYSTEMS = ("learners", "enrolments", "courses", "payments", "zendesk")
KINDS = ("latency", "hang", "error", "reset", "garbage", "rate_limited")
MAX_LATENCY_MS = 120_000
SETTLE_SECONDS = 5.0  # clearing faults waits at most this long for the calls it released to be logged
LOOPBACK = ("127.0.0.1", "::1", "localhost")


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
