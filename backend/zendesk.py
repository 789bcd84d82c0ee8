"""The Zendesk Support API, for ticket-bound mode: ticket → requester → email identities, briefly cached."""
from __future__ import annotations

from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any

from backend.cache import Cache, cache_key
from backend.deadline import Deadline
from backend.errors import NotFound, SourceTimeout
from backend.sources.http import SourceClient
from backend.sources.shapes import shape_error

SYSTEM = "zendesk"


class ZendeskClient:
    """Resolves the requester of a ticket through the Zendesk API (API-token basic auth)."""

    def __init__(self, settings: Any, cache: Cache):
        self.cache = cache
        self.ttl_s = settings.zendesk_cache_ttl_s
        self.http = SourceClient(
            SYSTEM, settings.zendesk_url.rstrip("/") + "/api/v2",
            auth=(f"{settings.zendesk_email}/token", settings.zendesk_api_token),
            pool_size=settings.pool_size, call_timeout_ms=settings.call_timeout_ms, retries=settings.retries,
            breaker_failures=settings.breaker_failures, breaker_reset_s=settings.breaker_reset_s)

    def requester(self, ticket_id: int, deadline: Deadline, executor: Executor,
                  refresh: bool = False) -> dict:
        """{"ticket_id", "user_id", "emails", "external_id", "ticket_sender"} of the ticket's requester;
        ticket_sender is the one address in emails taken though unverified, because the ticket was
        e-mailed from it (None if none was).

        Raises NotFound when Zendesk does not know the ticket (or its requester); SourceError when
        Zendesk cannot be asked. The short TTL bounds how long a changed requester goes unnoticed.
        """
        key = cache_key(SYSTEM, "requester", str(ticket_id))
        if not refresh:
            hit = self.cache.get(key)
            if isinstance(hit, dict):
                return hit
        # On the executor, each waited for only until the deadline: the request's own thread never
        # waits longer, whatever a slow Zendesk does to one read (a trickled status line included).
        ticket = _within(deadline, executor.submit(self.http.get, f"/tickets/{int(ticket_id)}.json", None,
                                                   deadline, allow_404=True))
        if ticket is None:
            raise NotFound(f"ticket {int(ticket_id)} does not exist in Zendesk", code="ticket_not_found")
        requester_id = _field(ticket, "ticket", "requester_id")
        if not isinstance(requester_id, int):
            raise shape_error(SYSTEM, "ticket without requester_id")
        # The user and its identities are independent: ask for both at once.
        user_call = executor.submit(self.http.get, f"/users/{requester_id}.json", None, deadline,
                                    allow_404=True)
        identities_call = executor.submit(self.http.get, f"/users/{requester_id}/identities.json", None,
                                          deadline, allow_404=True)
        user, identities = _within(deadline, user_call), _within(deadline, identities_call)
        if user is None or identities is None:
            raise NotFound(f"requester of ticket {int(ticket_id)} does not exist in Zendesk",
                           code="requester_not_found")
        resolved = _requester(int(ticket_id), requester_id, ticket, user, identities)
        self.cache.set(key, resolved, ttl_s=self.ttl_s)
        return resolved

    def probe(self, deadline: Deadline) -> None:
        """One cheap authenticated call for readiness: the API user itself (it proves the credentials
        too). Each probe costs one call of Zendesk's rate limit: /readyz remembers its result."""
        self.http.probe("/users/me.json", None, deadline)

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()


def _within(deadline: Deadline, call: Future) -> Any:
    """The call's result, or SourceTimeout once the deadline (and a moment for the call's own
    timeout to report first) has passed."""
    try:
        return call.result(timeout=deadline.remaining() + 0.1)
    except FuturesTimeout:
        call.cancel()
        raise SourceTimeout(SYSTEM, "Zendesk did not answer before the deadline") from None


def _field(payload: Any, wrapper: str, name: str) -> Any:
    if not isinstance(payload, dict) or not isinstance(payload.get(wrapper), dict):
        raise shape_error(SYSTEM, f"answer without {wrapper!r} object")
    return payload[wrapper].get(name)


def _sender(ticket: Any) -> str | None:
    """The address an e-mailed ticket came from (via.source.from.address), else None."""
    via = ticket["ticket"].get("via")
    if not isinstance(via, dict) or via.get("channel") != "email" or not isinstance(via.get("source"), dict):
        return None
    sender = via["source"].get("from")
    address = sender.get("address") if isinstance(sender, dict) else None
    return address.strip().lower() if isinstance(address, str) and address.strip() else None


def _requester(ticket_id: int, user_id: int, ticket: Any, user: Any, identities: Any) -> dict:
    """Verified email identities, the primary first, and the unverified one the ticket was e-mailed from.

    Anyone can add an unverified address to a Zendesk profile, so in general it proves nothing about
    who the requester is. But with Zendesk's default settings (anybody can submit tickets, no
    registration or verification) a person who e-mails support gets a user made from the sender's
    address, unverified until they register: that one address is how this requester came to be, so
    it is taken, and marked (ticket_sender). The user's `email` is its primary identity's value, so
    it counts only as that identity does."""
    if not isinstance(identities, dict) or not isinstance(identities.get("identities"), list):
        raise shape_error(SYSTEM, "identities answer without a list")
    sender = _sender(ticket)
    taken = [(identity, identity.get("verified") is True) for identity in identities["identities"]
             if isinstance(identity, dict) and identity.get("type") == "email"
             and isinstance(identity.get("value"), str) and identity["value"]]
    taken = [(identity, verified) for identity, verified in taken
             if verified or identity["value"].strip().lower() == sender]
    verified_values = {identity["value"].lower() for identity, verified in taken if verified}
    emails: list[str] = []
    ticket_sender = None
    for identity, _verified in sorted(taken, key=lambda pair: pair[0].get("primary") is not True):
        value = identity["value"]
        if value.lower() not in (e.lower() for e in emails):
            emails.append(value)
            if value.lower() not in verified_values:
                ticket_sender = value
    external_id = _field(user, "user", "external_id")
    return {"ticket_id": ticket_id, "user_id": user_id, "emails": emails,
            "external_id": external_id if isinstance(external_id, str) and external_id else None,
            "ticket_sender": ticket_sender}
