"""The public API: POST /api/v1/learner-context and its OpenAPI document."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from backend import identify
from backend.audit import AuditStore, AuditUnavailable
from backend.auth import authenticate
from backend.config import Settings
from backend.context import ContextService
from backend.errors import ApiError
from backend.lookup import Agent, LookupRequest, LookupResult
from backend.openapi import openapi_spec
from backend.ratelimit import RateLimiter
from backend.readiness import Remembered
from backend.schemas import parse_lookup
from backend.web import AGENT_KEY, REQUEST_ID_KEY, json_body

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass
class State:
    """What the app's requests share: settings, audit store, rate limiter, the context service."""

    settings: Settings
    audit: AuditStore
    limiter: RateLimiter
    context: ContextService
    readiness: Remembered

    def service(self) -> ContextService:
        """The ContextService (it owns the HTTP pools, the executor and the cache)."""
        return self.context

    def close(self) -> None:
        """Release pools, threads and connections (tests, worker exit)."""
        self.context.close()
        self.audit.close()


@bp.post("/learner-context")
def learner_context() -> ResponseReturnValue:
    """authenticate → rate limit → validate → look up → commit the audit row → answer."""
    state: State = current_app.extensions["lc"]
    settings = state.settings
    environ = request.environ
    # The server joins repeated headers into one value, which then fails the Bearer syntax.
    authorization = environ.get("HTTP_AUTHORIZATION")
    agent = authenticate([] if authorization is None else [authorization], settings)
    environ[AGENT_KEY] = agent.sub  # for the request's log line (web.RequestEnvelope)
    state.limiter.check(agent)
    payload = json_body(settings.max_body_bytes)
    # In ticket-bound mode the requester comes from the ticket; the context layer insists on its id.
    lookup = parse_lookup(payload, identifier_required=not settings.ticket_bound_active)
    started = time.perf_counter()
    request_id = environ[REQUEST_ID_KEY]
    try:
        result: LookupResult = state.service().lookup(lookup, agent, request_id)
    except ApiError as exc:
        _audit_refusal(state, agent, lookup, exc, started)
        raise
    state.audit.record(agent, result, request_id=request_id,
                       latency_ms=(time.perf_counter() - started) * 1000)
    return jsonify(result.body)


def _audit_refusal(state: State, agent: Agent, lookup: LookupRequest, exc: ApiError, started: float) -> None:
    """A refused lookup (unknown ticket, manual search off) is audited too, best effort."""
    identifiers = [("email", e) for e in lookup.emails]
    if lookup.external_id:
        identifiers.append(("external_id", lookup.external_id))
    if lookup.manual:
        identifiers.append((lookup.manual.kind, lookup.manual.value))
    result = LookupResult(body={}, identifiers=identifiers, manual=lookup.manual is not None,
                          ticket_bound=state.settings.ticket_bound_active,
                          ticket_id=identify.ticket_id(agent, lookup))
    try:
        state.audit.record(agent, result, request_id=request.environ[REQUEST_ID_KEY], outcome=exc.code,
                           latency_ms=(time.perf_counter() - started) * 1000)
    except AuditUnavailable:
        log.warning("refused lookup not audited: audit store unavailable")


_SPEC: dict | None = None


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3 document generated from the request/response schema classes."""
    global _SPEC
    if _SPEC is None:
        _SPEC = openapi_spec()
    return jsonify(_SPEC)
