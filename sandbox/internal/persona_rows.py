"""Rows of the seven personas, with the exact facts the demo tickets, docs and tests rely on."""

from __future__ import annotations

import random

from sandbox.internal import personas as p
from sandbox.internal.commerce import PRICES, PRODUCT_TITLES
from sandbox.internal.people import Rows, enrolment, pick
from sandbox.internal.personas import DAY, at
from sandbox.internal.schema import email_hash

# Compact on purpose: one persona fact per line reads better than one argument per line.


def _learner(rows: Rows, lid: str, name: str, emails: list[str], country: str, language: str, zone: str,
             created: int, external_id: str | None = None) -> None:
    rows.add("learners", (lid, external_id, name, emails[0], country, language, zone, "active", created,
                          None))
    for position, email in enumerate(emails):
        rows.add("learner_emails", (lid, position, email, email_hash(email)))


def _enrol(rows: Rows, eid: str, lid: str, cid: str, seq: int, track: str, status: str, progress: int,
           grade: int | None, enrolled: int, last: int, cert: str, issued: int | None = None,
           code: str | None = None) -> None:
    session_id = f"S-{cid[2:]}-{seq}"
    rows.add("enrolments", (eid, lid, cid, session_id, track, status, progress, grade, enrolled, last, cert,
                            issued, code))


def _order(rows: Rows, oid: str, lid: str, created: int, status: str, cents: int, currency: str, kind: str,
           cid: str | None, eid: str | None, payer: str = "self", sponsor: str | None = None,
           method: str = "card") -> None:
    title = f"{PRODUCT_TITLES[kind]}: {p.PERSONA_COURSES[cid][0]}" if cid else "Subscription (monthly)"
    rows.add("orders", (oid, lid, created, status, cents, currency, kind, cid, eid, title, payer, sponsor,
                        method))


def amelie_wei_sam(rows: Rows) -> None:
    """Amélie (refundable recent order, earned certificate), Wei's two accounts, Sam (enterprise)."""
    _learner(rows, p.AMELIE_ID, "Amélie Durand", [p.AMELIE_EMAIL], "FR", "fr", "Europe/Paris", at(-400, 18))
    _enrol(rows, p.AMELIE_RECENT_ENROLMENT_ID, p.AMELIE_ID, "C-0042", 3, "verified", "active", 8, None,
           at(-5, 9, 40), at(-1, 20, 15), "in_progress")
    _enrol(rows, p.AMELIE_COMPLETED_ENROLMENT_ID, p.AMELIE_ID, "C-0107", 1, "verified", "completed", 100, 91,
           at(-172, 10), at(-111, 19), "earned", at(-108, 6), p.AMELIE_CERTIFICATE_CODE)
    _enrol(rows, p.AMELIE_ACTIVE_ENROLMENT_ID, p.AMELIE_ID, "C-0233", 2, "verified", "active", 55, 78,
           at(-50, 14), at(-2, 21, 5), "in_progress")
    _order(rows, p.AMELIE_RECENT_ORDER_ID, p.AMELIE_ID, at(-5, 9, 42), "paid", 4900, "EUR",
           "course_certificate", "C-0042", p.AMELIE_RECENT_ENROLMENT_ID)
    _order(rows, "ORD-2026-001375", p.AMELIE_ID, at(-172, 10, 3), "paid", 4900, "EUR", "course_certificate",
           "C-0107", p.AMELIE_COMPLETED_ENROLMENT_ID, method="paypal")
    _order(rows, "ORD-2026-002980", p.AMELIE_ID, at(-50, 14, 2), "paid", 4900, "EUR", "course_certificate",
           "C-0233", p.AMELIE_ACTIVE_ENROLMENT_ID)

    _learner(rows, p.WEI_ID, "张伟", [p.WEI_EMAIL], "CN", "zh", "Asia/Shanghai", at(-700, 3))
    _enrol(rows, "E-1000021", p.WEI_ID, "C-0318", 1, "verified", "completed", 100, 84, at(-330, 2),
           at(-253, 13), "earned", at(-249, 1), "VC-ZW88-K2PQ")
    _order(rows, "ORD-2025-000881", p.WEI_ID, at(-330, 2, 4), "paid", 34900, "CNY", "course_certificate",
           "C-0318", "E-1000021", method="paypal")
    _learner(rows, p.WEI_WORK_ID, "Wei Zhang", [p.WEI_WORK_EMAIL], "CN", "en", "Asia/Shanghai", at(-200, 8))
    _enrol(rows, "E-1000031", p.WEI_WORK_ID, "C-0319", 2, "specialization", "active", 35, 72, at(-58, 8),
           at(-6, 12), "in_progress")
    rows.add("subscriptions", (p.WEI_SUBSCRIPTION_ID, p.WEI_WORK_ID, "monthly", "past_due", at(-200, 8),
                               at(-3, 8), None, 5900, "USD"))
    _order(rows, p.WEI_FAILED_ORDER_ID, p.WEI_WORK_ID, at(-3, 8, 5), "failed", 5900, "USD", "subscription",
           None, None)
    for month in range(1, 7):  # the six renewals before the declined one
        _order(rows, f"ORD-2026-0055{30 - month:02d}", p.WEI_WORK_ID, at(-3 - 30 * month, 8, 5), "paid", 5900,
               "USD", "subscription", None, None)

    _learner(rows, p.SAM_ID, "Sam Taylor", [p.SAM_EMAIL], "GB", "en", "Europe/London", at(-90, 9),
             p.SAM_EXTERNAL_ID)
    rows.add("sponsorships", (p.SAM_SPONSORSHIP_ID, p.SAM_ID, p.SAM_SPONSOR_ID, "Globex Upskilling 2026",
                              "active", at(200)))
    _enrol(rows, p.SAM_ENROLMENT_ID, p.SAM_ID, "C-0505", 2, "verified", "active", 62, 81, at(-25, 9),
           at(-1, 17, 30), "in_progress")
    _enrol(rows, "E-1000042", p.SAM_ID, "C-0512", 1, "verified", "completed", 100, 88, at(-89, 9),
           at(-46, 16), "earned", at(-44, 6), "VC-ST41-GLBX")
    for oid, when, cid, eid in ((p.SAM_ORDER_ID, at(-25, 9, 1), "C-0505", p.SAM_ENROLMENT_ID),
                                ("ORD-2026-002045", at(-89, 9, 1), "C-0512", "E-1000042")):
        _order(rows, oid, p.SAM_ID, when, "paid", 3900, "GBP", "course_certificate", cid, eid, "enterprise",
               p.SAM_SPONSOR_ID, "invoice")


def priya_erased(rows: Rows) -> None:
    """Priya (approved financial aid, audit and verified) and the erased account."""
    _learner(rows, p.PRIYA_ID, "Priya Raman", [p.PRIYA_EMAIL], "IN", "en", "Asia/Kolkata", at(-300, 5))
    rows.add("financial_aid", (p.PRIYA_AID_ID, p.PRIYA_ID, p.PRIYA_AID_COURSE_ID, "approved", at(-40, 6),
                               at(-33, 11), 90))
    _enrol(rows, "E-1000051", p.PRIYA_ID, "C-0777", 2, "verified", "active", 30, 74, at(-31, 6), at(-1, 15),
           "in_progress")
    _enrol(rows, "E-1000052", p.PRIYA_ID, "C-0778", 1, "audit", "active", 12, None, at(-19, 7), at(-4, 16),
           "not_eligible")
    _enrol(rows, "E-1000053", p.PRIYA_ID, "C-0779", 1, "audit", "completed", 100, 77, at(-241, 6),
           at(-183, 15), "not_eligible")
    _enrol(rows, "E-1000054", p.PRIYA_ID, "C-0780", 1, "verified", "completed", 100, 93, at(-231, 6),
           at(-173, 15), "earned", at(-169, 4), "VC-PR93-STAT")
    _order(rows, p.PRIYA_AID_ORDER_ID, p.PRIYA_ID, at(-31, 6, 5), "paid", 40000, "INR", "course_certificate",
           "C-0777", "E-1000051", "financial_aid")
    _order(rows, "ORD-2026-000512", p.PRIYA_ID, at(-231, 6, 5), "paid", 400000, "INR", "course_certificate",
           "C-0780", "E-1000054")

    rows.add("learners", (p.ERASED_ID, None, None, None, None, None, None, "erased", None, at(-30, 10)))
    rows.add("learner_emails", (p.ERASED_ID, 0, None, email_hash(p.ERASED_EMAIL)))


def heavy(rng: random.Random, rows: Rows, sessions: list[tuple], deadlines_by_session: dict[str, list[tuple]],
          titles: dict[str, str]) -> None:
    """heavy.learner@example.com: 300 enrolments in distinct courses and 1,000 orders over three years."""
    _learner(rows, p.HEAVY_ID, "Alex Morgan", [p.HEAVY_EMAIL], "US", "en", "America/New_York", at(-1_500, 15))
    by_course: dict[str, tuple] = {}
    for session in sessions:
        if session[3] <= 30 * DAY and session[1] not in p.PERSONA_COURSES:
            by_course[session[1]] = session  # the latest session that has started or starts soon
    enrolments = []
    for n, cid in enumerate(rng.sample(sorted(by_course), p.HEAVY_ENROLMENTS), 1):
        session = by_course[cid]
        track = rng.choice(("audit", "verified", "verified", "specialization"))
        row, extensions = enrolment(rng, f"E-{2_000_000 + n:07d}", p.HEAVY_ID, session, track, at(-1_500, 15),
                                    deadlines_by_session.get(session[0], []))
        rows.add("enrolments", row)
        for extension in extensions:
            rows.add("extensions", extension)
        enrolments.append(row)
    price = PRICES["USD"][0]
    for n in range(1, p.HEAVY_ORDERS + 1):
        course_id = enrolments[n % len(enrolments)][2]
        when = -rng.randint(1, 1_095) * DAY - rng.randint(0, 86_000)
        status = pick(rng, ("paid", "refunded", "failed"), (92, 4, 4))
        oid = f"ORD-{2026 if when > -300 * DAY else 2025}-{900_000 + n:06d}"
        rows.add("orders", (oid, p.HEAVY_ID, when, status, price, "USD", "course_certificate", course_id,
                            None, f"Gift certificate: {titles[course_id]}", "self", None, "card"))
        if status == "refunded":
            rows.add("refunds", (f"RF-{oid[4:]}", oid, price, min(0, when + 3 * DAY), "goodwill"))
