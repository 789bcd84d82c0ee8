"""The page's ticket data, read server side from the (sandbox's) Zendesk API with API-token auth."""
from __future__ import annotations

import base64

import requests

DEMO_TICKET_IDS = tuple(range(1001, 1008))
TIMEOUT_S = 5.0


class TicketUnavailable(Exception):
    """The Zendesk API did not give the ticket (unknown id, down, or not a Zendesk answer)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class ZendeskReader:
    """Reads tickets, their requester and identities in Zendesk's own shapes."""

    def __init__(self, base_url: str, email: str, token: str, session: requests.Session):
        self.base_url = base_url.rstrip("/")
        raw = f"{email}/token:{token}".encode()
        self._auth = "Basic " + base64.b64encode(raw).decode()
        self.session = session

    def _get(self, path: str, params: dict | None = None) -> dict:
        return self._call("GET", path, params=params)

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            resp = self.session.request(method, self.base_url + path, headers={"Authorization": self._auth},
                                        timeout=TIMEOUT_S, **kwargs)
        except requests.RequestException:
            raise TicketUnavailable(502, "the Zendesk API could not be reached") from None
        if resp.status_code == 404:
            raise TicketUnavailable(404, "no such ticket")
        if resp.status_code == 422:
            raise TicketUnavailable(422, "Zendesk refused that requester")
        if resp.status_code != 200:
            raise TicketUnavailable(502, f"the Zendesk API answered {resp.status_code}")
        try:
            return resp.json()
        except ValueError:
            raise TicketUnavailable(502, "the Zendesk API answered something that is not JSON") from None

    def summaries(self) -> list[dict]:
        """The demo tickets for the picker: id, subject, requester name (skips unreadable ones)."""
        out = []
        for ticket_id in DEMO_TICKET_IDS:
            try:
                ticket = self._get(f"/api/v2/tickets/{ticket_id}.json")["ticket"]
            except (TicketUnavailable, KeyError, TypeError):
                continue
            out.append({"id": ticket["id"], "subject": ticket.get("subject") or ""})
        return out

    def ticket(self, ticket_id: int) -> dict:
        """One ticket with its requester (user + identities), as the ZAF host needs it."""
        try:
            ticket = self._get(f"/api/v2/tickets/{ticket_id}.json")["ticket"]
            requester = self.requester(ticket["requester_id"])
        except (KeyError, TypeError):
            raise TicketUnavailable(502, "the Zendesk API answered an unexpected shape") from None
        return {
            "ticket": {k: ticket.get(k) for k in ("id", "subject", "description", "tags", "status",
                                                  "created_at", "updated_at")},
            "requester": requester,
        }

    def requester(self, user_id: int) -> dict:
        """A user with its identities, in ZAF's ticket.requester shape."""
        try:
            user = self._get(f"/api/v2/users/{int(user_id)}.json")["user"]
            identities = self._get(f"/api/v2/users/{user['id']}/identities.json").get("identities", [])
        except (KeyError, TypeError, ValueError):
            raise TicketUnavailable(502, "the Zendesk API answered an unexpected shape") from None
        return {
            "id": user.get("id"), "name": user.get("name"), "email": user.get("email"),
            "externalId": user.get("external_id"), "locale": user.get("locale"),
            "identities": [{"id": i.get("id"), "type": i.get("type"), "value": i.get("value"),
                            "primary": i.get("primary"), "verified": i.get("verified")}
                           for i in identities if isinstance(i, dict)],
        }

    def find_user(self, email: str) -> dict:
        """The user with that email address, in ZAF's requester shape (the requester field's picker)."""
        try:
            users = self._get("/api/v2/users/search.json", {"query": email})["users"]
            user_id = users[0]["id"] if users else None
        except (KeyError, TypeError, IndexError):
            raise TicketUnavailable(502, "the Zendesk API answered an unexpected shape") from None
        if user_id is None:
            raise TicketUnavailable(404, "no user with that email address")
        return self.requester(user_id)

    def save_requester(self, ticket_id: int, user_id: int) -> dict:
        """Save the ticket's requester in Zendesk (what submitting the ticket does), then read it back."""
        self._call("PUT", f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"requester_id": user_id}})
        return self.ticket(ticket_id)
