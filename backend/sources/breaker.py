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


class _Trial:
    """A half-open trial call: its slot is held until it ends, or at the latest until `until`."""

    def __init__(self, until: float):
        self.until = until


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
        self._trial: _Trial | None = None  # the half-open trial call under way, if any
        self._lock = threading.Lock()

    def admit(self, until: float) -> _Trial | None:
        """Raise CircuitOpen while the breaker is open; once its reset time has passed, let exactly
        one trial call through (returned, to end_trial) and refuse the others until its outcome is
        known: letting every concurrent call try a system that may still hang would hold a thread
        each. until (time.monotonic()) is when the call, if it is the trial, is over at the latest:
        a trial still running then has outlived its time (stuck where no timeout reaches), and
        another call may be the trial."""
        with self._lock:
            now = time.monotonic()
            if self._trial is not None and now < self._trial.until:
                raise CircuitOpen(self.system, "circuit half-open: a trial call is under way")
            opened_at = self._opened.opened_at
            if opened_at is None:
                return None
            if now - opened_at < self.reset_s:
                raise CircuitOpen(self.system, "circuit open")
            self._trial = _Trial(until)
            return self._trial

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

    def end_trial(self, trial: _Trial) -> None:
        """The admitted trial call is over: the next call may be admitted (or refused) afresh, unless
        another trial has taken its place since it outlived its time."""
        with self._lock:
            if self._trial is trial:
                self._trial = None

    @property
    def trial_until(self) -> float | None:
        """When the half-open trial under way is over at the latest (time.monotonic()); None if none is."""
        with self._lock:
            return self._trial.until if self._trial is not None else None

    def open(self) -> None:
        """Open the breaker now (as failures of concurrent calls would; tests)."""
        self.pybreaker.open()
