"""The flags an agent acts on for one match: codes, severity and params, most severe first."""
from __future__ import annotations

from datetime import datetime

from backend.clock import Clock, clock_of, parse_time
from backend.derive import Policy, approved_aid
from backend.urgency import is_soon


def for_match(learner: dict, payments: list[dict], subscriptions: list[dict], who_pays: dict,
              aids: list[dict], enrolments: list[dict], account_count: int, now: datetime | Clock,
              policy: Policy) -> list[dict]:
    """Codes + severity + params for one match, most severe first; the app words them."""
    out: list[dict] = []
    status = learner.get("status")
    if status == "erased":
        out.append(_flag("account_erased", "critical", erased_at=learner.get("erased_at")))
    elif status == "suspended":
        out.append(_flag("account_suspended", "critical"))
    if account_count > 1:
        out.append(_flag("multiple_accounts", "warning", count=account_count))
    for sub in subscriptions:
        if sub.get("status") == "past_due":
            out.append(_flag("subscription_past_due", "warning", subscription_id=sub.get("id"),
                             current_period_end=sub.get("current_period_end")))
    clock = clock_of(now)
    for enrolment in enrolments:
        next_one = enrolment.get("next_deadline") or {}
        if is_soon(next_one.get("due_at"), clock, policy.deadline_soon_days):  # as the list's order
            at = parse_time(next_one.get("due_at"))
            out.append(_flag("deadline_soon", "warning", enrolment_id=enrolment.get("id"),
                             course_id=(enrolment.get("course") or {}).get("id"), title=next_one.get("title"),
                             due_at=next_one.get("due_at"), days=max(0, clock.whole_days_until(at))))
    for payment in payments:
        refund = payment.get("refund") or {}
        if refund.get("eligible"):
            out.append(_flag("refund_eligible", "info", order_id=payment.get("id"),
                             until=refund.get("until")))
    if who_pays.get("kind") == "enterprise":
        out.append(_flag("enterprise_sponsored", "info", sponsor_name=who_pays.get("sponsor_name")))
    for aid in approved_aid(aids):
        out.append(_flag("financial_aid", "info", course_id=aid.get("course_id"),
                         coverage_pct=aid.get("coverage_pct")))
    for enrolment in enrolments:
        cert = enrolment.get("certificate") or {}
        if cert.get("status") == "earned":
            out.append(_flag("certificate_earned", "info", enrolment_id=enrolment.get("id"),
                             course_id=(enrolment.get("course") or {}).get("id"),
                             issued_at=cert.get("issued_at")))
    return out


def _flag(code: str, severity: str, **params: object) -> dict:
    return {"code": code, "severity": severity, "params": params}
