"""Which of a ticket requester's email identities ticket-bound mode trusts, against the sandbox's Zendesk.

With Zendesk's default end-user settings a person who e-mails support gets a user made from the
sender's address, unverified. That address is trusted because the ticket came from it; any other
unverified address on the profile is not (anyone can add one).
"""
from __future__ import annotations

import sqlite3

import pytest
import requests

from backend.context import ContextService
from backend.deadline import Deadline
from backend.lookup import Agent, LookupRequest
from sandbox.internal import personas as P
from sandbox.zendesk.demo import AMELIE_UNVERIFIED_EXTRA
from tests.backend.test_context import AGENT, zendesk_settings
from tests.servers import SANDBOX_DATA

AUTH = ("agent@demo.example/token", "sandbox-zendesk-token")


@pytest.fixture
def client(make_client):
    """The sandbox's Zendesk, as ticket-bound mode asks it (the HTTP tests' `client` is another)."""
    return make_client()


def zendesk_get(sandbox, path: str) -> dict:
    resp = requests.get(f"{sandbox.url}/api/v2/{path}", auth=AUTH, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def identities_of(sandbox, ticket_id: int) -> tuple[dict, dict[str, bool]]:
    """The ticket and its requester's email identities (value -> verified) as Zendesk answers them."""
    ticket = zendesk_get(sandbox, f"tickets/{ticket_id}.json")["ticket"]
    body = zendesk_get(sandbox, f"users/{ticket['requester_id']}/identities.json")
    return ticket, {i["value"]: i["verified"] for i in body["identities"] if i["type"] == "email"}


def test_an_emailed_ticket_finds_its_unverified_sender(client, executor, clean_sandbox):
    ticket, identities = identities_of(clean_sandbox, 1001)
    assert ticket["via"]["channel"] == "email"
    assert ticket["via"]["source"]["from"]["address"] == P.AMELIE_EMAIL
    assert identities[P.AMELIE_EMAIL] is False  # as Zendesk makes it for someone who only wrote in
    requester = client.requester(1001, Deadline(3000), executor)
    assert requester["emails"] == [P.AMELIE_EMAIL]
    assert requester["ticket_sender"] == P.AMELIE_EMAIL


def test_an_unverified_address_that_did_not_send_the_ticket_is_ignored(client, executor, clean_sandbox):
    _, identities = identities_of(clean_sandbox, 1001)
    assert identities[AMELIE_UNVERIFIED_EXTRA] is False
    assert AMELIE_UNVERIFIED_EXTRA not in client.requester(1001, Deadline(3000), executor)["emails"]


def test_the_sender_comes_with_the_verified_identities_primary_first(client, executor, clean_sandbox):
    _, identities = identities_of(clean_sandbox, 1002)
    assert identities == {P.WEI_EMAIL: False, P.WEI_WORK_EMAIL: True}
    requester = client.requester(1002, Deadline(3000), executor)
    assert requester["emails"] == [P.WEI_EMAIL, P.WEI_WORK_EMAIL]
    assert requester["ticket_sender"] == P.WEI_EMAIL


def test_a_web_form_ticket_of_a_verified_requester_is_matched_without_a_sender(client, executor,
                                                                              clean_sandbox):
    ticket, identities = identities_of(clean_sandbox, 1004)
    assert ticket["via"] == {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}}
    assert identities == {P.PRIYA_EMAIL: True}
    requester = client.requester(1004, Deadline(3000), executor)
    assert requester["emails"] == [P.PRIYA_EMAIL] and requester["ticket_sender"] is None


def web_ticket_of_an_unverified_requester() -> int:
    """A generated web-form ticket whose requester's only identity is unverified (read from the data)."""
    conn = sqlite3.connect(f"file:{SANDBOX_DATA / 'zendesk.db'}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT t.id FROM tickets t JOIN identities i ON i.user_id = t.requester_id"
            " WHERE t.channel = 'web' AND t.status != 'deleted' AND i.verified = 0"
            " AND (SELECT COUNT(*) FROM identities j WHERE j.user_id = t.requester_id) = 1"
            " ORDER BY t.id LIMIT 1").fetchone()
    finally:
        conn.close()
    return row[0]


def test_a_web_form_ticket_with_an_unverified_identity_finds_no_one(client, executor, clean_sandbox):
    ticket_id = web_ticket_of_an_unverified_requester()
    ticket, identities = identities_of(clean_sandbox, ticket_id)
    assert ticket["via"]["channel"] == "web" and list(identities.values()) == [False]
    requester = client.requester(ticket_id, Deadline(3000), executor)
    assert requester["emails"] == [] and requester["ticket_sender"] is None


def test_matched_by_says_how_zendesk_vouches_for_each_email(clean_sandbox):
    service = ContextService(zendesk_settings(clean_sandbox))
    try:
        body = service.lookup(LookupRequest(), Agent(iss=AGENT.iss, sub="42", ticket_id=1002)).body
    finally:
        service.close()
    reasons = {m["learner"]["id"]: m["matched_by"] for m in body["matches"]}
    assert reasons == {
        P.WEI_ID: [{"kind": "email", "value": P.WEI_EMAIL, "basis": "ticket_sender"}],
        P.WEI_WORK_ID: [{"kind": "email", "value": P.WEI_WORK_EMAIL, "basis": "verified"}],
    }
