"""Backend benchmarks: fan-out under latency, warm-cache throughput, a hung system, the heavy learner."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from backend.config import DEV_SECRET
from backend.devtoken import sign
from backend.fanout import fanout_budget_ms
from bench.loadgen import blast, post_request
from tests.servers import Sandbox, Server, free_port, start, start_sandbox

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


FANOUT = ("enrolments", "payments", "courses")  # the systems asked after the learner is known
FANOUT_DELAY_MS = 400


def p50_under_faults(sandbox: Sandbox, client: Client, delayed: tuple[str, ...],
                     n: int) -> tuple[float, float]:
    """(p50 ms of n refresh lookups, calls per lookup to the delayed systems) with each of `delayed`
    held FANOUT_DELAY_MS by the sandbox; one lookup first (not counted) warms the catalogue."""
    sandbox.clear_faults()
    client.lookup(AMELIE)[1].raise_for_status()
    for system in delayed:
        sandbox.fault(system, "latency", ms=FANOUT_DELAY_MS)
    sandbox.clear_requests()
    p50 = statistics.median(timed_lookups(client, AMELIE, n))
    calls = sum(1 for r in sandbox.requests_log() if r["system"] in delayed) / n
    sandbox.clear_faults()
    return p50, calls


def fan_out_under_latency(sandbox: Sandbox, client: Client, cold: Client, n: int = 10) -> str:
    """(a) p50 with enrolments, payments and courses each delayed by D at once (learners undelayed)."""
    d = FANOUT_DELAY_MS
    base, _ = p50_under_faults(sandbox, client, (), n)
    main, main_calls = p50_under_faults(sandbox, client, FANOUT, n)
    cold_p50, cold_calls = p50_under_faults(sandbox, cold, FANOUT, n)
    four, four_calls = p50_under_faults(sandbox, client, ("learners", *FANOUT), n)

    def row(name: str, p50: float, calls: float | None, expected: str) -> str:
        seq = f"{calls:.1f} × D = {calls * d:.0f}" if calls is not None else "-"
        return f"| {name} | {p50:.0f} | **{p50 / d:.2f}** | {seq} | {expected} |"

    rows = [
        row("none (baseline)", base, None, "-"),
        row("enrolments + payments + courses, warm catalogue", main, main_calls, "≈ 1 × D (target ≤ 1.15)"),
        row("enrolments + payments + courses, cold catalogue", cold_p50, cold_calls, "≈ 2 × D"),
        row("all four incl. learners, warm catalogue", four, four_calls, "≈ 2 × D"),
    ]
    return (
        f"### (a) Fan-out with the internal systems delayed by D = {d} ms\n\n"
        f"Lookups of amelie.durand@example.fr with `refresh: true` (everything about the learner is read "
        f"again), {n} per row after one uncounted lookup, p50. The sandbox holds every call to a delayed "
        "system D ms, all at the same time. *Sequential* is what the same calls would cost one after "
        "another: the calls per lookup to the delayed systems (sandbox request log) × D.\n\n"
        "| delayed systems | p50 ms | p50 / D | sequential | expected |\n|---|---|---|---|---|\n"
        + "\n".join(rows) + "\n\n"
        f"Once the learner is known, its enrolments and its four payment calls are asked at once, so the "
        f"{main_calls:.0f} delayed calls cost **{main / d:.2f} × D** instead of {main_calls:.0f} × D "
        "(target ≤ 1.15 × D). The steady state is a warm course catalogue: courses are shared "
        "reference data cached per course id (`LC_CATALOGUE_TTL_S`, 900 s) and `refresh` does not "
        "bypass them, so no courses call is on the path. Two rows show the chains that remain: with a "
        "cold catalogue (a backend with `LC_CATALOGUE_TTL_S=0`) the courses can only be asked once the "
        "enrolments have named them (≈ 2 × D); with the learners system delayed too, nothing can be "
        "asked before the learner is known (≈ 2 × D: learners, then the rest at once).\n"
    )


def _cpu_ms(server: Server) -> float:
    """CPU time (user + system) used so far by the gunicorn workers of server."""
    total = 0
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK") * 1000


def throughput(client: Client, backend: Server, env: dict[str, str], tmp: Path, rounds: int = 3,
               seconds: float = 4.0, processes: int = 2, connections: int = 8) -> str:
    """(b) warm-cache lookups/s vs a hello-world Flask endpoint under the same gunicorn config.

    Both endpoints get the same load: `processes` client processes × `connections` keep-alive
    connections, each sending pre-built requests (tokens signed before the clock starts) for a fixed
    time. The two alternate round by round so that a change in the machine's background load
    affects both alike; the ratio of each round is reported."""
    url = f"{client.url}/api/v1/learner-context"
    body = {**AMELIE, "refresh": False}
    # Like the proxy, one token per request would be realistic, but our signing cost must not count:
    # 64 agents' tokens are signed up front (many agents, as in production, each under the rate limit).
    lookups = [post_request(url, body, client.headers(sub=f"bench-{i}")) for i in range(64)]
    hello = start_gunicorn({**env, "LC_BIND": f"127.0.0.1:{free_port()}"}, tmp / "hello.log",
                           "bench.hello_app:app")
    hellos = [post_request(f"{hello.url}/hello", body)]
    rows, ratios, cpu_ratios, errors, cores = [], [], [], 0, []
    try:
        for i in range(rounds):
            client.lookup(AMELIE, refresh=False)[1].raise_for_status()  # the cache is warm
            cpu = _cpu_ms(backend)
            ok, bad = blast(url, lookups, seconds=seconds, processes=processes, connections=connections)
            lookup_cpu = (_cpu_ms(backend) - cpu) / max(ok, 1)
            cpu = _cpu_ms(hello)
            hok, hbad = blast(f"{hello.url}/hello", hellos, seconds=seconds, processes=processes,
                              connections=connections)
            hello_cpu = (_cpu_ms(hello) - cpu) / max(hok, 1)
            errors += bad + hbad
            ratios.append(ok / hok)
            cpu_ratios.append(hello_cpu / lookup_cpu)
            cores.append((ok * lookup_cpu / seconds / 1000, hok * hello_cpu / seconds / 1000))
            rows.append(f"| {i + 1} | {ok / seconds:.0f} | {lookup_cpu:.2f} | {hok / seconds:.0f} | "
                        f"{hello_cpu:.2f} | **{ok / hok:.2f}** | {hello_cpu / lookup_cpu:.2f} |")
    finally:
        hello.stop()
    workers, per_worker = env.get("LC_WORKERS", "2"), env.get("LC_THREADS", "8")
    lookup_cores, hello_cores = [c for c, _ in cores], [h for _, h in cores]
    why = "Why below 0.5" if statistics.median(ratios) < 0.5 else "Where the CPU goes"
    # The breakdown below is not measured here: see docs/backend-core.md for how it was measured.
    return (
        "### (b) Warm-cache throughput under gunicorn\n\n"
        f"Same `gunicorn.conf.py` (gthread, {workers} workers × {per_worker} threads) for both. Load: "
        f"{processes} client processes × {connections} keep-alive connections ({processes * connections} "
        f"requests in flight), pre-built requests (raw HTTP/1.1 over asyncio, tokens of 64 agents signed "
        f"before the clock starts), {seconds:.0f} s per endpoint per round, rounds alternating. The lookup "
        "verifies the JWT, counts the rate limit, validates the body, answers amelie.durand@example.fr "
        "from the warm cache (all four systems) and commits its audit row (SQLite, WAL) before answering. "
        "*CPU ms/req* is the gunicorn workers' CPU time (from /proc) per answered request: it does not "
        "depend on how busy the rest of the machine is.\n\n"
        "| round | lookups/s | CPU ms/lookup | hello/s | CPU ms/hello | lookups / hello "
        "| CPU hello / lookup |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Ratio lookups / hello world: median **{statistics.median(ratios):.2f}** (rounds: "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; target ≥ 0.5); errors: {errors}. The client shares the "
        "machine's cores with the server: both endpoints pay the same client cost per request.\n\n"
        f"{why}: the ratio of rates follows the ratio of CPU per request (hello / lookup: median "
        f"{statistics.median(cpu_ratios):.2f}); the workers used {statistics.median(lookup_cores):.2f} "
        f"cores for lookups and {statistics.median(hello_cores):.2f} for hello world of the 2 the "
        "client shares. Where a warm lookup's CPU goes, step by step, measured inside a worker under "
        "this load, is in docs/backend-core.md (*Cost of a warm lookup*): no single step dominates; "
        "the app's part is several small steps (JWT, body, validation, cache reads and rules, the audit "
        "commit with synchronous=FULL, JSON, the request's log line), each slower under gunicorn's 16 "
        "threads on 2 shared cores than in a single-threaded loop.\n"
    )


def hung_system(sandbox: Sandbox, client: Client, n: int = 20, threads: int = 4) -> str:
    """(c) one system hung: p99 against the deadline, the other sections intact."""
    sandbox.clear_faults()
    sandbox.fault("payments", "hang")
    times: list[float] = []
    statuses: dict[str, set] = {}
    lock = threading.Lock()

    def worker(count: int) -> None:
        c = Client(client.url)
        for _ in range(count):
            ms, resp = c.lookup(AMELIE)
            with lock:
                times.append(ms)
                for name, section in resp.json()["sections"].items():
                    statuses.setdefault(name, set()).add(section["status"])

    pool = [threading.Thread(target=worker, args=(n // threads,)) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    sandbox.clear_faults()
    p99 = pct(times, 99)
    shown = ", ".join(f"{k}: {'/'.join(sorted(v))}" for k, v in statuses.items())
    return (
        "### (c) One system hung (payments)\n\n"
        f"LC_DEADLINE_MS = {DEADLINE_MS}; {len(times)} lookups from {threads} threads, `refresh: true`.\n\n"
        f"p50 {pct(times, 50):.0f} ms, p99 **{p99:.0f} ms** = deadline {'+' if p99 >= DEADLINE_MS else '−'} "
        f"{abs(p99 - DEADLINE_MS):.0f} ms "
        f"(target ≤ deadline + 50 ms). Section statuses seen: {shown}. The system calls get the deadline "
        f"minus {DEADLINE_MS - fanout_budget_ms(DEADLINE_MS):.0f} ms (`ANSWER_RESERVE_MS`), kept for "
        "assembling, auditing and sending the answer; p50 is low because the payments breaker opens after "
        "the first timeouts and later lookups mark payments `unavailable` at once.\n"
    )


def heavy_learner(client: Client, n: int = 8) -> str:
    """(d) heavy.learner@example.com (300 enrolments, 1,000 payments): p50 and response size."""
    cold = timed_lookups(client, HEAVY, n, refresh=True)
    warm = timed_lookups(client, HEAVY, n, refresh=False)
    _, resp = client.lookup(HEAVY, refresh=False)
    match = resp.json()["matches"][0]
    size = len(resp.content)
    match_size = len(json.dumps(match, separators=(",", ":"), ensure_ascii=False).encode())
    return (
        "### (d) heavy.learner@example.com\n\n"
        f"p50 {statistics.median(cold):.0f} ms uncached, {statistics.median(warm):.0f} ms cached; "
        f"response {size / 1024:.1f} KiB ({match_size / 1024:.1f} KiB for the match). "
        f"Bounded: {len(match['enrolments'])} of {match['enrolments_total']} enrolments and "
        f"{len(match['payments'])} of {match['payments_total']} payments are sent (LC_MAX_ITEMS, most "
        "relevant/newest first, fetched one page from each system); the totals tell the agent how many "
        "exist.\n"
    )


def run() -> str:
    """All four backend benchmarks against a sandbox and gunicorn started here."""
    tmp = Path(tempfile.mkdtemp(prefix="lc-bench-"))
    sandbox = start_sandbox(log=tmp / "sandbox.log")
    backend = cold = None
    try:
        env = backend_env(sandbox, tmp)
        backend = start_gunicorn(env, tmp / "backend.log")
        # The same backend without the course catalogue cache: every lookup meets a cold catalogue.
        cold = start_gunicorn({**env, "LC_BIND": f"127.0.0.1:{free_port()}", "LC_CATALOGUE_TTL_S": "0",
                               "LC_WORKERS": "1"}, tmp / "cold.log")
        client = Client(backend.url)
        parts = [fan_out_under_latency(sandbox, client, Client(cold.url))]
        cold.stop()
        cold = None
        parts += [
            throughput(client, backend, env, tmp),
            heavy_learner(client),
            hung_system(sandbox, client),
        ]
    finally:
        if sandbox.proc.poll() is None:
            sandbox.clear_faults()  # releases requests held by a hang fault
        for server in (backend, cold):
            if server is not None:
                server.stop()
        sandbox.stop()
    return "## Backend\n\n" + "\n".join(parts)
