"""Turn arrivals and lifecycles into zendesk.db rows as the account looks at the moment `now`."""
from __future__ import annotations

import sqlite3

import numpy as np

from sandbox.zendesk import activity, arrivals, demo, lifecycle, names, store
from sandbox.zendesk.texts import GROUPS, TOPIC_NAMES, TOPICS

POOL_SIZES = {"en": 30_000, "fr": 9_000, "zh": 11_000}
# One pool requester in REGISTERED_EVERY registered on the help center (a verified identity); the
# others only ever wrote in, so Zendesk made their identity from the sender address, unverified.
REGISTERED_EVERY = 3
CHANNELS = (["email", "web", "chat", "api"], [0.55, 0.30, 0.11, 0.04])
PRIORITIES = (["low", "normal", "high", "urgent"], [0.15, 0.62, 0.18, 0.05])
TYPES = (["question", "incident", "problem", "task"], [0.55, 0.30, 0.05, 0.10])


def pool_offsets() -> dict[str, int]:
    """First user id of each language's requester pool."""
    offsets, next_id = {}, demo.FIRST_HISTORY_USER_ID
    for lang, size in POOL_SIZES.items():
        offsets[lang] = next_id
        next_id += size
    return offsets


def write_users(conn: sqlite3.Connection, created_at: int) -> None:
    """Agents, personas and every pool requester with one primary e-mail identity each."""
    store.insert(conn, "groups", ["id", "name"], GROUPS.items())
    store.insert(conn, "users", store.USER_COLUMNS, demo.agent_rows(created_at))
    persona_users, persona_identities = demo.persona_rows(created_at)
    store.insert(conn, "users", store.USER_COLUMNS, persona_users)
    users, identities = [], []
    for lang, first in pool_offsets().items():
        locale, tz, iana, _ = names.LANGS[lang]
        for n in range(POOL_SIZES[lang]):
            name, email = names.requester(lang, n)
            users.append((first + n, name, email, "end-user", locale, tz, iana, None, created_at, created_at,
                          None, lang))
            verified = int(n % REGISTERED_EVERY == 0)
            identities.append(((first + n) * 10, first + n, "email", email, verified, 1, created_at))
    store.insert(conn, "users", store.USER_COLUMNS, users)
    store.insert(conn, "identities", store.IDENTITY_COLUMNS, persona_identities + identities)


def write_history(conn: sqlite3.Connection, rng: np.random.Generator, anchor: int, now: int) -> None:
    """The year of generated tickets, their events and satisfaction ratings."""
    arr = arrivals.generate(rng, anchor)
    total = len(arr.created)
    weights = np.array([TOPICS[t][2] for t in TOPIC_NAMES])
    topic = rng.choice(len(TOPIC_NAMES), total, p=weights / weights.sum())
    spike_topics = np.array([TOPIC_NAMES.index(s.topic) for s in arrivals.SPIKES])
    topic = np.where(arr.spike >= 0, spike_topics[np.maximum(arr.spike, 0)], topic)
    group_ids = list(GROUPS)
    group = np.array([group_ids.index(TOPICS[t][0]) for t in TOPIC_NAMES])[topic]
    # agents are spread over the groups round-robin (demo.agent_rows); pick one inside the group
    per_group = len(demo.AGENT_IDS) // len(group_ids)
    assignee = np.array(demo.AGENT_IDS)[group + len(group_ids) * rng.integers(0, per_group, total)]
    offsets, sizes = pool_offsets(), POOL_SIZES
    requester = np.zeros(total, dtype=np.int64)
    for lang in sizes:
        mine = arr.lang == lang
        requester[mine] = offsets[lang] + (sizes[lang] * rng.random(mine.sum()) ** 1.6).astype(np.int64)
    channel = rng.choice(CHANNELS[0], total, p=CHANNELS[1])
    priority = rng.choice(PRIORITIES[0], total, p=PRIORITIES[1])
    kind = rng.choice(TYPES[0], total, p=TYPES[1])
    variant, course_n = rng.integers(0, 4, total), rng.integers(0, 1800, total)
    order_n = rng.integers(1, 999_999, total)
    life = lifecycle.plan(rng, arr.created, priority == "urgent")
    # every draw above covers the whole year so offsets do not depend on "now"; tickets after it are cut
    n = int(np.searchsorted(arr.created, now, side="right"))

    arr = arrivals.Arrivals(arr.created[:n], arr.lang[:n], arr.spike[:n])
    topic, group, assignee, requester = topic[:n], group[:n], assignee[:n], requester[:n]
    channel, priority, kind = channel[:n], priority[:n], kind[:n]
    variant, course_n, order_n = variant[:n], course_n[:n], order_n[:n]
    life = lifecycle.cut(life, n)
    ids = demo.FIRST_HISTORY_TICKET_ID + np.arange(n)
    ev_seen = life.ev_ts <= now
    ev_t, ev_ts, ev_kind = life.ev_ticket[ev_seen], life.ev_ts[ev_seen], life.ev_kind[ev_seen]
    ev_author, ev_public = life.ev_author[ev_seen], life.ev_public[ev_seen]

    def count(kinds: tuple[str, ...]) -> np.ndarray:
        return np.bincount(ev_t[np.isin(ev_kind, kinds)], minlength=n)

    def latest(kinds: tuple[str, ...]) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        mask = np.isin(ev_kind, kinds)
        np.maximum.at(out, ev_t[mask], ev_ts[mask])
        return out

    status = np.full(n, "new", dtype=object)
    for moment, value in [(life.assigned, "open"), (life.first_reply, "pending"), (life.solved1, "solved"),
                          (life.reopened, "open"), (life.solved_final, "solved"), (life.closed, "closed"),
                          (life.deleted, "deleted")]:
        status = np.where(moment <= now, value, status)
    rating_seen = np.where(life.rating_answered <= now, life.rating_answered,
                           np.where(life.rating_offered <= now, life.rating_offered, 0))
    rating_seen = np.where(life.deleted <= now, 0, rating_seen)
    updated = np.maximum.reduce([latest(tuple(set(ev_kind.tolist()))), rating_seen,
                                 np.where(life.assigned <= now, life.assigned, arr.created)])
    solved_now = np.isin(status, ["solved", "closed"])
    final = solved_now | (status == "deleted") & (life.solved_final <= now)
    first_seen = life.first_reply <= now
    first_res_seen = life.solved1 <= now
    bus = lifecycle.business_delta

    def minutes(mask: np.ndarray, end: np.ndarray, business: bool) -> list:
        values = bus(arr.created, np.where(mask, end, arr.created)) if business else \
            (np.where(mask, end, arr.created) - arr.created) // 60
        return moment(mask, values)

    def moment(mask: np.ndarray, values: np.ndarray) -> list:
        """values where mask holds, None (SQL NULL) elsewhere."""
        out = values.astype(object)
        out[~mask] = None
        return out.tolist()

    columns = {
        "id": ids, "requester_id": requester, "submitter_id": requester,
        "assignee_id": moment(life.assigned <= now, assignee),
        "group_id": np.array(group_ids)[group], "lang": arr.lang, "topic": np.array(TOPIC_NAMES)[topic],
        "variant": variant, "course_n": course_n, "order_n": order_n, "subject": [None] * n,
        "description": [None] * n, "status": status, "priority": priority, "type": kind, "channel": channel,
        "tags": [" ".join(TOPICS[TOPIC_NAMES[t]][1]) for t in topic.tolist()],
        "created_at": arr.created, "updated_at": updated,
        "spike": [arrivals.SPIKES[s].kind if s >= 0 else None for s in arr.spike.tolist()],
        "replies": count(("reply",)), "reopens": count(("reopen",)),
        "assigned_at": moment(life.assigned <= now, life.assigned),
        "initially_assigned_at": moment(life.assigned <= now, life.assigned),
        "first_reply_at": moment(first_seen, life.first_reply),
        "reply_cal": minutes(first_seen, life.first_reply, False),
        "reply_bus": minutes(first_seen, life.first_reply, True),
        "first_solved_at": moment(first_res_seen, life.solved1),
        "solved_at": moment(final, life.solved_final),
        "first_res_cal": minutes(first_res_seen, life.solved1, False),
        "first_res_bus": minutes(first_res_seen, life.solved1, True),
        "full_res_cal": minutes(final, life.solved_final, False),
        "full_res_bus": minutes(final, life.solved_final, True),
        "closed_at": moment(life.closed <= now, life.closed),
        "deleted_at": moment(life.deleted <= now, life.deleted),
        "latest_comment_at": latest(("create", "reply", "note", "requester", "reopen")),
    }
    rows = zip(*[c.tolist() if isinstance(c, np.ndarray) else c for c in
                 (columns[name] for name in store.TICKET_COLUMNS)], strict=True)
    store.insert(conn, "tickets", store.TICKET_COLUMNS, rows)
    activity.write_events(conn, ids, requester, assignee, ev_t, ev_ts, ev_kind, ev_author, ev_public)
    activity.write_ratings(conn, ids, requester, assignee, np.array(group_ids)[group], life, now)
    spikes = [(s.kind, s.label, *arrivals.spike_window(s, anchor)) for s in arrivals.SPIKES]
    store.insert(conn, "spikes", store.SPIKE_COLUMNS, spikes)


def write_demo(conn: sqlite3.Connection, now: int) -> None:
    """The seven demo tickets and their creation events."""
    rows = demo.ticket_rows(now)
    store.insert(conn, "tickets", store.TICKET_COLUMNS, ([r[c] for c in store.TICKET_COLUMNS] for r in rows))
    store.insert(conn, "events", store.EVENT_COLUMNS,
                 ((i + 1, r["id"], r["created_at"], "create", r["requester_id"], 1)
                  for i, r in enumerate(rows)))
