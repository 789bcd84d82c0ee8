"""The payments API: orders with refunds, subscriptions, financial aid and enterprise sponsorships."""

from __future__ import annotations

import re

from flask import Blueprint, request

from sandbox.internal.db import check_params, iso, money, not_found, page, query

bp = Blueprint("internal_payments", __name__)
ORDER_ID = re.compile(r"^ORD-\d{4}-\d{6}$")


def orders(rows: list) -> list[dict]:
    """Order rows with their refunds and payer."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    refunds: dict[str, list[dict]] = {}
    for r in query(
        f"SELECT * FROM refunds WHERE order_id IN ({','.join('?' * len(ids))})"  # noqa: S608
        " ORDER BY created_off, id",
        tuple(ids),
    ):
        refunds.setdefault(r["order_id"], []).append(
            {
                "id": r["id"],
                "amount": money(r["amount_cents"]),
                "created_at": iso(r["created_off"]),
                "reason": r["reason"],
            }
        )
    sponsor_ids = sorted({row["sponsor_id"] for row in rows if row["sponsor_id"]})
    names = (
        {
            s["id"]: s["name"]
            for s in query(
                f"SELECT id, name FROM sponsors WHERE id IN ({','.join('?' * len(sponsor_ids))})",  # noqa: S608
                tuple(sponsor_ids),
            )
        }
        if sponsor_ids
        else {}
    )
    return [
        {
            "id": row["id"],
            "learner_id": row["learner_id"],
            "created_at": iso(row["created_off"]),
            "status": row["status"],
            "amount": money(row["amount_cents"]),
            "currency": row["currency"],
            "product": {
                "kind": row["product_kind"],
                "course_id": row["course_id"],
                "enrolment_id": row["enrolment_id"],
                "title": row["title"],
            },
            "payer": {
                "kind": row["payer_kind"],
                "sponsor_id": row["sponsor_id"],
                "sponsor_name": names.get(row["sponsor_id"]),
            },
            "payment_method": "none"
            if row["payer_kind"] == "financial_aid" and row["amount_cents"] == 0
            else row["payment_method"],
            "refunds": refunds.get(row["id"], []),
        }
        for row in rows
    ]


def _learner_list(key: str, table_sql: str, count_sql: str, serialize):
    check_params({"learner_id", "limit", "cursor"}, {"learner_id"})
    learner_id = request.args["learner_id"].strip()
    total = query(count_sql, (learner_id,))[0][0]
    return page(
        f"{key}|{learner_id}",
        total,
        lambda limit, offset: query(table_sql, (learner_id, limit, offset)),
        serialize,
    )


@bp.get("/orders")
def find_orders():
    """A learner's orders, newest first, paginated."""
    return _learner_list(
        "orders",
        "SELECT * FROM orders WHERE learner_id = ? ORDER BY created_off DESC, id DESC LIMIT ? OFFSET ?",
        "SELECT COUNT(*) FROM orders WHERE learner_id = ?",
        orders,
    )


@bp.get("/orders/<order_id>")
def one_order(order_id: str):
    """One order by id."""
    check_params(set())
    rows = query("SELECT * FROM orders WHERE id = ?", (order_id,)) if ORDER_ID.match(order_id) else []
    if not rows:
        raise not_found("order")
    return orders(rows)[0]


@bp.get("/subscriptions")
def subscriptions():
    """A learner's subscriptions."""
    return _learner_list(
        "subscriptions",
        "SELECT * FROM subscriptions WHERE learner_id = ? ORDER BY started_off DESC, id LIMIT ? OFFSET ?",
        "SELECT COUNT(*) FROM subscriptions WHERE learner_id = ?",
        lambda rows: [
            {
                "id": r["id"],
                "learner_id": r["learner_id"],
                "plan": r["plan"],
                "status": r["status"],
                "started_at": iso(r["started_off"]),
                "current_period_end": iso(r["period_end_off"]),
                "cancelled_at": iso(r["cancelled_off"]),
                "amount": money(r["amount_cents"]),
                "currency": r["currency"],
            }
            for r in rows
        ],
    )


@bp.get("/financial-aid")
def financial_aid():
    """A learner's financial-aid applications."""
    return _learner_list(
        "financial-aid",
        "SELECT * FROM financial_aid WHERE learner_id = ? ORDER BY applied_off DESC, id LIMIT ? OFFSET ?",
        "SELECT COUNT(*) FROM financial_aid WHERE learner_id = ?",
        lambda rows: [
            {
                "id": r["id"],
                "learner_id": r["learner_id"],
                "course_id": r["course_id"],
                "status": r["status"],
                "applied_at": iso(r["applied_off"]),
                "decided_at": iso(r["decided_off"]),
                "coverage_pct": r["coverage_pct"],
            }
            for r in rows
        ],
    )


@bp.get("/sponsorships")
def sponsorships():
    """A learner's enterprise sponsorships."""
    return _learner_list(
        "sponsorships",
        "SELECT s.*, p.name AS sponsor_name FROM sponsorships s JOIN sponsors p ON p.id = s.sponsor_id"
        " WHERE s.learner_id = ? ORDER BY s.valid_until_off DESC, s.id LIMIT ? OFFSET ?",
        "SELECT COUNT(*) FROM sponsorships WHERE learner_id = ?",
        lambda rows: [
            {
                "id": r["id"],
                "learner_id": r["learner_id"],
                "sponsor": {"id": r["sponsor_id"], "name": r["sponsor_name"]},
                "program": r["program"],
                "status": r["status"],
                "valid_until": iso(r["valid_until_off"]),
            }
            for r in rows
        ],
    )
