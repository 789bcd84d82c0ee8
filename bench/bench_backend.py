"""Backend benchmarks: fan-out under latency, warm-cache throughput, a hung system, the heavy learner."""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
from pathlib import Path

from backend.fanout import fanout_budget_ms
from bench.backend_harness import (
    AMELIE,
    DEADLINE_MS,
    HEAVY,
    Client,
    backend_env,
    pct,
    start_gunicorn,
    timed_lookups,
)
from bench.throughput import throughput
from tests.servers import Sandbox, free_port, start_sandbox

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
        f"{len(match['payments'])} of {match['payments_total']} payments are sent (LC_MAX_ITEMS; "
        "enrolments with a deadline soon first, then newest activity, chosen among up to 500 read in pages "
        "of 100; payments newest first, one page); the totals tell the agent how many exist.\n"
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
