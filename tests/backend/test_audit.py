"""The audit trail: a committed row per answer, keyed hashes only, and no answer without a row."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from backend import create_app
from backend.audit import AuditStore, AuditUnavailable, identifier_hash
from backend.lookup import Agent, LookupResult
from tests.backend.conftest import base_config, bearer, token
from tests.servers import free_port

KEY = "test-audit-hash-key"
AGENT = Agent(iss="https://acme.zendesk.com", sub="42", ticket_id=1001)
URL = "/api/v1/learner-context"


def result(**changes) -> LookupResult:
    base = {
        "body": {},
        "identifiers": [("email", "Amelie.Durand@Example.FR"), ("external_id", "sso-1")],
        "manual": False,
        "ticket_bound": True,
        "match_count": 1,
        "section_statuses": {"learner": "ok", "enrolments": "ok", "courses": "timeout", "payments": "ok"},
    }
    base.update(changes)
    return LookupResult(**base)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        audit = AuditStore(f"sqlite:///{tmp_path / 'a.db'}", KEY)
    else:
        url = request.getfixturevalue("postgres_url")
        audit = AuditStore(url, KEY, table=f"lc_audit_t_{uuid.uuid4().hex[:12]}")
    assert audit.create()
    yield audit
    audit.table.drop(audit.engine, checkfirst=True)
    audit.close()


def test_identifier_hash_is_keyed_and_normalises_emails():
    one = identifier_hash("email", "Amelie.Durand@Example.FR ", KEY)
    assert one == identifier_hash("email", "amelie.durand@example.fr", KEY)
    assert one.startswith("email:") and len(one) == len("email:") + 64
    assert one != identifier_hash("email", "amelie.durand@example.fr", "another-key")
    assert identifier_hash("external_id", "SSO-1", KEY) != identifier_hash("external_id", "sso-1", KEY)


def test_a_recorded_lookup_is_committed_with_every_column(store):
    store.record(AGENT, result(), request_id="req-1", latency_ms=12.6)
    # read back through a fresh connection: the row is committed, not just flushed
    other = AuditStore(
        str(store.engine.url.render_as_string(hide_password=False)), KEY, table=store.table.name
    )
    (row,) = other.rows()
    other.close()
    assert (row["agent_sub"], row["iss"], row["ticket_id"]) == ("42", "https://acme.zendesk.com", 1001)
    assert row["identifier_hashes"] == sorted(
        [
            identifier_hash("email", "amelie.durand@example.fr", KEY),
            identifier_hash("external_id", "sso-1", KEY),
        ]
    )
    assert (row["manual"], row["ticket_bound"], row["match_count"]) == (False, True, 1)
    assert row["section_statuses"]["courses"] == "timeout"
    assert (row["latency_ms"], row["request_id"], row["outcome"]) == (13, "req-1", "ok")
    assert row["at"] is not None


def test_raw_identifiers_never_reach_the_database(store):
    store.record(AGENT, result(), request_id="req-2", latency_ms=1)
    with store.engine.connect() as conn:
        dump = json.dumps([list(map(str, r)) for r in conn.execute(store.table.select())]).lower()
    assert "amelie" not in dump and "sso-1" not in dump


def test_ping_reports_ok(store):
    assert store.ping()["status"] == "ok"


def test_unreachable_database_fails_fast_with_audit_unavailable():
    audit = AuditStore(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test", KEY)
    assert audit.create() is False
    with pytest.raises(AuditUnavailable) as info:
        audit.record(AGENT, result(), request_id="req-3", latency_ms=1)
    assert info.value.status == 503 and info.value.code == "audit_unavailable"
    assert audit.ping()["status"] == "error"
    audit.close()


# Through the endpoint. The internal systems point at a closed port: every section is "unavailable"
# at once, which is still a 200 answer that must be audited.


def _lookup(client, **body):
    return client.post(URL, headers=bearer(token()), json=body or {"requester": {"email": "a@example.com"}})


def test_answered_lookup_has_a_committed_audit_row_with_its_request_id(tmp_path):
    app = create_app(base_config(tmp_path))
    resp = _lookup(app.test_client())
    assert resp.status_code == 200
    (row,) = app.extensions["lc"].audit.rows()
    assert row["request_id"] == resp.json["request_id"] == resp.headers["X-Request-Id"]
    assert row["identifier_hashes"] == [identifier_hash("email", "a@example.com", KEY)]
    assert row["match_count"] == 0 and row["manual"] is False
    assert set(row["section_statuses"]) >= {"learner"}
    app.extensions["lc"].close()


def test_answered_lookup_is_audited_on_postgres(tmp_path, postgres_url):
    table = f"lc_audit_t_{uuid.uuid4().hex[:12]}"
    app = create_app(base_config(tmp_path, database_url=postgres_url, AUDIT_TABLE=table))
    state = app.extensions["lc"]
    try:
        resp = _lookup(app.test_client(), manual_search={"kind": "order_id", "value": "ORD-2026-000001"})
        assert resp.status_code == 200
        with state.audit.engine.connect() as conn:
            rows = conn.execute(text(f"SELECT manual, request_id FROM {table}")).all()  # noqa: S608
        assert rows == [(True, resp.json["request_id"])]
    finally:
        state.audit.table.drop(state.audit.engine, checkfirst=True)
        state.close()


def test_audit_store_down_means_503_and_no_data(tmp_path):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    app = create_app(base_config(tmp_path, database_url=url))
    resp = _lookup(app.test_client())
    assert resp.status_code == 503
    assert resp.json == {
        "error": {
            "code": "audit_unavailable",
            "message": "The audit store is unavailable; no data is returned unaudited.",
        }
    }
    assert "matches" not in resp.get_data(as_text=True)
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["database"]["status"] == "error"
    app.extensions["lc"].close()


def test_refused_lookup_is_audited_with_its_error_code(tmp_path):
    app = create_app(base_config(tmp_path, manual_search=False))
    resp = _lookup(app.test_client(), manual_search={"kind": "email", "value": "b@example.com"})
    assert resp.status_code == 403
    (row,) = app.extensions["lc"].audit.rows()
    assert row["outcome"] == resp.json["error"]["code"] and row["manual"] is True
    assert row["identifier_hashes"] == [identifier_hash("email", "b@example.com", KEY)]
    app.extensions["lc"].close()


def test_sqlite_audit_commits_are_synced_to_disk(tmp_path):
    # synchronous=FULL (2): a committed row survives a power cut, not only a process crash.
    audit = AuditStore(f"sqlite:///{tmp_path / 'a.db'}", KEY)
    with audit.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    audit.close()


def test_ticket_id_from_the_body_is_audited_when_the_token_has_none(tmp_path, clean_sandbox):
    zendesk = {"zendesk_url": clean_sandbox.url, "zendesk_email": "agent@demo.example",
               "zendesk_api_token": "sandbox-zendesk-token"}
    app = create_app(base_config(tmp_path, **zendesk))
    try:
        body = {"ticket": {"id": 1002}}
        resp = app.test_client().post(URL, headers=bearer(token(ticket_id=None)), json=body)
        assert resp.status_code == 200 and resp.json["ticket_bound"] is True
        (row,) = app.extensions["lc"].audit.rows()
        assert row["ticket_id"] == 1002
        # Ticket 1002's requester was looked up (its two emails), not the browser's identifiers.
        assert len(row["identifier_hashes"]) == 2
    finally:
        app.extensions["lc"].close()


def test_refused_lookup_audits_the_body_ticket_id(tmp_path, clean_sandbox):
    zendesk = {"zendesk_url": clean_sandbox.url, "zendesk_email": "agent@demo.example",
               "zendesk_api_token": "sandbox-zendesk-token"}
    app = create_app(base_config(tmp_path, **zendesk))
    try:
        body = {"ticket": {"id": 999999}}
        resp = app.test_client().post(URL, headers=bearer(token(ticket_id=None)), json=body)
        assert resp.status_code == 404
        (row,) = app.extensions["lc"].audit.rows()
        assert (row["ticket_id"], row["outcome"]) == (999999, "ticket_not_found")
    finally:
        app.extensions["lc"].close()
