"""Fixtures shared by every layer's tests: the real sandbox server and the real services."""
from __future__ import annotations

import os

import pytest

from backend.audit import AuditStore
from tests.servers import Sandbox, service_available, start_sandbox

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("LC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("LC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
AUDIT_KEY = "k" * 32


def require_service(kind: str) -> None:
    """Skip when PostgreSQL/Redis is absent outside CI; under CI its absence is a failure."""
    if service_available(kind):
        return
    if IN_CI:
        pytest.fail(f"{kind} is required under CI but does not answer on 127.0.0.1")
    pytest.skip(f"{kind} not running on 127.0.0.1")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Sandbox:
    """One sandbox server for the whole run; tests reset faults and the request log themselves."""
    log = tmp_path_factory.mktemp("sandbox") / "sandbox.log"
    server = start_sandbox(log=log)
    yield server
    server.stop()


@pytest.fixture
def clean_sandbox(sandbox: Sandbox) -> Sandbox:
    """The sandbox with no faults, an empty request log and its Zendesk tickets as generated, cleaned
    again afterwards."""
    sandbox.clear_faults()
    sandbox.clear_requests()
    sandbox.forget_zendesk_edits()
    yield sandbox
    sandbox.clear_faults()
    sandbox.forget_zendesk_edits()


@pytest.fixture
def postgres_url() -> str:
    require_service("postgres")
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    require_service("redis")
    return REDIS_URL


@pytest.fixture
def audit_db(tmp_path):
    """The path of a fresh SQLite audit database."""
    return tmp_path / "audit.db"


@pytest.fixture
def audit_store(audit_db):
    """An AuditStore on audit_db with its table created, closed (queued rows committed) afterwards."""
    audit = AuditStore(f"sqlite:///{audit_db}", AUDIT_KEY)
    assert audit.create()
    yield audit
    audit.close()
