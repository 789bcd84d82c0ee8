"""ContextService against the real sandbox: personas, identifiers, ticket-bound mode, manual search."""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from backend.config import load
from backend.context import ContextService
from backend.errors import BadRequest, Forbidden, NotFound
from backend.lookup import Agent, LookupRequest, ManualSearch
from backend.redis_cache import RedisCache
from sandbox.internal import personas as P
from tests.learner_facts import soonest_deadline

AGENT = Agent(iss="https://acme.zendesk.com", sub="42")


def settled(sandbox) -> None:
    """Wait until every call the sandbox has started is in its request log (written when a call ends)."""
    for _ in range(250):  # bounded: 5 s
        state = sandbox.session.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()
        in_flight = state.get("in_flight", {})
        if not any(in_flight.values()):
            return
        time.sleep(0.02)
    raise AssertionError(f"sandbox calls still in flight: {in_flight}")


def calls(sandbox, system: str | None = None) -> list[dict]:
    """The sandbox's request log once it has settled."""
    settled(sandbox)
    return sandbox.requests_log(system)


def forget_calls(sandbox) -> None:
    """Clear the request log once earlier calls have settled."""
    settled(sandbox)
    sandbox.clear_requests()


def settings_for(sandbox, **changes):
    """Complete settings pointing every system at the sandbox (Zendesk off unless given)."""
    values = {"env": "test", "jwt_secrets": ("s" * 40,), "jwt_issuers": ("https://acme.zendesk.com",),
              "audit_hash_key": "k", "internal_api_token": "sandbox-internal-token", "zendesk_url": "",
              **{f"{key}_api_url": sandbox.system_url(system) for key, system in
                 (("learner", "learners"), ("enrolment", "enrolments"), ("course", "courses"),
                  ("payment", "payments"))}}
    values.update(changes)
    return load({}, **values)


def zendesk_settings(sandbox, **changes):
    values = {"zendesk_url": sandbox.url, "zendesk_email": "agent@demo.example",
              "zendesk_api_token": "sandbox-zendesk-token", **changes}
    return settings_for(sandbox, **values)


@pytest.fixture
def service(clean_sandbox):
    svc = ContextService(settings_for(clean_sandbox))
    yield svc
    svc.close()


@pytest.fixture
def bound_service(clean_sandbox):
    svc = ContextService(zendesk_settings(clean_sandbox))
    yield svc
    svc.close()


def oldest_order_of(sandbox, learner_id: str) -> dict:
    """An order far down the learner's list, read straight from the sandbox's payments API."""
    url = sandbox.system_url("payments") + "/orders"
    headers = {"Authorization": "Bearer sandbox-internal-token"}
    page = requests.get(url, params={"learner_id": learner_id, "limit": 100}, headers=headers, timeout=10)
    return page.json()["data"][-1]


def lookup(svc, *emails, agent=AGENT, **fields):
    return svc.lookup(LookupRequest(emails=tuple(emails), **fields), agent).body


def codes(match) -> list[str]:
    return [flag["code"] for flag in match["flags"]]


def all_ok(body) -> bool:
    return all(section["status"] == "ok" for section in body["sections"].values())


class TestPersonas:
    def test_amelie_refund_eligible_order_and_earned_certificate(self, service):
        body = lookup(service, P.AMELIE_EMAIL)
        assert all_ok(body)
        [match] = body["matches"]
        assert match["learner"]["id"] == P.AMELIE_ID
        assert match["matched_by"] == [{"kind": "email", "value": P.AMELIE_EMAIL}]
        refund = next(p for p in match["payments"] if p["id"] == P.AMELIE_RECENT_ORDER_ID)["refund"]
        assert refund["eligible"] is True and refund["reason"] == "within_policy" and refund["until"]
        assert {"refund_eligible", "certificate_earned"} <= set(codes(match))
        earned = next(e for e in match["enrolments"] if e["id"] == P.AMELIE_COMPLETED_ENROLMENT_ID)
        assert earned["certificate"]["status"] == "earned"
        assert earned["course"]["title"] == P.AMELIE_COMPLETED_COURSE_TITLE
        assert {"lc_lang_fr", "lc_paid", "lc_refund_eligible"} <= set(body["suggested_tags"])
        for name in ("learner", "enrolments", "courses", "payments"):
            assert body["sections"][name]["as_of"].endswith("Z")

    def test_wei_two_accounts_and_past_due_subscription(self, service):
        body = lookup(service, P.WEI_EMAIL, P.WEI_WORK_EMAIL)
        ids = [m["learner"]["id"] for m in body["matches"]]
        assert ids == [P.WEI_ID, P.WEI_WORK_ID]
        assert all("multiple_accounts" in codes(m) for m in body["matches"])
        subs = [s for m in body["matches"] for s in m["subscriptions"]]
        assert any(s["id"] == P.WEI_SUBSCRIPTION_ID and s["status"] == "past_due" for s in subs)
        assert {"lc_multiple_accounts", "lc_past_due"} <= set(body["suggested_tags"])

    def test_sam_enterprise_sponsored_with_deadline_soon(self, service):
        [match] = lookup(service, P.SAM_EMAIL)["matches"]
        assert match["payer"] == {"kind": "enterprise", "sponsor_name": P.SAM_SPONSOR_NAME}
        soon = [f for f in match["flags"] if f["code"] == "deadline_soon"]
        assert any(f["params"]["title"] == P.SAM_DEADLINE_TITLE and f["params"]["days"] <= 2 for f in soon)
        assert "enterprise_sponsored" in codes(match)
        assert match["next_deadlines"][0]["due_at"] <= match["next_deadlines"][-1]["due_at"]

    def test_sam_found_by_external_id_too(self, service):
        body = lookup(service, P.SAM_EMAIL, external_id=P.SAM_EXTERNAL_ID)
        [match] = body["matches"]
        assert match["matched_by"] == [{"kind": "email", "value": P.SAM_EMAIL},
                                       {"kind": "external_id", "value": P.SAM_EXTERNAL_ID}]

    def test_priya_financial_aid(self, service):
        body = lookup(service, P.PRIYA_EMAIL)
        [match] = body["matches"]
        assert match["payer"]["kind"] == "financial_aid"
        assert "financial_aid" in codes(match)
        assert "lc_financial_aid" in body["suggested_tags"]

    def test_heavy_learner_is_capped_with_totals(self, clean_sandbox):
        old_order = oldest_order_of(clean_sandbox, P.HEAVY_ID)
        svc = ContextService(settings_for(clean_sandbox, max_items=20))
        try:
            body = lookup(svc, P.HEAVY_EMAIL, text=f"about {old_order['id']}, ORD-2026-999999 and C-0319")
        finally:
            svc.close()
        [match] = body["matches"]
        assert len(match["enrolments"]) == 20 and match["enrolments_total"] == P.HEAVY_ENROLMENTS
        assert len(match["payments"]) == 20 and match["payments_total"] == P.HEAVY_ORDERS
        assert all_ok(body)
        assert old_order["id"] not in {p["id"] for p in match["payments"]}
        # An order named in the ticket is fetched by id and linked even beyond the capped list.
        ref, unknown, course = body["detected_references"]
        assert ref["matched"] is True and ref["order_id"] == old_order["id"]
        assert ref["learner_id"] == P.HEAVY_ID
        # Asked for by id, an unknown order is nobody's; a course may lie beyond the 20 enrolments seen.
        assert unknown["matched"] is False and unknown["checked"] is True
        assert course["matched"] is False and course["checked"] is False

    def test_heavy_learner_most_urgent_deadline_is_sent_first_though_long_inactive(self, service,
                                                                                     clean_sandbox):
        due = soonest_deadline(clean_sandbox, P.HEAVY_ID)
        assert due.position >= 50  # the 50 most recently active enrolments do not hold it
        [match] = lookup(service, P.HEAVY_EMAIL)["matches"]
        assert len(match["enrolments"]) == 50 and match["enrolments_total"] == P.HEAVY_ENROLMENTS
        first = match["enrolments"][0]
        assert (first["id"], first["next_deadline"]["title"]) == (due.enrolment_id, due.title)
        assert match["next_deadlines"][0]["enrolment_id"] == due.enrolment_id
        soon = [f["params"] for f in match["flags"] if f["code"] == "deadline_soon"]
        assert min(soon, key=lambda p: p["due_at"])["enrolment_id"] == due.enrolment_id
        # Deadlines soon first, soonest first; every enrolment after them has none that soon.
        dues = [e["next_deadline"]["due_at"] for e in match["enrolments"][:len(soon)]]
        assert dues == sorted(dues) and {e["id"] for e in match["enrolments"][:len(soon)]} == {
            p["enrolment_id"] for p in soon}

    def test_erased_learner_shows_only_the_erasure(self, service, clean_sandbox):
        body = lookup(service, P.ERASED_EMAIL)
        [match] = body["matches"]
        assert match["learner"]["status"] == "erased" and match["learner"]["name"] is None
        assert match["enrolments"] == [] and match["payments"] == []
        assert match["flags"][0]["code"] == "account_erased"
        assert match["flags"][0]["severity"] == "critical"
        assert calls(clean_sandbox, "enrolments") == []

    def test_nobody_is_not_found(self, service):
        body = lookup(service, P.NOBODY_EMAIL)
        assert body["matches"] == [] and all_ok(body)
        # The learners system answered "nobody": the other sections were never asked, which is ok.
        never_asked = ("enrolments", "courses", "payments")
        assert [body["sections"][name]["as_of"] for name in never_asked] == [None] * 3
        assert body["suggested_tags"] == ["lc_not_found"]


def test_ticket_references_are_linked_to_enrolment_and_order(service):
    text = f"I want a refund for {P.AMELIE_RECENT_ORDER_ID}, see https://learn.example.com/learn/" \
           f"{P.AMELIE_RECENT_COURSE_SLUG} and C-9999"
    body = lookup(service, P.AMELIE_EMAIL, subject="Refund", text=text)
    refs = {ref["value"]: ref for ref in body["detected_references"]}
    assert refs[P.AMELIE_RECENT_ORDER_ID]["matched"] is True
    assert refs[P.AMELIE_RECENT_ORDER_ID]["enrolment_id"] == P.AMELIE_RECENT_ENROLMENT_ID
    assert refs[P.AMELIE_RECENT_COURSE_SLUG]["enrolment_id"] == P.AMELIE_RECENT_ENROLMENT_ID
    assert refs[P.AMELIE_RECENT_COURSE_SLUG]["order_id"] == P.AMELIE_RECENT_ORDER_ID
    assert refs["C-9999"]["matched"] is False and refs["C-9999"]["checked"] is True


def test_no_identifier_is_a_bad_request(service):
    with pytest.raises(BadRequest):
        service.lookup(LookupRequest(), AGENT)


class TestManualSearch:
    def test_by_order_id_finds_the_payer(self, service):
        manual = ManualSearch("order_id", P.AMELIE_RECENT_ORDER_ID)
        body = service.lookup(LookupRequest(manual=manual), AGENT).body
        [match] = body["matches"]
        assert match["learner"]["id"] == P.AMELIE_ID
        assert match["matched_by"] == [{"kind": "order_id", "value": P.AMELIE_RECENT_ORDER_ID}]
        assert body["manual"] is True

    def test_by_learner_id_and_unknown_id(self, service):
        body = service.lookup(LookupRequest(manual=ManualSearch("learner_id", P.SAM_ID)), AGENT).body
        assert [m["learner"]["id"] for m in body["matches"]] == [P.SAM_ID]
        unknown = service.lookup(LookupRequest(manual=ManualSearch("learner_id", "L-9999999")), AGENT).body
        assert unknown["matches"] == [] and unknown["sections"]["learner"]["status"] == "ok"

    def test_manual_search_wins_over_the_ticket_in_ticket_bound_mode(self, bound_service):
        agent = Agent(iss=AGENT.iss, sub="42", ticket_id=1001)
        result = bound_service.lookup(LookupRequest(manual=ManualSearch("email", P.PRIYA_EMAIL)), agent)
        assert result.manual is True and result.ticket_bound is False
        assert [m["learner"]["id"] for m in result.body["matches"]] == [P.PRIYA_ID]

    def test_blank_manual_search_is_a_bad_request(self, service):
        # An unknown kind never gets here: the request schema refuses it (test_http, manual-kind).
        with pytest.raises(BadRequest) as caught:
            service.lookup(LookupRequest(manual=ManualSearch("email", "  ")), AGENT)
        assert caught.value.code == "no_identifier"

    def test_switched_off_is_forbidden(self, clean_sandbox):
        svc = ContextService(settings_for(clean_sandbox, manual_search=False))
        try:
            with pytest.raises(Forbidden):
                svc.lookup(LookupRequest(manual=ManualSearch("email", P.SAM_EMAIL)), AGENT)
        finally:
            svc.close()


class TestTicketBound:
    def test_tampered_requester_is_ignored(self, bound_service):
        agent = Agent(iss=AGENT.iss, sub="42", ticket_id=1001)
        result = bound_service.lookup(LookupRequest(emails=(P.SAM_EMAIL,), ticket_id=1001), agent)
        assert result.ticket_bound is True and result.body["ticket_bound"] is True
        assert [m["learner"]["id"] for m in result.body["matches"]] == [P.AMELIE_ID]
        assert [kind for kind, _ in result.identifiers] == ["email"]

    def test_all_identities_of_the_requester_are_looked_up(self, bound_service):
        body = bound_service.lookup(LookupRequest(), Agent(iss=AGENT.iss, sub="42", ticket_id=1002)).body
        assert {m["learner"]["id"] for m in body["matches"]} == {P.WEI_ID, P.WEI_WORK_ID}

    def test_unknown_ticket_is_not_found(self, bound_service):
        with pytest.raises(NotFound):
            bound_service.lookup(LookupRequest(), Agent(iss=AGENT.iss, sub="42", ticket_id=999999))

    def test_body_ticket_must_agree_with_the_token(self, bound_service):
        with pytest.raises(BadRequest):
            agent = Agent(iss=AGENT.iss, sub="42", ticket_id=1001)
            bound_service.lookup(LookupRequest(ticket_id=1002), agent)

    def test_without_any_ticket_id_nothing_is_looked_up(self, bound_service):
        with pytest.raises(BadRequest) as caught:
            bound_service.lookup(LookupRequest(emails=(P.SAM_EMAIL,)), AGENT)
        assert caught.value.code == "ticket_required"

    def test_body_ticket_id_serves_when_the_token_has_none(self, bound_service):
        body = bound_service.lookup(LookupRequest(ticket_id=1004), AGENT).body
        assert [m["learner"]["id"] for m in body["matches"]] == [P.PRIYA_ID]

    def test_zendesk_down_means_no_guessing_from_the_browser(self, bound_service, clean_sandbox):
        clean_sandbox.fault("zendesk", "error")
        agent = Agent(iss=AGENT.iss, sub="42", ticket_id=1003)
        body = bound_service.lookup(LookupRequest(emails=(P.AMELIE_EMAIL,)), agent).body
        assert body["matches"] == []
        # Nobody could be asked about: every section carries the failure, none pretends to be ok.
        assert {name: s["status"] for name, s in body["sections"].items()} == {
            "learner": "unavailable", "enrolments": "unavailable", "courses": "unavailable",
            "payments": "unavailable"}

    def test_requester_resolution_is_cached_briefly(self, bound_service, clean_sandbox):
        agent = Agent(iss=AGENT.iss, sub="42", ticket_id=1004)
        bound_service.lookup(LookupRequest(), agent)
        forget_calls(clean_sandbox)
        bound_service.lookup(LookupRequest(), agent)
        assert calls(clean_sandbox, "zendesk") == []


# Generated learners of the fixed-seed demo data: one enrolled only in Amélie's C-0042, one in C-0042
# and a course of its own (the tests check this before relying on it).
ONLY_AMELIES_COURSE = "L-0006581"
AMELIES_AND_ANOTHER_COURSE = "L-0001706"


def by_learner_id(svc, learner_id: str, refresh: bool = False) -> dict:
    request = LookupRequest(manual=ManualSearch("learner_id", learner_id), refresh=refresh)
    return svc.lookup(request, AGENT).body


def course_ids(body) -> set[str]:
    return {e["course"]["id"] for m in body["matches"] for e in m["enrolments"]}


class TestCatalogue:
    def test_another_learner_sharing_a_course_costs_no_courses_call(self, service, clean_sandbox):
        amelie = lookup(service, P.AMELIE_EMAIL)
        forget_calls(clean_sandbox)
        other = by_learner_id(service, ONLY_AMELIES_COURSE)
        assert course_ids(other) and course_ids(other) <= course_ids(amelie)
        assert calls(clean_sandbox, "courses") == []
        assert all(e["course"]["title"] for e in other["matches"][0]["enrolments"])
        # as_of of the courses section: the oldest cached entry shown, fetched for Amélie.
        assert other["sections"]["courses"] == amelie["sections"]["courses"]

    def test_only_the_missing_courses_are_asked_for_in_one_call(self, service, clean_sandbox):
        amelie = lookup(service, P.AMELIE_EMAIL)
        forget_calls(clean_sandbox)
        other = by_learner_id(service, AMELIES_AND_ANOTHER_COURSE)
        assert course_ids(other) & course_ids(amelie) and course_ids(other) - course_ids(amelie)
        assert len(calls(clean_sandbox, "courses")) == 1
        assert all(e["course"]["title"] for e in other["matches"][0]["enrolments"])

    def test_refresh_rereads_the_learner_but_not_the_catalogue(self, service, clean_sandbox):
        first = lookup(service, P.AMELIE_EMAIL)
        forget_calls(clean_sandbox)
        refreshed = lookup(service, P.AMELIE_EMAIL, refresh=True)
        assert {r["system"] for r in calls(clean_sandbox)} == {"learners", "enrolments", "payments"}
        assert refreshed["matches"][0]["enrolments"] == first["matches"][0]["enrolments"]
        assert refreshed["sections"]["courses"] == first["sections"]["courses"]

    def test_zero_ttl_turns_the_catalogue_off(self, clean_sandbox):
        svc = ContextService(settings_for(clean_sandbox, catalogue_ttl_s=0))
        try:
            lookup(svc, P.AMELIE_EMAIL)
            forget_calls(clean_sandbox)
            lookup(svc, P.AMELIE_EMAIL, refresh=True)
        finally:
            svc.close()
        assert len(calls(clean_sandbox, "courses")) == 1

    def test_redis_catalogue_is_shared_between_services(self, clean_sandbox, redis_url):
        prefix = f"lc:test:catalogue:{uuid.uuid4().hex}:"
        settings = settings_for(clean_sandbox, redis_url=redis_url)
        caches = [RedisCache(redis_url, settings.cache_ttl_s, prefix) for _ in range(2)]
        first, second = (ContextService(settings, cache=cache) for cache in caches)
        try:
            amelie = lookup(first, P.AMELIE_EMAIL)
            forget_calls(clean_sandbox)
            other = by_learner_id(second, ONLY_AMELIES_COURSE, refresh=True)
            assert calls(clean_sandbox, "courses") == []
            assert {r["system"] for r in calls(clean_sandbox)} == {"learners", "enrolments", "payments"}
            assert other["sections"]["courses"] == amelie["sections"]["courses"]
            stored = caches[0]._client.keys(prefix + "*")
            assert 0 < caches[0]._client.ttl(stored[0]) <= settings.catalogue_ttl_s
        finally:
            keys = caches[0]._client.keys(prefix + "*")
            if keys:
                caches[0]._client.delete(*keys)
            first.close()
            second.close()


def test_readiness_reports_every_dependency(bound_service, clean_sandbox):
    clean_sandbox.fault("courses", "error")
    ready = bound_service.readiness()
    assert set(ready) == {"learners", "enrolments", "courses", "payments", "zendesk"}
    assert ready["courses"]["status"] == "unavailable"
    assert all(ready[name]["status"] == "ok" for name in ("learners", "enrolments", "payments", "zendesk"))
    assert all(isinstance(ready[name]["latency_ms"], float) for name in ready)


class TestRememberedMatches:
    def test_a_learner_looked_up_again_gets_the_same_answer_from_the_memo(self, service):
        first = lookup(service, P.AMELIE_EMAIL, P.WEI_EMAIL)
        again = lookup(service, P.AMELIE_EMAIL, P.WEI_EMAIL)
        assert service.matches.hits == len(first["matches"]) > 0
        assert again["matches"] == first["matches"]
        refreshed = lookup(service, P.AMELIE_EMAIL, P.WEI_EMAIL, refresh=True)  # records fetched again
        assert service.matches.hits == len(first["matches"])
        assert refreshed["matches"] == first["matches"]

    def test_with_a_shared_redis_cache_nothing_is_remembered(self, clean_sandbox, redis_url):
        svc = ContextService(settings_for(clean_sandbox, redis_url=redis_url))
        try:
            assert svc.matches is None  # values come back from Redis as new objects every time
            assert lookup(svc, P.AMELIE_EMAIL)["matches"]
        finally:
            svc.close()


def test_a_deadline_extended_past_the_session_end_is_shown(service, clean_sandbox):
    # A learner of the generated data whose "Final exam" was extended beyond the session's end.
    url = clean_sandbox.system_url("enrolments") + "/enrolments"
    page = requests.get(url, params={"learner_id": "L-0001116", "limit": 100},
                        headers={"Authorization": "Bearer sandbox-internal-token"}, timeout=10).json()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    extended = [(e["id"], d["due_at"]) for e in page["data"] if e["status"] == "active"
                for d in e["deadlines"] if d.get("extended") and d["due_at"] > max(e["session_end"], now)]
    assert extended, "the generated data should hold such an extension"
    body = by_learner_id(service, "L-0001116")
    shown = {(d["enrolment_id"], d["due_at"]) for d in body["matches"][0]["next_deadlines"]}
    assert set(extended) <= shown
