"""Readiness of the internal systems and Zendesk: one cheap call to each, all at once, under 2 s."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any

from backend.deadline import Deadline
from backend.errors import SourceError
from backend.sources import courses, enrolments, learners, payments
from backend.sources.http import SourceClient
from backend.zendesk import ZendeskClient

log = logging.getLogger(__name__)

PROBES = {"learners": learners.probe, "enrolments": enrolments.probe, "courses": courses.probe,
          "payments": payments.probe}
READINESS_MS = 2000


class Remembered:
    """The last readiness result for ttl_s seconds (LC_READY_CACHE_S). /readyz is unauthenticated:
    without this every hit made five outgoing calls, one of them against Zendesk's rate limit.
    Concurrent callers share one round of probes (the lock is held while it runs, under 2 s)."""

    def __init__(self, ttl_s: float):
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._value: Any = None
        self._until = 0.0

    def get(self, compute: Callable[[], Any]) -> Any:
        """The remembered value while fresh, else compute()'s, remembered."""
        with self._lock:
            if self._value is None or time.monotonic() >= self._until:
                self._value = compute()
                self._until = time.monotonic() + self.ttl_s
            return self._value


def probe_all(clients: dict[str, SourceClient], zendesk: ZendeskClient | None, executor: Executor,
              deadline_ms: int) -> dict[str, dict]:
    """{"learners": {"status", "latency_ms"}, ..., "zendesk"?}: a probe still running at the deadline
    is a timeout, one that crashes an error; /readyz never waits longer or fails itself."""
    deadline = Deadline(min(deadline_ms, READINESS_MS))
    probes: dict[str, Any] = {s: (lambda s=s: PROBES[s](clients[s], deadline)) for s in PROBES}
    if zendesk is not None:
        probes["zendesk"] = lambda: zendesk.probe(deadline)
    futures = {name: executor.submit(_timed, probe) for name, probe in probes.items()}
    out = {}
    for name, future in futures.items():
        try:
            out[name] = future.result(timeout=deadline.remaining() + 0.2)
        except FuturesTimeout:
            future.cancel()
            out[name] = {"status": "timeout", "latency_ms": None}
        except Exception as exc:  # noqa: BLE001 - a probe's bug must not break /readyz
            log.error("readiness probe %s crashed: %s", name, type(exc).__name__)
            out[name] = {"status": "error", "latency_ms": None}
    return out


def _timed(probe: Any) -> dict:
    started = time.perf_counter()
    try:
        probe()
        status = "ok"
    except SourceError as exc:
        status = exc.section_status
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
