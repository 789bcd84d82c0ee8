"""A system's 429 against the real sandbox: Retry-After honoured within the deadline, never a breaker failure.

Zendesk's API budget is shared with the insights export and other integrations, so a burst of 429s
is ordinary: it must neither open the breaker (failing every lookup for its reset time) nor be
retried blindly (spending more of a budget already gone).
"""
from __future__ import annotations

import logging
import time

import pytest
import requests

from backend.context import ContextService
from backend.deadline import Deadline
from backend.errors import SourceRateLimited
from backend.lookup import Agent, LookupRequest
from backend.sources.http import retry_after_s
from sandbox.internal import personas as P
from tests.backend.test_context import AGENT, calls, settings_for, zendesk_settings


def statuses(sandbox, path_part: str) -> list[int | None]:
    return [r["status"] for r in calls(sandbox, "zendesk") if path_part in r["path"]]


def test_a_429_is_asked_again_after_its_retry_after_when_the_deadline_allows(make_client, executor,
                                                                            clean_sandbox):
    clean_sandbox.fault("zendesk", "rate_limited", ms=1000, times=1)  # Retry-After: 1
    started = time.monotonic()
    requester = make_client().requester(1001, Deadline(3000), executor)
    assert requester["emails"] == [P.AMELIE_EMAIL]
    assert time.monotonic() - started >= 1.0  # it waited as told, not sooner
    assert statuses(clean_sandbox, "/tickets/1001") == [429, 200]


def test_a_retry_after_beyond_the_deadline_fails_at_once_without_asking_again(make_client, executor,
                                                                            clean_sandbox):
    clean_sandbox.fault("zendesk", "rate_limited", ms=5000)  # Retry-After: 5
    started = time.monotonic()
    with pytest.raises(SourceRateLimited) as caught:
        make_client().requester(1001, Deadline(1500), executor)
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after_s == 5 and caught.value.section_status == "unavailable"
    assert statuses(clean_sandbox, "/tickets/1001") == [429]  # and no retry of the ordinary kind either


def test_a_second_429_is_final(make_client, executor, clean_sandbox):
    clean_sandbox.fault("zendesk", "rate_limited", ms=0)  # Retry-After: 0, every time
    with pytest.raises(SourceRateLimited):
        make_client().requester(1001, Deadline(3000), executor)
    assert statuses(clean_sandbox, "/tickets/1001") == [429, 429]


def test_a_burst_of_429s_never_opens_the_breaker(make_client, executor, clean_sandbox):
    client = make_client(retries=0, breaker_failures=2, breaker_reset_s=60)
    clean_sandbox.fault("zendesk", "rate_limited", ms=5000)
    for _ in range(4):
        with pytest.raises(SourceRateLimited):  # never CircuitOpen
            client.requester(1001, Deadline(1000), executor, refresh=True)
    clean_sandbox.clear_faults()
    assert client.requester(1001, Deadline(3000), executor, refresh=True)["emails"] == [P.AMELIE_EMAIL]
    assert statuses(clean_sandbox, "/tickets/1001") == [429] * 4 + [200]


def test_the_sandboxs_own_zendesk_rate_limit_is_a_rate_limited_lookup(clean_sandbox, caplog):
    budget = f"{clean_sandbox.url}/_sandbox/zendesk/rate-limit"
    before = requests.get(budget, timeout=5).json()["per_minute"]
    while time.time() % 60 > 50:  # the budget is per clock minute: start well inside one
        time.sleep(0.5)
    service = ContextService(zendesk_settings(clean_sandbox, deadline_ms=1500))
    try:
        requests.put(budget, json={"per_minute": 1}, timeout=5).raise_for_status()
        requests.get(f"{clean_sandbox.url}/api/v2/users/me.json", timeout=5,
                     auth=("agent@demo.example/token", "sandbox-zendesk-token"))  # spends it
        with caplog.at_level(logging.INFO, logger="backend.fanout"):
            body = service.lookup(LookupRequest(), Agent(iss=AGENT.iss, sub="42", ticket_id=1001)).body
    finally:
        requests.put(budget, json={"per_minute": before}, timeout=5)
        service.close()
    assert body["matches"] == [] and body["sections"]["learner"]["status"] == "unavailable"
    [line] = [r for r in caplog.records if "HTTP 429" in r.getMessage()]
    assert line.levelno == logging.WARNING and "zendesk is rate limiting the backend" in line.getMessage()


def test_an_internal_systems_429_is_unavailable_and_never_opens_its_breaker(clean_sandbox):
    service = ContextService(settings_for(clean_sandbox, retries=0, breaker_failures=1, breaker_reset_s=60))
    try:
        clean_sandbox.fault("payments", "rate_limited", ms=5000)
        for _ in range(3):
            body = service.lookup(LookupRequest(emails=(P.SAM_EMAIL,), refresh=True), AGENT).body
            assert body["sections"]["payments"]["status"] == "unavailable"
            assert body["sections"]["enrolments"]["status"] == "ok"
        clean_sandbox.clear_faults()
        body = service.lookup(LookupRequest(emails=(P.SAM_EMAIL,), refresh=True), AGENT).body
    finally:
        service.close()
    assert body["sections"]["payments"]["status"] == "ok"


@pytest.mark.parametrize(("header", "seconds"), [("7", 7.0), (" 0 ", 0.0), (None, None), ("soon", None),
                                                 ("-3", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after_is_read_as_seconds_or_an_http_date(header, seconds):
    assert retry_after_s(header) == seconds
