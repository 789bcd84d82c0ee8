"""The values that cross from the HTTP surface to the orchestration and back."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Agent:
    """Who asks: the verified JWT's issuer and subject (the agent id), plus the claimed ticket."""

    iss: str
    sub: str
    ticket_id: int | None = None


@dataclass(frozen=True)
class ManualSearch:
    """An agent's explicit search from the app: kind is email, learner_id or order_id."""

    kind: str
    value: str


@dataclass(frozen=True)
class LookupRequest:
    """A validated POST /api/v1/learner-context body."""

    emails: tuple[str, ...] = ()
    external_id: str | None = None
    name: str | None = None
    ticket_id: int | None = None
    subject: str = ""
    text: str = ""
    refresh: bool = False
    manual: ManualSearch | None = None


@dataclass
class LookupResult:
    """The JSON answer plus what the audit row records about it."""

    body: dict
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (kind, raw value) looked up
    manual: bool = False
    ticket_bound: bool = False
    match_count: int = 0
    section_statuses: dict[str, str] = field(default_factory=dict)
    ticket_id: int | None = None  # the ticket the lookup concerns: the token's claim, else the body's
