"""Zendesk API access: zenpy for simple calls, a requests session for page-by-page exports."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from zenpy import Zenpy
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded

from insights.config import Settings

log = logging.getLogger("insights.zendesk")
MAX_ATTEMPTS = 4  # per request, for connection errors, 5xx and unreadable bodies


class ZendeskUnavailable(Exception):
    """The API cannot be reached, keeps failing, or rate-limits us past the waiting budget."""


class ZendeskRefused(Exception):
    """The API refused the request for good (bad credentials, bad request): retrying won't help."""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Http:
    """GETs JSON from the Zendesk API with API-token auth, bounded retries and Retry-After waits."""

    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = settings.zendesk_url.rstrip("/")
        self.timeout = settings.zendesk_timeout_s
        self.budget = settings.retry_budget_s  # seconds we accept to wait on 429s and retries, per budget
        self.waited = 0.0  # in total, for the summary
        self.spent = 0.0  # since the budget was last renewed
        self.requests = 0
        self.sleep = sleep
        self.session = requests.Session()
        self.session.auth = (f"{settings.zendesk_email}/token", settings.zendesk_api_token)
        self.session.headers["Accept"] = "application/json"

    def url(self, path: str) -> str:
        """An absolute URL for an API path ('/api/v2/...') or a next-page URL given by the API."""
        return path if path.startswith(("http://", "https://")) else self.base + path

    def renew_budget(self) -> None:
        """Give the next requests a whole waiting budget again (a watcher's checks each get their own)."""
        self.spent = 0.0

    def _wait(self, seconds: float, why: str) -> None:
        if self.spent + seconds > self.budget:
            raise ZendeskUnavailable(f"{why}; waiting {seconds:.0f}s more would exceed the "
                                     f"{self.budget:.0f}s budget")
        log.warning("%s; waiting %.1fs", why, seconds)
        self.waited += seconds
        self.spent += seconds
        self.sleep(seconds)

    def get_json(self, path: str, params: dict | None = None) -> dict:
        """The JSON body of GET path; raises ZendeskUnavailable / ZendeskRefused."""
        url = self.url(path)
        endpoint = urlsplit(url).path  # logged instead of the full URL (queries may carry search terms)
        failures = 0
        while True:
            self.requests += 1
            try:
                resp = self.session.get(url, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                failures += 1
                if failures >= MAX_ATTEMPTS:
                    raise ZendeskUnavailable(f"{endpoint}: {type(exc).__name__}") from exc
                self._wait(2.0 ** (failures - 1), f"{endpoint}: {type(exc).__name__}")
                continue
            if resp.status_code == 429 or (resp.status_code == 503 and "Retry-After" in resp.headers):
                wait = retry_after_seconds(resp.headers.get("Retry-After"))
                self._wait(60.0 if wait is None else wait, f"{endpoint}: rate limited ({resp.status_code})")
                continue
            if resp.status_code in (401, 403):
                raise ZendeskRefused(f"{endpoint}: {resp.status_code} - check LC_ZENDESK_EMAIL and "
                                     "LC_ZENDESK_API_TOKEN")
            if 400 <= resp.status_code < 500:
                raise ZendeskRefused(f"{endpoint}: {resp.status_code} {resp.text[:200]}")
            if resp.status_code >= 500:
                failures += 1
                if failures >= MAX_ATTEMPTS:
                    raise ZendeskUnavailable(f"{endpoint}: HTTP {resp.status_code}")
                self._wait(2.0 ** (failures - 1), f"{endpoint}: HTTP {resp.status_code}")
                continue
            try:
                body = resp.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                return body
            failures += 1
            if failures >= MAX_ATTEMPTS:
                raise ZendeskUnavailable(f"{endpoint}: the answer is not a JSON object")
            self._wait(2.0 ** (failures - 1), f"{endpoint}: unreadable answer")

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()


class RedirectedSession(requests.Session):
    """Sends zenpy's https://<subdomain>.zendesk.com/... requests to another server (base) instead."""

    def __init__(self, origin: str, base: str) -> None:
        super().__init__()
        self.origin, self.base = origin, base

    def request(self, method: str | bytes, url: str | bytes, *args, **kwargs) -> requests.Response:  # noqa: ANN002, ANN003
        """Send the request, rewritten to the base URL when it targets the placeholder origin."""
        if isinstance(url, str) and url.startswith(self.origin):
            url = self.base + url[len(self.origin):]
        response = super().request(method, url, *args, **kwargs)
        # zenpy only parses answers whose request URL names the host it asked for: show it that URL.
        if response.request.url and response.request.url.startswith(self.base):
            response.request.url = self.origin + response.request.url[len(self.base):]
        return response


def zenpy_client(settings: Settings) -> Zenpy:
    """A zenpy client for LC_ZENDESK_URL: a *.zendesk.com account, or any other server (the sandbox)."""
    parts = urlsplit(settings.zendesk_url)
    host = parts.hostname or ""
    session = None
    if host.endswith(".zendesk.com"):
        subdomain = host.split(".")[0]
    else:
        # zenpy only builds https://<subdomain>.zendesk.com URLs (its ZENPY_FORCE_* overrides are process-wide
        # environment variables, read on every request); a session of our own rewrites them instead.
        subdomain = "sandbox"
        session = RedirectedSession(f"https://{subdomain}.zendesk.com", settings.zendesk_url.rstrip("/"))
    return Zenpy(subdomain=subdomain, email=settings.zendesk_email, token=settings.zendesk_api_token,
                 session=session, timeout=settings.zendesk_timeout_s,
                 ratelimit_budget=max(1, int(settings.retry_budget_s)))


def agent_users(client: Zenpy) -> list[dict]:
    """Agents and admins as Zendesk JSON dicts, via zenpy; raises ZendeskUnavailable / ZendeskRefused."""
    try:
        return [u.to_dict() for role in ("agent", "admin") for u in client.users(role=role)]
    except RatelimitBudgetExceeded as exc:
        raise ZendeskUnavailable("users.json: rate limited past the waiting budget") from exc
    except APIException as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status is not None and 400 <= status < 500:
            raise ZendeskRefused(f"users.json: {status}") from exc
        raise ZendeskUnavailable(f"users.json: HTTP {status}") from exc
    except (requests.RequestException, ValueError) as exc:
        raise ZendeskUnavailable(f"users.json: {type(exc).__name__}") from exc
