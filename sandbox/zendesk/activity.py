"""Ticket events and satisfaction ratings of the generated history as zendesk.db rows."""
from __future__ import annotations

import sqlite3

import numpy as np

from sandbox.zendesk import lifecycle, store


def write_events(conn: sqlite3.Connection, ids: np.ndarray, requester: np.ndarray, assignee: np.ndarray,
                 ev_t: np.ndarray, ev_ts: np.ndarray, ev_kind: np.ndarray, ev_author: np.ndarray,
                 ev_public: np.ndarray) -> None:
    """Ticket events in time order with ids ascending, authors resolved to user ids (-1 = system)."""
    order = np.lexsort((ev_t, ev_ts))
    t, ts, kind, who, public = ev_t[order], ev_ts[order], ev_kind[order], ev_author[order], ev_public[order]
    author = np.where(who == 0, requester[t], np.where(who == 1, assignee[t], -1))
    first_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]) + 1
    event_ids = first_id + np.arange(len(t))
    store.insert(conn, "events", store.EVENT_COLUMNS,
                 zip(event_ids.tolist(), ids[t].tolist(), ts.tolist(), kind.tolist(), author.tolist(),
                     public.tolist(), strict=True))


def write_ratings(conn: sqlite3.Connection, ids: np.ndarray, requester: np.ndarray, assignee: np.ndarray,
                  group: np.ndarray, life: lifecycle.Lifecycle, now: int) -> None:
    """Satisfaction ratings offered after a solve; some answered good or bad later."""
    offered = (life.rating_offered <= now) & (life.deleted > now)
    answered = life.rating_answered <= now
    score = np.where(answered, np.where(life.rating_good, "good", "bad"), "offered")
    updated = np.where(answered, life.rating_answered, life.rating_offered)
    pick = np.flatnonzero(offered)
    pick = pick[np.argsort(life.rating_offered[pick], kind="stable")]
    rating_ids = 50_001 + np.arange(len(pick))
    store.insert(conn, "ratings", store.RATING_COLUMNS,
                 zip(rating_ids.tolist(), ids[pick].tolist(), requester[pick].tolist(),
                     assignee[pick].tolist(), group[pick].tolist(), score[pick].tolist(),
                     life.rating_offered[pick].tolist(),
                     updated[pick].tolist(), strict=True))
