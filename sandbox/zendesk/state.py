"""Run-time state of the stand-in: the database path, credentials, rate budget and touched tickets."""
from __future__ import annotations

import base64
import binascii
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.config import ZendeskSettings, load_zendesk

if TYPE_CHECKING:
    from sandbox.zendesk.advance import Advancer

TOUCH_AGE_S = 61  # a touched ticket counts as updated just over a minute ago


@dataclass
class RateLimiter:
    """Fixed one-minute windows per credential, like Zendesk's per-account limit."""

    per_minute: int
    _window: int = -1
    _used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, now: float) -> tuple[bool, int, int]:
        """Spend one request: (allowed, remaining, seconds until the window resets)."""
        window = int(now // 60)
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
            retry_after = max(1, math.ceil((window + 1) * 60 - now))
            if self._used >= self.per_minute:
                return False, 0, retry_after
            self._used += 1
            return True, self.per_minute - self._used, retry_after

    def configure(self, per_minute: int) -> None:
        """Set a new budget and start a fresh window (tests make it tight, then restore it)."""
        with self._lock:
            self.per_minute, self._window, self._used = per_minute, -1, 0


@dataclass
class State:
    """Everything the routes share; one per Flask app."""

    db_path: Path
    settings: ZendeskSettings
    limiter: RateLimiter
    incremental_limiter: RateLimiter  # /incremental/* spend this too, on top of the account's budget
    # ticket id -> updated_at overriding the generated one ("updated while an export runs");
    # kept in memory so the generated file stays identical for every run.
    touched: dict[int, int] = field(default_factory=dict)
    # audits added by /_sandbox/zendesk/bulk-update, (ts, id, ticket_id, author_id): all of one update
    # share a second, like the audits of a bulk update or an import in Zendesk.
    audits: list[tuple[int, int, int, int]] = field(default_factory=list)
    # ticket id -> requester_id saved through PUT /tickets/{id}.json, in memory for the same reason.
    requesters: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    advancer: Advancer | None = None  # when the history moves with the clock
    search_lag_s: int = 0  # a new ticket is searchable this long after its creation (PUT search-lag)

    @classmethod
    def create(cls, db_path: Path) -> State:
        settings = load_zendesk()
        return cls(db_path=db_path, settings=settings, limiter=RateLimiter(settings.rate_limit_per_minute),
                   incremental_limiter=RateLimiter(settings.incremental_per_minute),
                   search_lag_s=settings.search_lag_s)

    def authorised(self, header: str | None) -> bool:
        """True when header is Basic base64("<email>/token:<token>") with the configured pair."""
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        email, sep, token = decoded.partition("/token:")
        return bool(sep) and email.lower() == self.settings.email.lower() and token == self.settings.api_token

    def touch(self, ids: list[int], after: int) -> int:
        """Mark tickets as just updated; returns their new updated_at.

        That is a minute ago (exports hide the last minute), yet strictly later than `after` (their
        stored updated_at) and than every earlier touch, so a cursor already past them sees them again.
        """
        with self.lock:
            previous = max(self.touched.values(), default=-1)
            stamp = max(int(time.time()) - TOUCH_AGE_S, previous + 1, after + 1)
            for ticket_id in ids:
                self.touched[ticket_id] = stamp
            return stamp

    def touched_snapshot(self) -> dict[int, int]:
        with self.lock:
            return dict(self.touched)

    def untouch(self) -> None:
        with self.lock:
            self.touched.clear()

    def bulk_update(self, ids: list[int], after: int, first_id: int, author_id: int) -> int:
        """Touch tickets and give each an audit (a public reply by author_id) in that same second."""
        stamp = self.touch(ids, after)
        with self.lock:
            first_id = max(first_id, max((a[1] for a in self.audits), default=0) + 1)
            self.audits += [(stamp, first_id + n, ticket_id, author_id) for n, ticket_id in enumerate(ids)]
        return stamp

    def audits_snapshot(self) -> list[tuple[int, int, int, int]]:
        with self.lock:
            return list(self.audits)

    def forget_audits(self) -> None:
        with self.lock:
            self.audits.clear()

    def save_requester(self, ticket_id: int, user_id: int, updated_at: int) -> int:
        """Give the ticket another requester and mark it updated; returns its new updated_at."""
        stamp = self.touch([ticket_id], after=updated_at)
        with self.lock:
            self.requesters[ticket_id] = user_id
        return stamp

    def requesters_snapshot(self) -> dict[int, int]:
        with self.lock:
            return dict(self.requesters)

    def forget_edits(self) -> list[int]:
        """Every ticket as generated again: saved requesters and the touches their saves made."""
        with self.lock:
            edited = sorted(self.requesters)
            for ticket_id in edited:
                self.touched.pop(ticket_id, None)
            self.requesters.clear()
            return edited
