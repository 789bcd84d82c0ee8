"""The payments system (orders, subscriptions, financial aid, sponsorships): URLs and field names."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from backend.sources.http import Deadline, SourceClient, list_page, shape_error

SYSTEM = "payments"


def orders_for_learner(client: SourceClient, learner_id: str, deadline: Deadline,
                       max_items: int) -> tuple[list[dict], int]:
    """The learner's orders, newest first, at most max_items, plus how many exist."""
    items, total = client.get_list("/orders", {"learner_id": learner_id}, deadline, max_items)
    return [to_order(raw) for raw in items], total


def order_by_id(client: SourceClient, order_id: str, deadline: Deadline) -> dict | None:
    """One order, or None when the system does not know the id."""
    raw = client.get(f"/orders/{quote(order_id, safe='')}", None, deadline, allow_404=True)
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
    client.get("/orders", {"learner_id": "L-0000000", "limit": 1}, deadline)

def to_order(raw: Any) -> dict:
    """API order -> the internal order dict (product, payer and refunds normalised)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or "status" not in raw:
        raise shape_error(SYSTEM, "order without id/status")
    product = raw.get("product") if isinstance(raw.get("product"), dict) else {}
    payer = raw.get("payer") if isinstance(raw.get("payer"), dict) else {}
    refunds = raw.get("refunds") if isinstance(raw.get("refunds"), list) else []
    return {
        "id": raw["id"],
        "learner_id": raw.get("learner_id"),
        "created_at": raw.get("created_at"),
        "status": raw["status"],
        "amount": raw.get("amount"),
        "currency": raw.get("currency"),
        "product": {"kind": product.get("kind"), "title": product.get("title"),
                    "course_id": product.get("course_id"), "enrolment_id": product.get("enrolment_id")},
        "payer": {"kind": payer.get("kind") or "self", "sponsor_id": payer.get("sponsor_id"),
                  "sponsor_name": payer.get("sponsor_name")},
        "payment_method": raw.get("payment_method"),
        "refunds": [{"amount": r.get("amount"), "created_at": r.get("created_at")}
                    for r in refunds if isinstance(r, dict)],
    }


def _subscription(raw: dict) -> dict:
    keys = ("id", "plan", "status", "started_at", "current_period_end", "cancelled_at", "amount", "currency")
    if "id" not in raw:
        raise shape_error(SYSTEM, "subscription without id")
    return {key: raw.get(key) for key in keys}


def _aid(raw: dict) -> dict:
    keys = ("id", "course_id", "status", "applied_at", "decided_at", "coverage_pct")
    if "id" not in raw:
        raise shape_error(SYSTEM, "financial aid without id")
    return {key: raw.get(key) for key in keys}


def _sponsorship(raw: dict) -> dict:
    if "id" not in raw:
        raise shape_error(SYSTEM, "sponsorship without id")
    sponsor = raw.get("sponsor") if isinstance(raw.get("sponsor"), dict) else {}
    return {"id": raw["id"], "sponsor_id": sponsor.get("id"), "sponsor_name": sponsor.get("name"),
            "program": raw.get("program"), "status": raw.get("status"), "valid_until": raw.get("valid_until")}
