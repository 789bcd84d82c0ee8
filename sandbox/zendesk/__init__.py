"""Zendesk Support API stand-in: generated ticket history (zendesk.db) and the /api/v2 routes."""
from __future__ import annotations

import os
import time
from pathlib import Path

import flask
import numpy as np

from sandbox.zendesk import build, store
from sandbox.zendesk.timeutil import iso, week_start


def generate(data_dir: Path, seed: int, *, force: bool = False, now: float | None = None,
             name: str = store.DB_NAME, demo_at: float | None = None) -> None:
    """Write data_dir/<name> (zendesk.db) unless a copy for this seed and ISO week is there (or force).

    Times are drawn as offsets from Monday 00:00 UTC of the current ISO week and stored as absolute
    epoch seconds; activity after the moment of generation (`now`) is not there yet. Every draw
    covers the whole week, so a later `now` in the same week gives the same past plus what happened
    since (sandbox/zendesk/advance.py relies on this). The demo tickets are created a few hours
    before `demo_at` (default: `now`).
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / name
    moment = int(time.time() if now is None else now)
    anchor = week_start(moment)
    if target.exists() and not force:
        meta = store.read_meta(target)
        if meta.get("seed") == str(seed) and meta.get("anchor") == str(anchor):
            return
    tmp = store.temp_path(data_dir)
    try:
        tmp.unlink()
        conn = store.create(tmp)
        rng = np.random.default_rng([seed, 5])
        build.write_users(conn, anchor - 400 * 86_400)
        build.write_demo(conn, moment if demo_at is None else int(demo_at))
        build.write_history(conn, rng, anchor, moment)
        store.finish(conn, {"schema": store.SCHEMA_VERSION, "seed": str(seed), "anchor": str(anchor),
                            "generated_at": str(moment), "anchor_iso": iso(anchor) or ""})
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def register(app: flask.Flask, data_dir: Path) -> None:
    """Serve data_dir/zendesk.db under /api/v2 and the /_sandbox/zendesk control routes on app."""
    from sandbox.zendesk import control, export, reports, routes, updates  # importing adds their routes

    del export, reports, updates
    from sandbox.zendesk.state import State

    current = State.create(Path(data_dir) / store.DB_NAME)
    if current.settings.advance_s > 0:
        from sandbox.zendesk.advance import Advancer

        current.advancer = Advancer(Path(data_dir), current.settings.advance_s)
        current.db_path = current.advancer.start()
    app.extensions["sandbox_zendesk"] = current
    app.register_blueprint(routes.api)
    app.register_blueprint(control.blueprint)
