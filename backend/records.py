"""One lookup's records: every account's enrolments and payments at once, courses as enrolments name them."""
from __future__ import annotations

from concurrent.futures import Executor
from datetime import UTC, datetime
from typing import Any

from backend.cache import Cache
from backend.catalogue import Catalogue
from backend.deadline import Deadline
from backend.derive import Policy
from backend.fanout import Call, Fanout, Sections
from backend.match import Records
from backend.sources import enrolments, payments
from backend.sources.http import MAX_PAGES, PAGE_LIMIT, SourceClient
from backend.urgency import select_enrolments

# The enrolments read to find those with a deadline soon (the system lists them by recent activity):
# up to five full pages; a learner with at most 100 enrolments costs one call, as before.
ENROLMENT_SCAN = PAGE_LIMIT * MAX_PAGES


class RecordFetcher:
    """Fetches what the rules need about the accounts found, under the lookup's deadline."""

    def __init__(self, clients: dict[str, SourceClient], cache: Cache, executor: Executor,
                 catalogue: Catalogue, policy: Policy):
        self.clients, self.cache, self.executor = clients, cache, executor
        self.catalogue, self.policy = catalogue, policy

    def fetch(self, found: list[tuple[dict, list[dict]]], ref_orders: list[str], refresh: bool,
              deadline: Deadline, sections: Sections) -> tuple[list[Records], dict[str, dict | None]]:
        """Enrolments and payments of every learner at once; courses as soon as enrolments arrive;
        orders named in the ticket by id (they may lie beyond the capped lists; None when unknown)."""
        records = [Records(learner=learner, matched_by=matched_by) for learner, matched_by in found]
        fan = Fanout(self.executor, deadline, sections, self.cache)
        max_items, course_map, asked, orders_by_id = self.policy.max_items, {}, set(), {}
        # The cached list is a selection: its key names the rule and the window that chose it.
        chosen_by = ("soon-first", str(self.policy.deadline_soon_days))
        for order_id in ref_orders if records else []:
            fan.cached(Call("payments", "ref_order", order_id), refresh, ("payments", "order", order_id),
                       lambda oid=order_id: payments.order_by_id(self.clients["payments"], oid, deadline))
        for index, record in enumerate(records):
            learner_id = record.learner["id"]
            if record.learner.get("status") == "erased":
                continue  # only the erasure date remains; there is nothing else to ask for
            fan.cached(Call("enrolments", "enrolments", learner_id, index), refresh,
                       ("enrolments", learner_id, str(max_items), *chosen_by),
                       lambda lid=learner_id: self._enrolments(lid, deadline))
            for what, fetch in self._payment_calls(learner_id, deadline).items():
                fan.cached(Call("payments", what, learner_id, index), refresh,
                           ("payments", what, learner_id, str(max_items)), fetch)

        def on_result(call: Call, value: Any) -> None:
            record = records[call.index]
            if call.what == "ref_order":
                orders_by_id[call.subject] = value  # None: the payments system knows no such order
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

    def _enrolments(self, learner_id: str, deadline: Deadline) -> tuple[list[dict], int]:
        """The LC_MAX_ITEMS enrolments to send, deadlines soon first, and how many exist. Chosen at
        fetch time and cached that way; match.build orders them again at the lookup's own time."""
        scan = max(ENROLMENT_SCAN, self.policy.max_items)
        items, total = enrolments.for_learner(self.clients["enrolments"], learner_id, deadline, scan)
        policy = self.policy
        return select_enrolments(items, datetime.now(UTC), policy.deadline_soon_days, policy.max_items), total

    def _payment_calls(self, learner_id: str, deadline: Deadline) -> dict[str, Any]:
        client, limit = self.clients["payments"], self.policy.max_items
        return {
            "orders": lambda: payments.orders_for_learner(client, learner_id, deadline, limit),
            "subscriptions": lambda: payments.subscriptions(client, learner_id, deadline),
            "financial_aid": lambda: payments.financial_aid(client, learner_id, deadline),
            "sponsorships": lambda: payments.sponsorships(client, learner_id, deadline),
        }
