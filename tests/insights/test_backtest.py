"""The back-test replays a warehouse through the live rule and scores it against labelled spikes."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from insights import backtest
from insights.baseline import Rule
from insights.warehouse import create_all, engine_for, tickets

ORIGIN = datetime(2026, 1, 5)  # a Monday
SPIKE_START = ORIGIN + timedelta(weeks=5, days=1, hours=10)  # Tuesday 10:00 of the sixth week
RULE = Rule(sensitivity=5.0, min_count=20, min_elapsed_min=10, cooldown_min=180)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Six weeks of 12 tickets an hour, plus 60 extra per hour for two hours from SPIKE_START."""
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('bt') / 'bt.db'}")
    create_all(engine)
    times = [ORIGIN + timedelta(minutes=5 * i + 2) for i in range(6 * 168 * 12)]
    times += [SPIKE_START + timedelta(minutes=2 * i, seconds=30) for i in range(60)]
    times += [SPIKE_START + timedelta(hours=1, minutes=i) for i in range(60)]
    rows = [{"id": i + 1, "created_at": t, "updated_at": t, "status": "new", "tags": "", "deleted": False}
            for i, t in enumerate(times)]
    rows.append({"id": len(rows) + 1, "created_at": SPIKE_START, "updated_at": SPIKE_START,
                 "status": "deleted", "tags": "", "deleted": True})  # deleted tickets are not volume
    with engine.begin() as conn:
        conn.execute(tickets.insert(), rows)
    yield engine
    engine.dispose()


def spike(label: str, start: datetime, hours: int) -> backtest.Spike:
    return backtest.Spike(kind="test", label=label, start=start, end=start + timedelta(hours=hours))


def test_a_labelled_spike_is_caught_once_with_its_time_to_alert(engine):
    quiet = spike("nothing happened", ORIGIN + timedelta(weeks=4, hours=3), 2)
    result = backtest.run(engine, [spike("launch", SPIKE_START, 2), quiet], RULE, weeks=8)
    # 25 min in: 5 steady + 13 extra = 18 < the minimum 20; 30 min: 6 + 15 = 21 > 0.5 * (12 + 5 * sqrt 12)
    assert result.alerts == [SPIKE_START + timedelta(minutes=30)]
    assert result.true_alerts == 1 and result.precision == 1.0
    assert result.recall == 0.5
    assert result.median_time_to_alert == timedelta(minutes=30)
    assert result.hours == 6 * 168 and result.checks_per_hour == 11


def test_an_alert_goes_out_only_once_search_has_indexed_its_window(engine):
    # the 30-minute window is judged by the check 3 minutes later (LC_ALERT_INDEX_LAG_S), as live
    result = backtest.run(engine, [spike("launch", SPIKE_START, 2)], RULE, weeks=8, lag_s=180)
    assert result.alerts == [SPIKE_START + timedelta(minutes=33)]
    assert result.median_time_to_alert == timedelta(minutes=33)


def test_without_a_label_the_alert_counts_against_precision(engine):
    result = backtest.run(engine, [], RULE, weeks=8)
    assert len(result.alerts) == 1 and result.precision == 0.0 and result.recall is None


def test_no_alert_without_three_weeks_of_history(engine):
    eager = Rule(sensitivity=0.0, min_count=0, min_elapsed_min=0, cooldown_min=0)
    assert backtest.run(engine, [], eager, weeks=2).alerts == []
    assert len(backtest.run(engine, [], eager, weeks=3).alerts) > 1


def test_spikes_are_read_from_the_sandbox_shape():
    body = {"data": [{"kind": "outage", "label": "Video outage",
                      "start": "2026-09-15T13:00:00Z", "end": "2026-09-15T18:00:00Z"}]}
    assert backtest.spikes_from(body) == [
        backtest.Spike("outage", "Video outage", datetime(2026, 9, 15, 13), datetime(2026, 9, 15, 18))]
