"""Shared HTTP for the internal systems: pooled session, deadline-capped timeouts, retries, breaker."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential
from urllib3.exceptions import DecodeError, HTTPError, ReadTimeoutError

from backend.deadline import Deadline
from backend.errors import SourceBadResponse, SourceError, SourceRateLimited, SourceTimeout, SourceUnavailable
from backend.sources.bounded import BoundedAdapter, call_ends_at
from backend.sources.breaker import Breaker, CircuitOpen
from backend.sources.shapes import list_page

CONNECT_TIMEOUT_S = 0.5  # loopback/LAN peers connect in milliseconds; a slow connect means trouble
MIN_ATTEMPT_S = 0.05  # do not start an attempt that cannot finish in less than this
BACKOFF_BASE_S = 0.05
BACKOFF_MAX_S = 0.4
PAGE_LIMIT = 100  # the internal API's maximum page size
MAX_PAGES = 5
CHUNK_BYTES = 65536
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # decoded; 100 courses are ~210 KB, and gzip expands up to ~1000x


def path_segment(value: str) -> str | None:
    """value quoted as one URL path segment, or None when no request can carry it: "." and ".."
    (even percent-encoded: requests unquotes unreserved characters) are resolved by HTTP clients to
    another path, so asking for them would ask another URL."""
    if value.strip(".") == "" or not value.isprintable():
        return None
    return quote(value, safe="")


def retry_after_s(value: str | None) -> float | None:
    """A Retry-After header in seconds from now: delta-seconds (what Zendesk sends) or an HTTP date;
    None when absent or unreadable."""
    value = (value or "").strip()
    if value.isdecimal():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _retryable(exc: BaseException) -> bool:
    # Timeouts, connection failures and 5xx; never a malformed answer, a 4xx (429 is get()'s own
    # business), or an open circuit.
    return isinstance(exc, SourceTimeout | SourceUnavailable) and not isinstance(exc, CircuitOpen)


class SourceClient:
    """HTTP client of one internal system: GET JSON with timeouts, retries and a circuit breaker."""

    def __init__(self, system: str, base_url: str, *, token: str = "", pool_size: int = 32,
                 call_timeout_ms: int = 1500, retries: int = 2, breaker_failures: int = 5,
                 breaker_reset_s: int = 30, auth: tuple[str, str] | None = None):
        self.system = system
        self.base_url = base_url.rstrip("/")
        self.call_timeout_s = call_timeout_ms / 1000.0
        self.retries = retries
        self.session = requests.Session()
        adapter = BoundedAdapter(pool_connections=1, pool_maxsize=pool_size, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        if auth:
            self.session.auth = auth
        self.breaker = Breaker(system, breaker_failures, breaker_reset_s)

    def get(self, path: str, params: dict | None, deadline: Deadline, *, allow_404: bool = False) -> Any:
        """GET base_url+path as JSON, retried within the deadline; None for a 404 when allow_404.

        A 429 is asked again once, after its Retry-After, and only when that still leaves an attempt's
        time before the deadline; otherwise (or at a second 429) SourceRateLimited. Retrying sooner
        would only spend more of a budget that is already gone."""
        try:
            return self._get(path, params, deadline, allow_404)
        except SourceRateLimited as exc:
            wait = exc.retry_after_s
            if wait is None or deadline.remaining() - wait < MIN_ATTEMPT_S:
                raise
            time.sleep(wait)
            return self._get(path, params, deadline, allow_404)

    def _get(self, path: str, params: dict | None, deadline: Deadline, allow_404: bool) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1) | self._deadline_stop(deadline),
            wait=wait_random_exponential(multiplier=BACKOFF_BASE_S, max=BACKOFF_MAX_S),  # full jitter
            retry=retry_if_exception(_retryable),
            reraise=True,
        )
        failures: list[SourceError] = []
        try:
            return retrying(self._attempt, path, params, deadline, allow_404, failures)
        except CircuitOpen:
            if failures:
                # Other calls opened the breaker between this call's attempts: its own failure says why.
                raise failures[-1] from None
            raise

    def probe(self, path: str, params: dict | None, deadline: Deadline, *, allow_404: bool = False) -> None:
        """One attempt for readiness: no retries, and outside the circuit breaker. An anonymous
        /readyz must neither open the breaker the lookups rely on nor be refused by it (it reports
        whether the system answers now)."""
        if deadline.remaining() < MIN_ATTEMPT_S / 2:
            raise SourceTimeout(self.system, "deadline reached before the probe")
        self._request(path, params, deadline.remaining(), allow_404)

    @staticmethod
    def _deadline_stop(deadline: Deadline) -> Callable[[Any], bool]:
        def stop(state: Any) -> bool:
            return deadline.remaining() - state.upcoming_sleep < MIN_ATTEMPT_S
        return stop

    def _attempt(self, path: str, params: dict | None, deadline: Deadline, allow_404: bool,
                 failures: list[SourceError]) -> Any:
        remaining = deadline.remaining()
        # The only refusal: before any I/O. A trial's slot lasts the attempt's time at most.
        trial = self.breaker.admit(time.monotonic() + min(self.call_timeout_s, remaining))
        try:
            if remaining < MIN_ATTEMPT_S / 2:
                raise SourceTimeout(self.system, "deadline reached before the call")
            try:
                outcome: object = self._request(path, params, remaining, allow_404)
            except SourceRateLimited:
                # The system is up and answering; our share of its budget is spent. Counting this
                # would let a burst of 429s open the breaker and fail every lookup for its reset time.
                raise
            except SourceError as exc:
                failures.append(exc)
                outcome = exc
            return self.breaker.settle(outcome)
        finally:
            if trial is not None:
                self.breaker.end_trial(trial)  # its outcome (if any) has closed or re-opened the breaker

    def _request(self, path: str, params: dict | None, remaining: float, allow_404: bool) -> Any:
        call_s = min(self.call_timeout_s, remaining)
        timeout = (min(CONNECT_TIMEOUT_S, call_s), call_s)
        try:
            # requests' read timeout applies to each socket read, so an answer trickling a byte at a
            # time never trips it: every read of the answer (status line, headers, body) is given only
            # what is left until the call's end instead (sources/bounded.py).
            url = self.base_url + path
            with (call_ends_at(time.monotonic() + call_s),
                  self.session.get(url, params=params, timeout=timeout, stream=True) as resp):
                body = self._body(resp)
        except requests.Timeout as exc:
            raise SourceTimeout(self.system, type(exc).__name__) from None
        except requests.RequestException as exc:
            raise SourceUnavailable(self.system, type(exc).__name__) from None
        if resp.status_code == 404 and allow_404:
            return None
        if resp.status_code == 429:
            raise SourceRateLimited(self.system, "HTTP 429",
                                    retry_after_s=retry_after_s(resp.headers.get("Retry-After")))
        if resp.status_code >= 500:
            raise SourceUnavailable(self.system, f"HTTP {resp.status_code}", http_status=resp.status_code)
        if resp.status_code != 200:
            raise SourceBadResponse(self.system, f"HTTP {resp.status_code}", http_status=resp.status_code)
        try:
            return json.loads(body)
        except (ValueError, RecursionError):  # nesting deeper than the parser's recursion limit too
            raise SourceBadResponse(self.system, "malformed JSON") from None

    def _body(self, resp: requests.Response) -> bytes:
        """The whole body, decoded as requests would (gzip, deflate...): SourceTimeout once the call's
        end passes (every socket read is bounded by it); SourceBadResponse when it does not decode or
        decodes to more than MAX_ANSWER_BYTES (urllib3 decodes at most CHUNK_BYTES per read, so a
        decompression bomb costs no more memory than that). Leaving early closes the connection:
        the thread is free at once, and the system sees the hang-up."""
        chunks = []
        size = 0
        try:
            while chunk := resp.raw.read1(CHUNK_BYTES, decode_content=True):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise SourceBadResponse(self.system, f"answer over {MAX_ANSWER_BYTES} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
        except ReadTimeoutError:
            raise SourceTimeout(self.system, "answer still arriving at the call's end") from None
        except DecodeError:
            raise SourceBadResponse(self.system, "answer does not decode") from None
        except (HTTPError, OSError) as exc:
            raise SourceUnavailable(self.system, type(exc).__name__) from None

    def get_list(self, path: str, params: dict, deadline: Deadline, max_items: int,
                 max_pages: int = MAX_PAGES) -> tuple[list[dict], int]:
        """Follow next_cursor until max_items or max_pages: (items, total the system reports)."""
        items: list[dict] = []
        cursor = None
        total = 0
        for _ in range(max_pages):
            page_params = {**params, "limit": min(PAGE_LIMIT, max_items - len(items))}
            if cursor:
                page_params["cursor"] = cursor
            page = self.get(path, page_params, deadline)
            data, cursor, total = list_page(self.system, page)
            items.extend(data)
            if not cursor or len(items) >= max_items:
                break
        return items[:max_items], max(total, len(items))

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()
