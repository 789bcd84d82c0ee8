"""Orchestration of one lookup: whose context, which systems in what order, all under one deadline."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from backend import identify, readiness, references, routing
from backend.accounts import AccountFinder
from backend.cache import Cache, MemoryCache, make_cache
from backend.catalogue import Catalogue
from backend.config import Settings
from backend.deadline import Deadline
from backend.derive import Policy
from backend.fanout import Sections, fanout_budget_ms
from backend.lookup import Agent, LookupRequest, LookupResult
from backend.match import build
from backend.memo import MatchMemo
from backend.records import RecordFetcher
from backend.sources.http import SourceClient
from backend.zendesk import ZendeskClient

MAX_REFERENCED_ORDERS = 5  # orders named in the ticket that are fetched by id


class ContextService:
    """Answers POST /api/v1/learner-context; owns the HTTP pools, the executor and the cache."""

    def __init__(self, settings: Settings, cache: Cache | None = None):
        self.settings = settings
        self.policy = Policy.from_settings(settings)
        self.cache = make_cache(settings) if cache is None else cache
        # Only the in-process cache hands out the same objects again, which is what the memo checks.
        self.matches = MatchMemo(self.policy) if isinstance(self.cache, MemoryCache) else None
        self.clients = {
            system: SourceClient(system, url, token=settings.internal_api_token, pool_size=settings.pool_size,
                                 call_timeout_ms=settings.call_timeout_ms, retries=settings.retries,
                                 breaker_failures=settings.breaker_failures,
                                 breaker_reset_s=settings.breaker_reset_s)
            for system, url in settings.system_urls.items()
        }
        self.catalogue = Catalogue(self.cache, self.clients["courses"], settings.catalogue_ttl_s)
        self.zendesk = ZendeskClient(settings, self.cache) if settings.zendesk_url else None
        # Shared and bounded: a burst of lookups queues here instead of opening unbounded threads.
        self.executor = ThreadPoolExecutor(max_workers=settings.pool_size * 2, thread_name_prefix="lc-fanout")
        self.accounts = AccountFinder(self.clients, self.cache, self.executor)
        self.records = RecordFetcher(self.clients, self.cache, self.executor, self.catalogue, self.policy)

    def lookup(self, request: LookupRequest, agent: Agent, request_id: str | None = None) -> LookupResult:
        """The learner context for the ticket's requester (or a manual search), never raising for a
        failing system; ApiError only for the caller's mistakes."""
        # The calls stop early enough for the answer (matches, audit commit) to leave within the deadline.
        deadline = Deadline(fanout_budget_ms(self.settings.deadline_ms))
        now = datetime.now(UTC)
        sections = Sections()
        identifiers, ticket_bound, failed, email_basis, requester = identify.resolve(
            self.settings, self.zendesk, self.executor, request, agent, deadline)
        if failed:
            sections.failed("learner", failed)  # Zendesk could not say whose ticket: show no one
        # Learner ids are detected too, but the contract reports course and order references only.
        refs = [r for r in references.detect(request.subject, request.text) if r["kind"] != "learner"]
        found = self.accounts.find(identifiers, request.refresh, deadline, sections, email_basis)
        if not found and sections.status["learner"] != "ok":
            sections.learner_lookup_failed()  # nobody to ask the other systems about: say why
        ref_orders = [r["value"] for r in refs if r["kind"] == "order"][:MAX_REFERENCED_ORDERS]
        records, orders_by_id = self.records.fetch(found, ref_orders, request.refresh, deadline, sections)
        if self.matches is not None:
            matches = [self.matches.build(r, len(records), now) for r in records]
        else:
            matches = [build(r, len(records), now, self.policy) for r in records]
        body = {
            "matches": matches,
            "sections": sections.body(),
            "suggested_tags": routing.suggested_tags(matches, sections.status["learner"] == "ok"),
            "detected_references": routing.link_references(refs, matches, orders_by_id, sections.status),
            "ticket_bound": ticket_bound,
            "resolved_requester": requester,
            "manual": request.manual is not None,
            "request_id": request_id or uuid.uuid4().hex,  # the HTTP request's id
        }
        return LookupResult(body=body, identifiers=identifiers, manual=request.manual is not None,
                            ticket_bound=ticket_bound, match_count=len(matches),
                            section_statuses=dict(sections.status),
                            ticket_id=identify.ticket_id(agent, request))

    def readiness(self) -> dict[str, dict]:
        """{"learners": {"status", "latency_ms"}, ..., "zendesk"?}: one cheap call per dependency, at once."""
        return readiness.probe_all(self.clients, self.zendesk, self.executor, self.settings.deadline_ms)

    def close(self) -> None:
        """Stop the executor and close pools and the cache connection."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        for client in self.clients.values():
            client.close()
        if self.zendesk is not None:
            self.zendesk.close()
        self.cache.close()


