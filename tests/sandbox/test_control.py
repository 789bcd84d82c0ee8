"""The control plane: every fault kind as a real HTTP client sees it, `times`, and the request log."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from sandbox.internal import personas as p

LEARNER = f"/learners/{p.AMELIE_ID}"
SYSTEMS = ["learners", "enrolments", "courses", "payments", "zendesk"]


@pytest.fixture(autouse=True)
def settled(sandbox):
    """After each test, release what its faults hold and wait until those calls are logged, so that
    no late log entry lands in a later test's request log."""
    yield
    sandbox.clear_faults()
    while sandbox.session.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()["in_flight"]:
        time.sleep(0.02)


def url_of(sandbox, system: str) -> str:
    """A URL of the system that answers without a fault (zendesk's is under /api/v2)."""
    if system == "zendesk":
        return sandbox.url + "/api/v2/tickets/1001.json"
    path = {
        "learners": LEARNER,
        "enrolments": "/enrolments/E-1000011",
        "courses": "/courses/C-0042",
        "payments": f"/orders/{p.AMELIE_RECENT_ORDER_ID}",
    }[system]
    return sandbox.system_url(system) + path


def call(internal, url: str, timeout: float = 10) -> requests.Response:
    return internal.session.get(url, timeout=timeout)


@pytest.mark.parametrize("system", SYSTEMS)
def test_error_fault_answers_500_json_on_every_system(clean_sandbox, internal, system):
    clean_sandbox.fault(system, "error")
    resp = call(internal, url_of(clean_sandbox, system))
    assert resp.status_code == 500
    assert resp.json()["error"]["code"] == "sandbox_fault"


@pytest.mark.parametrize("system", SYSTEMS)
def test_reset_fault_drops_the_connection_on_every_system(clean_sandbox, internal, system):
    clean_sandbox.fault(system, "reset")
    with pytest.raises(requests.ConnectionError):
        call(internal, url_of(clean_sandbox, system))


def test_garbage_fault_answers_200_with_a_body_that_is_not_json(clean_sandbox, internal):
    clean_sandbox.fault("payments", "garbage")
    resp = call(internal, url_of(clean_sandbox, "payments"))
    assert resp.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        resp.json()


@pytest.mark.parametrize(("system", "error"), [
    ("learners", {"error": {"code": "rate_limited", "message": "too many requests, retry later"}}),
    ("zendesk", {"error": "APIRateLimitExceeded",
                 "description": "Number of allowed API requests per minute exceeded"})])
def test_rate_limited_fault_answers_429_with_retry_after_in_the_systems_shape(system, error, clean_sandbox,
                                                                              internal):
    clean_sandbox.fault(system, "rate_limited", ms=2500)
    resp = call(internal, url_of(clean_sandbox, system))
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"  # whole seconds, rounded up
    assert resp.json() == error


def test_latency_fault_delays_answers_past_a_short_client_timeout(clean_sandbox, internal):
    clean_sandbox.fault("courses", "latency", ms=30_000)
    with pytest.raises(requests.ReadTimeout):
        call(internal, url_of(clean_sandbox, "courses"), timeout=0.3)
    assert call(internal, url_of(clean_sandbox, "learners")).status_code == 200  # other systems unaffected


def test_latency_fault_with_times_delays_only_that_many_requests(clean_sandbox, internal):
    clean_sandbox.fault("courses", "latency", ms=30_000, times=1)
    with pytest.raises(requests.ReadTimeout):
        call(internal, url_of(clean_sandbox, "courses"), timeout=0.3)
    assert call(internal, url_of(clean_sandbox, "courses")).status_code == 200


def test_hang_holds_the_request_until_the_fault_is_cleared_then_closes_it(clean_sandbox, internal):
    clean_sandbox.fault("enrolments", "hang")
    with pytest.raises(requests.ReadTimeout):
        call(internal, url_of(clean_sandbox, "enrolments"), timeout=0.2)
    outcome: list[BaseException] = []
    waiter = threading.Thread(target=lambda: _capture(outcome, internal, url_of(clean_sandbox, "enrolments")))
    waiter.start()
    # while one request hangs, the threaded server answers others
    assert call(internal, url_of(clean_sandbox, "learners")).status_code == 200
    _wait_for_hanging(clean_sandbox, "enrolments", 2)
    clean_sandbox.clear_faults()
    # clearing answers once the calls it released are logged: both hung calls, dropped (status null)
    assert [e["status"] for e in clean_sandbox.requests_log("enrolments")] == [None, None]
    waiter.join(timeout=30)
    assert not waiter.is_alive()
    # closed by the clearing, long before the client's 30 s timeout or the 60 s hang
    assert len(outcome) == 1 and isinstance(outcome[0], requests.ConnectionError)
    assert call(internal, url_of(clean_sandbox, "enrolments")).status_code == 200


def _capture(outcome: list, internal, url: str) -> None:
    session = requests.Session()
    session.headers.update(internal.session.headers)
    try:
        session.get(url, timeout=30)
        outcome.append(AssertionError("the hung request got an answer"))
    except requests.RequestException as exc:
        outcome.append(exc)


def _wait_for_hanging(sandbox, system: str, count: int) -> None:
    """Poll the control plane until count requests of system are held by its fault."""
    while True:
        listing = sandbox.session.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()
        if listing["holding"].get(system, 0) >= count:
            return
        time.sleep(0.02)


@pytest.mark.parametrize("kind", ["error", "reset", "garbage"])
def test_times_applies_a_fault_to_exactly_n_requests(clean_sandbox, internal, kind):
    clean_sandbox.fault("learners", kind, times=2)
    url = url_of(clean_sandbox, "learners")
    for _ in range(2):
        try:
            resp = call(internal, url)
        except requests.ConnectionError:
            assert kind == "reset"
            continue
        assert kind != "reset"
        assert resp.status_code == 500 if kind == "error" else resp.content[:1] == b"<"
    assert call(internal, url).json()["id"] == p.AMELIE_ID
    faults = clean_sandbox.session.get(f"{clean_sandbox.url}/_sandbox/faults", timeout=5).json()["data"]
    assert faults == {}


def test_faults_are_listed_and_cleared_per_system(clean_sandbox):
    clean_sandbox.fault("learners", "latency", ms=250)
    clean_sandbox.fault("payments", "error", times=3)
    listed = clean_sandbox.session.get(f"{clean_sandbox.url}/_sandbox/faults", timeout=5).json()["data"]
    assert listed == {
        "learners": {"kind": "latency", "ms": 250, "times": None},
        "payments": {"kind": "error", "ms": 0, "times": 3},
    }
    clean_sandbox.session.delete(
        f"{clean_sandbox.url}/_sandbox/faults/learners", timeout=5
    ).raise_for_status()
    listed = clean_sandbox.session.get(f"{clean_sandbox.url}/_sandbox/faults", timeout=5).json()["data"]
    assert list(listed) == ["payments"]


@pytest.mark.parametrize(
    ("system", "body", "status"),
    [
        ("billing", {"kind": "error"}, 404),
        ("learners", {"kind": "explode"}, 400),
        ("learners", {"kind": "latency"}, 400),
        ("learners", {"kind": "latency", "ms": "300"}, 400),
        ("learners", {"kind": "latency", "ms": -1}, 400),
        ("learners", {"kind": "error", "times": 0}, 400),
        ("learners", {"kind": "error", "when": "now"}, 400),
        ("learners", ["error"], 400),
    ],
)
def test_malformed_fault_requests_are_refused(clean_sandbox, system, body, status):
    resp = clean_sandbox.session.put(f"{clean_sandbox.url}/_sandbox/faults/{system}", json=body, timeout=5)
    assert resp.status_code == status
    assert resp.json()["error"]["message"]
    assert clean_sandbox.session.get(f"{clean_sandbox.url}/_sandbox/faults", timeout=5).json()["data"] == {}


def test_health_answers_ok(sandbox):
    assert requests.get(f"{sandbox.url}/_sandbox/health", timeout=5).json() == {"ok": True}


def test_request_log_records_each_call_with_system_status_and_interval(clean_sandbox, internal):
    call(internal, url_of(clean_sandbox, "learners"))
    internal.get("payments", "/orders/ORD-1999-000001")
    clean_sandbox.fault("courses", "reset", times=1)
    with pytest.raises(requests.ConnectionError):
        call(internal, url_of(clean_sandbox, "courses"))
    log = clean_sandbox.requests_log()
    assert [(e["system"], e["method"], e["status"]) for e in log] == [
        ("learners", "GET", 200),
        ("payments", "GET", 404),
        ("courses", "GET", None),
    ]
    assert log[0]["path"] == f"/internal/learners/v1{LEARNER}"
    assert all(isinstance(e["started"], float) and e["started"] <= e["ended"] for e in log)
    assert [e["system"] for e in clean_sandbox.requests_log("payments")] == ["payments"]
    clean_sandbox.clear_requests()
    assert clean_sandbox.requests_log() == []


def test_request_log_shows_concurrent_calls_overlapping(clean_sandbox, internal):
    # Both calls are held at once, then released: however late a loaded machine starts the second
    # thread, the first is still being served when it arrives (a 400 ms delay once was not enough).
    clean_sandbox.fault("learners", "latency", ms=20_000, times=2)
    threads = [
        threading.Thread(target=call, args=(internal, url_of(clean_sandbox, "learners"), 30))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    _wait_for_hanging(clean_sandbox, "learners", 2)
    clean_sandbox.clear_faults()
    for thread in threads:
        thread.join(timeout=30)
    first, second = sorted(clean_sandbox.requests_log("learners"), key=lambda e: e["started"])
    assert second["started"] < first["ended"]  # served at the same time, not one after the other


def test_control_plane_unknown_endpoint_is_404(sandbox):
    resp = requests.get(f"{sandbox.url}/_sandbox/nothing", timeout=5)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
