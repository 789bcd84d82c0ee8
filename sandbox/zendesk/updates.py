"""PUT /api/v2/tickets/{id}.json: saving a ticket's requester, as the agent workspace does on submit.

Only `requester_id` is modelled (what the local ticket page saves). The change lives in memory
(`State.requesters`): zendesk.db stays as generated, and DELETE /_sandbox/zendesk/edits undoes it.
"""
from __future__ import annotations

import time

import flask

from sandbox.zendesk.api import MAX_INT, ApiError, api, db, record_not_found, state
from sandbox.zendesk.demo import API_USER_ID
from sandbox.zendesk.routes import TICKET_SELECT, ticket_shapes
from sandbox.zendesk.timeutil import iso


def _invalid(field: str, description: str) -> ApiError:
    """Zendesk's 422 for a value it refuses: RecordInvalid with details per field."""
    return ApiError(422, "RecordInvalid", "Record validation errors",
                    {field: [{"description": description, "error": "InvalidValue"}]})


def _requester_id() -> int:
    body = flask.request.get_json(silent=True)
    ticket = body.get("ticket") if isinstance(body, dict) else None
    if not isinstance(ticket, dict):
        raise ApiError(400, "InvalidValue", 'body must be {"ticket": {...}}')
    other = sorted(set(ticket) - {"requester_id"})
    if other:
        raise ApiError(400, "InvalidValue", f"the sandbox updates only requester_id, not {', '.join(other)}")
    value = ticket.get("requester_id")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_INT:
        raise _invalid("requester", "Requester is invalid")
    return value


@api.put("/tickets/<int:ticket_id>.json")
def update_ticket(ticket_id: int) -> flask.Response:
    """{"ticket": {"requester_id": N}} → {"ticket": {...}, "audit": {...}} with a requester_id Change."""
    user_id = _requester_id()
    current = state()
    with db() as conn:
        row = conn.execute(f"{TICKET_SELECT} WHERE t.id = ? AND t.status != 'deleted'",
                           [ticket_id]).fetchone()
        if row is None:
            raise record_not_found()
        if conn.execute("SELECT 1 FROM users WHERE id = ?", [user_id]).fetchone() is None:
            raise _invalid("requester", "Requester is invalid")
    previous = current.requesters_snapshot().get(ticket_id, row["requester_id"])
    current.save_requester(ticket_id, user_id, row["updated_at"])
    ticket = ticket_shapes([row])[0]
    audit = {"id": int(time.time() * 1000), "ticket_id": ticket_id, "created_at": iso(int(time.time())),
             "author_id": API_USER_ID, "via": {"channel": "api"},
             "events": [{"type": "Change", "field_name": "requester_id", "value": user_id,
                         "previous_value": previous}]}
    return flask.jsonify({"ticket": ticket, "audit": audit})
