"""What happens to each ticket: assignment, replies, solve, reopen, close, rating, deletion."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.zendesk.timeutil import DAY, add_business_minutes, business_minutes_since_epoch

NEVER = np.iinfo(np.int64).max // 4
CLOSE_AFTER = 4 * DAY  # Zendesk's default: solved tickets close after 4 days


@dataclass
class Lifecycle:
    """Planned moments per ticket (NEVER when it does not happen) and the event list."""

    assigned: np.ndarray
    first_reply: np.ndarray
    solved1: np.ndarray
    reopened: np.ndarray
    solved_final: np.ndarray
    closed: np.ndarray
    deleted: np.ndarray
    rating_offered: np.ndarray
    rating_answered: np.ndarray
    rating_good: np.ndarray
    # events: parallel arrays (ticket index, time, kind, author: 0 requester / 1 assignee / -1 system, public)
    ev_ticket: np.ndarray
    ev_ts: np.ndarray
    ev_kind: np.ndarray
    ev_author: np.ndarray
    ev_public: np.ndarray


def _lognormal_minutes(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return np.clip(rng.lognormal(np.log(median), sigma, n), 1, 20_000).astype(np.int64)


def plan(rng: np.random.Generator, created: np.ndarray, urgent: np.ndarray) -> Lifecycle:
    """Draw every ticket's life from its creation time; urgent tickets are answered faster."""
    n = len(created)
    assigned = created + np.maximum(rng.exponential(15 * 60, n), 60).astype(np.int64)
    answered = rng.random(n) > 0.03  # a few are solved without a public reply (spam, duplicates)
    frt_bus = _lognormal_minutes(rng, 40, 1.0, n) // np.where(urgent, 2, 1)
    first_reply = np.where(answered, add_business_minutes(created, frt_bus) + rng.integers(0, 60, n), NEVER)
    n_replies = np.where(answered, np.minimum(rng.geometric(0.5, n), 8), 0)
    work_bus = _lognormal_minutes(rng, 300, 1.1, n)
    solved1 = add_business_minutes(created, frt_bus + work_bus) + rng.integers(0, 60, n)
    one_touch = n_replies == 1
    solved1 = np.where(one_touch, first_reply + rng.integers(30, 900, n), solved1)
    solved1 = np.where(answered & ~one_touch, np.maximum(solved1, first_reply + 600 * n_replies), solved1)
    reopen = answered & (rng.random(n) < 0.07)
    # a requester answers a solved ticket within a day or so; closed tickets (after 4 days) cannot reopen
    reopen_delay = np.minimum(rng.lognormal(np.log(20 * 3600), 0.8, n), CLOSE_AFTER - 6 * 3600)
    reopened = np.where(reopen, solved1 + reopen_delay.astype(np.int64), NEVER)
    solved2 = add_business_minutes(np.where(reopen, reopened, created), _lognormal_minutes(rng, 120, 1.0, n))
    solved_final = np.where(reopen, solved2 + 60, solved1)
    closed = solved_final + CLOSE_AFTER
    # Only an assigned ticket can be answered or solved: an agent who is quicker than the routing
    # takes the ticket with the reply (or the solve), as agents do in Zendesk.
    assigned = np.minimum(assigned, np.minimum(first_reply, solved1))
    offered = rng.random(n) < 0.65
    rating_offered = np.where(offered, solved_final + 3600, NEVER)
    answer_delay = np.minimum(rng.lognormal(np.log(6 * 3600), 1.0, n), CLOSE_AFTER - 7200).astype(np.int64)
    rating_answered = np.where(offered & (rng.random(n) < 0.45), solved_final + 3600 + answer_delay, NEVER)
    rating_good = rng.random(n) < 0.84
    deleted = np.where(rng.random(n) < 0.004, created + rng.integers(3600, 10 * DAY, n), NEVER)

    idx = np.arange(n)
    parts: list[tuple[np.ndarray, np.ndarray, str, int, int]] = [
        (idx, created, "create", 0, 1),
        (idx[answered], first_reply[answered], "reply", 1, 1),
        (idx, solved1, "solve", 1, 1),
        (idx[reopen], reopened[reopen], "reopen", 0, 1),
        (idx[reopen], solved2[reopen], "reply", 1, 1),
        (idx[reopen], solved_final[reopen], "solve", 1, 1),
        (idx, closed, "close", -1, 1),
    ]
    # later replies of multi-reply tickets, each preceded by a requester follow-up
    extra = np.maximum(n_replies - 1, 0)
    owner = np.repeat(idx, extra)
    span = (solved1 - first_reply)[owner]
    fractions = rng.uniform(0.1, 0.95, len(owner))
    order = np.lexsort((fractions, owner))
    owner, fractions = owner[order], fractions[order]
    reply_ts = first_reply[owner] + (span * fractions).astype(np.int64)
    previous = np.where(np.r_[True, owner[1:] != owner[:-1]], first_reply[owner], np.r_[0, reply_ts[:-1]])
    parts.append((owner, previous + (reply_ts - previous) // 2, "requester", 0, 1))
    parts.append((owner, reply_ts, "reply", 1, 1))
    noted = answered & (rng.random(n) < 0.2)
    note_ts = created + ((solved1 - created) * rng.uniform(0.05, 0.9, n)).astype(np.int64)
    parts.append((idx[noted], note_ts[noted], "note", 1, 0))
    ev_ticket = np.concatenate([p[0] for p in parts])
    ev_ts = np.concatenate([p[1] for p in parts])
    ev_kind = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    ev_author = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
    ev_public = np.concatenate([np.full(len(p[0]), p[4]) for p in parts])
    alive = ev_ts < deleted[ev_ticket]
    ev_ticket, ev_ts, ev_kind = ev_ticket[alive], ev_ts[alive], ev_kind[alive]
    ev_author, ev_public = ev_author[alive], ev_public[alive]
    gone = idx[deleted < NEVER]
    return Lifecycle(
        assigned=assigned, first_reply=first_reply, solved1=solved1, reopened=reopened,
        solved_final=solved_final, closed=closed, deleted=deleted, rating_offered=rating_offered,
        rating_answered=rating_answered, rating_good=rating_good,
        ev_ticket=np.r_[ev_ticket, gone], ev_ts=np.r_[ev_ts, deleted[gone]],
        ev_kind=np.r_[ev_kind, np.full(len(gone), "delete")],
        ev_author=np.r_[ev_author, np.ones(len(gone), int)],
        ev_public=np.r_[ev_public, np.ones(len(gone), int)],
    )


def business_delta(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Business minutes between two moments (per element)."""
    return business_minutes_since_epoch(end) - business_minutes_since_epoch(start)


def cut(life: Lifecycle, n: int) -> Lifecycle:
    """The lifecycles of the first n tickets (those created by "now"), events included."""
    per_ticket = {name: getattr(life, name)[:n] for name in
                  ("assigned", "first_reply", "solved1", "reopened", "solved_final", "closed", "deleted",
                   "rating_offered", "rating_answered", "rating_good")}
    mine = life.ev_ticket < n
    events = {name: getattr(life, name)[mine] for name in ("ev_ticket", "ev_ts", "ev_kind", "ev_author",
                                                             "ev_public")}
    return Lifecycle(**per_ticket, **events)
