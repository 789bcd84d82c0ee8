"""Resolving a ticket's requester through the sandbox's Zendesk API."""
from __future__ import annotations

import json

import pytest

from backend.cache import MemoryCache
from backend.context import ContextService
from backend.deadline import Deadline
from backend.errors import NotFound, SourceBadResponse, SourceTimeout, SourceUnavailable
from backend.lookup import Agent, LookupRequest
from backend.sources.breaker import CircuitOpen
from backend.zendesk import ZendeskClient
from sandbox.internal import personas as P
from tests.backend.test_context import calls, zendesk_settings
from tests.fakes import FakeHTTP, Trickle
from tests.servers import wait_for


def test_requester_with_every_email_identity(make_client, executor):
    requester = make_client().requester(1002, Deadline(3000), executor)
    assert requester["ticket_id"] == 1002
    assert [e.lower() for e in requester["emails"]] == [P.WEI_EMAIL, P.WEI_WORK_EMAIL]


def test_each_demo_ticket_belongs_to_its_persona(make_client, executor):
    client = make_client()
    expected = [P.AMELIE_EMAIL, P.WEI_EMAIL, P.SAM_EMAIL, P.PRIYA_EMAIL, P.HEAVY_EMAIL, P.ERASED_EMAIL,
                P.NOBODY_EMAIL]
    got = [client.requester(ticket, Deadline(3000), executor)["emails"][0].lower()
           for ticket in range(1001, 1008)]
    assert got == expected


def test_unknown_ticket_is_not_found(make_client, executor):
    with pytest.raises(NotFound) as caught:
        make_client().requester(999999, Deadline(3000), executor)
    assert caught.value.code == "ticket_not_found"


def test_wrong_api_token_is_an_error_not_a_guess(make_client, executor, clean_sandbox):
    with pytest.raises(SourceBadResponse):
        make_client(zendesk_api_token="wrong").requester(1001, Deadline(3000), executor)
    assert {r["status"] for r in calls(clean_sandbox, "zendesk")} == {401}


@pytest.mark.parametrize(("kind", "error"), [("garbage", SourceBadResponse), ("error", SourceUnavailable),
                                             ("hang", SourceTimeout)])
def test_faults_surface_as_source_errors(kind, error, make_client, executor, clean_sandbox):
    clean_sandbox.fault("zendesk", kind)
    with pytest.raises(error):
        make_client(call_timeout_ms=500).requester(1001, Deadline(1000), executor)


def test_resolution_is_cached_and_refresh_asks_again(make_client, executor, clean_sandbox):
    def ticket_calls() -> int:
        # Counted by path: a request held by an earlier test's hang fault may be logged late.
        return sum("/tickets/1003" in r["path"] for r in calls(clean_sandbox, "zendesk"))

    client = make_client()
    first = client.requester(1003, Deadline(3000), executor)
    assert client.requester(1003, Deadline(3000), executor) == first
    assert ticket_calls() == 1
    client.requester(1003, Deadline(3000), executor, refresh=True)
    assert ticket_calls() == 2


@pytest.fixture
def fake_zendesk():
    """A real Zendesk stand-in whose user 9 has verified and unverified email identities."""
    identities = [
        {"type": "email", "value": "added.by.anyone@example.com", "verified": False, "primary": False},
        {"type": "email", "value": "mallory@evil.test", "verified": True, "primary": False},
        {"type": "phone_number", "value": "+33100000000", "verified": True, "primary": False},
        {"type": "email", "value": P.AMELIE_EMAIL, "verified": False, "primary": True},
        {"type": "email", "value": "second@evil.test", "verified": "true", "primary": False},
        {"type": "email", "value": "mallory.primary@evil.test", "verified": True, "primary": True},
    ]
    server = FakeHTTP({
        "/api/v2/tickets/5001.json": (200, {"ticket": {"id": 5001, "requester_id": 9}}),
        "/api/v2/users/9.json": (200, {"user": {"id": 9, "email": P.AMELIE_EMAIL, "external_id": "sso-9"}}),
        "/api/v2/users/9/identities.json": (200, {"identities": identities}),
    })
    yield server
    server.stop()


def test_only_verified_email_identities_are_looked_up_primary_first(fake_zendesk, executor, sandbox):
    client = ZendeskClient(zendesk_settings(sandbox, zendesk_url=fake_zendesk.url), MemoryCache(ttl_s=60))
    try:
        requester = client.requester(5001, Deadline(3000), executor)
    finally:
        client.close()
    # The user's `email` (an unverified primary) and the unverified identities are not the requester's.
    assert requester["emails"] == ["mallory.primary@evil.test", "mallory@evil.test"]
    assert requester["external_id"] == "sso-9"


def test_an_answer_nested_too_deep_is_a_bad_response_and_a_breaker_failure(executor, sandbox):
    deep = FakeHTTP({"/api/v2/tickets/5001.json": b"[" * 50_000 + b"]" * 50_000})
    client = ZendeskClient(zendesk_settings(sandbox, zendesk_url=deep.url, retries=0, breaker_failures=2),
                           MemoryCache(ttl_s=60))
    try:
        for _ in range(2):
            with pytest.raises(SourceBadResponse):
                client.requester(5001, Deadline(3000), executor)
        with pytest.raises(CircuitOpen):
            client.requester(5001, Deadline(3000), executor)
    finally:
        client.close()
        deep.stop()
    assert len(deep.requests) == 2  # the open breaker sent nothing


def test_a_trickling_answer_is_a_timeout_and_its_connection_is_closed(executor, sandbox):
    # One byte every 100 ms: each socket read succeeds, so a per-read timeout never fires.
    body = json.dumps({"ticket": {"id": 5001, "requester_id": 9}}).encode() + b" " * 200
    slow = FakeHTTP({"/api/v2/tickets/5001.json": Trickle(body, interval_s=0.1)})
    client = ZendeskClient(zendesk_settings(sandbox, zendesk_url=slow.url, retries=0), MemoryCache(ttl_s=60))
    try:
        with pytest.raises(SourceTimeout):
            client.requester(5001, Deadline(1000), executor)
        # The server saw us hang up: the call did not wait for the rest of the answer.
        wait_for(lambda: slow.aborted == ["/api/v2/tickets/5001.json"], timeout=5)
    finally:
        client.close()
        slow.stop()


def test_a_zendesk_trickling_even_its_headers_leaves_the_lookup_at_its_deadline(sandbox):
    slow = FakeHTTP({"/api/v2/tickets/1001.json": Trickle(b"{}" + b" " * 300, interval_s=0.1, whole=True)})
    service = ContextService(zendesk_settings(sandbox, zendesk_url=slow.url, deadline_ms=1000, retries=0))
    try:
        agent = Agent(iss="https://acme.zendesk.com", sub="42", ticket_id=1001)
        result = service.lookup(LookupRequest(), agent)
        assert result.body["sections"]["learner"]["status"] == "timeout"
        # Answered while Zendesk was still sending its headers (about 90 bytes): no wait for them.
        assert slow.requests == ["/api/v2/tickets/1001.json"]
        assert slow.trickled["/api/v2/tickets/1001.json"] < 60
    finally:
        service.close()
        slow.stop()
