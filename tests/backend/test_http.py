"""The HTTP surface without the lookup itself: bodies, the error envelope, headers, request ids."""

from __future__ import annotations

import json
import logging

import pytest

from backend import create_app
from backend.logs import JsonFormatter
from backend.openapi import openapi_spec
from backend.schemas import LookupRequestSchema, parse_lookup
from tests.backend.conftest import base_config, bearer, token

URL = "/api/v1/learner-context"
SECURITY = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def post(client, body, **kw):
    kw.setdefault("headers", bearer(token()))
    return client.post(
        URL,
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type=kw.pop("content_type", "application/json"),
        **kw,
    )


def assert_envelope(resp, status: int, code: str) -> dict:
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    error = resp.json["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"code", "message", "details"}
    return error


@pytest.mark.parametrize(
    "body, field",
    [
        pytest.param({"requester": {"email": "a@example.com"}, "extra": 1}, "extra", id="top-level"),
        pytest.param(
            {"requester": {"email": "a@example.com", "phone": "1"}}, "requester.phone", id="requester"
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"id": 5, "prio": "x"}},
            "ticket.prio",
            id="ticket",
        ),
        pytest.param(
            {"manual_search": {"kind": "email", "value": "a@example.com", "x": 1}},
            "manual_search.x",
            id="manual",
        ),
    ],
)
def test_unknown_fields_are_listed_in_a_400(client, body, field):
    error = assert_envelope(post(client, body), 400, "unknown_fields")
    assert field in error["message"]


@pytest.mark.parametrize(
    "body, path",
    [
        pytest.param({}, "_schema", id="no-identifier"),
        pytest.param({"requester": {"name": "Only A Name"}}, "_schema", id="name-is-not-an-identifier"),
        pytest.param({"requester": {"email": "not-an-email"}}, "requester", id="bad-email"),
        pytest.param(
            {"requester": {"emails": ["a@example.com", "nope"]}}, "requester", id="bad-email-in-list"
        ),
        pytest.param(
            {"requester": {"emails": [f"a{i}@example.com" for i in range(21)]}},
            "requester",
            id="too-many-emails",
        ),
        pytest.param({"requester": {"email": "a" * 250 + "@example.com"}}, "requester", id="email-too-long"),
        pytest.param({"requester": {"external_id": "x" * 129}}, "requester", id="external-id-too-long"),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"id": 0}}, "ticket", id="ticket-id-zero"
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"id": -1}}, "ticket", id="ticket-id-neg"
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"id": "1001"}},
            "ticket",
            id="ticket-id-string",
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"id": 1.5}}, "ticket", id="ticket-id-float"
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "ticket": {"subject": "s" * 1001}},
            "ticket",
            id="subject-too-long",
        ),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "refresh": "sometimes"}, "refresh", id="refresh-word"
        ),
        pytest.param({"requester": {"email": "a@example.com"}, "refresh": 1}, "refresh", id="refresh-one"),
        pytest.param(
            {"requester": {"email": "a@example.com"}, "refresh": "true"}, "refresh", id="refresh-text"
        ),
        pytest.param({"manual_search": {"kind": "phone", "value": "1"}}, "manual_search", id="manual-kind"),
        pytest.param(
            {"manual_search": {"kind": "email", "value": "nope"}}, "manual_search", id="manual-email"
        ),
        pytest.param(
            {"manual_search": {"kind": "order_id", "value": ""}}, "manual_search", id="manual-empty"
        ),
        pytest.param({"requester": "a@example.com"}, "requester", id="requester-not-object"),
    ],
)
def test_invalid_bodies_are_400_with_per_field_details(client, body, path):
    error = assert_envelope(post(client, body), 400, "invalid_body")
    assert path in error["details"]


@pytest.mark.parametrize("raw", ["{", "nul", "", "{'single': 1}", "\xff"])
def test_malformed_json_is_400_invalid_json(client, raw):
    assert_envelope(post(client, raw), 400, "invalid_json")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("[" * 5000, id="unclosed-deep-array"),
        pytest.param("[" * 5000 + "]" * 5000, id="closed-deep-array"),
        pytest.param('{"requester": {"email": ' + "[" * 5000 + "]" * 5000 + "}}", id="deep-inside-object"),
        pytest.param('{"ticket": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + "}", id="deep-objects"),
    ],
)
def test_json_nested_beyond_the_parser_limit_is_400_invalid_json(client, raw):
    assert_envelope(post(client, raw), 400, "invalid_json")


@pytest.mark.parametrize("path, allow", [(URL, "POST"), ("/healthz", "GET, HEAD")])
def test_options_is_405_in_the_envelope_with_allow_and_no_cors(client, path, allow):
    resp = client.options(path, headers={"Origin": "https://evil.example",
                                         "Access-Control-Request-Method": "POST"})
    assert_envelope(resp, 405, "method_not_allowed")
    assert resp.headers["Allow"] == allow
    for name, value in SECURITY.items():
        assert resp.headers[name] == value
    assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]


@pytest.mark.parametrize("raw", ["[]", "3", '"text"', "null"])
def test_json_that_is_not_an_object_is_400(client, raw):
    resp = post(client, raw)
    assert resp.status_code == 400
    assert resp.json["error"]["code"] in ("invalid_body", "invalid_json")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/jsonp"],
)
def test_non_json_content_type_is_415(client, content_type):
    assert_envelope(
        post(client, {"requester": {"email": "a@example.com"}}, content_type=content_type),
        415,
        "unsupported_media_type",
    )


def test_json_with_charset_is_accepted_as_json(client):
    resp = post(client, {"extra": 1}, content_type="application/json; charset=utf-8")
    assert_envelope(resp, 400, "unknown_fields")


def test_body_over_the_limit_is_413_before_authentication(tmp_path):
    client = create_app(base_config(tmp_path, max_body_bytes=1024)).test_client()
    body = {"requester": {"email": "a@example.com"}, "ticket": {"text": "x" * 2000}}
    assert_envelope(post(client, body, headers={}), 413, "payload_too_large")
    assert_envelope(post(client, body), 413, "payload_too_large")


@pytest.mark.parametrize(
    "method, path, status, code",
    [
        ("GET", "/nowhere", 404, "not_found"),
        ("GET", URL, 405, "method_not_allowed"),
        ("PUT", "/healthz", 405, "method_not_allowed"),
        ("POST", URL, 401, "unauthorized"),
    ],
)
def test_framework_errors_use_the_envelope_and_security_headers(client, method, path, status, code):
    resp = client.open(path, method=method)
    assert_envelope(resp, status, code)
    for name, value in SECURITY.items():
        assert resp.headers[name] == value
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/openapi.json", "/nowhere"])
def test_every_response_carries_security_headers_and_no_cors(client, path):
    resp = client.get(path, headers={"Origin": "https://evil.example"})
    for name, value in SECURITY.items():
        assert resp.headers[name] == value
    assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]


def test_unexpected_errors_are_a_generic_500_with_the_request_id(tmp_path, caplog):
    app = create_app(base_config(tmp_path))
    email = "amelie.durand@example.fr"

    def explode():
        raise RuntimeError("secret detail: " + email)  # the message carries request data

    app.add_url_rule("/explode", view_func=explode)
    with caplog.at_level(logging.ERROR):
        resp = app.test_client().get("/explode", headers={"X-Request-Id": "req-explode-1"})
    error = assert_envelope(resp, 500, "internal_error")
    assert "req-explode-1" in error["message"]
    assert "secret detail" not in resp.get_data(as_text=True)
    assert "Traceback" not in resp.get_data(as_text=True)
    assert resp.headers["Cache-Control"] == "no-store"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.request_id for r in logged] == ["req-explode-1"]
    assert "amelie" not in JsonFormatter().format(logged[0])


@pytest.mark.parametrize(
    "given, echoed",
    [
        ("abc-123_DEF.4:5", True),
        ("x" * 129, False),
        ("has space", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_request_id_is_echoed_when_sane_else_generated(client, given, echoed):
    resp = client.get("/healthz", headers={"X-Request-Id": given})
    rid = resp.headers["X-Request-Id"]
    assert (rid == given) is echoed
    assert 1 <= len(rid) <= 128


def test_healthz_is_alive_without_dependencies(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok"}


def test_openapi_is_generated_from_the_validating_schemas(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert spec == json.loads(json.dumps(openapi_spec()))
    request = spec["components"]["schemas"]["LookupRequest"]
    assert set(request["properties"]) == set(LookupRequestSchema().fields)
    op = spec["paths"]["/api/v1/learner-context"]["post"]
    assert {"200", "400", "401", "413", "415", "429", "503"} <= set(op["responses"])
    match = spec["components"]["schemas"]["Match"]["properties"]
    assert {
        "learner",
        "matched_by",
        "enrolments",
        "payments",
        "subscriptions",
        "flags",
        "payer",
        "next_deadlines",
        "enrolments_total",
        "payments_total",
    } == set(match)
    assert spec["components"]["securitySchemes"]["zendeskJwt"]["scheme"] == "bearer"


def test_parse_lookup_normalises_and_dedupes_emails():
    req = parse_lookup(
        {
            "requester": {
                "email": "Amelie.Durand@Example.FR",
                "emails": ["amelie.durand@example.fr", "b@example.com"],
            },
            "ticket": {"id": 1001, "subject": "C-0042", "text": None},
            "manual_search": {"kind": "order_id", "value": " ORD-2026-000001 "},
        },
        identifier_required=True,
    )
    assert req.emails == ("amelie.durand@example.fr", "b@example.com")
    assert (req.ticket_id, req.subject, req.text, req.refresh) == (1001, "C-0042", "", False)
    assert (req.manual.kind, req.manual.value) == ("order_id", "ORD-2026-000001")


def test_in_ticket_bound_mode_an_empty_body_is_valid():
    req = parse_lookup({}, identifier_required=False)
    assert req.emails == () and req.manual is None
