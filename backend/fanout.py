"""Run system calls concurrently under one deadline; track each answer section's status and as_of."""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backend.cache import Cache, cache_key
from backend.clock import iso
from backend.deadline import Deadline
from backend.errors import SourceError, SourceRateLimited

log = logging.getLogger(__name__)

SECTIONS = ("learner", "enrolments", "courses", "payments")
# Kept back from LC_DEADLINE_MS for what follows the fan-out: assembling the matches, committing the
# audit row, encoding and sending the answer. In-process that is about 1 ms, but with a hung system on
# a loaded 2-core machine the answer left 18-60 ms after a fan-out that used the whole deadline (bench
# (c)); stopping the fan-out 50 ms early keeps the answer inside deadline + 50 ms there.
ANSWER_RESERVE_MS = 50
RESERVE_SHARE = 0.1  # a short deadline keeps most of itself for the systems


def fanout_budget_ms(deadline_ms: float) -> float:
    """The milliseconds the system calls of a lookup may take: the deadline minus the answer's reserve."""
    return deadline_ms - min(ANSWER_RESERVE_MS, deadline_ms * RESERVE_SHARE)
_RANK = {"ok": 0, "error": 1, "timeout": 2, "unavailable": 3}
# What to check when a system refuses the backend's own credentials (401/403).
CREDENTIALS = {"zendesk": "LC_ZENDESK_EMAIL and LC_ZENDESK_API_TOKEN"}
INTERNAL_CREDENTIALS = "LC_INTERNAL_API_TOKEN"


def log_source_failure(exc: SourceError, what: str) -> None:
    """One line per failed call: system, call, section status and the HTTP status when the system
    answered. A 401 or 403 is a WARNING naming the settings to check: the credentials are the backend's,
    so every lookup fails alike until they are fixed. A 429 is a WARNING too: the system's request
    budget is spent (Zendesk's is shared with the insights export and other integrations), and the
    lookups go without it until its Retry-After. Never a body, a token or an identifier."""
    fields = {"system": exc.system, "http_status": exc.http_status, "section_status": exc.section_status}
    status = "" if exc.http_status is None else f" (HTTP {exc.http_status})"
    if exc.http_status in (401, 403):
        log.warning("source call failed: %s %s -> %s%s: %s refused the backend's credentials, check %s",
                    exc.system, what, exc.section_status, status, exc.system,
                    CREDENTIALS.get(exc.system, INTERNAL_CREDENTIALS), extra=fields)
    elif isinstance(exc, SourceRateLimited):
        wait = "no Retry-After" if exc.retry_after_s is None else f"Retry-After {exc.retry_after_s:g} s"
        log.warning("source call failed: %s %s -> %s%s: %s is rate limiting the backend (%s); "
                    "its request budget is spent, shared with whatever else uses it", exc.system, what,
                    exc.section_status, status, exc.system, wait, extra=fields)
    else:
        log.info("source call failed: %s %s -> %s%s", exc.system, what, exc.section_status, status,
                 extra=fields)


class Sections:
    """Per section: the worst status of its calls and the oldest as_of of the data it shows."""

    def __init__(self) -> None:
        self.status = dict.fromkeys(SECTIONS, "ok")
        self.as_of: dict[str, str | None] = dict.fromkeys(SECTIONS)

    def succeeded(self, section: str, as_of: str) -> None:
        """A call of this section returned data fetched at as_of."""
        current = self.as_of[section]
        self.as_of[section] = as_of if current is None or as_of < current else current

    def failed(self, section: str, status: str) -> None:
        """A call of this section failed with status (timeout/error/unavailable)."""
        if _RANK.get(status, 1) > _RANK[self.status[section]]:
            self.status[section] = status

    def learner_lookup_failed(self) -> None:
        """No account was found because the learner lookup failed: the sections that depend on it were
        never asked, so they carry the learner section's status (not "ok"), with as_of null."""
        status = self.status["learner"]
        for section in SECTIONS[1:]:
            if self.as_of[section] is None:
                self.failed(section, status)

    def body(self) -> dict:
        """{"learner": {"status", "as_of"}, ...} as in docs/contracts.md section 4."""
        return {name: {"status": self.status[name], "as_of": self.as_of[name]} for name in SECTIONS}


@dataclass(frozen=True)
class Call:
    """What one submitted task fetches: the section it feeds, a label, and its subject."""

    section: str
    what: str
    subject: str = ""
    index: int = 0


def _usable(hit: object) -> bool:
    return isinstance(hit, dict) and "as_of" in hit and "v" in hit


def _fetch_and_store(cache: Cache, key: str, fetch: Callable[[], Any]) -> tuple[Any, str]:
    value = fetch()
    as_of = iso(datetime.now(UTC))
    cache.set(key, {"as_of": as_of, "v": value})
    return value, as_of


def cached(cache: Cache, refresh: bool, key_parts: tuple[str, ...],
           fetch: Callable[[], Any]) -> tuple[Any, str]:
    """(value, as_of): from the cache unless refresh, else fetched now and stored with its fetch time."""
    key = cache_key(*key_parts)
    if not refresh:
        hit = cache.get(key)
        if _usable(hit):
            return hit["v"], hit["as_of"]  # type: ignore[index]
    return _fetch_and_store(cache, key, fetch)


class Fanout:
    """Futures of one lookup on the service's shared executor, collected until the deadline.

    Cached calls are answered without a thread: their keys are read in one batch (one MGET on Redis)
    when run() next looks, and only the misses go to the executor. A warm lookup thus costs no
    thread hand-offs, which under load is most of its CPU time."""

    def __init__(self, executor: Executor, deadline: Deadline, sections: Sections, cache: Cache):
        self.executor = executor
        self.deadline = deadline
        self.sections = sections
        self.cache = cache
        self.pending: dict[Future, Call] = {}
        self.queued: list[tuple[Call, str, Callable[[], Any]]] = []

    def submit(self, call: Call, fn: Callable[..., tuple[Any, str]], *args: Any) -> None:
        """Start fn(*args) -> (value, as_of) for call."""
        self.pending[self.executor.submit(fn, *args)] = call

    def cached(self, call: Call, refresh: bool, key_parts: tuple[str, ...], fetch: Callable[[], Any]) -> None:
        """fetch() for call unless the cache has it (not read when refresh); stored with its fetch time."""
        key = cache_key(*key_parts)
        if refresh:
            self.submit(call, _fetch_and_store, self.cache, key, fetch)
        else:
            self.queued.append((call, key, fetch))

    def _answer_queued(self) -> list[tuple[Call, Any, str]]:
        """The queued calls the cache answers; the others are submitted."""
        queued, self.queued = self.queued, []
        hits = self.cache.get_many([key for _, key, _ in queued])
        ready = []
        for call, key, fetch in queued:
            hit = hits.get(key)
            if _usable(hit):
                ready.append((call, hit["v"], hit["as_of"]))  # type: ignore[index]
            else:
                self.submit(call, _fetch_and_store, self.cache, key, fetch)
        return ready

    def run(self, on_result: Callable[[Call, Any], None]) -> None:
        """Hand each result to on_result as it arrives (it may submit or queue more); unfinished at
        the deadline are cancelled and their sections marked timeout."""
        while self.queued or self.pending:
            if self.queued:
                for call, value, as_of in self._answer_queued():
                    self.sections.succeeded(call.section, as_of)
                    on_result(call, value)
                continue  # on_result may have queued more: answer those before waiting
            remaining = self.deadline.remaining()
            if remaining <= 0:
                break
            done, _ = wait(list(self.pending), timeout=remaining, return_when=FIRST_COMPLETED)
            for future in done:
                self._collect(future, on_result)
        for future, call in self.pending.items():
            future.cancel()  # not started yet: never start; running: its result is ignored
            self.sections.failed(call.section, "timeout")
        self.pending.clear()

    def _collect(self, future: Future, on_result: Callable[[Call, Any], None]) -> None:
        call = self.pending.pop(future)
        try:
            value, as_of = future.result()
        except SourceError as exc:
            log_source_failure(exc, call.what)
            self.sections.failed(call.section, exc.section_status)
            return
        except Exception as exc:  # noqa: BLE001 - a bug in one section must not cost the whole answer
            # Type and place only: an exception's message may quote the data (PII).
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            log.error("source call crashed: %s %s at %s:%s", call.what, type(exc).__name__,
                      frame.filename, frame.lineno)
            self.sections.failed(call.section, "error")
            return
        self.sections.succeeded(call.section, as_of)
        on_result(call, value)
