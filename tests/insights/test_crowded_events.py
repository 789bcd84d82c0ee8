"""A second holding more ticket events than a page (a bulk update): the export goes on, and says so."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import func, select

from insights import warehouse
from insights.warehouse import comment_events, export_state
from sandbox.zendesk.export import MIN_AGE_S
from tests.insights.conftest import cli_env, run_cli
from tests.servers import SANDBOX_DATA, wait_for

INCOMPLETE = 5  # the documented exit code of an export that had to skip past part of a second


@pytest.fixture
def burst(clean_sandbox) -> Iterator[dict]:
    """1500 tickets updated in one second (one public reply each), then 3 more tickets a second later."""
    conn = sqlite3.connect(f"file:{SANDBOX_DATA / 'zendesk.db'}?mode=ro", uri=True)
    live = "SELECT id FROM tickets WHERE status != 'deleted' ORDER BY id LIMIT 1503"
    ids = [r[0] for r in conn.execute(live)]
    conn.close()
    control = f"{clean_sandbox.url}/_sandbox/zendesk/bulk-update"
    try:
        crowded = requests.post(control, json={"ids": ids[:1500]}, timeout=30).json()["timestamp"]
        later = requests.post(control, json={"ids": ids[1500:]}, timeout=30).json()["timestamp"]
        yield {"second": crowded, "later": later, "later_ids": ids[1500:]}
    finally:
        requests.delete(control, timeout=10).raise_for_status()


def replies_at(url: str, second: int) -> set[int]:
    """Tickets with a comment in the warehouse at that second."""
    engine = warehouse.engine_for(url)
    at = datetime.fromtimestamp(second, UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        found = {r[0] for r in conn.execute(select(comment_events.c.ticket_id)
                                            .where(comment_events.c.created_at == at))}
    engine.dispose()
    return found


def test_a_second_with_more_events_than_a_page_is_passed_and_reported(sandbox, burst, fresh_warehouse):
    second = burst["second"]
    # The bursts are stamped about a minute ago; the export serves nothing under a minute old, so a run
    # started within a second of them would rightly leave the later one to the next run.
    wait_for(lambda: time.time() > burst["later"] + MIN_AGE_S + 1, 10, "the later burst to be exportable")
    start = datetime.fromtimestamp(second - 5, UTC)
    env = cli_env(sandbox.url, fresh_warehouse, LC_EXPORT_START=f"{start:%Y-%m-%dT%H:%M:%S}Z")
    first = run_cli("export", env=env)
    assert first.returncode == INCOMPLETE, first.stderr
    stamp = f"{datetime.fromtimestamp(second, UTC):%Y-%m-%dT%H:%M:%SZ}"
    assert f"ticket events: the events of {stamp}" in first.stderr and "missing" in first.stderr
    assert "1 second(s) too crowded to page" in first.stdout
    # the page Zendesk could give is kept, and the stream went on past that second
    assert len(replies_at(fresh_warehouse, second)) == 1000
    assert replies_at(fresh_warehouse, burst["later"]) == set(burst["later_ids"])
    engine = warehouse.engine_for(fresh_warehouse)
    with engine.connect() as conn:
        cursor = conn.execute(select(export_state.c.cursor)
                              .where(export_state.c.stream == "ticket_events")).scalar_one()
        comments = conn.execute(select(func.count()).select_from(comment_events)).scalar_one()
    engine.dispose()
    assert int(cursor) == burst["later"]
    # the next run is not stuck on that second: it repeats only the newest second (upserts) and is done
    again = run_cli("export", env=env)
    assert again.returncode == 0, again.stderr
    assert "crowded" not in again.stdout + again.stderr
    engine = warehouse.engine_for(fresh_warehouse)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(comment_events)).scalar_one() == comments
    engine.dispose()
