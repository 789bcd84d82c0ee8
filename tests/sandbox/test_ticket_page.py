"""The ticket page inside the real sandbox: ticket data from its Zendesk API, page and app origins."""
from __future__ import annotations

from urllib.parse import urlsplit

import requests

from sandbox.internal import personas as p
from tests.servers import Sandbox


def on_page_host(sandbox: Sandbox) -> dict[str, str]:
    return {"Host": f"localhost:{urlsplit(sandbox.url).port}"}


def test_the_picker_lists_the_seven_demo_tickets_from_the_zendesk_api(sandbox):
    resp = requests.get(f"{sandbox.url}/_page/tickets", headers=on_page_host(sandbox), timeout=10)
    assert resp.status_code == 200
    tickets = resp.json()["tickets"]
    assert [t["id"] for t in tickets] == list(range(1001, 1008))
    assert all(t["subject"] for t in tickets)


def test_a_ticket_comes_with_its_requester_and_identities_in_zaf_shape(sandbox):
    resp = requests.get(f"{sandbox.url}/_page/tickets/1002", headers=on_page_host(sandbox), timeout=10)
    assert resp.status_code == 200
    data = resp.json()
    assert data["ticket"]["id"] == 1002 and data["ticket"]["subject"] and data["ticket"]["description"]
    requester = data["requester"]
    assert requester["email"] == p.WEI_EMAIL
    emails = {i["value"] for i in requester["identities"] if i["type"] == "email"}
    assert emails >= {p.WEI_EMAIL, p.WEI_WORK_EMAIL}
    assert "externalId" in requester and "external_id" not in requester


def test_an_unknown_ticket_is_a_json_404(sandbox):
    resp = requests.get(f"{sandbox.url}/_page/tickets/999999", headers=on_page_host(sandbox), timeout=10)
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "ticket_unavailable"


def test_the_page_is_on_localhost_and_frames_only_the_app_origin(sandbox):
    resp = requests.get(f"{sandbox.url}/", headers=on_page_host(sandbox), timeout=10)
    assert resp.status_code == 200 and "text/html" in resp.headers["Content-Type"]
    csp = resp.headers["Content-Security-Policy"]
    assert f"frame-src {sandbox.url}" in csp and "script-src" not in csp  # scripts fall back to 'self'
    assert "<script>" not in resp.text  # module scripts from files only


def test_the_real_app_is_served_from_the_app_origin(sandbox):
    resp = requests.get(f"{sandbox.url}/app/assets/iframe.html", timeout=10)
    assert resp.status_code == 200
    assert "zaf_sdk" in resp.text and 'data-testid="lc-app"' in resp.text
    boot = requests.get(f"{sandbox.url}/_page/boot", headers=on_page_host(sandbox), timeout=10)
    assert "shared_secret" not in boot.json()["settings"]


def test_the_requester_picker_finds_an_existing_user_by_email_in_zaf_shape(clean_sandbox):
    url, host = f"{clean_sandbox.url}/_page/users", on_page_host(clean_sandbox)
    resp = requests.get(url, params={"email": p.SAM_EMAIL.upper()}, headers=host, timeout=10)
    assert resp.status_code == 200
    requester = resp.json()["requester"]
    assert (requester["id"], requester["email"]) == (2003, p.SAM_EMAIL)
    assert requester["externalId"] == p.SAM_EXTERNAL_ID
    unknown = requests.get(url, params={"email": "no.one@example.com"}, headers=host, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "user_unavailable"


def test_submitting_saves_the_requester_through_the_zendesk_api(clean_sandbox):
    url, host = f"{clean_sandbox.url}/_page/tickets/1001", on_page_host(clean_sandbox)
    resp = requests.put(url, json={"requester_id": 2003}, headers=host, timeout=10)
    assert resp.status_code == 200 and resp.json()["requester"]["email"] == p.SAM_EMAIL
    assert requests.get(url, headers=host, timeout=10).json()["requester"]["id"] == 2003  # saved
    assert [r["method"] for r in clean_sandbox.requests_log("zendesk") if r["path"].startswith(
        "/api/v2/tickets/1001")].count("PUT") == 1
    refused = requests.put(url, json={"requester_id": 987654321}, headers=host, timeout=10)
    assert refused.status_code == 422
