"""Coverage against the sandbox: a back-fill joins an earlier run only where that run's stream got to."""
from __future__ import annotations

from datetime import timedelta

import pytest

from insights import warehouse
from insights.zendesk import ZendeskUnavailable
from tests.insights.conftest import exporter_for, now, rate_limited


def export_tickets(url: str, sandbox_url: str, since, page_size: int) -> None:  # noqa: ANN001
    with exporter_for(sandbox_url, url, page_size, budget=0) as exporter:
        exporter.tickets(since)


def saved(url: str) -> dict:
    engine = warehouse.engine_for(url)
    with engine.connect() as conn:
        state = warehouse.get_state(conn, "tickets")
    engine.dispose()
    return state


@pytest.fixture
def stopped_run(clean_sandbox, warehouse_url):  # noqa: ANN001, ANN201
    """A tickets export from 10 days ago that the rate limit stopped after 3 pages (exit 3 in a CLI run)."""
    first = (now() - timedelta(days=10)).replace(microsecond=0)
    with rate_limited(clean_sandbox.url, 3), pytest.raises(ZendeskUnavailable, match="rate limited"):
        export_tickets(warehouse_url, clean_sandbox.url, first, page_size=100)
    state = saved(warehouse_url)
    assert state["pages"] == 3 and not state["done"] and state["since"] == first
    return first, state.get("reached")


def test_a_back_fill_after_an_unfinished_run_does_not_claim_the_gap(clean_sandbox, warehouse_url,
                                                                    stopped_run):
    first, reached = stopped_run
    later = (now() - timedelta(days=2)).replace(microsecond=0)
    export_tickets(warehouse_url, clean_sandbox.url, later, page_size=1000)
    state = saved(warehouse_url)
    assert state["done"] and state["since"] == later  # not 10 days ago: days 3 to 8 were never read
    assert first < reached < first + timedelta(days=3)  # the stopped run's 300 tickets: far from today
    assert state["reached"] > now() - timedelta(minutes=5)  # a finished stream is up to date


def test_a_back_fill_from_before_where_the_run_got_joins_its_coverage(clean_sandbox, warehouse_url,
                                                                      stopped_run):
    first, reached = stopped_run
    export_tickets(warehouse_url, clean_sandbox.url, reached - timedelta(hours=1), page_size=1000)
    assert saved(warehouse_url)["since"] == first


def test_a_back_fill_from_before_the_coverage_claims_its_start_only_once_it_has_joined_it(clean_sandbox,
                                                                                          warehouse_url):
    covered = (now() - timedelta(days=2)).replace(microsecond=0)
    export_tickets(warehouse_url, clean_sandbox.url, covered, page_size=1000)
    assert saved(warehouse_url)["done"] and saved(warehouse_url)["since"] == covered
    back = (now() - timedelta(days=10)).replace(microsecond=0)
    with rate_limited(clean_sandbox.url, 3), pytest.raises(ZendeskUnavailable, match="rate limited"):
        export_tickets(warehouse_url, clean_sandbox.url, back, page_size=100)
    state = saved(warehouse_url)
    assert state["pages"] == 3 and not state["done"] and state["reached"] < covered - timedelta(days=3)
    assert state["since"] == covered  # not 10 days ago: the back-fill has not read days 7 to 2 yet
    export_tickets(warehouse_url, clean_sandbox.url, None, page_size=1000)  # the next run finishes it
    state = saved(warehouse_url)
    assert state["done"] and state["since"] == back
