"""Which learner accounts a lookup concerns: the learners system asked by every identifier at once."""
from __future__ import annotations

from concurrent.futures import Executor

from backend.cache import Cache
from backend.deadline import Deadline
from backend.fanout import Call, Fanout, Sections, cached
from backend.sources import learners, payments
from backend.sources.http import SourceClient

MAX_ACCOUNTS = 10  # each account costs five calls; a requester with more is shown the first ten


class AccountFinder:
    """Finds the accounts behind a lookup's identifiers (an order id names its learner)."""

    def __init__(self, clients: dict[str, SourceClient], cache: Cache, executor: Executor):
        self.clients, self.cache, self.executor = clients, cache, executor

    def find(self, identifiers: list[tuple[str, str]], refresh: bool, deadline: Deadline,
             sections: Sections, email_basis: dict[str, str] | None = None) -> list[tuple[dict, list[dict]]]:
        """Ask the learners system by every identifier at once; [(learner, matched_by)], deduplicated.
        email_basis (lower-cased email -> "verified" | "ticket_sender") is said in matched_by."""
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
                fan.submit(call, self._by_order, value, refresh, deadline)
        answers: dict[int, list[dict]] = {}
        fan.run(lambda call, value: answers.__setitem__(call.index, value))
        found: dict[str, tuple[dict, list[dict]]] = {}
        for index, (kind, value) in enumerate(identifiers):
            for learner in answers.get(index, []):
                entry = found.setdefault(learner["id"], (learner, []))
                reason = {"kind": kind, "value": value}
                if kind == "email" and email_basis and value.lower() in email_basis:
                    reason["basis"] = email_basis[value.lower()]
                entry[1].append(reason)
        return list(found.values())[:MAX_ACCOUNTS]

    def _by_order(self, order_id: str, refresh: bool, deadline: Deadline) -> tuple[list[dict], str]:
        pay, people = self.clients["payments"], self.clients["learners"]
        order, order_as_of = cached(self.cache, refresh, ("payments", "order", order_id),
                                    lambda: payments.order_by_id(pay, order_id, deadline))
        if not order or not order.get("learner_id"):
            return [], order_as_of
        learner_id = order["learner_id"]
        found, as_of = cached(self.cache, refresh, ("learners", "id", learner_id),
                              lambda: _listed(learners.by_id(people, learner_id, deadline)))
        return found, min(as_of, order_as_of)


def _listed(learner: dict | None) -> list[dict]:
    return [] if learner is None else [learner]
