"""Insights fixtures: the CLI as a subprocess, settings for the sandbox, one exported warehouse per run."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
import requests

from insights import config, export, warehouse
from insights.zendesk import Http, zenpy_client
from tests.servers import ROOT

EMAIL, TOKEN = "agent@demo.example", "sandbox-zendesk-token"
HISTORY_WEEKS = 3  # the alert baseline needs three weeks of tickets


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def last_monday() -> datetime:
    """Monday 00:00 UTC of the previous ISO week: the session export covers that week completely."""
    today = now().replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday() + 7)


def cli_env(sandbox_url: str, warehouse_url: str, **extra: str) -> dict[str, str]:
    """The environment of a CLI run: only our LC_* variables, pointing at the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "ZENPY_"))}
    env.update({"LC_ZENDESK_URL": sandbox_url, "LC_ZENDESK_EMAIL": EMAIL, "LC_ZENDESK_API_TOKEN": TOKEN,
                "LC_WAREHOUSE_URL": warehouse_url, "LC_EXPORT_RETRY_BUDGET_S": "20"})
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m insights ARGS` to completion."""
    return subprocess.run([sys.executable, "-m", "insights", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def api_ticket_ids(sandbox_url: str, start: datetime) -> set[int]:
    """Every ticket id the incremental export API returns from start, read independently of insights."""
    session = requests.Session()
    session.auth = (f"{EMAIL}/token", TOKEN)
    url = f"{sandbox_url}/api/v2/incremental/tickets/cursor.json"
    params: dict = {"start_time": int(start.replace(tzinfo=UTC).timestamp())}
    ids: set[int] = set()
    while True:
        body = session.get(url, params=params, timeout=30).json()
        ids |= {t["id"] for t in body["tickets"]}
        if body["end_of_stream"]:
            return ids
        params = {"cursor": body["after_cursor"]}


def settings_for(sandbox_url: str, warehouse_url: str, **changes) -> config.Settings:
    """Settings for in-process use against the sandbox."""
    base = config.load({"LC_ZENDESK_URL": sandbox_url, "LC_WAREHOUSE_URL": warehouse_url})
    return replace(base, **changes)


@contextmanager
def exporter_for(sandbox_url: str, warehouse_url: str, page_size: int = 1000,
                 budget: float = 20) -> Iterator[export.Exporter]:
    """An in-process Exporter against the sandbox, its engine and HTTP session closed after the block."""
    settings = settings_for(sandbox_url, warehouse_url, retry_budget_s=budget)
    engine, http = warehouse.engine_for(warehouse_url), Http(settings)
    try:
        warehouse.create_all(engine)
        yield export.Exporter(http, zenpy_client(settings), engine, page_size, progress=False)
    finally:
        http.close()
        engine.dispose()


@contextmanager
def rate_limited(sandbox_url: str, per_minute: int) -> Iterator[None]:
    """The sandbox's Zendesk API allows per_minute requests during the block, then what it allowed before."""
    limit_url = f"{sandbox_url}/_sandbox/zendesk/rate-limit"
    usual = requests.get(limit_url, timeout=5).json()["per_minute"]
    requests.put(limit_url, json={"per_minute": per_minute}, timeout=5)
    try:
        yield
    finally:
        requests.put(limit_url, json={"per_minute": usual}, timeout=5)


@dataclass
class Exported:
    """A warehouse filled from the sandbox: tickets for the last weeks, everything else since last Monday."""

    url: str
    engine: object
    tickets_start: datetime
    start: datetime


@pytest.fixture(scope="session")
def exported(sandbox, tmp_path_factory) -> Exported:
    url = f"sqlite:///{tmp_path_factory.mktemp('insights') / 'warehouse.db'}"
    settings = settings_for(sandbox.url, url)
    engine = warehouse.engine_for(url)
    warehouse.create_all(engine)
    start = last_monday()
    tickets_start = start - timedelta(weeks=HISTORY_WEEKS)
    http = Http(settings)
    exporter = export.Exporter(http, zenpy_client(settings), engine, settings.export_page_size,
                               progress=False)
    exporter.agents()
    exporter.tickets(tickets_start)
    exporter.ticket_events(start)
    exporter.ratings(start)
    http.close()
    yield Exported(url=url, engine=engine, tickets_start=tickets_start, start=start)
    engine.dispose()


@pytest.fixture
def fresh_warehouse(tmp_path) -> str:
    """An empty SQLite warehouse URL for one test."""
    return f"sqlite:///{tmp_path / f'wh-{uuid.uuid4().hex[:8]}.db'}"


@pytest.fixture
def pg_warehouse(postgres_url) -> str:
    """A PostgreSQL warehouse URL in a throw-away schema of its own (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    schema = f"insights_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgres_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse_url(request, fresh_warehouse) -> str:  # noqa: ANN001
    """An empty warehouse URL, once on SQLite and once in a throw-away PostgreSQL schema."""
    if request.param == "sqlite":
        return fresh_warehouse
    return request.getfixturevalue("pg_warehouse")
