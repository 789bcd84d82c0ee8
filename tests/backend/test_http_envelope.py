"""The request envelope: fixed headers and request id on every answer, one log line per request, JSON."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Response, jsonify

from backend import create_app
from backend.logs import JsonFormatter
from backend.web import SECURITY_HEADERS
from tests.backend.conftest import base_config, bearer, token

URL = "/api/v1/learner-context"


@pytest.fixture
def app(tmp_path):
    application = create_app(base_config(tmp_path, max_body_bytes=2048))

    def explode():
        raise RuntimeError("boom")

    def cors_view():
        resp = jsonify(ok=True)
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Cache-Control"] = "public, max-age=600"
        resp.headers["X-Request-Id"] = "forged-by-the-view"
        return resp

    def typed():
        return jsonify(at=datetime(2026, 11, 24, 1, 2, 3, tzinfo=UTC), price=Decimal("12.50"),
                       name="张伟 Amélie", big=2**70)

    application.add_url_rule("/explode", view_func=explode)
    application.add_url_rule("/cors", view_func=cors_view)
    application.add_url_rule("/typed", view_func=typed)
    yield application
    application.extensions["lc"].close()


def requests_of_every_kind(client) -> dict[str, Response]:
    body = {"requester": {"email": "a@example.com"}}
    return {
        "200": client.get("/healthz"),
        "400": client.post(URL, data="{nope", content_type="application/json", headers=bearer(token())),
        "401": client.post(URL, json=body),
        "404": client.get("/nowhere"),
        "405": client.get(URL),
        "413": client.post(URL, data=json.dumps({"ticket": {"text": "x" * 4000}}),
                           content_type="application/json", headers=bearer(token())),
        "415": client.post(URL, data="x", content_type="text/plain", headers=bearer(token())),
        "500": client.get("/explode"),
        "view-set-cors": client.get("/cors"),
    }


def test_every_kind_of_answer_carries_each_security_header_exactly_once(app):
    for kind, resp in requests_of_every_kind(app.test_client()).items():
        names = [name.lower() for name, _ in resp.headers.items()]
        for name, value in SECURITY_HEADERS.items():
            assert names.count(name.lower()) == 1, (kind, name)
            assert resp.headers[name] == value, (kind, name)
        assert names.count("x-request-id") == 1, kind
        assert not [n for n in names if n.startswith("access-control-")], kind


def test_a_view_cannot_forge_the_request_id_or_loosen_caching(app):
    resp = app.test_client().get("/cors", headers={"X-Request-Id": "given-1"})
    assert resp.headers["X-Request-Id"] == "given-1"
    assert resp.headers["Cache-Control"] == "no-store"


def test_each_request_logs_one_line_with_its_outcome_and_no_credentials(app, caplog):
    client = app.test_client()
    signed = token(sub="agent-77")
    with caplog.at_level(logging.INFO, logger="backend.http"):
        client.get("/healthz", headers={"X-Request-Id": "req-ok"})
        client.post(URL, json={"requester": {"email": "a@example.com"}}, headers={"X-Request-Id": "req-401"})
        client.post(URL, data="{nope", content_type="application/json",
                    headers={**bearer(signed), "X-Request-Id": "req-400"})
        client.get("/explode", headers={"X-Request-Id": "req-500"})
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.getMessage() == "request"]
    by_id = {line["request_id"]: line for line in lines}
    assert len(lines) == 4 and set(by_id) == {"req-ok", "req-401", "req-400", "req-500"}
    assert by_id["req-ok"]["status"] == 200 and by_id["req-ok"]["path"] == "/healthz"
    assert by_id["req-401"]["status"] == 401 and by_id["req-401"]["agent_sub"] is None
    assert by_id["req-400"]["status"] == 400 and by_id["req-400"]["agent_sub"] == "agent-77"
    assert by_id["req-500"]["status"] == 500
    assert all(isinstance(line["latency_ms"], float) and line["method"] in ("GET", "POST") for line in lines)
    assert signed not in caplog.text and "a@example.com" not in caplog.text


def test_answers_encode_like_flask_with_non_ascii_text_kept_as_utf8(app):
    resp = app.test_client().get("/typed")
    assert resp.json == {"at": "Tue, 24 Nov 2026 01:02:03 GMT", "price": "12.50",
                         "name": "张伟 Amélie", "big": 2**70}
    assert "张伟".encode() in resp.data
    assert resp.data.endswith(b"\n")


@pytest.mark.parametrize("raw", [
    pytest.param(b'{"requester": {"email": "a@example.com"}, "ticket": {"id": NaN}}', id="nan"),
    pytest.param('{"requester": {"email": "a@example.com"}}'.encode("utf-16"), id="utf-16"),
    pytest.param(b'{"requester": {"email": "\xff@example.com"}}', id="invalid-utf-8"),
    pytest.param(b'{"requester": {"email": "a@example.com"}} trailing', id="trailing-text"),
])
def test_bodies_that_are_not_strict_utf8_json_are_400_invalid_json(app, raw):
    resp = app.test_client().post(URL, data=raw, content_type="application/json", headers=bearer(token()))
    assert resp.status_code == 400
    assert resp.json["error"]["code"] == "invalid_json"


def test_a_ticket_id_beyond_64_bits_is_400_not_a_crash(app):
    raw = b'{"requester": {"email": "a@example.com"}, "ticket": {"id": ' + b"9" * 30 + b"}}"
    resp = app.test_client().post(URL, data=raw, content_type="application/json", headers=bearer(token()))
    assert resp.status_code == 400
    assert "ticket" in resp.json["error"]["details"]
