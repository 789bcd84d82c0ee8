"""The circuit breaker of one system: pybreaker's counting, refusals before any I/O, one half-open trial."""
from __future__ import annotations

import threading
import time
from typing import Any

import pybreaker

from backend.errors import SourceError, SourceUnavailable


class CircuitOpen(SourceUnavailable):
    """The breaker is open: the system was not called at all."""


class _OpenedAt(pybreaker.CircuitBreakerListener):
    """Remembers (monotonically) when the breaker opened, so open calls are refused before any I/O."""

    def __init__(self) -> None:
        self.opened_at: float | None = None

    def state_change(self, cb: pybreaker.CircuitBreaker, old_state: Any, new_state: Any) -> None:
        self.opened_at = time.monotonic() if new_state.name == pybreaker.STATE_OPEN else None


def _replay(outcome: object) -> object:
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


class Breaker:
    """pybreaker counts the outcomes; calls are admitted or refused here, before their I/O.

    pybreaker holds its lock for the whole guarded call, which would serialise every request to the
    system; so the request runs outside and only its outcome is replayed through the breaker."""

    def __init__(self, system: str, failures: int, reset_s: float):
        self.system = system
        self.reset_s = reset_s
        self._opened = _OpenedAt()
        self.pybreaker = pybreaker.CircuitBreaker(fail_max=failures, reset_timeout=reset_s,
                                                  throw_new_error_on_trip=False, listeners=[self._opened],
                                                  name=system)
        self._trial = False  # a half-open trial call is under way
        self._lock = threading.Lock()

    def admit(self) -> bool:
        """Raise CircuitOpen while the breaker is open; once its reset time has passed, let exactly
        one trial call through (True) and refuse the others until its outcome is known: letting
        every concurrent call try a system that may still hang would hold a thread each."""
        with self._lock:
            if self._trial:
                raise CircuitOpen(self.system, "circuit half-open: a trial call is under way")
            opened_at = self._opened.opened_at
            if opened_at is None:
                return False
            if time.monotonic() - opened_at < self.reset_s:
                raise CircuitOpen(self.system, "circuit open")
            self._trial = True
            return True

    def settle(self, outcome: object) -> object:
        """Count outcome (a result or a SourceError) and return or raise it."""
        try:
            return self.pybreaker.call(_replay, outcome)
        except pybreaker.CircuitBreakerError:
            # Concurrent calls opened the breaker while this one ran: its outcome still stands (a
            # success keeps its data, a failure its own kind); only later calls are refused.
            if isinstance(outcome, SourceError):
                raise outcome from None
            return outcome

    def end_trial(self) -> None:
        """The admitted trial call is over: the next call may be admitted (or refused) afresh."""
        self._trial = False

    def open(self) -> None:
        """Open the breaker now (as failures of concurrent calls would; tests)."""
        self.pybreaker.open()
