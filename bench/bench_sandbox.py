"""Sandbox: demo-data generation time against its 30 s budget, and internal-API look-up latency."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import requests

from sandbox.config import SEED
from sandbox.internal import generate
from sandbox.internal import personas as p
from tests.servers import start_sandbox

BUDGET_S = 30.0
ROUNDS = 200


def generation_seconds() -> tuple[float, float]:
    """Wall and CPU time of building internal.db once (the Zendesk history is measured by its owner)."""
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        generate.build(Path(tmp) / generate.DB_NAME, SEED)
        return time.perf_counter() - wall, time.process_time() - cpu


def _p50_ms(session: requests.Session, url: str, params: dict) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        session.get(url, params=params, timeout=10).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run() -> str:
    """Markdown: generation time against its budget; p50 of a look-up and of the heavy learner's pages."""
    seconds, cpu = generation_seconds()
    sandbox = start_sandbox()
    try:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer sandbox-internal-token"
        email = _p50_ms(session, sandbox.system_url("learners") + "/learners", {"email": p.AMELIE_EMAIL})
        orders = _p50_ms(session, sandbox.system_url("payments") + "/orders", {"learner_id": p.HEAVY_ID,
                                                                              "limit": 100})
        enrolments = _p50_ms(session, sandbox.system_url("enrolments") + "/enrolments",
                             {"learner_id": p.HEAVY_ID, "limit": 100})
    finally:
        sandbox.stop()
    return (
        "## Sandbox\n\n"
        f"| measure | value | ratio |\n|---|---|---|\n"
        f"| internal.db generation (20,407 learners, 45k enrolments, 27k orders) | {seconds:.1f} s | "
        f"{seconds / BUDGET_S:.2f} × the {BUDGET_S:.0f} s budget |\n"
        f"| same, CPU time of the process (less sensitive to other load) | {cpu:.1f} s | "
        f"{cpu / BUDGET_S:.2f} × budget |\n"
        f"| learner by email, p50 of {ROUNDS} | {email:.2f} ms | 1.00 |\n"
        f"| heavy learner, 100 orders with refunds, p50 | {orders:.2f} ms | "
        f"{orders / email:.1f} × look-up |\n"
        f"| heavy learner, 100 enrolments with deadlines, p50 | {enrolments:.2f} ms | "
        f"{enrolments / email:.1f} × look-up |\n"
    )


if __name__ == "__main__":
    print(run())
