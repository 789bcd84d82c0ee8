"""Orchestration of one lookup: whose context, which systems in what order, all under one deadline."""
from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from datetime import UTC, datetime
from typing import Any

from backend import identify, references, routing
from backend.cache import Cache, MemoryCache, make_cache
from backend.catalogue import Catalogue
from backend.config import Settings
from backend.deadline import Deadline
from backend.derive import Policy
from backend.errors import SourceError
from backend.fanout import Call, Fanout, Sections, cached, fanout_budget_ms
from backend.lookup import Agent, LookupRequest, LookupResult
from backend.match import Records, build
from backend.memo import MatchMemo
from backend.sources import courses, enrolments, learners, payments
from backend.sources.http import SourceClient
from backend.zendesk import ZendeskClient

log = logging.getLogger(__name__)

PROBES = {"learners": learners.probe, "enrolments": enrolments.probe, "courses": courses.probe,
          "payments": payments.probe}
READINESS_MS = 2000
MAX_ACCOUNTS = 10  # each account costs five calls; a requester with more is shown the first ten
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

    def lookup(self, request: LookupRequest, agent: Agent, request_id: str | None = None) -> LookupResult:
        """The learner context for the ticket's requester (or a manual search), never raising for a
        failing system; ApiError only for the caller's mistakes."""
        # The calls stop early enough for the answer (matches, audit commit) to leave within the deadline.
        deadline = Deadline(fanout_budget_ms(self.settings.deadline_ms))
        now = datetime.now(UTC)
        sections = Sections()
        identifiers, ticket_bound, failed = identify.resolve(self.settings, self.zendesk, self.executor,
                                                             request, agent, deadline)
        if failed:
            sections.failed("learner", failed)  # Zendesk could not say whose ticket: show no one
        # Learner ids are detected too, but the contract reports course and order references only.
        refs = [r for r in references.detect(request.subject, request.text) if r["kind"] != "learner"]
        found = self._find_learners(identifiers, request.refresh, deadline, sections)
        if not found and sections.status["learner"] != "ok":
            sections.learner_lookup_failed()  # nobody to ask the other systems about: say why
        ref_orders = [r["value"] for r in refs if r["kind"] == "order"][:MAX_REFERENCED_ORDERS]
        records, orders_by_id = self._fetch_records(found, ref_orders, request.refresh, deadline, sections)
        if self.matches is not None:
            matches = [self.matches.build(r, len(records), now) for r in records]
        else:
            matches = [build(r, len(records), now, self.policy) for r in records]
        body = {
            "matches": matches,
            "sections": sections.body(),
            "suggested_tags": routing.suggested_tags(matches, sections.status["learner"] == "ok"),
            "detected_references": routing.link_references(refs, matches, orders_by_id),
            "ticket_bound": ticket_bound,
            "manual": request.manual is not None,
            "request_id": request_id or uuid.uuid4().hex,  # the HTTP request's id
        }
        return LookupResult(body=body, identifiers=identifiers, manual=request.manual is not None,
                            ticket_bound=ticket_bound, match_count=len(matches),
                            section_statuses=dict(sections.status),
                            ticket_id=identify.ticket_id(agent, request))

    def _find_learners(self, identifiers: list[tuple[str, str]], refresh: bool, deadline: Deadline,
                       sections: Sections) -> list[tuple[dict, list[dict]]]:
        """Ask the learners system by every identifier at once; [(learner, matched_by)], deduplicated."""
        fan = Fanout(self.executor, deadline, sections, self.cache)
        client = self.clients["learners"]
        for index, (kind, value) in enumerate(identifiers):
            call = Call("learner", kind, value, index)
            if kind == "email":
                fan.cached(call, refresh, ("learners", "email", value.lower()),
                           lambda v=value: learners.by_email(client, v, deadline))
            elif kind == "external_id":
                fan.cached(call, refresh, ("learners", "external_id", value),
                           lambda v=value: learners.by_external_id(client, v, deadline))
            elif kind == "learner_id":
                fan.cached(call, refresh, ("learners", "id", value),
                           lambda v=value: _listed(learners.by_id(client, v, deadline)))
            else:  # order id: the order names its learner, two calls in a row
                fan.submit(call, self._learners_by_order, value, refresh, deadline)
        answers: dict[int, list[dict]] = {}
        fan.run(lambda call, value: answers.__setitem__(call.index, value))
        found: dict[str, tuple[dict, list[dict]]] = {}
        for index, (kind, value) in enumerate(identifiers):
            for learner in answers.get(index, []):
                entry = found.setdefault(learner["id"], (learner, []))
                entry[1].append({"kind": kind, "value": value})
        return list(found.values())[:MAX_ACCOUNTS]

    def _learners_by_order(self, order_id: str, refresh: bool, deadline: Deadline) -> tuple[list[dict], str]:
        pay, people = self.clients["payments"], self.clients["learners"]
        order, order_as_of = cached(self.cache, refresh, ("payments", "order", order_id),
                                    lambda: payments.order_by_id(pay, order_id, deadline))
        if not order or not order.get("learner_id"):
            return [], order_as_of
        learner_id = order["learner_id"]
        found, as_of = cached(self.cache, refresh, ("learners", "id", learner_id),
                              lambda: _listed(learners.by_id(people, learner_id, deadline)))
        return found, min(as_of, order_as_of)

    def _fetch_records(self, found: list[tuple[dict, list[dict]]], ref_orders: list[str], refresh: bool,
                       deadline: Deadline, sections: Sections) -> tuple[list[Records], dict[str, dict]]:
        """Enrolments and payments of every learner at once; courses as soon as enrolments arrive;
        orders named in the ticket by id (they may lie beyond the capped lists)."""
        records = [Records(learner=learner, matched_by=matched_by) for learner, matched_by in found]
        fan = Fanout(self.executor, deadline, sections, self.cache)
        max_items, course_map, asked, orders_by_id = self.policy.max_items, {}, set(), {}
        for order_id in ref_orders if records else []:
            fan.cached(Call("payments", "ref_order", order_id), refresh, ("payments", "order", order_id),
                       lambda oid=order_id: payments.order_by_id(self.clients["payments"], oid, deadline))
        for index, record in enumerate(records):
            learner_id = record.learner["id"]
            if record.learner.get("status") == "erased":
                continue  # only the erasure date remains; there is nothing else to ask for
            fan.cached(Call("enrolments", "enrolments", learner_id, index), refresh,
                       ("enrolments", learner_id, str(max_items)),
                       lambda lid=learner_id: enrolments.for_learner(self.clients["enrolments"], lid,
                                                                     deadline, max_items))
            for what, fetch in self._payment_calls(learner_id, deadline).items():
                fan.cached(Call("payments", what, learner_id, index), refresh,
                           ("payments", what, learner_id, str(max_items)), fetch)

        def on_result(call: Call, value: Any) -> None:
            record = records[call.index]
            if call.what == "ref_order":
                if value:
                    orders_by_id[call.subject] = value
                return
            if call.what == "enrolments":
                record.enrolments, record.enrolments_total = value[0], value[1]
                wanted = sorted({e["course_id"] for e in value[0][:max_items]} - asked)
                asked.update(wanted)
                # The catalogue is shared reference data: cached per course, even on refresh.
                known, as_of = self.catalogue.cached(wanted)
                if known:
                    course_map.update(known)
                    sections.succeeded("courses", as_of)
                missing = [course_id for course_id in wanted if course_id not in known]
                if missing:
                    fan.submit(Call("courses", "courses", ",".join(missing)), self.catalogue.fetch,
                               missing, deadline)
            elif call.what == "courses":
                course_map.update(value)
            elif call.what == "orders":
                record.orders, record.orders_total = value[0], value[1]
            else:
                setattr(record, call.what, value)

        fan.run(on_result)
        for record in records:
            record.courses = course_map
            if record.learner.get("status") == "erased":
                record.enrolments_total, record.orders_total = 0, 0
        return records, orders_by_id

    def _payment_calls(self, learner_id: str, deadline: Deadline) -> dict[str, Any]:
        client, limit = self.clients["payments"], self.policy.max_items
        return {
            "orders": lambda: payments.orders_for_learner(client, learner_id, deadline, limit),
            "subscriptions": lambda: payments.subscriptions(client, learner_id, deadline),
            "financial_aid": lambda: payments.financial_aid(client, learner_id, deadline),
            "sponsorships": lambda: payments.sponsorships(client, learner_id, deadline),
        }

    def readiness(self) -> dict[str, dict]:
        """{"learners": {"status", "latency_ms"}, ..., "zendesk"?}: one cheap call per dependency, at once."""
        deadline = Deadline(min(self.settings.deadline_ms, READINESS_MS))
        probes: dict[str, Any] = {s: (lambda s=s: PROBES[s](self.clients[s], deadline)) for s in PROBES}
        if self.zendesk is not None:
            probes["zendesk"] = lambda: self.zendesk.probe(deadline)
        futures = {name: self.executor.submit(_timed, probe) for name, probe in probes.items()}
        out = {}
        for name, future in futures.items():
            try:
                out[name] = future.result(timeout=deadline.remaining() + 0.2)
            except FuturesTimeout:
                future.cancel()
                out[name] = {"status": "timeout", "latency_ms": None}
            except Exception as exc:  # noqa: BLE001 - a probe's bug must not break /readyz
                log.error("readiness probe %s crashed: %s", name, type(exc).__name__)
                out[name] = {"status": "error", "latency_ms": None}
        return out

    def close(self) -> None:
        """Stop the executor and close pools and the cache connection."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        for client in self.clients.values():
            client.close()
        if self.zendesk is not None:
            self.zendesk.close()
        self.cache.close()


def _timed(probe: Any) -> dict:
    started = time.perf_counter()
    try:
        probe()
        status = "ok"
    except SourceError as exc:
        status = exc.section_status
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def _listed(learner: dict | None) -> list[dict]:
    return [] if learner is None else [learner]
