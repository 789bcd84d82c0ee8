"""Start real servers on free loopback ports for tests and benchmarks, and talk to the sandbox."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from scripts import readiness

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_DATA = ROOT / "var" / "sandbox"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float = 10.0, what: str = "condition not reached",
             poll_s: float = 0.005) -> None:
    """Poll condition until it holds; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(poll_s)


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll url until it answers 200, or fail (and kill the server) with why."""
    try:
        readiness.wait_until_up(url, [proc], timeout)
    except RuntimeError:
        if proc.poll() is None:
            proc.kill()
        raise


@dataclass
class Server:
    """A subprocess serving HTTP on url; stop() ends it."""

    url: str
    proc: subprocess.Popen
    log: Path | None = None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(args: list[str], health_path: str, *, port: int, env: dict[str, str] | None = None,
          log: Path | None = None, timeout: float = 90.0) -> Server:
    """Run `python <args>` with env added, wait for http://127.0.0.1:port<health_path>."""
    full_env = {**os.environ, **(env or {})}
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=full_env,
                            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + health_path, proc, timeout)
    return Server(url=url, proc=proc, log=log)


@dataclass
class Sandbox(Server):
    """The sandbox server plus its control plane (faults, request log)."""

    session: requests.Session = field(default_factory=requests.Session)

    def system_url(self, system: str) -> str:
        return f"{self.url}/internal/{system}/v1"

    def fault(self, system: str, kind: str, ms: int | None = None, times: int | None = None) -> None:
        body: dict[str, object] = {"kind": kind}
        if ms is not None:
            body["ms"] = ms
        if times is not None:
            body["times"] = times
        self.session.put(f"{self.url}/_sandbox/faults/{system}", json=body, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        self.session.delete(f"{self.url}/_sandbox/faults", timeout=5).raise_for_status()

    def holding(self) -> dict[str, int]:
        """How many requests a latency or hang fault holds right now, per system."""
        resp = self.session.get(f"{self.url}/_sandbox/faults", timeout=5)
        resp.raise_for_status()
        return resp.json()["holding"]

    def requests_log(self, system: str | None = None) -> list[dict]:
        params = {"system": system} if system else {}
        resp = self.session.get(f"{self.url}/_sandbox/requests", params=params, timeout=5)
        resp.raise_for_status()
        return resp.json()["data"]

    def clear_requests(self) -> None:
        self.session.delete(f"{self.url}/_sandbox/requests", timeout=5).raise_for_status()

    def forget_zendesk_edits(self) -> list[int]:
        """Tickets saved through the Zendesk API (another requester) are as generated again: their ids."""
        resp = self.session.delete(f"{self.url}/_sandbox/zendesk/edits", timeout=5)
        resp.raise_for_status()
        return resp.json()["forgotten"]


def start_sandbox(*, env: dict[str, str] | None = None, log: Path | None = None) -> Sandbox:
    """Generate the demo data once (shared under var/), then serve it on a free port."""
    port = free_port()
    args = ["-m", "sandbox", "serve", "--port", str(port), "--data", str(SANDBOX_DATA)]
    # One sandbox serves the whole test session; its Zendesk rate limits are tightened per test
    # through /_sandbox/zendesk/rate-limit and /incremental-rate-limit, so the session defaults must not
    # throttle other tests.
    # Its Zendesk history stays as generated: tests compare what it serves with zendesk.db, and its search
    # finds new tickets at once (tests of the indexing lag set one through /_sandbox/zendesk/search-lag).
    # The app's HTML is served unchanged: browser tests route Zendesk's CDN to the local SDK build.
    env = {"LC_SANDBOX_ZENDESK_RATE_LIMIT": "100000", "LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT": "100000",
           "LC_SANDBOX_ZENDESK_ADVANCE_S": "0", "LC_SANDBOX_ZENDESK_SEARCH_LAG_S": "0",
           "LC_PAGE_SDK_SOURCE": "cdn", **(env or {})}
    server = start(args, "/_sandbox/health", port=port, env=env, log=log, timeout=300)
    return Sandbox(url=server.url, proc=server.proc, log=log)


def service_available(kind: str) -> bool:
    """True when the local PostgreSQL or Redis answers."""
    port = {"postgres": 5432, "redis": 6379}[kind]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
