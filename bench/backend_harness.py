"""What the backend benchmarks share: the gunicorn under test, its environment, a signing client."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from backend.config import DEV_SECRET
from backend.devtoken import sign
from tests.servers import Sandbox, Server, free_port, start

SYSTEMS = ("learners", "enrolments", "courses", "payments")
DEADLINE_MS = 1000
AMELIE = {"requester": {"email": "amelie.durand@example.fr"}}
HEAVY = {"requester": {"email": "heavy.learner@example.com"}}


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def backend_env(sandbox: Sandbox, tmp: Path) -> dict[str, str]:
    env = {
        "LC_ENV": "development",
        "LC_JWT_SECRETS": DEV_SECRET,
        "LC_JWT_ISSUERS": "https://demo.zendesk.com",
        "LC_INTERNAL_API_TOKEN": "sandbox-internal-token",
        "LC_DATABASE_URL": f"sqlite:///{tmp / 'audit.db'}",
        "LC_RATE_LIMIT": "1000000/minute",
        "LC_RATE_LIMIT_ACCOUNT": "100000000/minute",
        "LC_DEADLINE_MS": str(DEADLINE_MS),
        "LC_ZENDESK_URL": "",
        "LC_REDIS_URL": "",
        "LC_BIND": f"127.0.0.1:{free_port()}",
    }
    for system in SYSTEMS:
        env[f"LC_{system.upper()[:-1]}_API_URL"] = sandbox.system_url(system)
    return env


def start_gunicorn(env: dict[str, str], log: Path, app_uri: str | None = None) -> Server:
    port = int(env["LC_BIND"].rsplit(":", 1)[1])
    args = ["-m", "gunicorn", "-c", "gunicorn.conf.py", *([app_uri] if app_uri else [])]
    return start(args, "/healthz", port=port, env=env, log=log, timeout=60)


class Client:
    """Signs a fresh token per use and posts lookups to one backend."""

    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()

    def headers(self, sub: str = "bench") -> dict[str, str]:
        tok = sign(
            secret=DEV_SECRET,
            iss="https://demo.zendesk.com",
            aud="learner-context",
            sub=sub,
            ticket_id=1001,
        )
        return {"Authorization": f"Bearer {tok}"}

    def lookup(self, body: dict, refresh: bool = True) -> tuple[float, requests.Response]:
        started = time.perf_counter()
        resp = self.session.post(
            f"{self.url}/api/v1/learner-context",
            json={**body, "refresh": refresh},
            headers=self.headers(),
            timeout=30,
        )
        return (time.perf_counter() - started) * 1000, resp


def timed_lookups(client: Client, body: dict, n: int, refresh: bool = True) -> list[float]:
    times = []
    for _ in range(n):
        ms, resp = client.lookup(body, refresh)
        resp.raise_for_status()
        times.append(ms)
    return times
