"""The sandbox's Zendesk API: auth, demo tickets, users, identities, metrics, ratings, search count."""
from __future__ import annotations

import base64
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import flask
import pytest
import requests

import sandbox.zendesk as zendesk
from sandbox.config import load_zendesk
from tests.sandbox.conftest import Internal
from tests.servers import SANDBOX_DATA, Sandbox

EMAIL, TOKEN = "agent@demo.example", "sandbox-zendesk-token"
PERSONAS = ["amelie.durand@example.fr", "wei.zhang@example.cn", "sam.taylor@example.com",
            "priya.raman@example.in", "heavy.learner@example.com", "erased.learner@example.com",
            "nobody@example.com"]


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def basic(email: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{email}/token:{token}".encode()).decode()


class Zendesk:
    """GETs against /api/v2 of the running sandbox with the sandbox's API token."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.url = sandbox.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = basic(EMAIL, TOKEN)

    def get(self, path: str, **params) -> requests.Response:
        url = path if path.startswith("http") else f"{self.url}/api/v2/{path}"
        return self.session.get(url, params=params, timeout=30)

    def ok(self, path: str, **params) -> dict:
        resp = self.get(path, **params)
        assert resp.status_code == 200, resp.text
        return resp.json()


@pytest.fixture
def zd(clean_sandbox: Sandbox) -> Zendesk:
    return Zendesk(clean_sandbox)


@pytest.fixture
def db(sandbox: Sandbox) -> Iterator[sqlite3.Connection]:
    """The served zendesk.db, read-only, to check answers against the data."""
    conn = sqlite3.connect(f"file:{SANDBOX_DATA / 'zendesk.db'}?mode=ro", uri=True)
    yield conn
    conn.close()


def test_demo_tickets_are_requested_by_the_personas_in_order(zd: Zendesk) -> None:
    seen = []
    for ticket_id in range(1001, 1008):
        ticket = zd.ok(f"tickets/{ticket_id}.json")["ticket"]
        assert ticket["id"] == ticket_id and ticket["status"] in ("new", "open")
        assert ticket["subject"] and ticket["description"] and ticket["created_at"].endswith("Z")
        user = zd.ok(f"users/{ticket['requester_id']}.json")["user"]
        assert user["role"] == "end-user"
        seen.append(user["email"])
    assert seen == PERSONAS


def test_demo_requesters_carry_the_name_the_learner_systems_know(zd: Zendesk, internal: Internal) -> None:
    """The ticket page and the sidebar show both names: one person must not appear under two."""
    requesters, learner_names = {}, set()
    for ticket_id in range(1001, 1008):
        ticket = zd.ok(f"tickets/{ticket_id}.json")["ticket"]
        user = zd.ok(f"users/{ticket['requester_id']}.json")["user"]
        learners = internal.ok("learners", "/learners", email=user["email"])["data"]
        known = {learner["name"] for learner in learners if learner["name"]}  # erased: no name left
        assert not known or user["name"] in known, (ticket_id, user["name"], known)
        requesters[user["email"]] = user["name"]
        learner_names |= known
    assert requesters["nobody@example.com"] not in learner_names  # no account: nobody's namesake either


def test_demo_ticket_texts_are_in_the_requesters_language_and_cite_persona_ids(zd: Zendesk) -> None:
    amelie = zd.ok("tickets/1001.json")["ticket"]
    wei = zd.ok("tickets/1002.json")["ticket"]
    sam = zd.ok("tickets/1003.json")["ticket"]
    assert "Bonjour" in amelie["description"] and "C-0042" in amelie["description"]
    assert "ORD-2026-004217" in amelie["description"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in wei["description"])
    assert "ORD-2026-005530" in wei["description"]
    assert "C-0505" in sam["subject"] and sam["description"].startswith("Hi")


def test_wei_has_two_email_identities(zd: Zendesk) -> None:
    ticket = zd.ok("tickets/1002.json")["ticket"]
    body = zd.ok(f"users/{ticket['requester_id']}/identities.json")
    values = [(i["type"], i["value"], i["primary"]) for i in body["identities"]]
    assert values == [("email", "wei.zhang@example.cn", True), ("email", "zhang.wei.work@example.com", False)]
    assert body["count"] == 2 and body["next_page"] is None and body["previous_page"] is None


def test_sam_carries_the_sso_external_id(zd: Zendesk) -> None:
    ticket = zd.ok("tickets/1003.json")["ticket"]
    assert zd.ok(f"users/{ticket['requester_id']}.json")["user"]["external_id"] == "sso-globex-00417"


@pytest.mark.parametrize("header", [
    None, basic(EMAIL, "wrong-token"), basic("someone@else.example", TOKEN), "Bearer " + TOKEN,
    "Basic not-base64!!", "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode(),
])
def test_bad_credentials_are_401_like_zendesk(sandbox: Sandbox, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    resp = requests.get(f"{sandbox.url}/api/v2/tickets/1001.json", headers=headers, timeout=10)
    assert resp.status_code == 401
    assert resp.json() == {"error": "Couldn't authenticate you"}


def test_email_part_of_the_credentials_is_case_insensitive(sandbox: Sandbox) -> None:
    headers = {"Authorization": basic(EMAIL.upper(), TOKEN)}
    assert requests.get(f"{sandbox.url}/api/v2/users/me.json", headers=headers, timeout=10).status_code == 200


def test_unknown_and_deleted_tickets_are_404(zd: Zendesk, db: sqlite3.Connection) -> None:
    deleted = db.execute("SELECT id FROM tickets WHERE status = 'deleted' LIMIT 1").fetchone()[0]
    for ticket_id in (999, deleted):
        resp = zd.get(f"tickets/{ticket_id}.json")
        assert resp.status_code == 404 and resp.json()["error"] == "RecordNotFound"
    assert zd.get("users/424242424.json").status_code == 404


def test_show_many_returns_known_tickets_and_rejects_bad_ids(zd: Zendesk) -> None:
    body = zd.ok("tickets/show_many.json", ids="1003,1001,999")
    assert [t["id"] for t in body["tickets"]] == [1001, 1003] and body["count"] == 2
    assert zd.get("tickets/show_many.json", ids="1,x").status_code == 400
    assert zd.get("tickets/show_many.json", ids=",".join(str(i) for i in range(101))).status_code == 400


def test_agents_are_listed_with_both_paginations(zd: Zendesk) -> None:
    first = zd.ok("users.json", role="agent", per_page=25)
    second = zd.ok(first["next_page"])
    offset_ids = [u["id"] for u in first["users"] + second["users"]]
    assert first["count"] == 40 and second["next_page"] is None and len(set(offset_ids)) == 40
    assert all(u["role"] == "agent" and u["name"] for u in first["users"] + second["users"])
    cursor_ids, url, params = [], "users.json", {"role": "agent", "page[size]": 15}
    while True:
        page = zd.ok(url, **params)
        cursor_ids += [u["id"] for u in page["users"]]
        if not page["meta"]["has_more"]:
            break
        url, params = page["links"]["next"], {}
    assert cursor_ids == offset_ids
    assert zd.get("users.json", role="wizard").status_code == 400
    assert zd.get("users.json", role="agent", per_page=101).status_code == 400


def test_me_is_the_api_tokens_user(zd: Zendesk) -> None:
    user = zd.ok("users/me.json")["user"]
    assert user["email"] == EMAIL and user["role"] == "admin"


def test_metrics_of_a_solved_ticket_are_consistent(zd: Zendesk, db: sqlite3.Connection) -> None:
    sql = "SELECT id FROM tickets WHERE status = 'closed' AND reopens = 1 LIMIT 1"
    ticket_id = db.execute(sql).fetchone()[0]
    metric = zd.ok(f"tickets/{ticket_id}/metrics.json")["ticket_metric"]
    assert metric["ticket_id"] == ticket_id and metric["reopens"] == 1 and metric["replies"] >= 2
    reply, full = metric["reply_time_in_minutes"], metric["full_resolution_time_in_minutes"]
    first = metric["first_resolution_time_in_minutes"]
    assert 0 <= reply["business"] <= reply["calendar"]
    assert reply["calendar"] <= first["calendar"] < full["calendar"]
    assert metric["solved_at"] is not None
    listed = zd.ok("ticket_metrics.json", **{"page[size]": 3})
    assert len(listed["ticket_metrics"]) == 3 and listed["meta"]["has_more"] is True


def test_satisfaction_ratings_filter_by_time_and_score(zd: Zendesk, db: sqlite3.Connection) -> None:
    start, end = db.execute("SELECT MIN(created_at) + 86400 * 7, MIN(created_at) + 86400 * 14 FROM ratings")\
        .fetchone()
    expected = db.execute("SELECT COUNT(*) FROM ratings WHERE created_at BETWEEN ? AND ? AND score = 'bad'",
                          [start, end]).fetchone()[0]
    seen, url = [], "satisfaction_ratings.json"
    params = {"start_time": start, "end_time": end, "score": "bad", "page[size]": 100}
    while url:
        page = zd.ok(url, **params)
        seen += page["satisfaction_ratings"]
        url, params = page["links"]["next"], {}
    assert len(seen) == expected > 0
    assert {r["score"] for r in seen} == {"bad"}
    assert zd.get("satisfaction_ratings.json", score="great").status_code == 400


def test_search_count_matches_the_database(zd: Zendesk, db: sqlite3.Connection) -> None:
    anchor = int(db.execute("SELECT value FROM meta WHERE key = 'anchor'").fetchone()[0])
    hour = anchor - 7 * 86400 + 10 * 3600  # last Monday 10:00 UTC, a busy hour
    start, end = iso(hour), iso(hour + 3600)
    expected = db.execute("SELECT COUNT(*) FROM tickets WHERE status != 'deleted' AND created_at >= ?"
                          " AND created_at < ?", [hour, hour + 3600]).fetchone()[0]
    assert expected > 10
    body = zd.ok("search/count.json", query=f"type:ticket created>={start} created<{end}")
    assert body == {"count": expected}
    solved = db.execute("SELECT COUNT(*) FROM tickets WHERE status = 'solved'").fetchone()[0]
    assert zd.ok("search/count.json", query="type:ticket status:solved") == {"count": solved}


def test_a_new_ticket_is_searchable_only_once_indexed(zd: Zendesk, db: sqlite3.Connection) -> None:
    """Zendesk indexes new tickets for search a few minutes late: counts of the last minutes fall short."""
    lag_url = f"{zd.url}/_sandbox/zendesk/search-lag"
    generated = int(db.execute("SELECT value FROM meta WHERE key = 'generated_at'").fetchone()[0])
    created = [r[0] for r in db.execute("SELECT created_at FROM tickets WHERE status != 'deleted'"
                                        " AND created_at >= ?", [generated - 7200])]
    # index up to half an hour before the history ends, at a second with no ticket close to it (the
    # clock moves on while we ask)
    indexed = next(c for c in range(generated - 1800, generated - 7200, -1)
                   if not any(abs(t - c) <= 3 for t in created))
    query = f"type:ticket created>={iso(generated - 7200)}"
    assert requests.get(lag_url, timeout=10).json() == {"seconds": 0}  # the test sandbox: indexed at once
    assert zd.ok("search/count.json", query=query) == {"count": len(created)}
    try:
        lag = requests.put(lag_url, json={"seconds": int(time.time()) - indexed}, timeout=10)
        assert lag.status_code == 200, lag.text
        lagging = zd.ok("search/count.json", query=query)["count"]
    finally:
        requests.put(lag_url, json={"seconds": 0}, timeout=10).raise_for_status()
    assert lagging == sum(1 for t in created if t <= indexed) < len(created)
    assert requests.put(lag_url, json={"seconds": -1}, timeout=10).status_code == 400


def test_the_search_lag_is_a_setting_of_two_minutes_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_SANDBOX_ZENDESK_SEARCH_LAG_S", raising=False)
    assert load_zendesk().search_lag_s == 120
    monkeypatch.setenv("LC_SANDBOX_ZENDESK_SEARCH_LAG_S", "0")
    assert load_zendesk().search_lag_s == 0
    monkeypatch.setenv("LC_SANDBOX_ZENDESK_SEARCH_LAG_S", "-5")
    with pytest.raises(ValueError, match="LC_SANDBOX_ZENDESK_SEARCH_LAG_S"):
        load_zendesk()


@pytest.mark.parametrize("query", ["", "hello world", "type:user", "created>yesterdayish", "status:lost"])
def test_search_count_rejects_what_it_cannot_answer(zd: Zendesk, query: str) -> None:
    resp = zd.get("search/count.json", query=query)
    assert resp.status_code == 400 and resp.json()["error"] == "InvalidValue"


def test_spike_labels_are_served(sandbox: Sandbox) -> None:
    data = requests.get(f"{sandbox.url}/_sandbox/zendesk/spikes", timeout=10).json()["data"]
    kinds = {s["kind"] for s in data}
    assert {"course_launch", "outage"} <= kinds and len(data) >= 3
    assert all(s["start"] < s["end"] and s["label"] for s in data)


def test_zendesk_faults_apply_to_the_api(clean_sandbox: Sandbox) -> None:
    clean_sandbox.fault("zendesk", "error", times=1)
    zd = Zendesk(clean_sandbox)
    assert zd.get("tickets/1001.json").status_code == 500
    assert zd.get("tickets/1001.json").status_code == 200


BIG = "9" * 30
HOSTILE = [
    f"tickets/{BIG}.json", f"users/{BIG}.json", f"users/{BIG}/identities.json",
    f"tickets/{BIG}/metrics.json", f"tickets/show_many.json?ids={BIG}", "tickets/show_many.json?ids=",
    f"satisfaction_ratings.json?start_time={BIG}", "satisfaction_ratings.json?end_time=yesterday",
    "users.json?page=abc", "users.json?page[size]=0", "users.json?page[after]=%25%25",
    "users.json?page[after]=MQ&page[before]=MQ", "ticket_metrics.json?per_page=1000",
    'search/count.json?query="unbalanced', "search/count.json?query=created>=2026-13-45",
    f"search/count.json?query=assignee:{BIG}", f"search/count.json?query=created>{BIG}years",
    "incremental/ticket_events.json", "incremental/ticket_events.json?start_time=abc",
    "incremental/tickets/cursor.json?cursor=" + base64.urlsafe_b64encode(f"{BIG}:{BIG}".encode()).decode(),
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_input_is_a_json_400_never_a_500(zd: Zendesk, path: str) -> None:
    resp = zd.get(path)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] in ("InvalidValue", "InvalidPaginationParameter")


def test_credentials_and_budget_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    monkeypatch.setenv("LC_ZENDESK_EMAIL", "ops@acme.example")
    monkeypatch.setenv("LC_ZENDESK_API_TOKEN", "s3cret")
    monkeypatch.setenv("LC_SANDBOX_ZENDESK_RATE_LIMIT", "2")
    app = flask.Flask("zendesk-env-test")
    zendesk.register(app, tmp_path)  # no data generated there
    client = app.test_client()
    default = {"Authorization": basic(EMAIL, TOKEN)}
    assert client.get("/api/v2/users/me.json", headers=default).status_code == 401
    good = {"Authorization": basic("OPS@acme.example", "s3cret")}
    first = client.get("/api/v2/tickets/1001.json", headers=good)
    assert first.status_code == 503 and first.json["error"] == "ServiceUnavailable"
    assert first.headers["X-Rate-Limit"] == first.headers["ratelimit-limit"] == "2"
    assert first.headers["ratelimit-remaining"] == "1" and 1 <= int(first.headers["ratelimit-reset"]) <= 60
    assert client.get("/api/v2/tickets/1001.json", headers=good).status_code == 503
    assert client.get("/api/v2/tickets/1001.json", headers=good).status_code == 429
