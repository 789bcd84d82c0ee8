"""A `--since` back-fill stopped early is finished by the next runs, for every stream (sandbox)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import and_, func, select

from insights import export, warehouse
from insights.warehouse import comment_events, satisfaction_ratings
from insights.zendesk import ZendeskUnavailable
from tests.insights.conftest import exporter_for, now, rate_limited


def export_run(sandbox_url: str, url: str, since, page_size: int = 1000, budget: float = 20) -> None:  # noqa: ANN001
    with exporter_for(sandbox_url, url, page_size, budget) as exporter:
        exporter.run(since)


def rows_between(url: str, table, start, end) -> int:  # noqa: ANN001
    engine = warehouse.engine_for(url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table).where(
            and_(table.c.created_at >= start, table.c.created_at < end))).scalar_one()
    engine.dispose()
    return n


def test_a_back_fill_cut_short_is_finished_for_replies_and_ratings_later(clean_sandbox, warehouse_url):
    recent, back = now() - timedelta(days=1), now() - timedelta(days=12)
    gap = (back + timedelta(hours=1), back + timedelta(days=3))  # older than the ratings' 7-day look-back
    export_run(clean_sandbox.url, warehouse_url, recent)
    assert rows_between(warehouse_url, comment_events, *gap) == 0
    # the agents and two ticket pages, no more
    with rate_limited(clean_sandbox.url, 4), pytest.raises(ZendeskUnavailable, match="rate limited"):
        export_run(clean_sandbox.url, warehouse_url, back, page_size=100, budget=0)
    export_run(clean_sandbox.url, warehouse_url, None)  # the next scheduled run, without --since
    assert rows_between(warehouse_url, comment_events, *gap) > 100
    assert rows_between(warehouse_url, satisfaction_ratings, *gap) > 10
    engine = warehouse.engine_for(warehouse_url)
    with engine.connect() as conn:
        states = [warehouse.get_state(conn, s) for s in export.STREAMS]
    engine.dispose()
    assert all(s["done"] and s["backfill_from"] is None for s in states)


def test_a_second_back_fill_does_not_cut_short_one_still_waiting_for_its_streams(clean_sandbox,
                                                                                 warehouse_url):
    recent, back, later = (now() - timedelta(days=d) for d in (1, 12, 3))
    gap = (back + timedelta(hours=1), back + timedelta(days=3))  # older than the ratings' 7-day look-back
    export_run(clean_sandbox.url, warehouse_url, recent)
    # stopped in the tickets stream
    with rate_limited(clean_sandbox.url, 4), pytest.raises(ZendeskUnavailable, match="rate limited"):
        export_run(clean_sandbox.url, warehouse_url, back, page_size=100, budget=0)
    export_run(clean_sandbox.url, warehouse_url, later)  # a later --since, before the first was finished
    assert rows_between(warehouse_url, comment_events, *gap) > 100
    assert rows_between(warehouse_url, satisfaction_ratings, *gap) > 10
