"""The backend as deployed: gunicorn with gunicorn.conf.py, a bad environment, a streamed body."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
import requests

from backend.config import DEV_SECRET
from backend.devtoken import sign
from tests.servers import ROOT, Server, free_port, start, wait_until_up

CLOSED = "http://127.0.0.1:9"


def gunicorn_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(
        {
            "LC_ENV": "development",
            "LC_JWT_ISSUERS": "https://demo.zendesk.com",
            "LC_LEARNER_API_URL": f"{CLOSED}/l",
            "LC_ENROLMENT_API_URL": f"{CLOSED}/e",
            "LC_COURSE_API_URL": f"{CLOSED}/c",
            "LC_PAYMENT_API_URL": f"{CLOSED}/p",
            "LC_DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}",
            "LC_MAX_BODY_BYTES": "1024",
            "LC_BIND": f"127.0.0.1:{free_port()}",
            "LC_WORKERS": "1",
            "LC_THREADS": "2",
        }
    )
    env.update(extra)
    return env


def run_gunicorn(env: dict[str, str]) -> subprocess.CompletedProcess:
    """gunicorn with the project's conf and env, to its exit (the start-up checks stop it)."""
    return subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = gunicorn_env(tmp)
    srv = start(
        ["-m", "gunicorn", "-c", "gunicorn.conf.py"],
        "/healthz",
        port=int(env["LC_BIND"].split(":")[1]),
        env=env,
        log=tmp / "gunicorn.log",
    )
    yield srv
    srv.stop()


def test_a_bad_environment_stops_gunicorn_with_a_clear_message(tmp_path):
    env = gunicorn_env(tmp_path, LC_ENV="production", LC_JWT_SECRETS="too-short")
    env.pop("LC_PAYMENT_API_URL")
    proc = run_gunicorn(env)
    assert proc.returncode == 1
    assert "learner-context backend cannot start" in proc.stderr
    assert "LC_JWT_SECRETS" in proc.stderr and "LC_PAYMENT_API_URL" in proc.stderr
    assert "LC_AUDIT_HASH_KEY" in proc.stderr
    assert "too-short" not in proc.stderr  # the secret itself is never printed


def test_malformed_settings_stop_gunicorn_with_one_message_and_no_traceback(tmp_path):
    env = gunicorn_env(tmp_path, LC_WORKERS="two", LC_THREADS="0", LC_RATE_LIMIT="lots",
                       LC_DATABASE_URL="notaurl", LC_REDIS_URL="notaurl", LC_LOG_LEVEL="loud")
    proc = run_gunicorn(env)
    assert proc.returncode == 1
    assert proc.stderr.count("learner-context backend cannot start") == 1
    for var in ("LC_WORKERS", "LC_THREADS", "LC_RATE_LIMIT", "LC_DATABASE_URL", "LC_REDIS_URL",
                "LC_LOG_LEVEL"):
        assert f"  - {var}:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_driver_or_redis_url_workers_could_not_use_stops_gunicorn_before_forking(tmp_path):
    # Both once passed start-up, then every worker died at boot with a traceback.
    env = gunicorn_env(tmp_path, LC_DATABASE_URL="postgresql+psycopg2://audit@127.0.0.1/audit",
                       LC_REDIS_URL="redis://127.0.0.1:notaport/0")
    proc = run_gunicorn(env)
    assert proc.returncode == 1
    assert "  - LC_DATABASE_URL: driver 'psycopg2' is not supported" in proc.stderr
    assert "  - LC_REDIS_URL: redis cannot use it" in proc.stderr
    assert "Traceback" not in proc.stderr and "Booting worker" not in proc.stderr


def test_gunicorn_starts_from_another_directory_with_the_conf_files_path(tmp_path):
    env = gunicorn_env(tmp_path)
    env.pop("PYTHONPATH", None)  # only the conf file's own directory may make `backend` importable
    port = int(env["LC_BIND"].split(":")[1])
    with open(tmp_path / "gunicorn.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", proc=proc)
    try:
        wait_until_up(f"{server.url}/healthz", proc, timeout=60)
        token = sign(secret=DEV_SECRET, iss="https://demo.zendesk.com", aud="learner-context", sub="1")
        resp = requests.post(f"{server.url}/api/v1/learner-context", data="x", timeout=10,
                             headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"})
        assert resp.status_code == 415  # a worker imported the app and authenticated the token
    finally:
        server.stop()


def test_a_streamed_body_over_the_limit_is_413_json(server):
    host, port = server.url.removeprefix("http://").split(":")
    token = sign(secret=DEV_SECRET, iss="https://demo.zendesk.com", aud="learner-context", sub="1")
    chunk = b'{"requester": {"email": "a@example.com"}, "ticket": {"text": "' + b"x" * 3000 + b'"}}'
    request = (
        f"POST /api/v1/learner-context HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    request += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"payload_too_large" in body
    assert b"Cache-Control: no-store" in head


def test_served_answers_carry_the_security_headers(server):
    resp = requests.get(f"{server.url}/no/such/page", timeout=10)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert resp.headers["Cache-Control"] == "no-store"
