"""Alerts, the weekly report and PostgreSQL, end to end against the sandbox (CLI as a subprocess)."""
from __future__ import annotations

import csv
import signal
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import timedelta

import pytest
import requests
from sqlalchemy import and_, create_engine, delete, func, select, text

from insights import alerts, warehouse
from insights.baseline import baseline
from insights.report import build, week_bounds
from insights.warehouse import alert_state, tickets
from tests.insights.conftest import api_ticket_ids, cli_env, last_monday, now, run_cli
from tests.servers import ROOT


def created_between(engine, start, end) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tickets).where(and_(
            tickets.c.deleted.is_(False), tickets.c.created_at >= start,
            tickets.c.created_at < end))).scalar_one()


@pytest.fixture(scope="module")
def busiest_hour(exported):  # noqa: ANN001, ANN201
    """The complete hour since the export's start whose count is furthest above its baseline median."""
    best, best_gap = None, float("-inf")
    hour = exported.start
    while hour + timedelta(hours=2) < now():
        base = baseline(alerts.history(exported.engine, hour, 8))
        count = created_between(exported.engine, hour, hour + timedelta(hours=1))
        if base is not None and base.weeks >= 3 and count - base.median > best_gap:
            best, best_gap = hour, count - base.median
        hour += timedelta(hours=1)
    assert best is not None and best_gap > 0
    return best


@pytest.fixture
def hook(sandbox):
    """A fresh webhook on the sandbox's recorder; yields its URL."""
    url = f"{sandbox.url}/_sandbox/webhooks/alerts-{uuid.uuid4().hex[:8]}"
    yield url
    requests.delete(url, timeout=5)


@pytest.fixture
def no_alert_state(exported):
    with exported.engine.begin() as conn:
        conn.execute(delete(alert_state))
    yield
    with exported.engine.begin() as conn:
        conn.execute(delete(alert_state))


def posted(url: str) -> list[dict]:
    return [e["body"] for e in requests.get(url, timeout=5).json()["data"]]


def spike_settings(sandbox, exported, webhook_url: str):  # noqa: ANN001, ANN201
    """Sensitivity 0: anything above the median of the past weeks counts, so the busiest hour is a "spike"."""
    from tests.insights.conftest import settings_for

    return settings_for(sandbox.url, exported.url, alert_webhook_url=webhook_url, alert_sensitivity=0.0,
                        alert_min_count=1, alert_min_elapsed_min=0)


def test_a_spike_alerts_once_through_the_webhook_and_the_log(sandbox, exported, busiest_hour, hook,
                                                             no_alert_state, caplog):
    from insights.zendesk import Http

    hour = busiest_hour
    at = hour + timedelta(minutes=59)
    settings = spike_settings(sandbox, exported, hook)
    with closing(Http(settings)) as http:  # a live check, as of a past moment (the CLI's --at only replays)
        first = alerts.check(settings, exported.engine, http, at)
        until = at - timedelta(seconds=settings.alert_index_lag_s)  # what search has indexed by then
        expected_count = created_between(exported.engine, hour, until)  # the API's count agrees
        assert first.sent and first.decision.count == expected_count
        assert "ALERT Ticket volume spike" in caplog.text
        [body] = posted(hook)
        assert body["text"].startswith(f"Ticket volume spike: {expected_count} tickets between {hour:%H:%M} "
                                       f"and {until:%H:%M} UTC")
        assert [b["type"] for b in body["blocks"]] == ["header", "section", "context"]
        again = alerts.check(settings, exported.engine, http, at)
    assert again.suppressed and not again.sent
    assert len(posted(hook)) == 1


def test_a_failing_webhook_records_nothing_and_leaves_the_alert_for_the_next_check(
        sandbox, exported, busiest_hour, hook, no_alert_state):
    from insights.zendesk import Http

    at = busiest_hour + timedelta(minutes=59)
    settings = spike_settings(sandbox, exported, hook + "?status=503")
    with closing(Http(settings)) as http, pytest.raises(alerts.WebhookFailed, match="503"):
        alerts.check(settings, exported.engine, http, at)
    with exported.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_state)).scalar_one() == 0


def test_a_replay_with_at_posts_nothing_and_leaves_the_cooldown_alone(sandbox, exported, busiest_hour, hook,
                                                                       no_alert_state):
    hour = busiest_hour
    at = hour + timedelta(minutes=59)
    live = {"key": alerts.STATE_KEY, "last_alert_at": now(), "last_trigger_at": now(), "last_count": 99}
    with exported.engine.begin() as conn:
        warehouse.upsert(conn, alert_state, [live])
    env = cli_env(sandbox.url, exported.url, LC_ALERT_WEBHOOK_URL=hook, LC_ALERT_SENSITIVITY="0",
                  LC_ALERT_MIN_COUNT="1", LC_ALERT_MIN_ELAPSED_MIN="0")
    result = run_cli("alerts", "--at", f"{at:%Y-%m-%dT%H:%M}Z", env=env)
    assert result.returncode == 0, result.stderr
    until = at - timedelta(minutes=3)  # default LC_ALERT_INDEX_LAG_S: a replay judges as a live check would
    count = created_between(exported.engine, hour, until)
    assert "ALERT would be sent (replay: not sent, nothing recorded)" in result.stdout
    assert f"Ticket volume spike: {count} tickets between {hour:%H:%M} and {until:%H:%M} UTC" in result.stdout
    assert posted(hook) == []
    with exported.engine.connect() as conn:
        assert [dict(r) for r in conn.execute(select(alert_state)).mappings()] == [live]


def test_an_ordinary_hour_does_not_alert_with_the_default_rule(sandbox, exported, busiest_hour, hook,
                                                               no_alert_state):
    at = busiest_hour + timedelta(minutes=59)
    env = cli_env(sandbox.url, exported.url, LC_ALERT_WEBHOOK_URL=hook)
    result = run_cli("alerts", "--at", f"{at:%Y-%m-%dT%H:%M}Z", env=env)
    assert result.returncode == 0 and "ALERT" not in result.stdout
    assert posted(hook) == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_watch_keeps_checking_until_interrupted_or_terminated(sandbox, exported, no_alert_state, stop):
    env = cli_env(sandbox.url, exported.url, LC_ALERT_WATCH_S="1")

    # Started as under nohup, a CI runner or a background job: SIGINT arrives ignored (exec keeps that).
    ignored_sigint = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                      "os.execv(sys.executable, [sys.executable, '-m', 'insights', 'alerts', '--watch'])")
    proc = subprocess.Popen([sys.executable, "-c", ignored_sigint], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        proc.send_signal(stop)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert all(line.startswith("alerts ") and "not yet searchable" in line for line in lines)


def test_the_weekly_report_counts_every_ticket_the_api_says_was_solved(sandbox, exported, tmp_path):
    monday = last_monday()
    week = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
    start, end = week_bounds(week)
    result = run_cli("report", "--week", week, "--out", str(tmp_path), env=cli_env(sandbox.url, exported.url))
    assert result.returncode == 0, result.stderr
    with (tmp_path / f"agent-activity-{week}.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert 30 <= len(rows) <= 41
    query = f"type:ticket solved>={start:%Y-%m-%dT%H:%M:%SZ} solved<{end:%Y-%m-%dT%H:%M:%SZ} status>=solved"
    auth = ("agent@demo.example/token", "sandbox-zendesk-token")
    count = requests.get(f"{sandbox.url}/api/v2/search/count.json", params={"query": query}, auth=auth,
                         timeout=10).json()["count"]
    assert sum(int(r["solved"]) for r in rows) == count
    page = (tmp_path / f"agent-activity-{week}.html").read_text(encoding="utf-8")
    assert page.count("<tr>") == len(rows) + 2  # header, one per agent, team median


@pytest.mark.postgres
def test_postgresql_warehouse_exports_idempotently_and_reports(sandbox, postgres_url):
    schema = f"insights_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{postgres_url}?options=-csearch_path%3D{schema}"
        start = now() - timedelta(days=1)
        env = cli_env(sandbox.url, url, LC_EXPORT_START=start.isoformat())
        first = run_cli("export", env=env)
        assert first.returncode == 0, first.stderr
        again = run_cli("export", env=env)
        assert again.returncode == 0 and "0 tickets" in again.stdout
        engine = warehouse.engine_for(url)
        with engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(tickets.c.id))]
        assert len(ids) == len(set(ids)) and set(ids) == api_ticket_ids(sandbox.url, start)
        with engine.connect() as conn:
            iso = now().isocalendar()
            weekly = build(conn, f"{iso.year}-W{iso.week:02d}")  # the report's queries on PostgreSQL
        engine.dispose()
        assert sum(r.solved for r in weekly.rows) > 0
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_backtest_scores_the_warehouse_against_the_sandboxs_labelled_spikes(sandbox, exported, tmp_path):
    labels = requests.get(f"{sandbox.url}/_sandbox/zendesk/spikes", timeout=5).json()["data"]
    result = run_cli("backtest", env=cli_env(sandbox.url, exported.url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("replayed ") and "precision" in result.stdout
    assert sum(1 for line in result.stdout.splitlines() if line.startswith("  ")) == len(labels) >= 4


def test_each_check_of_a_watcher_gets_its_own_retry_budget(clean_sandbox, exported):
    from insights.zendesk import Http
    from tests.insights.conftest import settings_for

    waits: list[float] = []
    settings = settings_for(clean_sandbox.url, exported.url, retry_budget_s=3)
    http = Http(settings, sleep=waits.append)  # one Http for every check, as `alerts --watch` has
    try:
        for _ in range(6):
            clean_sandbox.fault("zendesk", "error", times=1)  # one transient 500 per check
            alerts.check(settings, exported.engine, http, now())
    finally:
        http.close()
    assert waits == [1.0] * 6 and http.waited == 6.0  # each check retried once; the total still counts
