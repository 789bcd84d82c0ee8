"""The export against the sandbox's Zendesk API: complete, idempotent, resumable after kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from insights import warehouse
from insights.__main__ import main
from insights.warehouse import (
    agents,
    comment_events,
    export_state,
    satisfaction_ratings,
    ticket_metrics,
    tickets,
)
from tests.insights.conftest import api_ticket_ids, cli_env, now, run_cli
from tests.servers import ROOT, free_port


def scalar(engine, query):  # noqa: ANN001, ANN201
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def ids_in(url: str) -> tuple[set[int], int]:
    engine = warehouse.engine_for(url)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(tickets.c.id))]
    engine.dispose()
    return set(ids), len(ids)


def test_the_warehouse_holds_every_ticket_the_api_counts_with_its_metrics(sandbox, exported):
    ids, rows = ids_in(exported.url)
    assert rows == len(ids)  # no duplicates
    query = f"type:ticket updated>={exported.tickets_start:%Y-%m-%dT%H:%M:%SZ}"  # search skips deleted ones
    auth = ("agent@demo.example/token", "sandbox-zendesk-token")
    live = requests.get(f"{sandbox.url}/api/v2/search/count.json", params={"query": query}, auth=auth,
                        timeout=10).json()["count"]
    assert scalar(exported.engine, select(func.count()).select_from(tickets)
                  .where(tickets.c.deleted.is_(False))) == live
    assert scalar(exported.engine, select(func.count()).select_from(ticket_metrics)) == rows


def test_agents_replies_and_ratings_are_exported(exported):
    assert scalar(exported.engine, select(func.count()).select_from(agents)) == 41  # 40 agents + the admin
    public = scalar(exported.engine, select(func.count()).select_from(comment_events)
                    .where(comment_events.c.public.is_(True)))
    private = scalar(exported.engine, select(func.count()).select_from(comment_events)
                     .where(comment_events.c.public.is_(False)))
    assert public > 1000 and private > 0
    with exported.engine.connect() as conn:
        scores = {r[0] for r in conn.execute(select(satisfaction_ratings.c.score).distinct())}
    assert {"good", "bad", "offered"} <= scores


def test_deleted_tickets_are_flagged_not_dropped(exported):
    deleted = scalar(exported.engine, select(func.count()).select_from(tickets)
                     .where(tickets.c.deleted.is_(True)))
    statuses = scalar(exported.engine, select(func.count()).select_from(tickets)
                      .where(tickets.c.deleted.is_(True), tickets.c.status != "deleted"))
    assert deleted > 0 and statuses == 0


def test_a_rerun_with_nothing_new_adds_nothing_and_touched_tickets_overwrite(sandbox, exported):
    env = cli_env(sandbox.url, exported.url, LC_EXPORT_START=f"{exported.start:%Y-%m-%d}")
    before = ids_in(exported.url)
    first = run_cli("export", env=env)
    assert first.returncode == 0, first.stderr
    assert "0 tickets" in first.stdout and first.stdout.count("\n") == 1  # one summary line
    assert ids_in(exported.url) == before
    some = sorted(before[0])[:3]
    touched = requests.post(f"{sandbox.url}/_sandbox/zendesk/touch", json={"ids": some}, timeout=10).json()
    try:
        second = run_cli("export", env=env)
        assert second.returncode == 0, second.stderr
        assert "3 tickets" in second.stdout
        assert ids_in(exported.url) == before
        with exported.engine.connect() as conn:
            stamps = {r[0] for r in conn.execute(select(tickets.c.updated_at).where(tickets.c.id.in_(some)))}
        assert stamps == {warehouse.parse_time(touched["updated_at"])}
    finally:
        requests.delete(f"{sandbox.url}/_sandbox/zendesk/touch", timeout=10)


def committed_pages(url: str) -> int:
    engine = warehouse.engine_for(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(select(export_state.c.pages).where(export_state.c.stream == "tickets")).first()
    except Exception:  # noqa: BLE001 - the table may not exist yet while the exporter starts
        row = None
    finally:
        engine.dispose()
    return row[0] if row else 0


def test_killed_mid_run_the_next_run_completes_with_the_exact_ticket_set(clean_sandbox, fresh_warehouse):
    start = now() - timedelta(days=2)
    env = cli_env(clean_sandbox.url, fresh_warehouse, LC_EXPORT_START=start.isoformat(),
                  LC_EXPORT_PAGE_SIZE="100")
    clean_sandbox.fault("zendesk", "latency", ms=150)
    proc = subprocess.Popen([sys.executable, "-m", "insights", "export"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while committed_pages(fresh_warehouse) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, "the export finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    clean_sandbox.clear_faults()
    engine = warehouse.engine_for(fresh_warehouse)
    with engine.connect() as conn:
        state = warehouse.get_state(conn, "tickets")
    engine.dispose()
    assert state["pages"] >= 2 and not state["done"]
    again = run_cli("export", env=env)
    assert again.returncode == 0, again.stderr
    ids, rows = ids_in(fresh_warehouse)
    assert ids == api_ticket_ids(clean_sandbox.url, start) and rows == len(ids)


def test_rate_limited_runs_wait_for_retry_after_then_finish(clean_sandbox, fresh_warehouse):
    from insights.zendesk import Http
    from tests.insights.conftest import settings_for

    limit_url = f"{clean_sandbox.url}/_sandbox/zendesk/rate-limit"
    waits: list[float] = []
    usual = requests.get(limit_url, timeout=5).json()["per_minute"]

    def time_passes(seconds: float) -> None:
        waits.append(seconds)
        requests.put(limit_url, json={"per_minute": usual}, timeout=5)  # the next window opens

    http = Http(settings_for(clean_sandbox.url, fresh_warehouse), sleep=time_passes)
    requests.put(limit_url, json={"per_minute": 1}, timeout=5)
    try:
        http.get_json("/api/v2/users/me.json")
        body = http.get_json("/api/v2/users/me.json")  # the second call of the window gets 429
    finally:
        requests.put(limit_url, json={"per_minute": usual}, timeout=5)
        http.close()
    assert body["user"]["role"] == "admin"
    assert len(waits) == 1 and 1 <= waits[0] <= 60


def test_rate_limited_past_the_budget_exits_3_at_a_page_boundary(clean_sandbox, fresh_warehouse):
    limit_url = f"{clean_sandbox.url}/_sandbox/zendesk/rate-limit"
    env = cli_env(clean_sandbox.url, fresh_warehouse, LC_EXPORT_RETRY_BUDGET_S="0",
                  LC_EXPORT_START=(now() - timedelta(days=1)).isoformat())
    usual = requests.get(limit_url, timeout=5).json()["per_minute"]
    requests.put(limit_url, json={"per_minute": 3}, timeout=5)
    try:
        result = run_cli("export", env=env)
    finally:
        requests.put(limit_url, json={"per_minute": usual}, timeout=5)
    assert result.returncode == 3
    assert "rate limited" in result.stderr and "Traceback" not in result.stderr


def test_bad_credentials_fail_with_1_without_echoing_the_token(sandbox, fresh_warehouse):
    env = cli_env(sandbox.url, fresh_warehouse, LC_ZENDESK_API_TOKEN="wrong-secret-value")
    result = run_cli("export", env=env)
    assert result.returncode == 1
    assert "401" in result.stderr and "wrong-secret-value" not in result.stderr + result.stdout


def test_an_unreachable_api_exits_3(fresh_warehouse, monkeypatch, caplog):
    nobody = f"http://127.0.0.1:{free_port()}"
    use_env(monkeypatch, cli_env(nobody, fresh_warehouse, LC_EXPORT_RETRY_BUDGET_S="1"))
    assert main(["export"]) == 3
    assert "dependency unavailable" in caplog.text


@pytest.mark.parametrize("args", [
    ["export", "--since", "yesterday"], ["export", "--since", "2999-01-01"],
    ["export", "--since", "1969-12-31"], ["alerts", "--at", "1900-01-01T10:00Z"],
    ["alerts", "--at", "2999-01-01T10:00Z"], ["alerts", "--watch", "--at", "2026-01-01T10:00Z"],
    ["backtest", "--spikes", "/nonexistent"],
    ["report", "--week", "2026-W60", "--out", "x"], ["nothing"]])
def test_usage_errors_exit_2(args, fresh_warehouse, monkeypatch):
    use_env(monkeypatch, cli_env("http://127.0.0.1:9", fresh_warehouse))
    assert main(args) == 2


def test_bad_configuration_exits_2(fresh_warehouse, monkeypatch, capsys):
    use_env(monkeypatch, cli_env("http://127.0.0.1:9", fresh_warehouse, LC_EXPORT_PAGE_SIZE="0"))
    assert main(["export"]) == 2
    assert "LC_EXPORT_PAGE_SIZE" in capsys.readouterr().err


def use_env(monkeypatch, env: dict[str, str]) -> None:
    """Run main() in this process under env (the subprocess tests above cover the real CLI)."""
    for key in [k for k in os.environ if k.startswith(("LC_", "ZENPY_"))]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("LC_"):
            monkeypatch.setenv(key, value)


def test_server_errors_and_unreadable_answers_are_retried_then_reported(clean_sandbox, fresh_warehouse):
    from insights.zendesk import Http, ZendeskUnavailable
    from tests.insights.conftest import settings_for

    waits: list[float] = []
    http = Http(settings_for(clean_sandbox.url, fresh_warehouse), sleep=waits.append)
    try:
        clean_sandbox.fault("zendesk", "error", times=1)
        assert http.get_json("/api/v2/users/me.json")["user"]["id"]
        assert waits == [1.0]
        clean_sandbox.fault("zendesk", "garbage", times=10)
        with pytest.raises(ZendeskUnavailable, match="not a JSON object"):
            http.get_json("/api/v2/users/me.json")
        assert waits == [1.0, 1.0, 2.0, 4.0]  # bounded: three back-offs, then give up
    finally:
        http.close()


def test_an_unreachable_warehouse_exits_3(monkeypatch, caplog):
    use_env(monkeypatch, cli_env("http://127.0.0.1:9", f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"))
    assert main(["report", "--week", "2026-W46", "--out", "unused"]) == 3
    assert "warehouse unavailable" in caplog.text


def test_zendesks_incremental_export_limit_stops_a_run_with_3_and_the_next_run_goes_on(clean_sandbox,
                                                                                         fresh_warehouse):
    control = f"{clean_sandbox.url}/_sandbox/zendesk/incremental-rate-limit"
    start = now() - timedelta(days=2)
    env = cli_env(clean_sandbox.url, fresh_warehouse, LC_EXPORT_RETRY_BUDGET_S="0",
                  LC_EXPORT_START=start.isoformat(), LC_EXPORT_PAGE_SIZE="100")
    usual = requests.get(control, timeout=5).json()["per_minute"]
    requests.put(control, json={"per_minute": 2}, timeout=5)  # Zendesk's is 10 a minute
    try:
        stopped = run_cli("export", env=env)
    finally:
        requests.put(control, json={"per_minute": usual}, timeout=5)
    assert stopped.returncode == 3 and "rate limited" in stopped.stderr and "Traceback" not in stopped.stderr
    assert committed_pages(fresh_warehouse) == 2  # the pages it could read are kept
    again = run_cli("export", env=env)
    assert again.returncode == 0, again.stderr
    ids, rows = ids_in(fresh_warehouse)
    assert ids == api_ticket_ids(clean_sandbox.url, start) and rows == len(ids)
