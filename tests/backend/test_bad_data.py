"""What no internal system should send (impossible numbers, trickling answers): a section status."""
from __future__ import annotations

import json

import orjson
import pytest

from backend.context import ContextService
from backend.lookup import LookupRequest
from sandbox.internal import personas as P
from tests.backend.test_context import AGENT, settings_for
from tests.fakes import FakeHTTP, Trickle
from tests.servers import wait_for

EMPTY = (200, {"data": [], "next_cursor": None, "total": 0})


def order(**changes) -> dict:
    base = {"id": "ORD-2026-0000001", "learner_id": P.SAM_ID, "created_at": "2026-11-20T10:00:00Z",
            "status": "paid", "amount": "49.00", "currency": "EUR", "payment_method": "card",
            "product": {"kind": "course", "title": "x", "course_id": "C-0001"}, "payer": {"kind": "self"},
            "refunds": []}
    return {**base, **changes}


def page(items: list[dict]) -> tuple[int, dict]:
    return 200, {"data": items, "next_cursor": None, "total": len(items)}


def payments_api(orders: list[dict], subscriptions: tuple[dict, ...] = ()) -> FakeHTTP:
    return FakeHTTP({"/orders": page(orders), "/subscriptions": page(list(subscriptions)),
                     "/financial-aid": EMPTY, "/sponsorships": EMPTY})


def lookup_sam(sandbox, **urls: str) -> dict:
    service = ContextService(settings_for(sandbox, **urls))
    try:
        return orjson.loads(orjson.dumps(service.lookup(LookupRequest(emails=(P.SAM_EMAIL,)), AGENT).body))
    finally:
        service.close()


@pytest.mark.parametrize("bad", [
    pytest.param({"refunds": [{"amount": "1e999999999", "created_at": "2026-11-21T10:00:00Z"}]},
                 id="refund-overflowing-decimal"),
    pytest.param({"refunds": [{"amount": "1e999999", "created_at": "2026-11-21T10:00:00Z"}]},
                 id="refund-a-megabyte-of-digits"),
    pytest.param({"refunds": [{"amount": "NaN", "created_at": "2026-11-21T10:00:00Z"}]}, id="refund-nan"),
    pytest.param({"amount": "Infinity"}, id="amount-infinity"),
    pytest.param({"amount": "1234567890123.00"}, id="amount-too-large"),
    pytest.param({"amount": "49.000001"}, id="amount-too-precise"),
    pytest.param({"amount": " 49.00"}, id="amount-padded"),
])
def test_an_order_with_an_amount_that_is_no_amount_is_a_payments_error(bad, clean_sandbox):
    api = payments_api([order(**bad)])
    try:
        body = lookup_sam(clean_sandbox, payment_api_url=api.url)
    finally:
        api.stop()
    assert body["sections"]["payments"]["status"] == "error"
    assert {name: s["status"] for name, s in body["sections"].items() if name != "payments"} == {
        "learner": "ok", "enrolments": "ok", "courses": "ok"}
    assert len(json.dumps(body)) < 100_000


def test_a_subscription_amount_that_is_no_amount_is_a_payments_error(clean_sandbox):
    api = payments_api([order()], ({"id": "S-1", "plan": "monthly", "status": "active", "amount": "1e400"},))
    try:
        body = lookup_sam(clean_sandbox, payment_api_url=api.url)
    finally:
        api.stop()
    assert body["sections"]["payments"]["status"] == "error"


def test_good_amounts_pass(clean_sandbox):
    api = payments_api([order(refunds=[{"amount": "-0.5", "created_at": "2026-11-21T10:00:00Z"}])])
    try:
        body = lookup_sam(clean_sandbox, payment_api_url=api.url)
    finally:
        api.stop()
    assert body["sections"]["payments"]["status"] == "ok"
    assert [p["amount"] for p in body["matches"][0]["payments"]] == ["49.00"]


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity"])
def test_a_progress_that_is_no_number_is_an_enrolments_error(number, clean_sandbox):
    # Python's JSON parser reads NaN; compared with the refund policy it made every order eligible.
    raw = (b'{"data": [{"id": "E-1", "learner_id": "%s", "course_id": "C-0001", "status": "active", '
           b'"track": "verified", "progress_pct": %s}], "next_cursor": null, "total": 1}'
           % (P.SAM_ID.encode(), number))
    api = FakeHTTP({"/enrolments": raw})
    try:
        body = lookup_sam(clean_sandbox, enrolment_api_url=api.url)
    finally:
        api.stop()
    assert body["sections"]["enrolments"]["status"] == "error"
    assert body["sections"]["payments"]["status"] == "ok"


def test_a_trickling_payments_system_is_a_timeout_and_frees_its_threads(clean_sandbox):
    orders = json.dumps({"data": [order()], "next_cursor": None, "total": 1}).encode() + b" " * 300
    api = FakeHTTP({"/orders": Trickle(orders, interval_s=0.1), "/subscriptions": EMPTY,
                    "/financial-aid": EMPTY, "/sponsorships": EMPTY})
    settings = settings_for(clean_sandbox, payment_api_url=api.url, deadline_ms=1000, retries=0)
    service = ContextService(settings)
    try:
        body = service.lookup(LookupRequest(emails=(P.SAM_EMAIL,)), AGENT).body
        assert body["sections"]["payments"]["status"] == "timeout"
        assert body["sections"]["enrolments"]["status"] == "ok"
        # The orders call hung up on the trickle instead of holding an executor thread for 30 s.
        wait_for(lambda: api.aborted == ["/orders?learner_id=L-1000004&limit=50"], timeout=5)
    finally:
        service.close()
        api.stop()
