"""Whose context a lookup shows: a manual search, the ticket's requester via Zendesk, or the request's."""
from __future__ import annotations

from concurrent.futures import Executor

from backend.config import Settings
from backend.deadline import Deadline
from backend.errors import BadRequest, Forbidden, SourceError
from backend.fanout import log_source_failure
from backend.lookup import Agent, LookupRequest, ManualSearch
from backend.zendesk import ZendeskClient

Identifiers = list[tuple[str, str]]


def resolve(settings: Settings, zendesk: ZendeskClient | None, executor: Executor, request: LookupRequest,
            agent: Agent, deadline: Deadline) -> tuple[Identifiers, bool, str | None]:
    """([(kind, value)] to look up, whether they came from the ticket, the Zendesk failure status if any).

    Raises BadRequest/Forbidden/NotFound for the caller's mistakes only.
    """
    claimed, sent = agent.ticket_id, request.ticket_id
    if claimed is not None and sent is not None and claimed != sent:
        raise BadRequest("ticket.id does not match the ticket the token was issued for",
                         code="ticket_mismatch")
    if request.manual is not None:
        return _manual(settings, request.manual), False, None
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
            return [], True, exc.section_status
        ids = [("email", email) for email in requester["emails"]]
        if requester["external_id"]:
            ids.append(("external_id", requester["external_id"]))
        return unique(ids), True, None
    ids = [("email", email.strip()) for email in request.emails if email and email.strip()]
    if request.external_id and request.external_id.strip():
        ids.append(("external_id", request.external_id.strip()))
    if not ids:
        raise BadRequest("give at least one identifier: requester email(s), external_id or manual_search",
                         code="no_identifier")
    return unique(ids), False, None


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
