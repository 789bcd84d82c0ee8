"""Whose context a lookup shows: a manual search, the ticket's requester via Zendesk, or the request's."""
from __future__ import annotations

from concurrent.futures import Executor
from typing import NamedTuple

from backend.config import Settings
from backend.deadline import Deadline
from backend.errors import BadRequest, Forbidden, SourceError
from backend.fanout import log_source_failure
from backend.lookup import Agent, LookupRequest, ManualSearch
from backend.zendesk import ZendeskClient

Identifiers = list[tuple[str, str]]


class Resolved(NamedTuple):
    """Whose context a lookup shows."""

    identifiers: Identifiers  # [(kind, value)] to look up
    ticket_bound: bool  # they came from the ticket (through Zendesk)
    failed: str | None = None  # the Zendesk failure status, if Zendesk could not say
    # For each ticket-bound email (lower-cased), how Zendesk vouches for it: "verified" (a verified
    # identity) or "ticket_sender" (unverified, but the ticket came from it).
    email_basis: dict[str, str] = {}  # noqa: RUF012 - a NamedTuple default, never mutated
    # {"ticket_id", "zendesk_user_id"}: the requester the ticket has in Zendesk (its saved state), so the
    # app can tell it from a requester the agent picked but has not saved yet. None unless ticket-bound.
    requester: dict | None = None


def resolve(settings: Settings, zendesk: ZendeskClient | None, executor: Executor, request: LookupRequest,
            agent: Agent, deadline: Deadline) -> Resolved:
    """The identifiers to look up and where they came from. Raises BadRequest/Forbidden/NotFound for
    the caller's mistakes only."""
    claimed, sent = agent.ticket_id, request.ticket_id
    if claimed is not None and sent is not None and claimed != sent:
        raise BadRequest("ticket.id does not match the ticket the token was issued for",
                         code="ticket_mismatch")
    if request.manual is not None:
        return Resolved(_manual(settings, request.manual), False)
    if settings.ticket_bound_active and zendesk is not None:
        bound_ticket = ticket_id(agent, request)
        if bound_ticket is None:
            raise BadRequest("ticket-bound mode needs the ticket id (token claim ticket_id)",
                             code="ticket_required")
        try:
            requester = zendesk.requester(bound_ticket, deadline, executor, request.refresh)
        except SourceError as exc:
            log_source_failure(exc, "ticket requester")
            # Never fall back to the browser's identifiers: that is exactly what binding prevents.
            return Resolved([], True, exc.section_status)
        ids = [("email", email) for email in requester["emails"]]
        if requester["external_id"]:
            ids.append(("external_id", requester["external_id"]))
        sender = (requester.get("ticket_sender") or "").lower()  # absent from entries cached before it
        basis = {email.lower(): "ticket_sender" if email.lower() == sender else "verified"
                 for email in requester["emails"]}
        return Resolved(unique(ids), True, None, basis,
                        {"ticket_id": requester["ticket_id"], "zendesk_user_id": requester["user_id"]})
    ids = [("email", email.strip()) for email in request.emails if email and email.strip()]
    if request.external_id and request.external_id.strip():
        ids.append(("external_id", request.external_id.strip()))
    if not ids:
        raise BadRequest("give at least one identifier: requester email(s), external_id or manual_search",
                         code="no_identifier")
    return Resolved(unique(ids), False)


def ticket_id(agent: Agent, request: LookupRequest) -> int | None:
    """The ticket a lookup concerns: the token's claim, else the body's ticket.id (resolve checks both)."""
    return agent.ticket_id if agent.ticket_id is not None else request.ticket_id


def _manual(settings: Settings, manual: ManualSearch) -> Identifiers:
    # manual.kind is email, learner_id or order_id: the request schema (OneOf) refuses any other.
    if not settings.manual_search:
        raise Forbidden("manual search is switched off by the administrator", code="manual_search_off")
    value = manual.value.strip()
    if not value:
        raise BadRequest("manual_search.value is empty", code="no_identifier")
    return [(manual.kind, value)]


def unique(ids: Identifiers) -> Identifiers:
    """Drop repeated identifiers (emails compared case-insensitively), keeping the first order."""
    seen: set[tuple[str, str]] = set()
    out = []
    for kind, value in ids:
        key = (kind, value.lower() if kind == "email" else value)
        if key not in seen:
            seen.add(key)
            out.append((kind, value))
    return out
