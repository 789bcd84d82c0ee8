"""Fixtures of the backend's HTTP-surface tests: settings, apps on SQLite, signed tokens."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend import create_app
from backend.cache import MemoryCache
from backend.devtoken import sign
from backend.zendesk import ZendeskClient

SECRET = "test-secret-0123456789-abcdefghijklmnop"  # 39 bytes: valid outside development
OLD_SECRET = "old-secret-0123456789-abcdefghijklmnopq"
ISSUER = "https://acme.zendesk.com"


def base_config(tmp_path, **changes) -> dict:
    """A complete, valid test configuration (no Zendesk, audit on a temp SQLite file)."""
    closed = "http://127.0.0.1:9"  # discard port: nothing listens, calls fail at once
    config: dict[str, object] = {
        "env": "test",
        "jwt_secrets": (SECRET,),
        "jwt_issuers": (ISSUER,),
        "learner_api_url": f"{closed}/internal/learners/v1",
        "enrolment_api_url": f"{closed}/internal/enrolments/v1",
        "course_api_url": f"{closed}/internal/courses/v1",
        "payment_api_url": f"{closed}/internal/payments/v1",
        "internal_api_token": "sandbox-internal-token",
        "audit_hash_key": "test-audit-hash-key",
        "database_url": f"sqlite:///{tmp_path / 'audit.db'}",
        "zendesk_url": "",
        "RATE_LIMIT_PREFIX": f"lc-test-{uuid.uuid4().hex}",
    }
    config.update(changes)
    return config


def token(
    secret: str = SECRET,
    *,
    iss: str = ISSUER,
    aud: str = "learner-context",
    sub: str = "42",
    ticket_id: int | None = 1001,
    **extra: object,
) -> str:
    """A token as Zendesk's proxy signs it (see backend.devtoken)."""
    return sign(secret=secret, iss=iss, aud=aud, sub=sub, ticket_id=ticket_id, **extra)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def app(tmp_path):
    application = create_app(base_config(tmp_path))
    yield application
    application.extensions["lc"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def now() -> int:
    return int(time.time())


@pytest.fixture
def executor():
    """The thread pool a lookup hands the Zendesk calls to."""
    pool = ThreadPoolExecutor(max_workers=4)
    yield pool
    pool.shutdown(wait=False, cancel_futures=True)


@pytest.fixture
def make_client(clean_sandbox):
    """make_client(**settings) -> a ZendeskClient on the sandbox's Zendesk API, closed after the test."""
    from tests.backend.test_context import zendesk_settings  # a test module: imported when used

    made = []

    def make(**changes) -> ZendeskClient:
        made.append(ZendeskClient(zendesk_settings(clean_sandbox, **changes), MemoryCache(ttl_s=60)))
        return made[-1]
    yield make
    for client in made:
        client.close()
