"""Generate the ordinary learners' money: orders, refunds, subscriptions, financial aid, sponsorships."""

from __future__ import annotations

import random

from sandbox.internal.people import Rows, pick
from sandbox.internal.personas import DAY, HOUR, SPONSORS

# Price in minor units per currency for a certificate, a specialization month and a degree instalment.
PRICES = {
    "USD": (4900, 7900, 120000),
    "EUR": (4900, 7900, 110000),
    "GBP": (3900, 6900, 95000),
    "INR": (400000, 650000, 9000000),
    "CNY": (34900, 55900, 850000),
    "BRL": (24900, 39900, 600000),
    "CAD": (6500, 9900, 160000),
    "AUD": (7500, 11900, 180000),
    "MXN": (84900, 129900, 2000000),
}
SUBSCRIPTION_PRICES = {"monthly": 5900, "annual": 39900}  # charged in USD
_PRODUCT = {
    "verified": (0, "course_certificate"),
    "specialization": (1, "specialization"),
    "degree": (2, "degree"),
}
PRODUCT_TITLES = {
    "course_certificate": "Verified certificate",
    "specialization": "Specialization",
    "degree": "Degree instalment",
}
_REASONS = ("requested_within_window", "duplicate_charge", "course_cancelled", "goodwill")
_PROGRAMS = ("Upskilling {}", "Data Literacy {}", "Leadership Academy {}", "Graduate Programme {}")


class OrderIds:
    """Sequential order ids ORD-YYYY-NNNNNN; the year follows the order's age (cosmetic)."""

    def __init__(self, start: int) -> None:
        self.next = start

    def __call__(self, created_off: int) -> str:
        number, self.next = self.next, self.next + 1
        return f"ORD-{2026 if created_off > -300 * DAY else 2025}-{number:06d}"


def sponsors() -> list[tuple]:
    """The enterprise sponsors (id, name)."""
    return [(f"SP-{n:03d}", name) for n, name in enumerate(SPONSORS, 1)]


def _refunds(rng: random.Random, rows: Rows, order_id: str, amount: int, created: int) -> str:
    status = pick(rng, ("paid", "refunded", "partially_refunded", "failed", "pending"), (88, 5, 2, 3, 2))
    if status == "pending" and created < -3 * DAY:
        status = "paid"
    if status in ("refunded", "partially_refunded"):
        refunded = amount if status == "refunded" else amount // 2
        when = min(0, created + rng.randint(1, 20) * DAY)
        rows.add("refunds", (f"RF-{order_id[4:]}", order_id, refunded, when, rng.choice(_REASONS)))
    return status


def money(
    rng: random.Random, rows: Rows, people: list[tuple], enrolment_rows: list[tuple], titles: dict[str, str]
) -> None:
    """Orders for paid enrolments plus subscriptions, financial aid and sponsorships for some learners."""
    by_learner: dict[str, list[tuple]] = {}
    for row in enrolment_rows:
        by_learner.setdefault(row[1], []).append(row)
    sponsor_rows = sponsors()
    order_id = OrderIds(100_001)
    for lid, country, created, _status in people:
        mine = by_learner.get(lid, [])
        sponsor = None
        if rng.random() < 0.05:
            sponsor = rng.choice(sponsor_rows)
            active = rng.random() < 0.8
            until = rng.randint(30, 400) * DAY if active else -rng.randint(1, 300) * DAY
            program = rng.choice(_PROGRAMS).format(2026 if active else 2025)
            rows.add(
                "sponsorships",
                (
                    f"SPN-{lid[2:]}",
                    lid,
                    sponsor[0],
                    f"{sponsor[1]} {program}",
                    "active" if active else "ended",
                    until,
                ),
            )
        aided = None
        paid = [e for e in mine if e[4] != "audit"]
        if paid and rng.random() < 0.06:
            aided = rng.choice(paid)
            status = pick(rng, ("approved", "pending", "rejected"), (60, 20, 20))
            applied = aided[8] - rng.randint(2, 20) * DAY
            rows.add(
                "financial_aid",
                (
                    f"FA-{lid[2:]}",
                    lid,
                    aided[2],
                    status,
                    applied,
                    None if status == "pending" else applied + rng.randint(2, 10) * DAY,
                    rng.choice((50, 75, 90, 100)),
                ),
            )
            if status != "approved":
                aided = None
        currency = country.currency
        for enrolment in paid:
            price_index, kind = _PRODUCT[enrolment[4]]
            amount, when = PRICES[currency][price_index], enrolment[8] + rng.randint(1, 50) * 60
            payer, method, sponsor_id = "self", pick(rng, ("card", "paypal"), (75, 25)), None
            if sponsor is not None:
                payer, method, sponsor_id = "enterprise", "invoice", sponsor[0]
            elif aided is enrolment:
                payer, method, amount = "financial_aid", "card", amount // 10
            oid = order_id(when)
            status = _refunds(rng, rows, oid, amount, when)
            rows.add(
                "orders",
                (
                    oid,
                    lid,
                    when,
                    status,
                    amount,
                    currency,
                    kind,
                    enrolment[2],
                    enrolment[0],
                    f"{PRODUCT_TITLES[kind]}: {titles[enrolment[2]]}",
                    payer,
                    sponsor_id,
                    method,
                ),
            )
        if rng.random() < 0.07:
            subscription(rng, rows, lid, created, order_id)


def subscription(rng: random.Random, rows: Rows, lid: str, created: int, order_id: OrderIds) -> None:
    """A monthly or annual plan with its latest renewal orders."""
    plan = pick(rng, ("monthly", "annual"), (70, 30))
    status = pick(rng, ("active", "past_due", "cancelled"), (70, 10, 20))
    period = 30 if plan == "monthly" else 365
    started = max(created + DAY, -rng.randint(30, 700) * DAY)
    cancelled = None
    if status == "active":
        end = rng.randint(1, period) * DAY
    elif status == "past_due":
        end = -rng.randint(1, 10) * DAY
    else:
        cancelled = max(started + DAY, -rng.randint(1, 200) * DAY)
        end = cancelled + rng.randint(0, period) * DAY
    amount = SUBSCRIPTION_PRICES[plan]
    rows.add("subscriptions", (f"SUB-{lid[2:]}", lid, plan, status, started, end, cancelled, amount, "USD"))
    title = f"Subscription ({plan})"
    if status == "past_due":  # the renewal at the end of the period was declined
        rows.add(
            "orders",
            (
                order_id(end),
                lid,
                end + HOUR,
                "failed",
                amount,
                "USD",
                "subscription",
                None,
                None,
                title,
                "self",
                None,
                "card",
            ),
        )
    renewal = end - period * DAY
    for _ in range(3):
        if renewal < started:
            break
        when = renewal + rng.randint(0, 6) * HOUR
        rows.add(
            "orders",
            (
                order_id(when),
                lid,
                when,
                "paid",
                amount,
                "USD",
                "subscription",
                None,
                None,
                title,
                "self",
                None,
                "card",
            ),
        )
        renewal -= period * DAY
