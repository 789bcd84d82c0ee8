"""Run control: one run per job and warehouse (the second exits 4); zenpy without environment writes."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from insights import warehouse
from insights.runs import AlreadyRunning, job_lock
from insights.zendesk import agent_users, zenpy_client
from tests.insights.conftest import cli_env, run_cli, settings_for


@pytest.fixture
def sqlite_engine(fresh_warehouse):
    engine = warehouse.engine_for(fresh_warehouse)
    yield engine
    engine.dispose()


def test_a_job_lock_refuses_a_second_holder_until_released(sqlite_engine):
    other = warehouse.engine_for(str(sqlite_engine.url))
    with job_lock(sqlite_engine, "export"):
        with pytest.raises(AlreadyRunning), job_lock(other, "export"):
            pass
        with job_lock(other, "alerts"):  # another job on the same warehouse is not held up
            pass
    with job_lock(other, "export"):  # released: the next run goes ahead
        pass
    other.dispose()


@pytest.mark.parametrize("job", ["export", "alerts"])
def test_a_second_run_of_a_job_exits_4_and_does_nothing(sandbox, fresh_warehouse, sqlite_engine, job):
    with job_lock(sqlite_engine, job):
        result = run_cli(job, env=cli_env(sandbox.url, fresh_warehouse))
    assert result.returncode == 4
    assert f"{job} is already running against this warehouse" in result.stderr
    assert result.stdout == ""  # nothing exported, nothing checked


def test_read_only_commands_run_beside_a_held_lock(sandbox, exported, tmp_path):
    engine = warehouse.engine_for(exported.url)
    with job_lock(engine, "export"), job_lock(engine, "alerts"):
        result = run_cli("report", "--week", "2026-W46", "--out", str(tmp_path), env=cli_env(sandbox.url,
                                                                                              exported.url))
    engine.dispose()
    assert result.returncode == 0, result.stderr


@pytest.mark.postgres
def test_postgresql_runs_are_serialised_by_an_advisory_lock_per_schema(sandbox, postgres_url):
    schemas = [f"insights_lock_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    first, second = (f"{postgres_url}?options=-csearch_path%3D{s}" for s in schemas)
    engine, neighbour = warehouse.engine_for(first), warehouse.engine_for(second)
    try:
        with job_lock(engine, "export"):
            result = run_cli("export", env=cli_env(sandbox.url, first))
            with job_lock(neighbour, "export"):  # a warehouse in another schema is a separate warehouse
                pass
        assert result.returncode == 4 and "export is already running" in result.stderr
        with job_lock(engine, "export"):  # unlocked on the way out, though the pool keeps the connection
            pass
    finally:
        engine.dispose()
        neighbour.dispose()
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_zenpy_client_reaches_the_sandbox_without_touching_the_environment(sandbox, fresh_warehouse):
    before = dict(os.environ)
    client = zenpy_client(settings_for(sandbox.url, fresh_warehouse))
    users = agent_users(client)
    assert len(users) == 41 and all(u["role"] in ("agent", "admin") for u in users)
    assert dict(os.environ) == before
    assert not any(k.startswith("ZENPY_") for k in os.environ)
