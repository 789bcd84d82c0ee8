"""Rate limit per agent (iss + sub): 429 with Retry-After, shared across workers through Redis."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest
import redis

from backend import create_app
from backend.lookup import Agent
from backend.ratelimit import RateLimiter
from tests.backend.conftest import base_config, bearer, token
from tests.fakes import BlackHole
from tests.servers import free_port, wait_for

URL = "/api/v1/learner-context"


def hit(client, sub: str = "42", iss: str = "https://acme.zendesk.com"):
    # text/plain gets a 415 after the limit is counted: cheap requests that still count
    return client.post(URL, headers=bearer(token(sub=sub, iss=iss)), data="x", content_type="text/plain")


@pytest.fixture(params=["memory", "redis"])
def storage(request) -> str:
    return "" if request.param == "memory" else request.getfixturevalue("redis_url")


def test_over_the_limit_is_429_with_retry_after(tmp_path, storage):
    app = create_app(base_config(tmp_path, rate_limit="3/minute", redis_url=storage))
    client = app.test_client()
    assert [hit(client).status_code for _ in range(3)] == [415, 415, 415]
    resp = hit(client)
    assert resp.status_code == 429
    assert resp.json["error"]["code"] == "rate_limited"
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert resp.json["error"]["details"]["retry_after_s"] == int(resp.headers["Retry-After"])
    assert resp.headers["Cache-Control"] == "no-store"
    app.extensions["lc"].limiter.reset()


def test_the_limit_is_per_agent_not_global(tmp_path, storage):
    app = create_app(
        base_config(
            tmp_path,
            rate_limit="2/minute",
            redis_url=storage,
            jwt_issuers=("https://acme.zendesk.com", "https://beta.zendesk.com"),
        )
    )
    client = app.test_client()
    assert [hit(client, "1").status_code for _ in range(3)] == [415, 415, 429]
    assert hit(client, "2").status_code == 415  # another agent
    assert hit(client, "1", iss="https://beta.zendesk.com").status_code == 415  # same id, other account
    app.extensions["lc"].limiter.reset()


BETA = "https://beta.zendesk.com"


def test_new_agent_ids_do_not_escape_the_accounts_ceiling(tmp_path, storage):
    # The proxy signs whatever agent id the browser writes: a fresh `sub` per call gets past the
    # per-agent limit, never past the account's.
    app = create_app(base_config(tmp_path, rate_limit="2/minute", rate_limit_account="3/minute",
                                 redis_url=storage, jwt_issuers=("https://acme.zendesk.com", BETA)))
    client = app.test_client()
    assert [hit(client, f"agent-{n}").status_code for n in range(4)] == [415, 415, 415, 429]
    refused = hit(client, "agent-9")
    assert refused.status_code == 429 and "Zendesk account" in refused.json["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert hit(client, "agent-1", iss=BETA).status_code == 415  # another account has its own ceiling
    app.extensions["lc"].limiter.reset()


def test_lookups_an_agents_own_limit_refuses_do_not_use_up_the_account(tmp_path, storage):
    app = create_app(base_config(tmp_path, rate_limit="1/minute", rate_limit_account="3/minute",
                                 redis_url=storage))
    client = app.test_client()
    refused = [hit(client, "busy").status_code for _ in range(5)]
    assert refused == [415, 429, 429, 429, 429]
    assert "this agent" in hit(client, "busy").json["error"]["message"]
    assert [hit(client, sub).status_code for sub in ("b", "c", "d")] == [415, 415, 429]
    app.extensions["lc"].limiter.reset()


def test_unauthenticated_requests_do_not_consume_an_agents_quota(tmp_path):
    app = create_app(base_config(tmp_path, rate_limit="2/minute"))
    client = app.test_client()
    for _ in range(5):
        assert client.post(URL, json={}).status_code == 401
    assert [hit(client).status_code for _ in range(2)] == [415, 415]


def test_redis_shares_the_count_between_workers(tmp_path, redis_url):
    prefix = f"lc-test-{uuid.uuid4().hex}"
    apps = [
        create_app(
            base_config(tmp_path, rate_limit="4/minute", redis_url=redis_url, RATE_LIMIT_PREFIX=prefix)
        )
        for _ in range(2)
    ]
    first, second = (a.test_client() for a in apps)
    assert [
        hit(first).status_code,
        hit(second).status_code,
        hit(first).status_code,
        hit(second).status_code,
    ] == [415] * 4
    assert hit(first).status_code == 429
    assert hit(second).status_code == 429
    apps[0].extensions["lc"].limiter.reset()


def test_redis_down_fails_open_rather_than_failing_lookups():
    limiter = RateLimiter("1/minute", f"redis://127.0.0.1:{free_port()}/0")
    agent = Agent(iss="https://acme.zendesk.com", sub="42")
    limiter.check(agent)
    limiter.check(agent)  # no exception: the storage is unreachable, so nothing is limited


@pytest.fixture
def unix_redis(tmp_path):
    """A real redis-server of our own listening on a unix socket only (LC_REDIS_URL=unix://...)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(sock), "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(sock.exists, what="redis-server did not create its socket")
        yield f"unix://{sock}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_unix_socket_redis_serves_the_limit_and_the_cache(tmp_path, unix_redis):
    app = create_app(base_config(tmp_path, rate_limit="2/minute", redis_url=unix_redis))
    client = app.test_client()
    assert [hit(client).status_code for _ in range(3)] == [415, 415, 429]
    cache = app.extensions["lc"].service().cache
    cache.set("probe", {"v": 1}, ttl_s=60)
    assert cache.get("probe") == {"v": 1}
    assert len(redis.Redis.from_url(unix_redis).keys("*")) >= 2  # the limit's and the cache's keys
    app.extensions["lc"].close()


def test_an_unresponsive_redis_is_skipped_for_a_while_after_it_fails(monkeypatch):
    hole = BlackHole()  # accepts connections, never answers
    monkeypatch.setattr("backend.ratelimit.REDIS_RETRY_AFTER_S", 1.0, raising=False)
    agent = Agent(iss="https://acme.zendesk.com", sub="42")
    try:
        limiter = RateLimiter("1/minute", f"redis://127.0.0.1:{hole.port}/0")
        limiter.check(agent)  # fails open once its short timeout passes
        wait_for(lambda: hole.accepted == 1)
        for _ in range(20):
            limiter.check(agent)  # fail open at once: Redis is not contacted again for a while
        time.sleep(0.2)  # time for any connection made meanwhile to be accepted and counted
        assert hole.accepted == 1
        time.sleep(1.0)  # the skip window has passed: Redis is asked again
        limiter.check(agent)
        wait_for(lambda: hole.accepted == 2)
    finally:
        hole.stop()
