"""The pure rules: refunds, subscriptions, who pays, certificates, deadlines; routing tags and links."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend import clock, derive, flags, routing
from backend.derive import Policy

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = Policy(refund_window_days=14, refund_max_progress_pct=50, deadline_soon_days=7, max_items=50)


def ago(days: float) -> str:
    return clock.iso(NOW - timedelta(days=days))


def ahead(days: float) -> str:
    return clock.iso(NOW + timedelta(days=days))


def order(**changes) -> dict:
    base = {"id": "ORD-2026-000001", "created_at": ago(5), "status": "paid", "amount": "49.00",
            "currency": "EUR", "product": {"kind": "course_certificate", "course_id": "C-0001",
                                           "enrolment_id": "E-0000001", "title": "T"},
            "payer": {"kind": "self", "sponsor_id": None, "sponsor_name": None}, "refunds": []}
    base.update(changes)
    return base


def enrolment(**changes) -> dict:
    base = {"id": "E-0000001", "course_id": "C-0001", "track": "verified", "status": "active",
            "progress_pct": 10, "session_start": ago(30), "session_end": ahead(30), "deadlines": [],
            "certificate": {"status": "in_progress", "issued_at": None}}
    base.update(changes)
    return base


class TestRefundEligibility:
    def test_recent_self_paid_order_with_little_progress_is_eligible_until_window_end(self):
        result = derive.refund_eligibility(order(), [enrolment()], NOW, POLICY)
        assert result == {"eligible": True, "reason": "within_policy", "until": ago(5 - 14)}

    @pytest.mark.parametrize(("changes", "reason"), [
        ({"status": "refunded"}, "already_refunded"),
        ({"status": "partially_refunded"}, "already_refunded"),
        ({"status": "pending"}, "not_paid"),
        ({"status": "failed"}, "not_paid"),
        ({"payer": {"kind": "enterprise", "sponsor_name": "Acme"}}, "sponsored"),
        ({"payer": {"kind": "financial_aid"}}, "financial_aid"),
        ({"created_at": ago(15)}, "window_expired"),
        ({"created_at": None}, "unknown_payment_date"),
    ])
    def test_order_level_reasons(self, changes, reason):
        result = derive.refund_eligibility(order(**changes), [enrolment()], NOW, POLICY)
        assert result["eligible"] is False
        assert result["reason"] == reason

    def test_window_boundary_is_inclusive_and_policy_driven(self):
        assert derive.refund_eligibility(order(created_at=ago(14)), [enrolment()], NOW, POLICY)["eligible"]
        assert not derive.refund_eligibility(order(created_at=ago(8)), [enrolment()], NOW,
                                             Policy(refund_window_days=7))["eligible"]

    def test_progress_at_the_limit_is_too_high(self):
        result = derive.refund_eligibility(order(), [enrolment(progress_pct=50)], NOW, POLICY)
        assert result["reason"] == "progress_too_high"
        assert derive.refund_eligibility(order(), [enrolment(progress_pct=49)], NOW, POLICY)["eligible"]

    def test_earned_certificate_blocks_refund(self):
        cert = {"status": "earned", "issued_at": ago(1)}
        done = enrolment(progress_pct=0, certificate=cert)
        result = derive.refund_eligibility(order(), [done], NOW, POLICY)
        assert result["reason"] == "certificate_earned"

    def test_enrolment_found_by_course_when_order_names_no_enrolment(self):
        o = order(product={"kind": "course_certificate", "course_id": "C-0001", "enrolment_id": None})
        assert derive.refund_eligibility(o, [enrolment(progress_pct=90)], NOW, POLICY)["reason"] == \
            "progress_too_high"

    def test_unknown_enrolment_is_never_promised_a_refund(self):
        assert derive.refund_eligibility(order(), None, NOW, POLICY)["reason"] == "enrolment_unknown"
        assert derive.refund_eligibility(order(), [], NOW, POLICY)["reason"] == "enrolment_unknown"

    def test_product_without_course_needs_no_enrolment(self):
        o = order(product={"kind": "subscription", "course_id": None, "enrolment_id": None})
        assert derive.refund_eligibility(o, None, NOW, POLICY)["eligible"] is True


def test_refunded_amount_sums_refunds():
    o = order(refunds=[{"amount": "10.00"}, {"amount": "5.50"}, {"amount": "junk"}])
    assert derive.refunded_amount(o) == "15.50"
    assert derive.refunded_amount(order()) == "0.00"


@pytest.mark.parametrize(("sub", "expected"), [
    ({"status": "active", "current_period_end": ahead(3)}, "active"),
    ({"status": "active", "current_period_end": ago(1)}, "past_due"),
    ({"status": "past_due", "current_period_end": ahead(3)}, "past_due"),
    ({"status": "cancelled", "current_period_end": ahead(3)}, "cancelled"),
    ({"status": "active", "current_period_end": ahead(3), "cancelled_at": ago(1)}, "cancelled"),
])
def test_subscription_status(sub, expected):
    assert derive.subscription_status(sub, NOW) == expected


class TestPayer:
    def test_active_sponsorship_wins(self):
        sponsorships = [{"status": "active", "sponsor_name": "Acme", "valid_until": ahead(100)}]
        aids = [{"status": "approved"}]
        assert derive.payer(sponsorships, aids, NOW) == {"kind": "enterprise", "sponsor_name": "Acme"}

    def test_ended_or_expired_sponsorship_does_not_count(self):
        sponsorships = [{"status": "ended", "sponsor_name": "A", "valid_until": ahead(1)},
                        {"status": "active", "sponsor_name": "B", "valid_until": ago(1)}]
        assert derive.payer(sponsorships, [], NOW)["kind"] == "self"

    def test_approved_aid_only(self):
        assert derive.payer([], [{"status": "approved"}], NOW)["kind"] == "financial_aid"
        assert derive.payer([], [{"status": "pending"}, {"status": "rejected"}], NOW)["kind"] == "self"


def test_certificate_status():
    assert derive.certificate_status(enrolment(certificate={"status": "earned", "issued_at": "X"})) == \
        {"status": "earned", "issued_at": "X"}
    assert derive.certificate_status(enrolment(track="audit"))["status"] == "not_eligible"
    assert derive.certificate_status({"certificate": None}) == {"status": "not_eligible", "issued_at": None}


def test_upcoming_deadlines_are_future_within_session_sorted():
    deadlines = [{"title": "late", "kind": "exam", "due_at": ahead(10)},
                 {"title": "past", "kind": "exam", "due_at": ago(1)},
                 {"title": "soon", "kind": "assignment", "due_at": ahead(2), "extended": True},
                 {"title": "after session", "kind": "project", "due_at": ahead(40)}]
    got = derive.upcoming_deadlines(enrolment(deadlines=deadlines), NOW)
    assert [d["title"] for d in got] == ["soon", "late"]
    assert got[0]["extended"] is True and got[1]["extended"] is False
    assert derive.upcoming_deadlines(enrolment(deadlines=deadlines, status="completed"), NOW) == []


def test_an_extended_deadline_past_the_session_end_is_still_upcoming():
    deadlines = [{"title": "Final exam", "kind": "exam", "due_at": ahead(40), "extended": True},
                 {"title": "after session", "kind": "project", "due_at": ahead(35)}]
    got = derive.upcoming_deadlines(enrolment(deadlines=deadlines, session_end=ahead(30)), NOW)
    assert [(d["title"], d["extended"]) for d in got] == [("Final exam", True)]


class TestFlags:
    def codes(self, **kw) -> list[str]:
        args = {"learner": {"status": "active"}, "payments": [], "subscriptions": [],
                "who_pays": {"kind": "self"}, "aids": [], "enrolments": [], "account_count": 1,
                "now": NOW, "policy": POLICY}
        args.update(kw)
        return [f["code"] for f in flags.for_match(**args)]

    def test_quiet_learner_has_no_flags(self):
        assert self.codes() == []

    def test_erased_and_suspended_are_critical(self):
        raised = flags.for_match({"status": "erased", "erased_at": "Z"}, [], [], {}, [], [], 1, NOW, POLICY)
        assert raised == [{"code": "account_erased", "severity": "critical", "params": {"erased_at": "Z"}}]
        assert self.codes(learner={"status": "suspended"}) == ["account_suspended"]

    def test_each_condition_raises_its_flag(self):
        codes = self.codes(
            payments=[{"id": "O1", "refund": {"eligible": True, "until": ahead(9)}}],
            subscriptions=[{"id": "S1", "status": "past_due"}],
            who_pays={"kind": "enterprise", "sponsor_name": "Acme"},
            aids=[{"status": "approved", "course_id": "C-0001", "coverage_pct": 90}],
            enrolments=[{"id": "E1", "course": {"id": "C-1"},
                         "next_deadline": {"title": "x", "due_at": ahead(2)},
                         "certificate": {"status": "earned", "issued_at": ago(3)}}],
            account_count=2)
        assert codes == ["multiple_accounts", "subscription_past_due", "deadline_soon", "refund_eligible",
                         "enterprise_sponsored", "financial_aid", "certificate_earned"]

    def test_deadline_beyond_soon_window_is_not_flagged(self):
        far = [{"id": "E1", "course": {}, "next_deadline": {"title": "x", "due_at": ahead(8)},
                "certificate": {}}]
        assert self.codes(enrolments=far) == []

    def test_deadline_soon_params(self):
        near = [{"id": "E1", "course": {"id": "C-1"}, "next_deadline": {"title": "x", "due_at": ahead(2)},
                 "certificate": {}}]
        flag = flags.for_match({}, [], [], {}, [], near, 1, NOW, POLICY)[0]
        assert flag["params"] == {"enrolment_id": "E1", "course_id": "C-1", "title": "x",
                                  "due_at": ahead(2), "days": 2}


class TestTags:
    def test_not_found_only_when_the_learner_system_answered(self):
        assert routing.suggested_tags([], learner_section_ok=True) == ["lc_not_found"]
        assert routing.suggested_tags([], learner_section_ok=False) == []

    def test_tags_from_matches(self):
        matches = [
            {"learner": {"language": "zh-Hans"}, "payments": [{"status": "paid"}],
             "payer": {"kind": "enterprise"}, "flags": [{"code": "subscription_past_due"}]},
            {"learner": {"language": "fr", "status": "erased"}, "payments": [{"status": "refunded"}],
             "payer": {"kind": "financial_aid"}, "flags": [{"code": "refund_eligible"}]},
        ]
        assert routing.suggested_tags(matches, True) == [
            "lc_enterprise", "lc_erased", "lc_financial_aid", "lc_lang_fr", "lc_lang_zh_hans",
            "lc_multiple_accounts", "lc_paid", "lc_past_due", "lc_refund_eligible"]


def test_references_link_to_enrolment_order_and_learner():
    matches = [{"learner": {"id": "L-0000001"},
                "enrolments": [{"id": "E-1", "course": {"id": "C-0001", "slug": "intro-ml"}}],
                "payments": [{"id": "ORD-2026-000001",
                              "product": {"enrolment_id": "E-1", "course_id": "C-0001"}}]}]
    refs = [{"kind": "course", "value": "intro-ml", "by": "slug"},
            {"kind": "order", "value": "ORD-2026-000001", "by": "id"},
            {"kind": "learner", "value": "L-0000001", "by": "id"},
            {"kind": "course", "value": "C-0999", "by": "id"}]
    linked = routing.link_references(refs, matches)
    assert linked[0] == {"kind": "course", "value": "intro-ml", "learner_id": "L-0000001",
                         "enrolment_id": "E-1", "order_id": "ORD-2026-000001", "matched": True,
                         "checked": True}
    assert linked[1]["order_id"] == "ORD-2026-000001" and linked[1]["enrolment_id"] == "E-1"
    assert linked[2]["matched"] is True and linked[2]["learner_id"] == "L-0000001"
    assert linked[3] == {"kind": "course", "value": "C-0999", "learner_id": None, "enrolment_id": None,
                         "order_id": None, "matched": False, "checked": True}


def test_times_round_trip_and_reject_garbage():
    assert clock.iso(clock.parse_time("2026-11-23T12:00:00Z")) == "2026-11-23T12:00:00Z"
    assert clock.parse_time("yesterday") is None
    assert clock.parse_time("2026-11-23T12:00:00") is None  # naive times are not trusted


def test_policy_from_settings():
    from backend.config import load
    settings = load({}, env="development", jwt_issuers="https://x.zendesk.com", learner_api_url="http://a",
                    enrolment_api_url="http://a", course_api_url="http://a", payment_api_url="http://a",
                    refund_window_days="30")
    assert Policy.from_settings(settings).refund_window_days == 30


def test_orders_fetched_by_reference_link_only_to_their_own_learner():
    matches = [{"learner": {"id": "L-0000001"}, "enrolments": [], "payments": []}]
    refs = [{"kind": "order", "value": "ORD-2026-000001", "by": "id"},
            {"kind": "order", "value": "ORD-2026-000002", "by": "id"}]
    fetched = {"ORD-2026-000001": {"learner_id": "L-0000001", "product": {"enrolment_id": "E-9"}},
               "ORD-2026-000002": {"learner_id": "L-0000999", "product": {"enrolment_id": "E-8"}}}
    own, foreign = routing.link_references(refs, matches, fetched)
    assert own["matched"] is True and own["enrolment_id"] == "E-9" and own["learner_id"] == "L-0000001"
    assert foreign["matched"] is False and foreign["enrolment_id"] is None


def test_a_miss_is_checked_only_when_every_record_that_could_link_it_was_looked_at():
    heavy = {"learner": {"id": "L-0000001"}, "enrolments": [{"id": "E-1", "course": {"id": "C-0001"}}],
             "enrolments_total": 300, "payments": [{"id": "ORD-2026-000001"}], "payments_total": 1000}
    refs = [{"kind": "course", "value": "C-0999", "by": "id"},
            {"kind": "order", "value": "ORD-2026-000009", "by": "id"},
            {"kind": "order", "value": "ORD-2026-000008", "by": "id"},
            {"kind": "course", "value": "C-0001", "by": "id"}]
    # Capped lists: the course and the order not asked for by id may lie beyond them.
    course, unasked, asked, found = routing.link_references(refs, [heavy], {"ORD-2026-000008": None})
    assert course["matched"] is False and course["checked"] is False
    assert unasked["matched"] is False and unasked["checked"] is False
    assert asked["matched"] is False and asked["checked"] is True  # the payments system knows no such order
    assert found["matched"] is True and found["checked"] is True
    # Complete lists, but the section that links the reference failed.
    whole = {**heavy, "enrolments_total": 1, "payments_total": 1}
    course, order, _, _ = routing.link_references(refs, [whole], {}, {"enrolments": "timeout"})
    assert course["checked"] is False and order["checked"] is True
    course, order, _, _ = routing.link_references(refs, [whole], {}, {"payments": "error"})
    assert course["checked"] is True and order["checked"] is False
    # A course URL is linked by the catalogue's slug; a failed learner lookup may have missed an account.
    slug = [{"kind": "course", "value": "intro-ml", "by": "slug"}]
    assert routing.link_references(slug, [whole], {}, {"courses": "unavailable"})[0]["checked"] is False
    assert routing.link_references(refs[:1], [whole], {}, {"learner": "timeout"})[0]["checked"] is False
