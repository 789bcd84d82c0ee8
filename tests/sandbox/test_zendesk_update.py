"""Saving a ticket's requester through the sandbox's Zendesk API, as the agent workspace does on submit."""
from __future__ import annotations

import pytest
import requests

from tests.sandbox.test_zendesk_api import EMAIL, TOKEN, Zendesk, basic
from tests.servers import Sandbox

AMELIE_USER, SAM_USER = 2001, 2003


@pytest.fixture
def zd(clean_sandbox: Sandbox) -> Zendesk:
    return Zendesk(clean_sandbox)


def put(zd: Zendesk, ticket_id: int, body: object, auth: str | None = None) -> requests.Response:
    headers = {"Authorization": auth or basic(EMAIL, TOKEN)}
    return requests.put(f"{zd.url}/api/v2/tickets/{ticket_id}.json", json=body, headers=headers, timeout=10)


def test_a_saved_requester_is_the_tickets_requester_from_then_on(zd):
    before = zd.ok("tickets/1001.json")["ticket"]
    resp = put(zd, 1001, {"ticket": {"requester_id": SAM_USER}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["ticket"]["requester_id"] == SAM_USER
    assert resp.json()["audit"]["events"] == [{"type": "Change", "field_name": "requester_id",
                                               "value": SAM_USER, "previous_value": AMELIE_USER}]
    after = zd.ok("tickets/1001.json")["ticket"]
    assert after["requester_id"] == SAM_USER
    assert after["updated_at"] > before["updated_at"]
    shown = zd.ok("tickets/show_many.json", ids="1001,1002")["tickets"]
    assert [t["requester_id"] for t in shown] == [SAM_USER, 2002]


def test_forgetting_the_edits_gives_the_generated_ticket_back(zd, clean_sandbox):
    before = zd.ok("tickets/1001.json")["ticket"]
    assert put(zd, 1001, {"ticket": {"requester_id": SAM_USER}}).status_code == 200
    resp = requests.delete(f"{zd.url}/_sandbox/zendesk/edits", timeout=10)
    assert resp.json() == {"forgotten": [1001]}
    assert zd.ok("tickets/1001.json")["ticket"] == before


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"ticket": {"requester_id": 987654321}}, 422, "RecordInvalid"),  # no such user
    ({"ticket": {"requester_id": "2003"}}, 422, "RecordInvalid"),
    ({"ticket": {"requester_id": True}}, 422, "RecordInvalid"),
    ({"ticket": {"requester_id": SAM_USER, "status": "solved"}}, 400, "InvalidValue"),  # not modelled
    ({"requester_id": SAM_USER}, 400, "InvalidValue"),
    ([], 400, "InvalidValue"),
])
def test_what_cannot_be_saved_is_refused_and_changes_nothing(zd, body, status, error):
    resp = put(zd, 1001, body)
    assert (resp.status_code, resp.json()["error"]) == (status, error)
    assert zd.ok("tickets/1001.json")["ticket"]["requester_id"] == AMELIE_USER


def test_an_unknown_ticket_is_not_found_and_a_wrong_token_is_refused(zd):
    assert put(zd, 999999, {"ticket": {"requester_id": SAM_USER}}).status_code == 404
    wrong = basic(EMAIL, "wrong")
    assert put(zd, 1001, {"ticket": {"requester_id": SAM_USER}}, auth=wrong).status_code == 401
    assert zd.ok("tickets/1001.json")["ticket"]["requester_id"] == AMELIE_USER


def test_users_are_found_by_any_of_their_email_addresses(zd):
    def found(query: str) -> list[int]:
        return [u["id"] for u in zd.ok("users/search.json", query=query)["users"]]

    assert found("SAM.TAYLOR@example.com") == [SAM_USER]
    assert found("zhang.wei.work@example.com") == [2002]  # a second identity, not the user's email
    assert zd.ok("users/search.json", query="no.one@example.com") == {
        "users": [], "next_page": None, "previous_page": None, "count": 0}
    assert zd.get("users/search.json", query="Sam").status_code == 400  # names are not searched here
