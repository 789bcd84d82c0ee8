"""Incremental export of Zendesk tickets, metrics, agents, replies and ratings into the warehouse."""
from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from tqdm import tqdm
from zenpy import Zenpy

from insights import rows
from insights.streams import MIN_AGE_S, RATING_LOOKBACK, coverage, epoch, joined, usable_start
from insights.warehouse import (
    agents,
    comment_events,
    get_state,
    request_backfill,
    satisfaction_ratings,
    save_state,
    ticket_metrics,
    tickets,
    upsert,
    utcnow,
)
from insights.zendesk import Http, agent_users

STREAMS = ("tickets", "ticket_events", "satisfaction_ratings")  # in the order a run exports them
log = logging.getLogger("insights.export")


def furthest(*moments: datetime | None) -> datetime | None:
    """The latest of moments, ignoring None."""
    return max((m for m in moments if m is not None), default=None)


@dataclass
class Summary:
    """What one export run did."""

    counts: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    requests: int = 0
    waited_s: float = 0.0
    seconds: float = 0.0
    crowded: list[int] = field(default_factory=list)  # seconds of events skipped past (see ticket_events)

    def line(self) -> str:
        """The one summary line printed at the end of a run."""
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        skipped = (f"; events possibly missing in {len(self.crowded)} second(s) too crowded to page"
                   if self.crowded else "")
        return (f"export done: {parts}; {self.pages} pages, {self.requests} requests, "
                f"{self.waited_s:.0f}s rate-limited, {self.seconds:.1f}s{skipped}")


class Exporter:
    """Runs each stream page by page; every page's rows and its cursor commit in one transaction."""

    def __init__(self, http: Http, zenpy: Zenpy, engine: Engine, page_size: int, *,
                 start: datetime | None = None, progress: bool | None = None) -> None:
        self.http = http
        self.zenpy = zenpy
        self.first_start = epoch(start) if start else 0  # where a stream without saved state begins
        self.engine = engine
        self.page_size = page_size
        self.summary = Summary()
        self.progress = sys.stderr.isatty() if progress is None else progress

    def _bar(self, unit: str) -> tqdm:
        return tqdm(desc=f"export {unit}", unit=f" {unit}", file=sys.stderr, disable=not self.progress,
                    leave=False)

    def _count(self, name: str, n: int) -> None:
        self.summary.counts[name] = self.summary.counts.get(name, 0) + n

    def _start(self, stream: str, since: datetime | None) -> tuple[dict | None, int]:
        """(saved state unless a back-fill was asked for, start_time for a fresh start)."""
        if since is not None:
            return None, epoch(since)
        with self.engine.connect() as conn:
            state = get_state(conn, stream)
        if state and state["backfill_from"]:  # an earlier --since run stopped before this stream began
            return None, epoch(state["backfill_from"])
        return state, self.first_start

    def tickets(self, since: datetime | None) -> None:
        """Cursor-based incremental tickets with metric_sets side-loaded; resumes from the saved cursor."""
        state, start = self._start("tickets", since)
        with self.engine.connect() as conn:
            previous = get_state(conn, "tickets")
        pages = state["pages"] if state else 0
        covered, pending = coverage(previous, state, start)
        reached = state["reached"] if state else None
        params: dict = {"per_page": self.page_size, "include": "metric_sets"}
        if state and state["cursor"]:
            params["cursor"] = state["cursor"]
        else:
            params["start_time"] = usable_start(start)
        with self._bar("tickets") as bar:
            while True:
                asked_at = utcnow()
                page = self.http.get_json("/api/v2/incremental/tickets/cursor.json", params)
                ticket_rows = [rows.ticket(t) for t in page.get("tickets") or []]
                reached = furthest(reached, *map(rows.position, page.get("tickets") or []))
                metric_rows = [rows.metric(m) for m in page.get("metric_sets") or []]
                cursor = page.get("after_cursor") or params.get("cursor")
                done = bool(page.get("end_of_stream"))
                if done:  # every change is in but those of the minute before the request, held back
                    reached = furthest(reached, asked_at - timedelta(seconds=MIN_AGE_S))
                covered, pending = joined(covered, pending, reached)
                pages += 1
                with self.engine.begin() as conn:
                    upsert(conn, tickets, ticket_rows)
                    upsert(conn, ticket_metrics, metric_rows)
                    save_state(conn, "tickets", cursor, pages=pages, done=done, since=covered,
                               reached=reached, pending_since=pending)
                self.summary.pages += 1
                self._count("tickets", len(ticket_rows))
                self._count("metric sets", len(metric_rows))
                bar.update(len(ticket_rows))
                if done or not page.get("after_cursor"):
                    return
                params = {"per_page": self.page_size, "include": "metric_sets", "cursor": cursor}

    def ticket_events(self, since: datetime | None) -> None:
        """Time-based incremental ticket events with comment events; keeps the public/private flag.

        Zendesk offers this stream time-based only: a page's end_time is its newest second and the next
        page starts there (repeating that second: harmless, rows are upserted). A page filled by the
        events of one second has end_time == start_time, and asking again returns the same page, so
        the stream moves on to the next second, and the run reports that events of that second beyond
        the page may be missing (Summary.crowded: exit 5) rather than stalling there on every run."""
        state, start = self._start("ticket_events", since)
        pages = state["pages"] if state else 0
        start_time = usable_start(int(state["cursor"]) if state and state["cursor"] else start)
        with self._bar("events") as bar:
            while True:
                page = self.http.get_json("/api/v2/incremental/ticket_events.json",
                                          {"start_time": start_time, "include": "comment_events",
                                           "per_page": self.page_size})
                events = page.get("ticket_events") or []
                comment_rows = [c for e in events for c in rows.comments(e)]
                end_time = int(page.get("end_time") or start_time)
                done = bool(page.get("end_of_stream"))
                if not done and end_time <= start_time:
                    self._crowded(start_time, len(events))
                    end_time = start_time + 1
                pages += 1
                with self.engine.begin() as conn:
                    upsert(conn, comment_events, comment_rows)
                    save_state(conn, "ticket_events", str(end_time), pages=pages, done=done)
                self.summary.pages += 1
                self._count("comments", len(comment_rows))
                bar.update(len(events))
                following = usable_start(end_time)
                if done or following <= start_time:  # the rest is under a minute old: the next run reads it
                    return
                start_time = following

    def _crowded(self, second: int, read: int) -> None:
        """Report a second whose events fill a whole page: those beyond it cannot be read time-based."""
        self.summary.crowded.append(second)
        log.error("ticket events: the events of %s (start_time %d) fill a whole page (%d read); time-based "
                  "paging cannot go past one second, so the export moves on to the next second and any "
                  "further events of that second (replies, notes: e.g. a bulk update or an import) are "
                  "missing from comment_events",
                  f"{datetime.fromtimestamp(second, UTC):%Y-%m-%dT%H:%M:%SZ}", second, read)

    def _paged(self, path: str, params: dict) -> Iterator[dict]:
        """Pages of a list endpoint, following cursor (links.next) or offset (next_page) pagination."""
        page = self.http.get_json(path, params)
        while True:
            yield page
            meta, links = page.get("meta") or {}, page.get("links") or {}
            nxt = links.get("next") if meta.get("has_more") else page.get("next_page")
            if not nxt:
                return
            page = self.http.get_json(nxt)

    def ratings(self, since: datetime | None) -> None:
        """Satisfaction ratings created since the last run's newest one minus a look-back window."""
        state, start = self._start("satisfaction_ratings", since)
        start_time = int(state["cursor"]) if state and state["cursor"] else start
        pages = state["pages"] if state else 0
        newest = start_time
        params = {"start_time": start_time, "page[size]": min(self.page_size, 100)}
        with self._bar("ratings") as bar:
            for page in self._paged("/api/v2/satisfaction_ratings.json", params):
                rating_rows = [rows.rating(r) for r in page.get("satisfaction_ratings") or []]
                for r in rating_rows:
                    if r["created_at"] is not None:
                        newest = max(newest, epoch(r["created_at"] - RATING_LOOKBACK))
                pages += 1
                with self.engine.begin() as conn:
                    upsert(conn, satisfaction_ratings, rating_rows)
                    save_state(conn, "satisfaction_ratings", str(newest), pages=pages, done=False)
                self.summary.pages += 1
                self._count("ratings", len(rating_rows))
                bar.update(len(rating_rows))
        with self.engine.begin() as conn:
            save_state(conn, "satisfaction_ratings", str(newest), pages=pages, done=True)

    def agents(self) -> None:
        """Every agent and admin through zenpy (a small list, refreshed in full on each run)."""
        agent_rows = [rows.agent(u) for u in agent_users(self.zenpy) if u.get("role") in ("agent", "admin")]
        with self.engine.begin() as conn:
            upsert(conn, agents, agent_rows)
        self._count("agents", len({r["id"] for r in agent_rows}))

    def run(self, since: datetime | None = None) -> Summary:
        """Export every stream; returns the summary."""
        began = time.monotonic()
        if since is not None:
            # Recorded for every stream first: a run stopped early (exit 3) leaves the back-fill of the
            # streams it did not reach to the next runs, which start each of them from since.
            with self.engine.begin() as conn:
                for stream in STREAMS:
                    request_backfill(conn, stream, since)
        try:
            self.agents()
            self.tickets(None)
            self.ticket_events(None)
            self.ratings(None)
        finally:
            self.summary.requests = self.http.requests
            self.summary.waited_s = self.http.waited
            self.summary.seconds = time.monotonic() - began
        return self.summary
