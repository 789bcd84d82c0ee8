"""POST /api/v1/learner-context end to end against the real sandbox: shapes, ticket binding, logs."""

from __future__ import annotations

import json
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from backend import create_app
from backend.logs import JsonFormatter
from backend.response_schema import LookupResponseSchema
from tests.backend.conftest import base_config, bearer, token
from tests.backend.test_context import calls

URL = "/api/v1/learner-context"
AMELIE = "amelie.durand@example.fr"


def sandbox_config(tmp_path, sandbox, **changes) -> dict:
    """The test configuration wired to the sandbox's four systems (and, if asked, its Zendesk API)."""
    return base_config(
        tmp_path,
        learner_api_url=sandbox.system_url("learners"),
        enrolment_api_url=sandbox.system_url("enrolments"),
        course_api_url=sandbox.system_url("courses"),
        payment_api_url=sandbox.system_url("payments"),
        **changes,
    )


@pytest.fixture(scope="module")
def free_app(tmp_path_factory, sandbox):
    """Identifiers from the body are trusted (no Zendesk configured)."""
    app = create_app(sandbox_config(tmp_path_factory.mktemp("free"), sandbox))
    yield app
    app.extensions["lc"].close()


@pytest.fixture(scope="module")
def bound_app(tmp_path_factory, sandbox):
    """Ticket-bound: the requester comes from the sandbox's Zendesk API."""
    app = create_app(
        sandbox_config(
            tmp_path_factory.mktemp("bound"),
            sandbox,
            zendesk_url=sandbox.url,
            zendesk_email="agent@demo.example",
            zendesk_api_token="sandbox-zendesk-token",
            ready_cache_s=0,  # each readiness test sees the sandbox's faults of the moment
        )
    )
    yield app
    app.extensions["lc"].close()


def lookup(app, body: dict, **token_claims):
    return app.test_client().post(URL, headers=bearer(token(**token_claims)), json=body)


def assert_contract(body: dict) -> None:
    """The answer has exactly the fields of docs/contracts.md section 4, with the right types."""
    assert LookupResponseSchema().validate(body) == {}


def test_persona_lookup_answers_the_full_contract(free_app, clean_sandbox):
    resp = lookup(
        free_app, {"requester": {"email": AMELIE}, "ticket": {"id": 1001, "subject": "Refund C-0042?"}}
    )
    assert resp.status_code == 200
    body = resp.json
    assert_contract(body)
    assert body["request_id"] == resp.headers["X-Request-Id"]
    assert {s["status"] for s in body["sections"].values()} == {"ok"}
    (match,) = body["matches"]
    assert match["learner"]["email"] == AMELIE
    assert match["matched_by"] == [{"kind": "email", "value": AMELIE}]
    assert body["ticket_bound"] is False and body["manual"] is False
    assert resp.headers["Cache-Control"] == "no-store"


def test_unknown_requester_is_200_with_no_matches(free_app, clean_sandbox):
    resp = lookup(free_app, {"requester": {"email": "nobody@example.com"}})
    assert resp.status_code == 200
    assert_contract(resp.json)
    assert resp.json["matches"] == []


def test_every_persona_answer_fits_the_schema(free_app, clean_sandbox):
    for email in (
        "wei.zhang@example.cn",
        "sam.taylor@example.com",
        "priya.raman@example.in",
        "erased.learner@example.com",
    ):
        resp = lookup(free_app, {"requester": {"email": email}})
        assert resp.status_code == 200, email
        assert LookupResponseSchema().validate(resp.json) == {}, email
        assert resp.json["matches"], email


def test_ticket_bound_mode_ignores_a_tampered_requester(bound_app, clean_sandbox):
    resp = lookup(bound_app, {"requester": {"email": "sam.taylor@example.com"}, "ticket": {"id": 1001}})
    assert resp.status_code == 200
    body = resp.json
    assert_contract(body)
    assert body["ticket_bound"] is True
    assert [m["learner"]["email"] for m in body["matches"]] == [AMELIE]


def test_a_ticket_bound_answer_says_whose_requester_it_resolved(bound_app, clean_sandbox):
    # Ticket 1001 is Amélie's (Zendesk user 2001): the app compares this with the requester it sees.
    resp = lookup(bound_app, {"requester": {"email": "sam.taylor@example.com"}, "ticket": {"id": 1001}})
    assert resp.json["resolved_requester"] == {"ticket_id": 1001, "zendesk_user_id": 2001}


def test_no_requester_is_resolved_without_ticket_binding_or_for_a_manual_search(free_app, bound_app,
                                                                                 clean_sandbox):
    free = lookup(free_app, {"requester": {"email": AMELIE}, "ticket": {"id": 1001}})
    manual = lookup(bound_app, {"manual_search": {"kind": "email", "value": AMELIE}}, ticket_id=1003)
    assert free.json["resolved_requester"] is None and manual.json["resolved_requester"] is None
    assert_contract(free.json)
    assert_contract(manual.json)


def test_refresh_reads_a_requester_saved_meanwhile_the_cache_keeps_the_old_one_until_then(tmp_path,
                                                                                      clean_sandbox):
    app = create_app(sandbox_config(tmp_path, clean_sandbox, zendesk_url=clean_sandbox.url,
                                    zendesk_email="agent@demo.example",
                                    zendesk_api_token="sandbox-zendesk-token", zendesk_cache_ttl_s=3600))
    try:
        assert lookup(app, {}, ticket_id=1001).json["resolved_requester"]["zendesk_user_id"] == 2001
        saved = requests.put(f"{clean_sandbox.url}/api/v2/tickets/1001.json",
                             json={"ticket": {"requester_id": 2003}}, timeout=10,
                             auth=("agent@demo.example/token", "sandbox-zendesk-token"))
        assert saved.status_code == 200
        cached = lookup(app, {}, ticket_id=1001).json
        assert cached["resolved_requester"]["zendesk_user_id"] == 2001  # within LC_ZENDESK_CACHE_TTL_S
        refreshed = lookup(app, {"refresh": True}, ticket_id=1001).json
        assert refreshed["resolved_requester"] == {"ticket_id": 1001, "zendesk_user_id": 2003}
        assert [m["learner"]["email"] for m in refreshed["matches"]] == ["sam.taylor@example.com"]
    finally:
        app.extensions["lc"].close()


def test_when_zendesk_cannot_say_whose_ticket_no_requester_is_resolved(bound_app, clean_sandbox):
    clean_sandbox.fault("zendesk", "error")
    resp = lookup(bound_app, {"refresh": True}, ticket_id=1002)
    assert resp.json["matches"] == [] and resp.json["resolved_requester"] is None
    assert_contract(resp.json)


def test_ticket_bound_mode_needs_no_identifier_in_the_body(bound_app, clean_sandbox):
    resp = lookup(bound_app, {}, ticket_id=1003)
    assert resp.status_code == 200
    assert [m["learner"]["email"] for m in resp.json["matches"]] == ["sam.taylor@example.com"]


def test_a_zendesk_url_written_as_the_api_address_still_resolves_the_requester(tmp_path, clean_sandbox):
    # .../api/v2 is how Zendesk's API documentation writes its address; the client adds /api/v2 itself.
    app = create_app(sandbox_config(tmp_path, clean_sandbox, zendesk_url=clean_sandbox.url + "/api/v2/",
                                    zendesk_email="agent@demo.example",
                                    zendesk_api_token="sandbox-zendesk-token"))
    try:
        resp = lookup(app, {}, ticket_id=1001)
        assert resp.status_code == 200, resp.json
        assert [m["learner"]["email"] for m in resp.json["matches"]] == [AMELIE]
    finally:
        app.extensions["lc"].close()


def test_body_ticket_must_match_the_token_ticket(bound_app, clean_sandbox):
    resp = lookup(bound_app, {"ticket": {"id": 1002}}, ticket_id=1001)
    assert resp.status_code == 400
    assert resp.json["error"]["code"] == "ticket_mismatch"


def test_manual_search_is_flagged_manual(bound_app, clean_sandbox):
    resp = lookup(bound_app, {"manual_search": {"kind": "email", "value": "priya.raman@example.in"}})
    assert resp.status_code == 200
    assert resp.json["manual"] is True
    assert [m["learner"]["email"] for m in resp.json["matches"]] == ["priya.raman@example.in"]


@pytest.mark.parametrize("kind", ["learner_id", "order_id"])
@pytest.mark.parametrize("value", [".", "..", "../learners", "./L-1", "%2e%2e", "L 1", "L-1/2", "x" * 129])
def test_manual_search_ids_that_are_no_ids_are_refused(bound_app, clean_sandbox, kind, value):
    resp = lookup(bound_app, {"manual_search": {"kind": kind, "value": value}})
    assert resp.status_code == 400
    assert resp.json["error"]["code"] == "invalid_body"
    assert list(resp.json["error"]["details"]["manual_search"]["value"]) == [
        "Not an id: 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit."]
    assert calls(clean_sandbox, "learners") == calls(clean_sandbox, "payments") == []


def test_manual_search_by_learner_id_with_surrounding_spaces(bound_app, clean_sandbox):
    resp = lookup(bound_app, {"manual_search": {"kind": "learner_id", "value": " L-1000004 "}})
    assert resp.status_code == 200
    assert [m["learner"]["email"] for m in resp.json["matches"]] == ["sam.taylor@example.com"]


def test_logs_of_a_lookup_hold_no_email_name_or_token(free_app, clean_sandbox, caplog):
    signed = token()
    with caplog.at_level(logging.DEBUG):
        resp = free_app.test_client().post(
            URL,
            headers={**bearer(signed), "X-Request-Id": "pii-check-1"},
            json={"requester": {"email": AMELIE, "name": "Amélie Durand"}, "ticket": {"text": "Amélie here"}},
        )
    assert resp.status_code == 200 and resp.json["matches"]
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert any(json.loads(line).get("request_id") == "pii-check-1" for line in lines)
    text = "\n".join(lines) + caplog.text
    learner_name = resp.json["matches"][0]["learner"]["name"]
    for secret in (AMELIE, "amelie.durand", "Amélie", "Durand", signed, signed.split(".")[1], learner_name):
        assert secret not in text, secret
    for line in lines:
        json.loads(line)  # every line is one JSON object


def test_debug_logging_never_writes_the_calls_urls_whose_queries_hold_the_email(tmp_path, sandbox,
                                                                               clean_sandbox, caplog):
    app = create_app(sandbox_config(tmp_path, sandbox, log_level="DEBUG"))
    try:
        with caplog.at_level(logging.DEBUG):
            resp = lookup(app, {"requester": {"email": AMELIE}, "refresh": True})
        assert resp.status_code == 200 and resp.json["matches"]
        assert calls(clean_sandbox, "learners")  # the systems were asked, by URLs with the email in them
        logged = _logged(caplog) + caplog.text
        for pii in ("amelie.durand", resp.json["matches"][0]["learner"]["id"]):
            assert pii not in logged, pii
    finally:
        app.extensions["lc"].close()


def _logged(caplog) -> str:
    formatter = JsonFormatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_a_wrong_internal_token_is_a_warning_naming_the_system_status_and_setting(tmp_path, clean_sandbox,
                                                                                   caplog):
    app = create_app(sandbox_config(tmp_path, clean_sandbox, internal_api_token="wrong-internal-token"))
    try:
        with caplog.at_level(logging.INFO):
            resp = lookup(app, {"requester": {"email": AMELIE}, "ticket": {"id": 1001}})
        assert resp.status_code == 200 and resp.json["sections"]["learner"]["status"] == "error"
        (warning, *_) = [r for r in caplog.records if r.name == "backend.fanout" and r.levelname == "WARNING"]
        assert (warning.system, warning.http_status) == ("learners", 401)
        assert "HTTP 401" in warning.getMessage() and "LC_INTERNAL_API_TOKEN" in warning.getMessage()
        logged = _logged(caplog)
        assert "wrong-internal-token" not in logged and AMELIE not in logged
    finally:
        app.extensions["lc"].close()


def test_a_wrong_zendesk_token_is_a_warning_naming_zendesk_status_and_settings(tmp_path, clean_sandbox,
                                                                               caplog):
    app = create_app(sandbox_config(tmp_path, clean_sandbox, zendesk_url=clean_sandbox.url,
                                    zendesk_email="agent@demo.example", zendesk_api_token="wrong-zd-token"))
    try:
        with caplog.at_level(logging.INFO):
            resp = lookup(app, {}, ticket_id=1001)
        assert resp.status_code == 200 and resp.json["matches"] == []
        assert {s["status"] for s in resp.json["sections"].values()} == {"error"}
        (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert (warning.system, warning.http_status) == ("zendesk", 401)
        message = warning.getMessage()
        assert "HTTP 401" in message and "LC_ZENDESK_EMAIL and LC_ZENDESK_API_TOKEN" in message
        assert "wrong-zd-token" not in _logged(caplog)
    finally:
        app.extensions["lc"].close()


def test_a_failed_call_logs_the_http_status_the_system_answered(free_app, clean_sandbox, caplog):
    clean_sandbox.fault("payments", "error")
    with caplog.at_level(logging.INFO):
        resp = lookup(free_app, {"requester": {"email": AMELIE}, "ticket": {"id": 1001}, "refresh": True})
    assert resp.json["sections"]["payments"]["status"] == "unavailable"
    failures = [r for r in caplog.records if r.getMessage().startswith("source call failed: payments")]
    assert failures and all(r.levelno == logging.INFO and r.http_status == 500 for r in failures)
    assert all(r.getMessage().endswith("-> unavailable (HTTP 500)") for r in failures)


def test_readyz_is_200_with_every_dependency_ok(bound_app, clean_sandbox):
    resp = bound_app.test_client().get("/readyz")
    assert resp.status_code == 200
    checks = resp.json["checks"]
    assert set(checks) == {"database", "learners", "enrolments", "courses", "payments", "zendesk"}
    assert {c["status"] for c in checks.values()} == {"ok"}


def bound_config(tmp_path, sandbox, **changes) -> dict:
    return sandbox_config(tmp_path, sandbox, zendesk_url=sandbox.url, zendesk_email="agent@demo.example",
                          zendesk_api_token="sandbox-zendesk-token", **changes)


def test_rapid_readyz_calls_make_one_round_of_probes(tmp_path, clean_sandbox):
    app = create_app(bound_config(tmp_path, clean_sandbox, ready_cache_s=60))
    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(lambda _: app.test_client().get("/readyz").status_code, range(30)))
        assert statuses == [200] * 30
        per_system = Counter(call["system"] for call in calls(clean_sandbox))
        assert per_system == {"learners": 1, "enrolments": 1, "courses": 1, "payments": 1, "zendesk": 1}
    finally:
        app.extensions["lc"].close()


def test_readiness_probes_do_not_open_the_lookups_breakers(tmp_path, clean_sandbox):
    app = create_app(bound_config(tmp_path, clean_sandbox, ready_cache_s=0, breaker_failures=1))
    try:
        clean_sandbox.fault("learners", "error")
        for _ in range(3):
            ready = app.test_client().get("/readyz")
            assert ready.json["checks"]["learners"]["status"] == "unavailable"
        clean_sandbox.clear_faults()
        resp = lookup(app, {"ticket": {"id": 1001}})
        assert resp.json["sections"]["learner"]["status"] == "ok"
        assert [m["learner"]["email"] for m in resp.json["matches"]] == [AMELIE]
    finally:
        app.extensions["lc"].close()


def test_readyz_is_503_naming_the_failing_system(bound_app, clean_sandbox):
    clean_sandbox.fault("payments", "error")
    resp = bound_app.test_client().get("/readyz")
    assert resp.status_code == 503
    checks = resp.json["checks"]
    assert checks["payments"]["status"] != "ok"
    assert checks["learners"]["status"] == checks["database"]["status"] == "ok"
