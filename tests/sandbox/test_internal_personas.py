"""The demo personas carry exactly the facts the docs, demo tickets and backend tests rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sandbox.internal import personas as p


def day(iso: str) -> date:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).date()


def days_from_today(iso: str) -> int:
    return (day(iso) - datetime.now(UTC).date()).days


def learners_by_email(internal, email: str) -> list[dict]:
    return internal.ok("learners", "/learners", email=email)["data"]


def test_amelie_is_french_with_three_verified_enrolments(internal):
    [amelie] = learners_by_email(internal, "Amelie.Durand@Example.FR")  # case-insensitive
    assert (amelie["id"], amelie["name"], amelie["country"]) == (p.AMELIE_ID, "Amélie Durand", "FR")
    assert (amelie["language"], amelie["time_zone"], amelie["status"]) == ("fr", "Europe/Paris", "active")
    enrolments = internal.walk("enrolments", "/enrolments", learner_id=p.AMELIE_ID)
    assert len(enrolments) == 3
    assert {e["track"] for e in enrolments} == {"verified"}


def test_amelie_paid_five_days_ago_with_low_progress(internal):
    order = internal.ok("payments", f"/orders/{p.AMELIE_RECENT_ORDER_ID}")
    assert order["status"] == "paid" and order["refunds"] == []
    assert (order["amount"], order["currency"], order["payer"]["kind"]) == ("49.00", "EUR", "self")
    assert days_from_today(order["created_at"]) == -5
    assert order["product"]["course_id"] == p.AMELIE_RECENT_COURSE_ID
    enrolment = internal.ok("enrolments", f"/enrolments/{order['product']['enrolment_id']}")
    assert enrolment["status"] == "active" and enrolment["progress_pct"] < 20
    course = internal.ok("courses", f"/courses/{p.AMELIE_RECENT_COURSE_ID}")
    assert (course["title"], course["slug"]) == (p.AMELIE_RECENT_COURSE_TITLE, p.AMELIE_RECENT_COURSE_SLUG)
    older = [
        o for o in internal.walk("payments", "/orders", learner_id=p.AMELIE_ID) if o["id"] != order["id"]
    ]
    assert older and all(days_from_today(o["created_at"]) < -14 for o in older)  # only one is refundable


def test_amelie_completed_one_course_with_an_earned_certificate(internal):
    enrolment = internal.ok("enrolments", f"/enrolments/{p.AMELIE_COMPLETED_ENROLMENT_ID}")
    assert (enrolment["status"], enrolment["progress_pct"]) == ("completed", 100)
    assert enrolment["certificate"]["status"] == "earned"
    assert enrolment["certificate"]["verify_code"] == p.AMELIE_CERTIFICATE_CODE
    assert days_from_today(enrolment["certificate"]["issued_at"]) < 0
    course = internal.ok("courses", f"/courses/{p.AMELIE_COMPLETED_COURSE_ID}")
    assert (course["title"], course["language"]) == (p.AMELIE_COMPLETED_COURSE_TITLE, "fr")


def test_wei_has_two_accounts_and_the_work_one_is_past_due(internal):
    [home] = learners_by_email(internal, p.WEI_EMAIL)
    [work] = learners_by_email(internal, p.WEI_WORK_EMAIL)
    assert (home["id"], work["id"]) == (p.WEI_ID, p.WEI_WORK_ID)
    assert home["name"] == "张伟" and home["language"] == "zh"
    [subscription] = internal.ok("payments", "/subscriptions", learner_id=p.WEI_WORK_ID)["data"]
    assert (subscription["plan"], subscription["status"]) == ("monthly", "past_due")
    assert days_from_today(subscription["current_period_end"]) < 0
    latest = internal.ok("payments", "/orders", learner_id=p.WEI_WORK_ID, limit=1)["data"][0]
    assert (latest["id"], latest["status"]) == (p.WEI_FAILED_ORDER_ID, "failed")
    assert internal.ok("payments", "/subscriptions", learner_id=p.WEI_ID)["data"] == []


def test_sam_is_enterprise_sponsored_with_a_deadline_in_two_days(internal):
    [sam] = learners_by_email(internal, p.SAM_EMAIL)
    assert internal.ok("learners", "/learners", external_id=p.SAM_EXTERNAL_ID)["data"] == [sam]
    [sponsorship] = internal.ok("payments", "/sponsorships", learner_id=p.SAM_ID)["data"]
    assert sponsorship["status"] == "active" and sponsorship["sponsor"]["name"] == p.SAM_SPONSOR_NAME
    assert days_from_today(sponsorship["valid_until"]) > 0
    orders = internal.walk("payments", "/orders", learner_id=p.SAM_ID)
    assert orders and {o["payer"]["kind"] for o in orders} == {"enterprise"}
    assert {o["payer"]["sponsor_name"] for o in orders} == {p.SAM_SPONSOR_NAME}
    enrolment = internal.ok("enrolments", f"/enrolments/{p.SAM_ENROLMENT_ID}")
    assert enrolment["status"] == "active"
    upcoming = [d for d in enrolment["deadlines"] if days_from_today(d["due_at"]) >= 0]
    assert upcoming[0]["title"] == p.SAM_DEADLINE_TITLE
    assert days_from_today(upcoming[0]["due_at"]) == 2


def test_priya_has_approved_financial_aid_and_mixed_tracks(internal):
    [priya] = learners_by_email(internal, p.PRIYA_EMAIL)
    [aid] = internal.ok("payments", "/financial-aid", learner_id=priya["id"])["data"]
    assert (aid["id"], aid["status"], aid["course_id"]) == (p.PRIYA_AID_ID, "approved", p.PRIYA_AID_COURSE_ID)
    tracks = {e["track"] for e in internal.walk("enrolments", "/enrolments", learner_id=priya["id"])}
    assert tracks == {"audit", "verified"}
    order = internal.ok("payments", f"/orders/{p.PRIYA_AID_ORDER_ID}")
    assert order["payer"]["kind"] == "financial_aid"


def test_heavy_learner_has_300_enrolments_and_1000_orders(internal):
    [heavy] = learners_by_email(internal, p.HEAVY_EMAIL)
    assert internal.ok("enrolments", "/enrolments", learner_id=heavy["id"], limit=1)["total"] == 300
    assert internal.ok("payments", "/orders", learner_id=heavy["id"], limit=1)["total"] == 1000


def test_erased_learner_keeps_only_id_status_and_erasure_date(internal):
    [erased] = learners_by_email(internal, p.ERASED_EMAIL)
    assert erased["id"] == p.ERASED_ID and erased["status"] == "erased"
    assert days_from_today(erased["erased_at"]) < 0
    kept = {k for k, v in erased.items() if v not in (None, [])}
    assert kept == {"id", "status", "erased_at"}


def test_nobody_has_no_account(internal):
    assert internal.ok("learners", "/learners", email=p.NOBODY_EMAIL) == {
        "data": [],
        "next_cursor": None,
        "total": 0,
    }


@pytest.mark.parametrize("persona_id", [p.AMELIE_ID, p.SAM_ID, p.PRIYA_ID])
def test_persona_course_ids_resolve_in_the_catalogue(internal, persona_id):
    enrolments = internal.walk("enrolments", "/enrolments", learner_id=persona_id)
    ids = sorted({e["course_id"] for e in enrolments})
    courses = internal.ok("courses", "/courses", ids=",".join(ids))["data"]
    assert [c["id"] for c in courses] == ids
    for enrolment in enrolments:
        course = next(c for c in courses if c["id"] == enrolment["course_id"])
        session = next(s for s in course["sessions"] if s["id"] == enrolment["session_id"])
        assert (session["starts_at"], session["ends_at"]) == (
            enrolment["session_start"],
            enrolment["session_end"],
        )
        assert day(enrolment["enrolled_at"]) <= datetime.now(UTC).date()
