"""Search indexes new tickets late: a check judges only the minutes search has indexed, and expects only
as many tickets as the baseline gives those minutes."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import requests

from insights import alerts
from insights.zendesk import Http
from tests.insights.conftest import settings_for
from tests.insights.test_jobs import busiest_hour, created_between, no_alert_state  # noqa: F401 - fixtures

LAG_S = 180


@contextmanager
def search_indexed_up_to(sandbox_url: str, moment: datetime, lag_s: int) -> Iterator[None]:
    """The sandbox's search finds only tickets created lag_s before `moment`, as Zendesk's would at it."""
    url = f"{sandbox_url}/_sandbox/zendesk/search-lag"
    behind = int(datetime.now(UTC).timestamp() - moment.replace(tzinfo=UTC).timestamp()) + lag_s
    requests.put(url, json={"seconds": behind}, timeout=5).raise_for_status()
    try:
        yield
    finally:
        requests.put(url, json={"seconds": 0}, timeout=5).raise_for_status()


@pytest.mark.parametrize("minutes", [40, 61], ids=["in the hour", "first minutes of the next hour"])
def test_a_check_counts_what_search_has_indexed_against_the_baseline_of_those_minutes(
        sandbox, exported, busiest_hour, no_alert_state, minutes):  # noqa: F811 - fixtures
    at = busiest_hour + timedelta(minutes=minutes)
    settings = settings_for(sandbox.url, exported.url, alert_index_lag_s=LAG_S, alert_min_elapsed_min=0)
    with search_indexed_up_to(sandbox.url, at, LAG_S), closing(Http(settings)) as http:
        result = alerts.check(settings, exported.engine, http, at)
    # at 40 min: 00-37; at 1 min into the next hour: the end of the busiest hour, 00-58
    judged = minutes - LAG_S // 60
    assert result.base is not None
    assert result.decision.expected == pytest.approx(result.base.median * judged / 60)
    assert result.hour == busiest_hour and result.until == busiest_hour + timedelta(minutes=judged)
    assert result.decision.count == created_between(exported.engine, busiest_hour, result.until)
