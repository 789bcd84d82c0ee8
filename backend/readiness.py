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
WAIT_S = 10.0  # for another caller's round: one is bounded (3 s database connect + 2 s probes)


class _Round:
    """One caller's computation under way; callers with nothing remembered wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Remembered:
    """The last readiness result for ttl_s seconds (LC_READY_CACHE_S). /readyz is unauthenticated:
    without this every hit made five outgoing calls, one of them against Zendesk's rate limit.

    When the result is stale, one caller computes the next one while the others get the stale one at
    once; only when there is none yet do they wait for that caller's round (at most wait_s, then
    TimeoutError), and share its result or its exception rather than each computing again in turn.
    With ttl_s 0 nothing is remembered or shared: every caller computes, concurrently."""

    def __init__(self, ttl_s: float, wait_s: float = WAIT_S):
        self.ttl_s = ttl_s
        self.wait_s = wait_s
        self._lock = threading.Lock()  # held only to look at or replace what follows, never to compute
        self._value: Any = None
        self._until = 0.0
        self._round: _Round | None = None

    def get(self, compute: Callable[[], Any]) -> Any:
        """The remembered value while fresh, else compute()'s (see the class)."""
        if self.ttl_s <= 0:
            return compute()
        with self._lock:
            if self._value is not None and time.monotonic() < self._until:
                return self._value
            stale, current = self._value, self._round
            if current is None:
                current = self._round = _Round()
                mine = True
            else:
                mine = False
        if mine:
            return self._compute(compute, current)
        if stale is not None:
            return stale
        if not current.done.wait(self.wait_s):
            raise TimeoutError(f"another caller's round still running after {self.wait_s} s")
        if current.error is not None:
            raise current.error
        return current.value

    def _compute(self, compute: Callable[[], Any], current: _Round) -> Any:
        try:
            current.value = compute()
        except BaseException as exc:
            current.error = exc  # its waiters raise it too; the next caller computes afresh
            raise
        finally:
            with self._lock:
                if current.error is None:
                    self._value, self._until = current.value, time.monotonic() + self.ttl_s
                self._round = None
            current.done.set()
        return current.value


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
