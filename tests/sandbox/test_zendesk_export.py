"""Incremental exports, touched tickets, the rate limit and zenpy against the sandbox's Zendesk API."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest
import requests
from zenpy import Zenpy

from tests.sandbox.test_zendesk_api import EMAIL, TOKEN, Zendesk
from tests.servers import SANDBOX_DATA, Sandbox

DAY = 86_400


@pytest.fixture
def zd(clean_sandbox: Sandbox) -> Iterator[Zendesk]:
    """The API client; touched tickets are forgotten afterwards so other tests see the generated data."""
    yield Zendesk(clean_sandbox)
    requests.delete(f"{clean_sandbox.url}/_sandbox/zendesk/touch", timeout=10).raise_for_status()


@pytest.fixture
def db(sandbox: Sandbox) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{SANDBOX_DATA / 'zendesk.db'}?mode=ro", uri=True)
    yield conn
    conn.close()


def export(zd: Zendesk, **params) -> tuple[list[dict], dict]:
    """Follow after_url until end_of_stream; returns every ticket seen and the last page."""
    seen, page = [], zd.ok("incremental/tickets/cursor.json", **params)
    while True:
        seen += page["tickets"]
        if page["end_of_stream"]:
            return seen, page
        page = zd.ok(page["after_url"])


def recent_start(db: sqlite3.Connection, days: int) -> int:
    return int(db.execute("SELECT value FROM meta WHERE key = 'generated_at'").fetchone()[0]) - days * DAY


def test_cursor_export_covers_exactly_the_changed_tickets(zd: Zendesk, db: sqlite3.Connection) -> None:
    start = recent_start(db, 2)
    seen, last = export(zd, start_time=start, per_page=250)
    expected = {r[0] for r in db.execute("SELECT id FROM tickets WHERE updated_at >= ?", [start])}
    ids = [t["id"] for t in seen]
    assert len(ids) == len(set(ids)) == len(expected) > 500
    assert set(ids) == expected
    stamps = [(t["generated_timestamp"], t["id"]) for t in seen]
    assert stamps == sorted(stamps)  # ordered by updated_at, then id
    assert last["after_cursor"] and last["after_url"]
    again = zd.ok(last["after_url"])  # resuming at the end finds nothing new
    assert again["tickets"] == [] and again["end_of_stream"] is True


def test_export_includes_deleted_tickets_with_status_deleted(zd: Zendesk, db: sqlite3.Connection) -> None:
    ticket_id, updated = db.execute("SELECT id, updated_at FROM tickets WHERE status = 'deleted'"
                                    " ORDER BY updated_at DESC LIMIT 1").fetchone()
    seen, _ = export(zd, start_time=updated, per_page=1000)
    assert any(t["id"] == ticket_id and t["status"] == "deleted" for t in seen)
    kept, _ = export(zd, start_time=updated, per_page=100, exclude_deleted="true")
    assert {t["id"] for t in kept} == {t["id"] for t in seen if t["status"] != "deleted"}


def test_metric_sets_side_load_matches_the_page(zd: Zendesk, db: sqlite3.Connection) -> None:
    page = zd.ok("incremental/tickets/cursor.json", start_time=recent_start(db, 20), per_page=50,
                 include="metric_sets")
    assert len(page["tickets"]) == 50 and page["end_of_stream"] is False
    assert [m["ticket_id"] for m in page["metric_sets"]] == [t["id"] for t in page["tickets"]]
    assert "include=metric_sets" in page["after_url"] and "per_page=50" in page["after_url"]


def test_touched_tickets_reappear_in_a_finished_export(zd: Zendesk, db: sqlite3.Connection) -> None:
    _, last = export(zd, start_time=recent_start(db, 1), per_page=1000)
    old = [r[0] for r in db.execute("SELECT id FROM tickets WHERE status = 'closed' ORDER BY id LIMIT 2")]
    resp = requests.post(f"{zd.url}/_sandbox/zendesk/touch", json={"ids": old}, timeout=10)
    assert resp.status_code == 200 and resp.json()["touched"] == old
    seen, _ = export(zd, cursor=last["after_cursor"])
    assert [t["id"] for t in seen] == old
    assert zd.ok(f"tickets/{old[0]}.json")["ticket"]["updated_at"] == resp.json()["updated_at"]


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": ["1"]}, {"ids": [True]}, [1]])
def test_touch_rejects_bad_bodies(sandbox: Sandbox, body: object) -> None:
    resp = requests.post(f"{sandbox.url}/_sandbox/zendesk/touch", json=body, timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "bad_request"


def test_touch_rejects_unknown_tickets(sandbox: Sandbox) -> None:
    resp = requests.post(f"{sandbox.url}/_sandbox/zendesk/touch", json={"ids": [1001, 5]}, timeout=10)
    assert resp.status_code == 404


@pytest.mark.parametrize("params", [
    {}, {"start_time": "soon"}, {"start_time": -5}, {"start_time": 10**10},
    {"start_time": "now"}, {"cursor": "!!!"}, {"start_time": 0, "per_page": 1001},
])
def test_export_rejects_bad_parameters_with_400(zd: Zendesk, params: dict) -> None:
    if params.get("start_time") == "now":
        params = {"start_time": int(time.time()) - 5}  # too recent: less than a minute ago
    resp = zd.get("incremental/tickets/cursor.json", **params)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] in ("InvalidValue", "InvalidPaginationParameter")


def test_ticket_events_carry_agent_public_replies(zd: Zendesk, db: sqlite3.Connection) -> None:
    start = recent_start(db, 3)
    events, url, params = [], "incremental/ticket_events.json", {"start_time": start, "per_page": 400,
                                                                  "include": "comment_events"}
    while True:
        page = zd.ok(url, **params)
        events += page["ticket_events"]
        assert page["count"] == len(page["ticket_events"]) >= 1
        # as in Zendesk: end_time is the newest time in the page, and the next page starts there
        assert page["end_time"] == page["ticket_events"][-1]["timestamp"] >= params.get("start_time", 0)
        if page["end_of_stream"]:
            break
        url, params = page["next_page"], {}
        assert f"start_time={page['end_time']}" in url
    events = list({e["id"]: e for e in events}.values())  # the second a page ends on comes again
    agents = {r[0] for r in db.execute("SELECT id FROM users WHERE role = 'agent'")}
    replies = sum(1 for e in events for c in e["child_events"]
                  if c["event_type"] == "Comment" and c["public"] and c["author_id"] in agents)
    # Up to where the stream ended: like Zendesk, the export holds back the last minute, which on data
    # generated moments ago still holds replies.
    expected = db.execute("SELECT COUNT(*) FROM events WHERE ts >= ? AND ts <= ? AND kind = 'reply'",
                          [start, page["end_time"]]).fetchone()[0]
    assert replies == expected > 100
    without = zd.ok("incremental/ticket_events.json", start_time=start)
    assert not any(c["event_type"] == "Comment" for e in without["ticket_events"] for c in e["child_events"])


def test_rate_limit_answers_429_with_retry_after(zd: Zendesk) -> None:
    control = f"{zd.url}/_sandbox/zendesk/rate-limit"
    default = requests.get(control, timeout=10).json()["per_minute"]
    try:
        assert requests.put(control, json={"per_minute": 3}, timeout=10).json() == {"per_minute": 3}
        statuses = [zd.get("tickets/1001.json") for _ in range(4)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        assert [r.headers["X-Rate-Limit-Remaining"] for r in statuses[:3]] == ["2", "1", "0"]
        assert 1 <= int(statuses[3].headers["Retry-After"]) <= 60
        assert statuses[3].json()["error"] == "APIRateLimitExceeded"
    finally:
        requests.put(control, json={"per_minute": default}, timeout=10).raise_for_status()
    assert zd.get("tickets/1001.json").status_code == 200
    assert requests.put(control, json={"per_minute": 0}, timeout=10).status_code == 400


@pytest.fixture
def zenpy_client(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Zenpy:
    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", sandbox.url.removeprefix("http://"))
    return Zenpy(subdomain="demo", email=EMAIL, token=TOKEN)


def test_zenpy_reads_tickets_users_and_identities(zenpy_client: Zenpy) -> None:
    ticket = zenpy_client.tickets(id=1001)
    assert ticket.id == 1001 and "C-0042" in ticket.description
    requester = zenpy_client.users(id=ticket.requester_id)
    assert requester.email == "amelie.durand@example.fr"
    wei = zenpy_client.users(id=zenpy_client.tickets(id=1002).requester_id)
    assert sorted(i.value for i in zenpy_client.users.identities(id=wei.id)) == [
        "wei.zhang@example.cn", "zhang.wei.work@example.com"]
    assert zenpy_client.users.me().email == EMAIL
    assert len([u for u in zenpy_client.users(role="agent")]) == 40


def test_zenpy_cursor_export_resume_and_search_count(zenpy_client: Zenpy, zd: Zendesk,
                                                    db: sqlite3.Connection) -> None:
    start = recent_start(db, 1)
    stream = zenpy_client.tickets.incremental(start_time=start, per_page=300)
    exported = [t.id for t in stream]
    expected = {r[0] for r in db.execute("SELECT id FROM tickets WHERE updated_at >= ?", [start])}
    assert len(exported) == len(expected) and set(exported) == expected
    # resume from the saved cursor: only what changed since then comes back
    requests.post(f"{zd.url}/_sandbox/zendesk/touch", json={"ids": [10001]}, timeout=10).raise_for_status()
    assert [t.id for t in zenpy_client.tickets.incremental(cursor=stream.after_cursor)] == [10001]
    anchor = int(db.execute("SELECT value FROM meta WHERE key = 'anchor'").fetchone()[0])
    since = anchor - 7 * DAY
    day = time.strftime("%Y-%m-%d", time.gmtime(since))
    count = zenpy_client.search.count(type="ticket", created_after=day)
    in_db = db.execute("SELECT COUNT(*) FROM tickets WHERE status != 'deleted' AND created_at >= ?",
                       [since + DAY]).fetchone()[0]
    assert count == in_db


def test_incremental_exports_have_their_own_per_minute_limit(zd: Zendesk) -> None:
    control = f"{zd.url}/_sandbox/zendesk/incremental-rate-limit"
    default = requests.get(control, timeout=10).json()["per_minute"]
    start = int(time.time()) - 3600
    try:
        assert requests.put(control, json={"per_minute": 2}, timeout=10).json() == {"per_minute": 2}
        statuses = [zd.get("incremental/tickets/cursor.json", start_time=start).status_code,
                    zd.get("incremental/ticket_events.json", start_time=start).status_code,
                    zd.get("tickets/1001.json").status_code]  # other endpoints keep the account's budget
        refused = zd.get("incremental/tickets/cursor.json", start_time=start)
        assert statuses == [200, 200, 200] and refused.status_code == 429
        body = refused.json()
        assert body["error"] == "APIRateLimitExceeded" and "incremental" in body["description"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
    finally:
        requests.put(control, json={"per_minute": default}, timeout=10).raise_for_status()
    assert zd.get("incremental/tickets/cursor.json", start_time=start).status_code == 200
    assert requests.put(control, json={"per_minute": 0}, timeout=10).status_code == 400


@pytest.fixture
def burst(zd: Zendesk, db: sqlite3.Connection) -> Iterator[dict]:
    """1500 tickets updated in one second (a bulk update), then 3 more a second later; forgotten after."""
    live = "SELECT id FROM tickets WHERE status != 'deleted' ORDER BY id LIMIT 1503"
    ids = [r[0] for r in db.execute(live)]
    control = f"{zd.url}/_sandbox/zendesk/bulk-update"
    try:
        first = requests.post(control, json={"ids": ids[:1500]}, timeout=30)
        assert first.status_code == 200, first.text
        later = requests.post(control, json={"ids": ids[1500:]}, timeout=30).json()
        yield {"second": first.json()["timestamp"], "later": later["timestamp"], "ids": ids}
    finally:
        requests.delete(control, timeout=10).raise_for_status()


def test_a_page_of_events_is_cut_inside_a_second_as_zendesks_are(zd: Zendesk, burst: dict) -> None:
    second = burst["second"]
    page = zd.ok("incremental/ticket_events.json", start_time=second, include="comment_events")
    assert page["count"] == 1000 and not page["end_of_stream"]
    assert {e["timestamp"] for e in page["ticket_events"]} == {second}
    assert page["end_time"] == second  # time-based paging cannot get past this second
    again = zd.ok(page["next_page"])
    assert [e["id"] for e in again["ticket_events"]] == [e["id"] for e in page["ticket_events"]]
    after = zd.ok("incremental/ticket_events.json", start_time=second + 1, include="comment_events")
    assert after["end_of_stream"] and after["end_time"] == burst["later"]
    assert sorted(e["ticket_id"] for e in after["ticket_events"]) == burst["ids"][1500:]
    assert all(c["event_type"] == "Comment" and c["public"] for e in after["ticket_events"]
               for c in e["child_events"])


def test_bulk_update_rejects_bad_bodies_and_unknown_tickets(sandbox: Sandbox) -> None:
    control = f"{sandbox.url}/_sandbox/zendesk/bulk-update"
    assert requests.post(control, json={"ids": []}, timeout=10).status_code == 400
    assert requests.post(control, json={"ids": list(range(1, 5002))}, timeout=10).status_code == 400
    assert requests.post(control, json={"ids": [999_999_999]}, timeout=10).status_code == 404
