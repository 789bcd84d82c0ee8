"""The payments system (orders, subscriptions, financial aid, sponsorships): URLs and field names."""
from __future__ import annotations

from typing import Any

from backend.deadline import Deadline
from backend.sources.http import SourceClient, path_segment
from backend.sources.shapes import NUM, STR, as_dict, as_list, list_page, money, pick, require

SYSTEM = "payments"
ORDER_FIELDS = {"id": STR, "learner_id": STR, "created_at": STR, "status": STR, "amount": STR,
                "currency": STR, "payment_method": STR}
PRODUCT_FIELDS = {"kind": STR, "title": STR, "course_id": STR, "enrolment_id": STR}
PAYER_FIELDS = {"kind": STR, "sponsor_id": STR, "sponsor_name": STR}
REFUND_FIELDS = {"amount": STR, "created_at": STR}
SUBSCRIPTION_FIELDS = {"id": STR, "plan": STR, "status": STR, "started_at": STR, "current_period_end": STR,
                       "cancelled_at": STR, "amount": STR, "currency": STR}
AID_FIELDS = {"id": STR, "course_id": STR, "status": STR, "applied_at": STR, "decided_at": STR,
              "coverage_pct": NUM}
SPONSORSHIP_FIELDS = {"id": STR, "program": STR, "status": STR, "valid_until": STR}


def orders_for_learner(client: SourceClient, learner_id: str, deadline: Deadline,
                       max_items: int) -> tuple[list[dict], int]:
    """The learner's orders, newest first, at most max_items, plus how many exist."""
    items, total = client.get_list("/orders", {"learner_id": learner_id}, deadline, max_items)
    return [to_order(raw) for raw in items], total


def order_by_id(client: SourceClient, order_id: str, deadline: Deadline) -> dict | None:
    """One order, or None when the system does not know the id."""
    segment = path_segment(order_id)
    if segment is None:  # no such id can exist, and asking would ask another URL
        return None
    raw = client.get(f"/orders/{segment}", None, deadline, allow_404=True)
    return None if raw is None else to_order(raw)


def subscriptions(client: SourceClient, learner_id: str, deadline: Deadline) -> list[dict]:
    """The learner's subscriptions."""
    return [_subscription(raw) for raw in _first_page(client, "/subscriptions", learner_id, deadline)]


def financial_aid(client: SourceClient, learner_id: str, deadline: Deadline) -> list[dict]:
    """The learner's financial-aid applications."""
    return [_aid(raw) for raw in _first_page(client, "/financial-aid", learner_id, deadline)]


def sponsorships(client: SourceClient, learner_id: str, deadline: Deadline) -> list[dict]:
    """The learner's enterprise sponsorships."""
    return [_sponsorship(raw) for raw in _first_page(client, "/sponsorships", learner_id, deadline)]


def _first_page(client: SourceClient, path: str, learner_id: str, deadline: Deadline) -> list[dict]:
    data, _, _ = list_page(SYSTEM, client.get(path, {"learner_id": learner_id, "limit": 100}, deadline))
    return data


def probe(client: SourceClient, deadline: Deadline) -> None:
    """A cheap authenticated call for readiness."""
    client.probe("/orders", {"learner_id": "L-0000000", "limit": 1}, deadline)

def to_order(raw: Any) -> dict:
    """API order -> the internal order dict (product, payer and refunds normalised)."""
    order = money(SYSTEM, pick(SYSTEM, require(SYSTEM, raw, "id", "status"), ORDER_FIELDS), "amount")
    order["product"] = pick(SYSTEM, as_dict(raw.get("product")), PRODUCT_FIELDS)
    order["payer"] = pick(SYSTEM, as_dict(raw.get("payer")), PAYER_FIELDS)
    order["payer"]["kind"] = order["payer"]["kind"] or "self"
    order["refunds"] = [money(SYSTEM, pick(SYSTEM, refund, REFUND_FIELDS), "amount")
                        for refund in as_list(raw.get("refunds"))]
    return order


def _subscription(raw: dict) -> dict:
    return money(SYSTEM, pick(SYSTEM, require(SYSTEM, raw, "id"), SUBSCRIPTION_FIELDS), "amount")


def _aid(raw: dict) -> dict:
    return pick(SYSTEM, require(SYSTEM, raw, "id"), AID_FIELDS)


def _sponsorship(raw: dict) -> dict:
    sponsorship = pick(SYSTEM, require(SYSTEM, raw, "id"), SPONSORSHIP_FIELDS)
    sponsor = pick(SYSTEM, as_dict(raw.get("sponsor")), {"id": STR, "name": STR})
    sponsorship.update(sponsor_id=sponsor["id"], sponsor_name=sponsor["name"])
    return sponsorship
