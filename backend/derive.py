"""The pure rules the agent acts on: refunds, subscriptions, who pays, certificates, deadlines."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, DecimalException

from backend.clock import Clock, clock_of, iso, parse_time

REFUNDED = ("refunded", "partially_refunded")


@dataclass(frozen=True)
class Policy:
    """The policy values the rules need; built from Settings so no number lives in code."""

    refund_window_days: int = 14
    refund_max_progress_pct: int = 50
    deadline_soon_days: int = 7
    max_items: int = 50

    @classmethod
    def from_settings(cls, settings: object) -> Policy:
        """Pick the policy values out of backend.config.Settings."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


def refunded_amount(order: dict) -> str:
    """Sum of the order's refunds as a decimal string with the order's precision."""
    total = Decimal("0")
    for refund in order.get("refunds") or []:
        try:
            total += Decimal(str(refund.get("amount") or "0"))
        except DecimalException:  # the mapping refuses such amounts; the rule must not crash either way
            continue
    return f"{total:.2f}"


def related_enrolment(order: dict, enrolments: list[dict]) -> dict | None:
    """The enrolment an order paid for: by enrolment id, else by course id."""
    product = order.get("product") or {}
    for key, field in (("enrolment_id", "id"), ("course_id", "course_id")):
        wanted = product.get(key)
        if wanted:
            for enrolment in enrolments:
                if enrolment.get(field) == wanted:
                    return enrolment
    return None


def refund_eligibility(order: dict, enrolments: list[dict] | None, now: datetime | Clock,
                       policy: Policy) -> dict:
    """{"eligible", "reason", "until"}: paid, in the window, little progress, no certificate, self-paid."""
    status = order.get("status")
    if status in REFUNDED:
        return {"eligible": False, "reason": "already_refunded", "until": None}
    if status != "paid":
        return {"eligible": False, "reason": "not_paid", "until": None}
    payer = (order.get("payer") or {}).get("kind", "self")
    if payer == "enterprise":
        return {"eligible": False, "reason": "sponsored", "until": None}
    if payer == "financial_aid":
        return {"eligible": False, "reason": "financial_aid", "until": None}
    paid_at = parse_time(order.get("created_at"))
    if paid_at is None:
        return {"eligible": False, "reason": "unknown_payment_date", "until": None}
    until = paid_at + timedelta(days=policy.refund_window_days)
    until_text = iso(until)
    if clock_of(now).passed(until):
        return {"eligible": False, "reason": "window_expired", "until": until_text}
    product = order.get("product") or {}
    if product.get("enrolment_id") or product.get("course_id"):
        enrolment = related_enrolment(order, enrolments or [])
        if enrolment is None:
            # Enrolments failed or the enrolment lies beyond the fetched page: cannot promise a refund.
            return {"eligible": False, "reason": "enrolment_unknown", "until": until_text}
        if (enrolment.get("certificate") or {}).get("status") == "earned":
            return {"eligible": False, "reason": "certificate_earned", "until": until_text}
        if (enrolment.get("progress_pct") or 0) >= policy.refund_max_progress_pct:
            return {"eligible": False, "reason": "progress_too_high", "until": until_text}
    return {"eligible": True, "reason": "within_policy", "until": until_text}


def subscription_status(sub: dict, now: datetime | Clock) -> str:
    """active | past_due | cancelled; an active one whose paid period ended is past due."""
    clock = clock_of(now)
    status = sub.get("status")
    cancelled_at = parse_time(sub.get("cancelled_at"))
    if status == "cancelled" or (cancelled_at and clock.reached(cancelled_at)):
        return "cancelled"
    if status == "past_due":
        return "past_due"
    period_end = parse_time(sub.get("current_period_end"))
    if period_end and clock.passed(period_end):
        return "past_due"
    return "active"


def active_sponsorship(sponsorships: list[dict], now: datetime | Clock) -> dict | None:
    """The first sponsorship that is active and not past its validity."""
    clock = clock_of(now)
    for sponsorship in sponsorships:
        valid_until = parse_time(sponsorship.get("valid_until"))
        if sponsorship.get("status") == "active" and (valid_until is None or not clock.passed(valid_until)):
            return sponsorship
    return None


def approved_aid(aids: list[dict]) -> list[dict]:
    """Financial-aid grants that were approved."""
    return [aid for aid in aids if aid.get("status") == "approved"]


def payer(sponsorships: list[dict], aids: list[dict], now: datetime | Clock) -> dict:
    """Who pays: an active enterprise sponsorship, else approved financial aid, else the learner."""
    sponsorship = active_sponsorship(sponsorships, now)
    if sponsorship:
        return {"kind": "enterprise", "sponsor_name": sponsorship.get("sponsor_name")}
    if approved_aid(aids):
        return {"kind": "financial_aid", "sponsor_name": None}
    return {"kind": "self", "sponsor_name": None}


def certificate_status(enrolment: dict) -> dict:
    """{"status", "issued_at"}; an audit track never earns one, whatever the record says."""
    cert = enrolment.get("certificate") or {}
    status = cert.get("status") or "not_eligible"
    if enrolment.get("track") == "audit" and status != "earned":
        status = "not_eligible"
    return {"status": status, "issued_at": cert.get("issued_at") if status == "earned" else None}


def upcoming_deadlines(enrolment: dict, now: datetime | Clock) -> list[dict]:
    """An active enrolment's future deadlines, soonest first: those inside its session, and extended
    ones wherever they fall (an extension exists to move a deadline, often past the session's end)."""
    if enrolment.get("status") != "active":
        return []
    clock = clock_of(now)
    end = parse_time(enrolment.get("session_end"))
    due: list[tuple[datetime, dict]] = []
    for deadline in enrolment.get("deadlines") or []:
        at = parse_time(deadline.get("due_at"))
        outside = end is not None and at is not None and at > end and not deadline.get("extended")
        if at is None or outside or clock.reached(at):
            continue
        due.append((at, deadline))
    due.sort(key=lambda pair: pair[0])
    return [{"title": d.get("title"), "kind": d.get("kind"), "due_at": iso(at),
             "extended": bool(d.get("extended"))} for at, d in due]
