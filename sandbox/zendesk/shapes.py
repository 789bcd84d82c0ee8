"""Database rows -> Zendesk's JSON shapes (tickets, users, identities, metrics, ratings, events)."""
from __future__ import annotations

import sqlite3

from sandbox.zendesk.texts import AGENT_REPLIES, INTERNAL_NOTE, REQUESTER_FOLLOW_UPS, render
from sandbox.zendesk.timeutil import iso

METRIC_ID_OFFSET = 7_000_000
VIA_NAMES = {"email": "Mail", "web": "Web form", "chat": "Chat", "api": "API"}
SUPPORT_ADDRESS = "support@demo.example"
RATING_COMMENTS = {"good": "Quick and helpful, thank you!", "bad": "It took far too long to get an answer."}


def _minutes(calendar: int | None, business: int | None) -> dict:
    return {"calendar": calendar, "business": business}


def ticket_text(row: sqlite3.Row) -> tuple[str, str]:
    """Subject and description: stored for demo tickets, rendered for generated ones."""
    if row["subject"] is not None:
        return row["subject"], row["description"]
    return render(row["topic"], row["lang"], row["variant"], row["course_n"], row["order_n"],
                  row["created_at"])


def ticket(row: sqlite3.Row, root: str, touched: dict[int, int],
           requesters: dict[int, int] | None = None) -> dict:
    """A Zendesk ticket; `rating_score`/`rating_id` come from the joined ratings row if any;
    `requesters` holds the requester saved through the API (ticket id -> user id), if any."""
    subject, description = ticket_text(row)
    updated = touched.get(row["id"], row["updated_at"])
    score = row["rating_score"] if "rating_score" in row.keys() else None
    rating = {"score": "unoffered"} if score is None else {
        "score": score, "id": row["rating_id"],
        "comment": RATING_COMMENTS.get(score) if row["rating_id"] % 3 == 0 else None}
    return {
        "url": f"{root}/api/v2/tickets/{row['id']}.json", "id": row["id"], "external_id": None,
        "via": _via(row),
        "created_at": iso(row["created_at"]), "updated_at": iso(updated), "generated_timestamp": updated,
        "type": row["type"], "subject": subject, "raw_subject": subject, "description": description,
        "priority": row["priority"], "status": row["status"], "recipient": SUPPORT_ADDRESS,
        "requester_id": (requesters or {}).get(row["id"], row["requester_id"]),
        "submitter_id": row["submitter_id"],
        "assignee_id": row["assignee_id"], "organization_id": None, "group_id": row["group_id"],
        "collaborator_ids": [], "follower_ids": [], "email_cc_ids": [], "forum_topic_id": None,
        "problem_id": None, "has_incidents": False, "is_public": True, "due_at": None,
        "tags": row["tags"].split() if row["tags"] else [], "custom_fields": [], "fields": [],
        "satisfaction_rating": rating, "sharing_agreement_ids": [], "followup_ids": [],
        "ticket_form_id": 360000001, "brand_id": 360000001, "allow_channelback": False,
        "allow_attachments": True, "from_messaging_channel": False, "custom_status_id": None,
    }


def _via(row: sqlite3.Row) -> dict:
    """How the ticket came in: an e-mailed one names its sender (the address Zendesk made the requester
    from) and the support address; the web form, chat and API leave both empty, as in Zendesk."""
    keys = row.keys()
    if row["channel"] != "email" or "requester_email" not in keys or not row["requester_email"]:
        return {"channel": row["channel"], "source": {"from": {}, "to": {}, "rel": None}}
    return {"channel": "email", "source": {
        "from": {"address": row["requester_email"], "name": row["requester_name"]},
        "to": {"address": SUPPORT_ADDRESS, "name": "Demo Support"}, "rel": None}}


def metric(row: sqlite3.Row, root: str, touched: dict[int, int]) -> dict:
    """The ticket_metric of a ticket row (times the generator tracked; wait times are not modelled)."""
    updated = touched.get(row["id"], row["updated_at"])
    reply_cal = row["reply_cal"]
    return {
        "url": f"{root}/api/v2/ticket_metrics/{row['id'] + METRIC_ID_OFFSET}.json",
        "id": row["id"] + METRIC_ID_OFFSET, "ticket_id": row["id"],
        "created_at": iso(row["created_at"]), "updated_at": iso(updated),
        "group_stations": 1, "assignee_stations": 1 if row["assignee_id"] else 0,
        "reopens": row["reopens"], "replies": row["replies"],
        "assignee_updated_at": iso(row["latest_comment_at"]) if row["replies"] else None,
        "requester_updated_at": iso(row["created_at"]), "status_updated_at": iso(updated),
        "initially_assigned_at": iso(row["initially_assigned_at"]), "assigned_at": iso(row["assigned_at"]),
        "solved_at": iso(row["solved_at"]), "latest_comment_added_at": iso(row["latest_comment_at"]),
        "reply_time_in_minutes": _minutes(reply_cal, row["reply_bus"]),
        "reply_time_in_seconds": {"calendar": None if reply_cal is None else
                                  row["first_reply_at"] - row["created_at"]},
        "first_resolution_time_in_minutes": _minutes(row["first_res_cal"], row["first_res_bus"]),
        "full_resolution_time_in_minutes": _minutes(row["full_res_cal"], row["full_res_bus"]),
        "agent_wait_time_in_minutes": _minutes(None, None),
        "requester_wait_time_in_minutes": _minutes(None, None),
        "on_hold_time_in_minutes": _minutes(0, 0), "custom_status_updated_at": iso(updated),
    }


def user(row: sqlite3.Row, root: str) -> dict:
    """A Zendesk user."""
    return {
        "url": f"{root}/api/v2/users/{row['id']}.json", "id": row["id"], "name": row["name"],
        "email": row["email"], "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]),
        "time_zone": row["time_zone"], "iana_time_zone": row["iana_time_zone"], "phone": None,
        "shared_phone_number": None, "photo": None, "locale_id": None, "locale": row["locale"],
        "organization_id": None, "role": row["role"],
        "verified": bool(row["any_verified"]) if "any_verified" in row.keys() else True,
        "external_id": row["external_id"],
        "tags": [], "alias": "", "active": True, "shared": False, "shared_agent": False,
        "last_login_at": iso(row["updated_at"]) if row["role"] != "end-user" else None,
        "two_factor_auth_enabled": None, "signature": "", "details": "", "notes": "",
        "role_type": None, "custom_role_id": None, "moderator": row["role"] != "end-user",
        "ticket_restriction": None if row["role"] != "end-user" else "requested",
        "only_private_comments": False, "restricted_agent": False, "suspended": False,
        "default_group_id": row["default_group_id"], "report_csv": False, "user_fields": {},
    }


def identity(row: sqlite3.Row, root: str) -> dict:
    """A user identity (all identities here are e-mail addresses; see demo.py for which are verified)."""
    return {
        "url": f"{root}/api/v2/users/{row['user_id']}/identities/{row['id']}.json", "id": row["id"],
        "user_id": row["user_id"], "type": row["type"], "value": row["value"],
        "verified": bool(row["verified"]),
        "primary": bool(row["is_primary"]), "created_at": iso(row["created_at"]),
        "updated_at": iso(row["created_at"]), "undeliverable_count": 0, "deliverable_state": "deliverable",
    }


def rating(row: sqlite3.Row, root: str) -> dict:
    """A satisfaction rating."""
    score = row["score"]
    return {
        "url": f"{root}/api/v2/satisfaction_ratings/{row['id']}.json", "id": row["id"],
        "assignee_id": row["assignee_id"], "group_id": row["group_id"], "requester_id": row["requester_id"],
        "ticket_id": row["ticket_id"], "score": score, "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "comment": RATING_COMMENTS.get(score) if row["id"] % 3 == 0 else None, "reason": None, "reason_id": 0,
    }


def _comment(event: sqlite3.Row, child_id: int, via: str, body: str) -> dict:
    public = bool(event["public"])
    return {"id": child_id, "via": via, "via_reference_id": None, "type": "Comment", "event_type": "Comment",
            "comment_present": True, "comment_public": public, "public": public, "body": body,
            "html_body": f'<div class="zd-comment"><p>{body}</p></div>', "author_id": event["author_id"],
            "attachments": []}


def _change(child_id: int, via: str, field: str, value: str, previous: str | None) -> dict:
    return {"id": child_id, "via": via, "via_reference_id": None, "event_type": "Change", "type": "Change",
            "field_name": field, "value": value, "previous_value": previous}


CHANGES = {"solve": ("solved", "open"), "reopen": ("open", "solved"), "close": ("closed", "solved"),
           "delete": ("deleted", None)}


def ticket_event(event: sqlite3.Row, comments: bool) -> dict:
    """One audit of the incremental ticket events export; comments only with include=comment_events."""
    via = VIA_NAMES.get(event["channel"], "Web form") if event["kind"] == "create" else "Web form"
    base = event["id"] * 10
    children: list[dict] = []
    kind = event["kind"]
    if kind == "create":
        subject, description = ticket_text(event)
        children.append({"id": base + 1, "via": via, "via_reference_id": None, "event_type": "Create",
                         "type": "Create", "field_name": "status", "value": "new"})
        if comments:
            children.append(_comment(event, base + 2, via, description))
    elif kind in ("reply", "note", "requester", "reopen") and comments:
        texts = {"reply": AGENT_REPLIES, "requester": REQUESTER_FOLLOW_UPS, "reopen": REQUESTER_FOLLOW_UPS}
        body = texts.get(kind, {})
        children.append(_comment(event, base + 2, via, body.get(event["lang"], INTERNAL_NOTE)))
    if kind in CHANGES:
        value, previous = CHANGES[kind]
        children.append(_change(base + 3, via, "status", value, previous))
    return {
        "id": event["id"], "ticket_id": event["ticket_id"], "timestamp": event["ts"],
        "created_at": iso(event["ts"]), "updater_id": event["author_id"], "via": via,
        "system": {"client": "Mozilla/5.0", "location": None, "latitude": None, "longitude": None},
        "metadata": {}, "event_type": "Audit", "child_events": children,
    }
