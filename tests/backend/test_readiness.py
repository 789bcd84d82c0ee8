"""/readyz under concurrent calls: one caller refreshes the remembered result while the others get the
previous one; with nothing to remember (LC_READY_CACHE_S=0) callers do not queue behind each other."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend import create_app
from backend.readiness import Remembered
from tests.backend.conftest import base_config
from tests.fakes import FakeHTTP
from tests.servers import wait_for

PROBE = "/learners/L-0000000"  # the learners system's readiness probe (a 404 proves it answers)


class Gate:
    """A route that holds each request until `opened` (at most hold_s); it counts who is inside."""

    def __init__(self, hold_s: float = 1.0):  # below the probes' 1.5 s call timeout
        self.hold_s = hold_s
        self.opened = threading.Event()
        self.inside = 0
        self.most_inside = 0
        self._lock = threading.Lock()

    def __call__(self, path: str) -> tuple[int, dict]:
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.opened.wait(self.hold_s)
        with self._lock:
            self.inside -= 1
        return 404, {"error": "not found"}


def app_with_learners_at(tmp_path, sandbox, url: str, ready_cache_s: int):
    """The sandbox's systems, but the learners system at url."""
    return create_app(base_config(
        tmp_path, learner_api_url=url, enrolment_api_url=sandbox.system_url("enrolments"),
        course_api_url=sandbox.system_url("courses"), payment_api_url=sandbox.system_url("payments"),
        ready_cache_s=ready_cache_s))


def readyz(app) -> dict:
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 200
    return resp.json


def test_without_remembering_concurrent_readyz_calls_probe_at_once(tmp_path, clean_sandbox):
    # The lock used to be held while probing: each call waited for the previous one's probes.
    gate = Gate()
    learners = FakeHTTP({PROBE: gate})
    app = app_with_learners_at(tmp_path, clean_sandbox, learners.url, ready_cache_s=0)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            pending = [pool.submit(readyz, app) for _ in range(4)]
            wait_for(lambda: gate.inside == 4, timeout=5, what="the four probes were not in at once")
            gate.opened.set()
            assert all(f.result()["status"] == "ok" for f in pending)
    finally:
        gate.opened.set()
        app.extensions["lc"].close()
        learners.stop()
    assert learners.requests == [PROBE] * 4


def test_a_stale_result_is_served_while_one_caller_refreshes_it(tmp_path, clean_sandbox):
    gate = Gate()
    gate.opened.set()
    learners = FakeHTTP({PROBE: gate})
    app = app_with_learners_at(tmp_path, clean_sandbox, learners.url, ready_cache_s=1)
    try:
        first = readyz(app)
        time.sleep(1.1)  # the remembered result goes stale
        gate.opened.clear()
        with ThreadPoolExecutor(max_workers=1) as pool:
            refresh = pool.submit(readyz, app)
            wait_for(lambda: len(learners.requests) == 2, timeout=5)
            # While the refresh's probe is held, the other calls answer at once with the stale result.
            others = [readyz(app) for _ in range(3)]
            assert not refresh.done()
            gate.opened.set()
            assert refresh.result()["status"] == "ok"
    finally:
        gate.opened.set()
        app.extensions["lc"].close()
        learners.stop()
    assert others == [first] * 3
    assert len(learners.requests) == 2  # one round for the first call, one for the refresh


def test_callers_with_nothing_remembered_share_one_round_and_its_failure():
    started, release = threading.Event(), threading.Event()
    rounds = []

    def failing() -> dict:
        rounds.append(1)
        started.set()
        release.wait(5)
        raise RuntimeError("the probes crashed")

    remembered = Remembered(ttl_s=60)
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(remembered.get, failing)
        started.wait(5)
        waiters = [pool.submit(remembered.get, failing) for _ in range(3)]
        release.set()
        for future in [first, *waiters]:
            with pytest.raises(RuntimeError, match="the probes crashed"):
                future.result()
    assert len(rounds) == 1  # the waiters did not each compute again in turn
    assert remembered.get(lambda: {"ok": 1}) == {"ok": 1}  # a failure is not remembered


def test_a_call_waiting_for_another_calls_first_round_gives_up_after_a_bound(tmp_path, clean_sandbox):
    gate = Gate()
    learners = FakeHTTP({PROBE: gate})
    app = app_with_learners_at(tmp_path, clean_sandbox, learners.url, ready_cache_s=5)
    app.extensions["lc"].readiness = Remembered(5, wait_s=0.2)  # the bound is 10 s otherwise
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            first = pool.submit(readyz, app)
            wait_for(lambda: gate.inside == 1, timeout=5)
            # Nothing remembered yet, and the first round is still held: not ready, no probe of its own.
            resp = app.test_client().get("/readyz")
            assert (resp.status_code, resp.json) == (503, {"status": "unavailable", "checks": {}})
            assert not first.done()
            gate.opened.set()
            assert first.result()["status"] == "ok"
    finally:
        gate.opened.set()
        app.extensions["lc"].close()
        learners.stop()
    assert learners.requests == [PROBE]
