"""What the answer says about the whole ticket: Zendesk routing tags and links of the ids it names."""
from __future__ import annotations

import re

_TAG_UNSAFE = re.compile(r"[^a-z0-9_]+")


def tag(*parts: str) -> str:
    """A Zendesk-safe tag: lc_ prefix, lower case, [a-z0-9_] only."""
    return "lc_" + _TAG_UNSAFE.sub("_", "_".join(parts).lower()).strip("_")


def suggested_tags(matches: list[dict], learner_section_ok: bool) -> list[str]:
    """lc_-prefixed routing tags for the whole answer, sorted and unique."""
    tags: set[str] = set()
    if not matches:
        if learner_section_ok:
            tags.add("lc_not_found")
        return sorted(tags)
    if len(matches) > 1:
        tags.add("lc_multiple_accounts")
    for match in matches:
        learner = match.get("learner") or {}
        if learner.get("language"):
            tags.add(tag("lang", learner["language"]))
        if learner.get("status") in ("erased", "suspended"):
            tags.add(tag(learner["status"]))
        if any(p.get("status") in ("paid", "partially_refunded") for p in match.get("payments") or []):
            tags.add("lc_paid")
        payer_kind = (match.get("payer") or {}).get("kind")
        if payer_kind in ("enterprise", "financial_aid"):
            tags.add(tag(payer_kind))
        codes = {flag["code"] for flag in match.get("flags") or []}
        if "subscription_past_due" in codes:
            tags.add("lc_past_due")
        if "refund_eligible" in codes:
            tags.add("lc_refund_eligible")
    return sorted(tags)


def link_references(references: list[dict], matches: list[dict],
                    orders_by_id: dict[str, dict | None] | None = None,
                    statuses: dict[str, str] | None = None) -> list[dict]:
    """Each detected id joined to the learner/enrolment/order it names among the matches.

    orders_by_id holds the orders asked for by the referenced id (beyond the capped payment lists),
    None for an id the payments system does not know; they link only when they belong to one of the
    matched learners. statuses is each section's status. "checked" says whether a miss is a verdict:
    false when a section it links through failed or its list was capped (the id may lie beyond it).
    """
    orders_by_id, statuses = orders_by_id or {}, statuses or {}
    linked = []
    for ref in references:
        out = {"kind": ref["kind"], "value": ref["value"], "learner_id": None, "enrolment_id": None,
               "order_id": None, "matched": False, "checked": True}
        for match in matches:
            learner_id = (match.get("learner") or {}).get("id")
            hit = _link_one(ref, match, orders_by_id)
            if hit is not None:
                out.update(hit, learner_id=learner_id, matched=True)
                break
        else:
            out["checked"] = _miss_is_certain(ref, matches, orders_by_id, statuses)
        linked.append(out)
    return linked


# The sections whose records a reference links through; a course URL's slug comes from the catalogue.
_LINKED_THROUGH = {"learner": ("learner",), "order": ("payments",), "course": ("enrolments",)}


def _miss_is_certain(ref: dict, matches: list[dict], orders_by_id: dict[str, dict | None],
                     statuses: dict[str, str]) -> bool:
    kind = ref["kind"]
    through = _LINKED_THROUGH.get(kind, ()) + (("courses",) if ref.get("by") == "slug" else ())
    # A failed learner lookup may have missed the very account the id belongs to.
    if any(statuses.get(section, "ok") != "ok" for section in ("learner", *through)):
        return False
    if kind == "order" and ref["value"] in orders_by_id:
        return True  # asked for by its id: whoever it belongs to, or nobody, is known
    capped = {"order": ("payments", "payments_total"), "course": ("enrolments", "enrolments_total")}.get(kind)
    if capped is None:
        return True
    items, total = capped
    return not any(len(m.get(items) or []) < (m.get(total) or 0) for m in matches)


def _link_one(ref: dict, match: dict, orders_by_id: dict[str, dict]) -> dict | None:
    kind, value = ref["kind"], ref["value"]
    if kind == "learner":
        return {} if (match.get("learner") or {}).get("id") == value else None
    if kind == "order":
        for payment in match.get("payments") or []:
            if payment.get("id") == value:
                return {"order_id": value, "enrolment_id": (payment.get("product") or {}).get("enrolment_id")}
        fetched = orders_by_id.get(value)
        if fetched and fetched.get("learner_id") == (match.get("learner") or {}).get("id"):
            return {"order_id": value, "enrolment_id": (fetched.get("product") or {}).get("enrolment_id")}
        return None
    field = "slug" if ref.get("by") == "slug" else "id"
    for enrolment in match.get("enrolments") or []:
        if (enrolment.get("course") or {}).get(field) == value:
            course_id = enrolment["course"].get("id")
            order = next((p for p in match.get("payments") or []
                          if (p.get("product") or {}).get("enrolment_id") == enrolment.get("id")
                          or (p.get("product") or {}).get("course_id") == course_id), None)
            return {"enrolment_id": enrolment.get("id"), "order_id": order.get("id") if order else None}
    return None
