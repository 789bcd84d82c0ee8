"""Failure handling against the real sandbox: every fault on every system, retries, breaker, concurrency."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.context import ContextService
from backend.deadline import Deadline
from backend.errors import SourceBadResponse, SourceError, SourceTimeout, SourceUnavailable
from backend.lookup import Agent, LookupRequest
from backend.sources import enrolments, learners, payments
from backend.sources.breaker import CircuitOpen
from backend.sources.http import SourceClient
from sandbox.internal import personas as P
from tests.backend.test_context import calls, forget_calls, settings_for
from tests.fakes import FakeHTTP, Hang
from tests.servers import free_port, wait_for

TOKEN = "sandbox-internal-token"
AGENT = Agent(iss="https://acme.zendesk.com", sub="42")
SYSTEMS = ("learners", "enrolments", "courses", "payments")
SECTION = {"learners": "learner", "enrolments": "enrolments", "courses": "courses", "payments": "payments"}
# The deadline (the default) leaves healthy calls ample room on a loaded machine; the latency fault
# exceeds it by far (the sandbox releases held requests when the test clears its faults).
DEADLINE_MS, CALL_TIMEOUT_MS, SLOW_MS = 2500, 1500, 10_000
EXPECTED = {"latency": "timeout", "hang": "timeout", "error": "unavailable", "reset": "unavailable",
            "garbage": "error", "rate_limited": "unavailable"}


def wait_in_flight(sandbox, system: str) -> None:
    """Wait until the sandbox holds a call to system (bounded: 5 s)."""
    for _ in range(250):
        state = sandbox.session.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()
        if state.get("in_flight", {}).get(system):
            return
        time.sleep(0.02)
    raise AssertionError(f"no call to {system} in flight")


@pytest.fixture
def make_service(clean_sandbox):
    made = []

    def make(**changes) -> ContextService:
        settings = settings_for(clean_sandbox, deadline_ms=DEADLINE_MS, call_timeout_ms=CALL_TIMEOUT_MS,
                                **changes)
        made.append(ContextService(settings))
        return made[-1]
    yield make
    for svc in made:
        svc.close()


def sam(svc: ContextService, refresh: bool = False) -> dict:
    return svc.lookup(LookupRequest(emails=(P.SAM_EMAIL,), refresh=refresh), AGENT).body


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("system", SYSTEMS)
def test_a_failing_system_marks_its_section_and_the_rest_is_intact(system, kind, make_service, clean_sandbox):
    svc = make_service()
    clean_sandbox.fault(system, kind, ms=SLOW_MS if kind == "latency" else None)
    body = sam(svc)
    statuses = {name: section["status"] for name, section in body["sections"].items()}
    failing = SECTION[system]
    if system == "learners":
        # Nobody found, so nothing could be asked about anyone: every section says why.
        assert statuses == dict.fromkeys(statuses, EXPECTED[kind])
        assert all(section["as_of"] is None for section in body["sections"].values())
        assert body["matches"] == [] and "lc_not_found" not in body["suggested_tags"]
        return
    assert statuses[failing] == EXPECTED[kind]
    assert all(status == "ok" for name, status in statuses.items() if name != failing)
    [match] = body["matches"]
    assert match["learner"]["id"] == P.SAM_ID
    if system != "enrolments":
        assert match["enrolments"], "enrolments survive another system's failure"
    if system != "payments":
        assert match["payments"] and match["payer"]["kind"] == "enterprise"
    if system == "courses":
        assert all(e["course"]["title"] is None for e in match["enrolments"])


def test_retries_only_transient_failures_and_recovers(make_service, clean_sandbox):
    svc = make_service(retries=2)
    clean_sandbox.fault("enrolments", "error", times=1)
    body = sam(svc)
    assert body["sections"]["enrolments"]["status"] == "ok"
    assert [r["status"] for r in calls(clean_sandbox, "enrolments")] == [500, 200]


def test_persistent_5xx_is_tried_retries_plus_one_times(make_service, clean_sandbox):
    svc = make_service(retries=2)
    clean_sandbox.fault("enrolments", "error")
    assert sam(svc)["sections"]["enrolments"]["status"] == "unavailable"
    assert len(calls(clean_sandbox, "enrolments")) == 3


def test_malformed_answer_is_not_retried(make_service, clean_sandbox):
    svc = make_service(retries=2)
    clean_sandbox.fault("enrolments", "garbage")
    assert sam(svc)["sections"]["enrolments"]["status"] == "error"
    assert len(calls(clean_sandbox, "enrolments")) == 1


def test_breaker_opens_after_n_failures_and_stops_calling(make_service, clean_sandbox):
    svc = make_service(retries=0, breaker_failures=3, breaker_reset_s=60)
    clean_sandbox.fault("enrolments", "error")
    bodies = [sam(svc, refresh=True) for _ in range(5)]
    assert [b["sections"]["enrolments"]["status"] for b in bodies] == ["unavailable"] * 5
    assert len(calls(clean_sandbox, "enrolments")) == 3  # calls 4 and 5 never left the backend
    assert all(b["sections"]["payments"]["status"] == "ok" for b in bodies)


def test_breaker_half_opens_after_reset_and_closes_on_success(make_service, clean_sandbox):
    svc = make_service(retries=0, breaker_failures=1, breaker_reset_s=3)
    clean_sandbox.fault("enrolments", "error", times=1)
    assert sam(svc, refresh=True)["sections"]["enrolments"]["status"] == "unavailable"
    assert sam(svc, refresh=True)["sections"]["enrolments"]["status"] == "unavailable"  # open: not called
    assert len(calls(clean_sandbox, "enrolments")) == 1
    time.sleep(3.1)  # the breaker's reset time: the next call is the half-open trial
    assert sam(svc, refresh=True)["sections"]["enrolments"]["status"] == "ok"


@pytest.mark.parametrize("kind", ["hang", "latency"])
def test_concurrent_timeouts_that_open_the_breaker_still_show_timeout(kind, make_service, clean_sandbox):
    # Sam's four payments calls time out together; the breaker opens after two of them. The other two
    # (and every retry the open breaker refuses) are still timeouts of this lookup, not "unavailable".
    svc = make_service(breaker_failures=2, breaker_reset_s=60)
    clean_sandbox.fault("payments", kind, ms=SLOW_MS if kind == "latency" else None)
    body = sam(svc)
    assert body["sections"]["payments"]["status"] == "timeout"
    assert body["sections"]["enrolments"]["status"] == "ok"


def overlaps(a: dict, b: dict) -> bool:
    return a["started"] < b["ended"] and b["started"] < a["ended"]


def test_enrolments_and_payments_are_fetched_concurrently(make_service, clean_sandbox):
    svc = make_service()
    for system in ("enrolments", "payments"):
        clean_sandbox.fault(system, "latency", ms=300)
    body = sam(svc)
    assert body["sections"]["enrolments"]["status"] == "ok" and body["sections"]["payments"]["status"] == "ok"
    [enrolment_call] = calls(clean_sandbox, "enrolments")
    payment_calls = calls(clean_sandbox, "payments")
    assert len(payment_calls) == 4  # orders, subscriptions, financial aid, sponsorships
    assert all(overlaps(enrolment_call, call) for call in payment_calls)
    assert all(overlaps(payment_calls[0], call) for call in payment_calls[1:])


def test_every_identifier_is_asked_concurrently(make_service, clean_sandbox):
    svc = make_service()
    clean_sandbox.fault("learners", "latency", ms=300)
    svc.lookup(LookupRequest(emails=(P.WEI_EMAIL, P.WEI_WORK_EMAIL)), AGENT)
    first, second = calls(clean_sandbox, "learners")
    assert overlaps(first, second)


class TestCache:
    def test_second_lookup_is_served_from_cache_with_the_original_as_of(self, make_service, clean_sandbox):
        svc = make_service()
        first = sam(svc)
        forget_calls(clean_sandbox)
        second = sam(svc)
        assert calls(clean_sandbox) == []
        assert second["sections"] == first["sections"]
        assert second["matches"] == first["matches"]

    def test_refresh_bypasses_reads_but_refills(self, make_service, clean_sandbox):
        svc = make_service()
        first = sam(svc)
        forget_calls(clean_sandbox)
        refreshed = sam(svc, refresh=True)
        systems = {r["system"] for r in calls(clean_sandbox)}
        # Everything about the learner is read again; the shared course catalogue is not.
        assert systems == {"learners", "enrolments", "payments"}
        assert refreshed["sections"]["learner"]["as_of"] >= first["sections"]["learner"]["as_of"]
        assert refreshed["sections"]["courses"]["as_of"] == first["sections"]["courses"]["as_of"]
        forget_calls(clean_sandbox)
        sam(svc)
        assert calls(clean_sandbox) == []

    def test_failures_are_not_cached(self, make_service, clean_sandbox):
        svc = make_service(retries=0)
        clean_sandbox.fault("payments", "error")
        assert sam(svc)["sections"]["payments"]["status"] == "unavailable"
        clean_sandbox.clear_faults()
        assert sam(svc)["sections"]["payments"]["status"] == "ok"

    def test_redis_down_means_no_cache_not_a_failed_lookup(self, make_service, clean_sandbox):
        svc = make_service(redis_url=f"redis://127.0.0.1:{free_port()}/0")
        assert all(s["status"] == "ok" for s in sam(svc)["sections"].values())
        forget_calls(clean_sandbox)
        sam(svc)
        assert {r["system"] for r in calls(clean_sandbox)} == set(SYSTEMS)  # nothing was cached

    def test_redis_cache_shares_results_between_services(self, make_service, clean_sandbox, redis_url):
        first = sam(make_service(redis_url=redis_url), refresh=True)
        forget_calls(clean_sandbox)
        second = sam(make_service(redis_url=redis_url))
        assert calls(clean_sandbox) == []
        assert second["sections"] == first["sections"]


class TestClient:
    def test_wrong_service_token_is_a_bad_response_not_retried(self, clean_sandbox):
        client = SourceClient("learners", clean_sandbox.system_url("learners"), token="wrong", retries=2)
        try:
            with pytest.raises(SourceBadResponse):
                learners.by_email(client, P.SAM_EMAIL, Deadline(2000))
        finally:
            client.close()
        assert [r["status"] for r in calls(clean_sandbox, "learners")] == [401]

    def test_spent_deadline_makes_no_call(self, clean_sandbox):
        client = SourceClient("learners", clean_sandbox.system_url("learners"), token=TOKEN)
        try:
            with pytest.raises(SourceTimeout):
                learners.by_email(client, P.SAM_EMAIL, Deadline(0))
        finally:
            client.close()
        assert calls(clean_sandbox, "learners") == []

    @pytest.mark.parametrize("value", [".", "..", "...", ""])
    def test_an_id_that_is_a_dot_segment_asks_no_other_url(self, clean_sandbox, value):
        # requests unquotes %2E and urllib3 resolves dot segments: /learners/.. would be the base URL.
        learner_client = SourceClient("learners", clean_sandbox.system_url("learners"), token=TOKEN)
        order_client = SourceClient("payments", clean_sandbox.system_url("payments"), token=TOKEN)
        try:
            assert learners.by_id(learner_client, value, Deadline(2000)) is None
            assert payments.order_by_id(order_client, value, Deadline(2000)) is None
        finally:
            learner_client.close()
            order_client.close()
        assert calls(clean_sandbox) == []

    def test_pagination_follows_cursors_up_to_the_cap(self, clean_sandbox):
        client = SourceClient("enrolments", clean_sandbox.system_url("enrolments"), token=TOKEN)
        try:
            items, total = enrolments.for_learner(client, P.HEAVY_ID, Deadline(5000), max_items=150)
        finally:
            client.close()
        assert len(items) == 150 and len({e["id"] for e in items}) == 150 and total == P.HEAVY_ENROLMENTS
        assert len(calls(clean_sandbox, "enrolments")) == 2

    def test_a_success_in_flight_when_the_breaker_opens_keeps_its_data(self, clean_sandbox):
        client = SourceClient("learners", clean_sandbox.system_url("learners"), token=TOKEN, retries=0)
        clean_sandbox.fault("learners", "latency", ms=400)
        with ThreadPoolExecutor(max_workers=1) as pool:
            try:
                pending = pool.submit(learners.by_email, client, P.SAM_EMAIL, Deadline(5000))
                wait_in_flight(clean_sandbox, "learners")
                client.breaker.open()  # as failures of concurrent calls would
                [learner] = pending.result()
                assert learner["id"] == P.SAM_ID
                with pytest.raises(CircuitOpen):  # later calls are refused before any I/O
                    learners.by_email(client, P.SAM_EMAIL, Deadline(5000))
            finally:
                client.close()
        assert len(calls(clean_sandbox, "learners")) == 1

    def test_connection_refused_is_unavailable(self):
        client = SourceClient("learners", f"http://127.0.0.1:{free_port()}", retries=0)
        try:
            with pytest.raises(SourceUnavailable):
                learners.by_email(client, P.SAM_EMAIL, Deadline(1000))
        finally:
            client.close()


def test_a_half_open_breaker_lets_exactly_one_trial_call_through():
    hung = FakeHTTP({"/learners": Hang(hold_s=10)})
    client = SourceClient("learners", hung.url, retries=0, call_timeout_ms=300, breaker_failures=1,
                          breaker_reset_s=1)
    try:
        with pytest.raises(SourceTimeout):
            client.get("/learners", None, Deadline(2000))  # the breaker opens
        time.sleep(1.1)  # its reset time passes: half-open

        def call(_: int) -> str:
            try:
                client.get("/learners", None, Deadline(2000))
            except SourceError as exc:
                return type(exc).__name__
            return "ok"

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = sorted(pool.map(call, range(8)))
        assert outcomes == ["CircuitOpen"] * 7 + ["SourceTimeout"]
        assert len(hung.requests) == 2  # the first call and the one trial
    finally:
        client.close()
        hung.stop()


def test_a_trial_call_that_outlives_its_time_lets_another_call_be_the_trial():
    # A trial can be held where no timeout of its own reaches: here it waits for the system's only
    # pooled connection, held by a call admitted before the breaker opened. Its slot lasts its time
    # (its deadline, 1 s) at most; after that another call is the trial, instead of every call being
    # refused for as long as the first one waits. The system has recovered: that call gets through.
    api = FakeHTTP({"/held": Hang(hold_s=10), "/learners": (200, {"data": []})})
    client = SourceClient("learners", api.url, pool_size=1, retries=0, call_timeout_ms=3000,
                          breaker_failures=1, breaker_reset_s=0.5)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            held = pool.submit(client.get, "/held", None, Deadline(3000))
            wait_for(lambda: api.requests == ["/held"], timeout=5)
            client.breaker.open()  # as failures of concurrent calls would
            time.sleep(0.6)  # the reset time passes: half-open
            trial = pool.submit(client.get, "/learners", None, Deadline(1000))
            wait_for(lambda: client.breaker.trial_until is not None, timeout=5)
            trial_until = client.breaker.trial_until
            with pytest.raises(CircuitOpen, match="half-open"):  # the trial holds its slot
                client.get("/learners", None, Deadline(1000))
            # The trial's time is up; it still waits for the connection.
            time.sleep(max(0.0, trial_until - time.monotonic()) + 0.05)
            assert client.get("/learners", None, Deadline(5000)) == {"data": []}
            with pytest.raises(SourceTimeout):
                held.result()
            with pytest.raises(SourceTimeout):
                trial.result()
    finally:
        client.close()
        api.stop()
    assert api.requests[0] == "/held" and "/learners" in api.requests
