"""Zendesk JSON objects to warehouse rows (pure; only the fields the jobs use, no requester PII)."""
from __future__ import annotations

from datetime import UTC, datetime

from insights.warehouse import parse_time


def _minutes(value: object) -> int | None:
    """The calendar minutes of a Zendesk metric ({"calendar": n, "business": m}) or a bare number."""
    if isinstance(value, dict):
        value = value.get("calendar")
    return int(value) if isinstance(value, int | float) else None


def _time(value: object) -> datetime | None:
    """An ISO string or Unix seconds as naive UTC."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
    return parse_time(value) if isinstance(value, str) else None


def ticket(t: dict) -> dict:
    """A ticket row; Zendesk marks deleted tickets in the export with status "deleted"."""
    status = t.get("status")
    return {
        "id": int(t["id"]),
        "created_at": _time(t.get("created_at")),
        "updated_at": _time(t.get("updated_at")),
        "status": status,
        "channel": (t.get("via") or {}).get("channel"),
        "requester_id": t.get("requester_id"),
        "assignee_id": t.get("assignee_id"),
        "group_id": t.get("group_id"),
        "priority": t.get("priority"),
        "tags": " ".join(t.get("tags") or []),
        "deleted": status == "deleted",
    }


def position(t: dict) -> datetime | None:
    """Where a ticket sits in the incremental stream: its generated_timestamp (Zendesk orders the export by
    it), else its updated_at, which is never later."""
    return _time(t.get("generated_timestamp")) or _time(t.get("updated_at"))


def metric(m: dict) -> dict:
    """A ticket_metrics row (one per ticket)."""
    return {
        "ticket_id": int(m["ticket_id"]),
        "id": m.get("id"),
        "replies": m.get("replies"),
        "reopens": m.get("reopens"),
        "first_reply_min": _minutes(m.get("reply_time_in_minutes")),
        "full_resolution_min": _minutes(m.get("full_resolution_time_in_minutes")),
        "solved_at": _time(m.get("solved_at")),
        "updated_at": _time(m.get("updated_at")),
    }


def comments(event: dict) -> list[dict]:
    """The comment rows inside one ticket event (its child events of type Comment)."""
    out = []
    for child in event.get("child_events") or []:
        if (child.get("event_type") or child.get("type")) != "Comment" or child.get("id") is None:
            continue
        out.append({
            "id": int(child["id"]),
            "ticket_id": event.get("ticket_id"),
            "author_id": child.get("author_id") or event.get("updater_id"),
            "public": bool(child.get("public")),
            "created_at": _time(child.get("created_at") or event.get("created_at") or event.get("timestamp")),
        })
    return out


def rating(r: dict) -> dict:
    """A satisfaction rating row (the comment text is left in Zendesk)."""
    return {
        "id": int(r["id"]),
        "ticket_id": r.get("ticket_id"),
        "assignee_id": r.get("assignee_id"),
        "score": r.get("score"),
        "created_at": _time(r.get("created_at")),
        "updated_at": _time(r.get("updated_at")),
    }


def agent(u: dict) -> dict:
    """An agent row: id, display name and role (the e-mail stays in Zendesk)."""
    return {
        "id": int(u["id"]),
        "name": u.get("name"),
        "role": u.get("role"),
        "active": bool(u.get("active", True)),
        "updated_at": _time(u.get("updated_at")),
    }
