"""Assemble one match of the answer (docs/contracts.md section 4) from fetched records (pure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from backend import derive, flags
from backend.clock import Clock, clock_of
from backend.derive import Policy
from backend.urgency import deadlines_first


@dataclass
class Records:
    """What the fan-out fetched for one learner; None means that call did not succeed."""

    learner: dict
    matched_by: list[dict]
    enrolments: list[dict] | None = None
    enrolments_total: int | None = None
    courses: dict[str, dict] = field(default_factory=dict)
    orders: list[dict] | None = None
    orders_total: int | None = None
    subscriptions: list[dict] | None = None
    financial_aid: list[dict] | None = None
    sponsorships: list[dict] | None = None


LEARNER_FIELDS = ("id", "external_id", "name", "email", "emails", "country", "language", "time_zone",
                  "status", "member_since", "erased_at")


def build(records: Records, account_count: int, now: datetime | Clock, policy: Policy) -> dict:
    """The match dict: learner, why it matched, capped lists with totals, payer, deadlines, flags."""
    cap = policy.max_items
    now = clock_of(now)  # one Clock for every rule: it learns when this match could next read differently
    # Deadlines soon first, soonest first, then newest activity (backend/urgency.py): ordered again
    # here because the fetched selection may have been cached a little before this lookup's now.
    pairs = [(e, derive.upcoming_deadlines(e, now)) for e in records.enrolments or []]
    pairs = deadlines_first(pairs, lambda pair: pair[1][0]["due_at"] if pair[1] else None, now,
                            policy.deadline_soon_days)[:cap]
    raw_enrolments = [e for e, _ in pairs]
    upcoming = [u for _, u in pairs]  # used twice below
    enrolments = [_enrolment(e, records.courses, u) for e, u in zip(raw_enrolments, upcoming, strict=True)]
    payments = [_payment(o, raw_enrolments if records.enrolments is not None else None, now, policy)
                for o in (records.orders or [])[:cap]]
    subscriptions = [_subscription(s, now) for s in (records.subscriptions or [])[:cap]]
    aids = records.financial_aid or []
    payer_known = records.sponsorships is not None and records.financial_aid is not None
    who_pays = derive.payer(records.sponsorships or [], aids, now) if payer_known else None
    learner = {name: records.learner.get(name) for name in LEARNER_FIELDS}
    learner["emails"] = list(learner.get("emails") or [])
    return {
        "learner": learner,
        "matched_by": records.matched_by,
        "enrolments": enrolments,
        # Unknown totals (section failed) are 0 for the schema; sections.<name>.status says why.
        "enrolments_total": len(enrolments) if records.enrolments_total is None else records.enrolments_total,
        "payments": payments,
        "payments_total": len(payments) if records.orders_total is None else records.orders_total,
        "subscriptions": subscriptions,
        "payer": who_pays,
        "next_deadlines": _next_deadlines(raw_enrolments, upcoming, records.courses)[:cap],
        "flags": flags.for_match(records.learner, payments, subscriptions, who_pays or {}, aids,
                                 enrolments, account_count, now, policy),
    }


def _course(course_id: str | None, courses: dict[str, dict]) -> dict:
    course = courses.get(course_id or "") or {}
    return {"id": course_id, "title": course.get("title"), "slug": course.get("slug"),
            "partner": course.get("partner"), "partner_kind": course.get("partner_kind"),
            "language": course.get("language")}


def _enrolment(enrolment: dict, courses: dict[str, dict], upcoming: list[dict]) -> dict:
    return {
        "id": enrolment.get("id"),
        "course": _course(enrolment.get("course_id"), courses),
        "track": enrolment.get("track"),
        "status": enrolment.get("status"),
        "progress_pct": enrolment.get("progress_pct"),
        "grade": enrolment.get("grade"),
        "enrolled_at": enrolment.get("enrolled_at"),
        "session_start": enrolment.get("session_start"),
        "session_end": enrolment.get("session_end"),
        "next_deadline": upcoming[0] if upcoming else None,
        "certificate": derive.certificate_status(enrolment),
    }


def _payment(order: dict, enrolments: list[dict] | None, now: Clock, policy: Policy) -> dict:
    product = order.get("product") or {}
    order_payer = order.get("payer") or {}
    return {
        "id": order.get("id"),
        "created_at": order.get("created_at"),
        "status": order.get("status"),
        "amount": order.get("amount"),
        "currency": order.get("currency"),
        "product": {"kind": product.get("kind"), "title": product.get("title"),
                    "course_id": product.get("course_id"), "enrolment_id": product.get("enrolment_id")},
        "payer": {"kind": order_payer.get("kind"), "sponsor_name": order_payer.get("sponsor_name")},
        "refunded_amount": derive.refunded_amount(order),
        "refund": derive.refund_eligibility(order, enrolments, now, policy),
    }


def _subscription(sub: dict, now: Clock) -> dict:
    return {"id": sub.get("id"), "plan": sub.get("plan"), "status": derive.subscription_status(sub, now),
            "current_period_end": sub.get("current_period_end"), "amount": sub.get("amount"),
            "currency": sub.get("currency")}


def _next_deadlines(enrolments: list[dict], upcoming: list[list[dict]],
                    courses: dict[str, dict]) -> list[dict]:
    rows = []
    for enrolment, deadlines in zip(enrolments, upcoming, strict=True):
        title = (courses.get(enrolment.get("course_id") or "") or {}).get("title")
        for deadline in deadlines:
            rows.append({"enrolment_id": enrolment.get("id"), "course_id": enrolment.get("course_id"),
                         "course_title": title, "title": deadline["title"], "due_at": deadline["due_at"]})
    rows.sort(key=lambda row: row["due_at"])
    return rows
