"""The warehouse's tables on SQLite and PostgreSQL: Zendesk's long strings, upgrades, refused writes."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import inspect, select, text

from insights import rows, warehouse
from insights.warehouse import agents, tickets
from tests.insights.conftest import cli_env, now, run_cli

LONG_CHANNEL = "sunshine_conversations_facebook_messenger"  # a real via.channel, 41 characters


def a_ticket(tid: int = 1) -> dict:
    return rows.ticket({"id": tid, "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z",
                        "status": "open", "priority": "urgent", "via": {"channel": LONG_CHANNEL}, "tags": []})


def stored_channel(engine) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(select(tickets.c.channel).where(tickets.c.id == 1)).scalar_one()


def test_zendesk_strings_longer_than_32_characters_are_stored(warehouse_url):
    engine = warehouse.engine_for(warehouse_url)
    try:
        warehouse.create_all(engine)
        with engine.begin() as conn:
            warehouse.upsert(conn, tickets, [a_ticket()])
            warehouse.upsert(conn, agents, [rows.agent({"id": 7, "name": "N" * 300, "role": "x" * 64})])
        assert stored_channel(engine) == LONG_CHANNEL
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_warehouse_created_with_bounded_columns_is_widened_on_the_next_run(pg_warehouse):
    engine = warehouse.engine_for(pg_warehouse)
    try:
        warehouse.create_all(engine)
        with engine.begin() as conn:  # the tables as the first version created them
            conn.execute(text("ALTER TABLE tickets ALTER COLUMN channel TYPE VARCHAR(32)"))
            conn.execute(text("ALTER TABLE satisfaction_ratings ALTER COLUMN score TYPE VARCHAR(32)"))
        warehouse.create_all(engine)
        with engine.begin() as conn:
            warehouse.upsert(conn, tickets, [a_ticket()])
        assert stored_channel(engine) == LONG_CHANNEL
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_write_the_warehouse_refuses_exits_1_with_one_line(sandbox, pg_warehouse):
    engine = warehouse.engine_for(pg_warehouse)
    warehouse.create_all(engine)
    with engine.begin() as conn:  # the database, not the exporter, refuses every ticket row
        conn.execute(text("ALTER TABLE tickets ADD CONSTRAINT refuse_all CHECK (id < 0)"))
    engine.dispose()
    env = cli_env(sandbox.url, pg_warehouse, LC_EXPORT_START=f"{now():%Y-%m-%d}")
    result = run_cli("export", env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "pipeline" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if "refused" in ln]
    assert "CheckViolation (SQLSTATE 23514)" in line and "INSERT" not in line


@pytest.mark.postgres
def test_an_upgrade_the_warehouse_refuses_exits_1_not_as_a_usage_error(sandbox, pg_warehouse, tmp_path):
    engine = warehouse.engine_for(pg_warehouse)
    warehouse.create_all(engine)
    with engine.begin() as conn:  # an old VARCHAR column, and an analyst's view that depends on it
        conn.execute(text("ALTER TABLE tickets ALTER COLUMN channel TYPE VARCHAR(32)"))
        conn.execute(text("CREATE VIEW ticket_channels AS SELECT id, channel FROM tickets"))
    engine.dispose()
    env = cli_env(sandbox.url, pg_warehouse)
    result = run_cli("report", "--week", "2026-W46", "--out", str(tmp_path), env=env)
    assert result.returncode == 1, result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if " ERROR " in ln or "usage" in ln]
    assert "FeatureNotSupported (SQLSTATE 0A000)" in line and "LC_WAREHOUSE_URL" not in line
    assert "Traceback" not in result.stderr


def test_columns_added_since_a_warehouse_was_created_are_added_on_the_next_run(warehouse_url):
    engine = warehouse.engine_for(warehouse_url)
    try:
        warehouse.create_all(engine)
        with engine.begin() as conn:  # export_state as the first version created it
            conn.execute(text("ALTER TABLE export_state DROP COLUMN reached"))
        warehouse.create_all(engine)
        with engine.connect() as conn:
            assert "reached" in {c["name"] for c in inspect(conn).get_columns("export_state")}
    finally:
        engine.dispose()


def blocking_writer(engine, missing: str):  # noqa: ANN001, ANN201
    """A connection in the middle of a write transaction that the upgrade must wait for."""
    holder = engine.connect()
    if engine.dialect.name == "sqlite":
        holder.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite has one writer at a time
    elif missing == "table":  # an uncommitted CREATE TABLE makes every other one wait on its outcome
        holder.execute(text("CREATE TABLE alert_state (key TEXT)"))
    else:
        holder.execute(text("LOCK TABLE export_state IN ACCESS EXCLUSIVE MODE"))
    return holder


def waiting_on_locks(engine, name: str) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n "
                                 "AND wait_event_type = 'Lock'"), {"n": name}).scalar_one()


@pytest.mark.parametrize("missing", ["table", "columns"])
def test_two_runs_upgrading_one_warehouse_at_once_both_succeed(warehouse_url, missing):
    engine = warehouse.engine_for(warehouse_url)
    postgres = engine.dialect.name == "postgresql"
    name = f"upgrade-{uuid.uuid4().hex[:8]}"
    runs = [warehouse.engine_for(f"{warehouse_url}&application_name={name}" if postgres else warehouse_url)
            for _ in range(2)]
    outcomes: list[str] = []

    def run(run_engine) -> None:  # noqa: ANN001
        try:
            warehouse.create_all(run_engine)
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(f"{type(exc).__name__}: {exc}".splitlines()[0])

    try:
        warehouse.create_all(engine)
        with engine.begin() as conn:  # the warehouse as an earlier version left it
            if missing == "table":
                conn.execute(text("DROP TABLE alert_state"))
            else:
                conn.execute(text("ALTER TABLE export_state DROP COLUMN reached"))
                conn.execute(text("ALTER TABLE export_state DROP COLUMN backfill_from"))
        holder = blocking_writer(engine, missing)
        threads = [threading.Thread(target=run, args=(e,)) for e in runs]
        for t in threads:
            t.start()
        if postgres:  # both runs have got as far as they can before the writer is done
            deadline = time.monotonic() + 10
            while waiting_on_locks(engine, name) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        else:  # nothing shows an SQLite connection waiting: give both runs ample time to get there
            time.sleep(1.5)
        holder.rollback()
        holder.close()
        for t in threads:
            t.join(60)
        assert outcomes == ["ok", "ok"]
        with engine.connect() as conn:
            columns = [c["name"] for c in inspect(conn).get_columns("export_state")]
            assert columns.count("reached") == 1 and columns.count("backfill_from") == 1
            assert inspect(conn).has_table("alert_state")
    finally:
        for e in (engine, *runs):
            e.dispose()


@pytest.fixture(params=["not-a-warehouse-url", "not-a-database-file", "missing-schema"])
def unusable_warehouse(request, tmp_path) -> tuple[str, str]:  # noqa: ANN001
    """(URL, what the one-line message must say) for warehouses the configuration gets wrong."""
    if request.param == "not-a-warehouse-url":
        return "mysql://user@127.0.0.1/warehouse", "'mysql' is not a supported warehouse"
    if request.param == "not-a-database-file":
        notes = tmp_path / "notes.txt"
        notes.write_text("these are notes, not SQLite\n" * 100, encoding="utf-8")
        return f"sqlite:///{notes}", "file is not a database"
    postgres = request.getfixturevalue("postgres_url")
    return f"{postgres}?options=-csearch_path%3Dno_such_schema_here", "no schema of its search_path exists"


@pytest.mark.parametrize("command", [["export"], ["report", "--week", "2026-W46", "--out", "unused"]])
def test_a_warehouse_url_leading_nowhere_usable_exits_2_with_one_line(sandbox, unusable_warehouse, command):
    url, why = unusable_warehouse
    result = run_cli(*command, env=cli_env(sandbox.url, url))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and why in result.stderr and "LC_WAREHOUSE_URL" in result.stderr


def test_a_run_waits_a_bounded_time_for_a_lock_held_elsewhere_then_exits_3(sandbox, warehouse_url):
    engine = warehouse.engine_for(warehouse_url)
    warehouse.create_all(engine)
    holder = blocking_writer(engine, "columns")  # an analyst's transaction left open on the export's table
    try:
        env = cli_env(sandbox.url, warehouse_url, LC_WAREHOUSE_LOCK_WAIT_S="0.5",
                      LC_EXPORT_START=f"{now():%Y-%m-%d}")
        result = run_cli("export", env=env, timeout=60)
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
    assert result.returncode == 3, result.stderr
    assert "warehouse busy: another session held a lock this run needed for over 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr
