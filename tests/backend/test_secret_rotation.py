"""Rotating the shared secret without a restart: LC_JWT_SECRETS_FILE, re-read by the master on SIGHUP."""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests

from backend.config import ConfigError, hold_secrets, load, token_defaults
from backend.devtoken import sign
from scripts.run import backend_env
from tests.backend.test_config import VALID
from tests.backend.test_gunicorn import gunicorn_env
from tests.servers import Server, start, wait_for

OLD = "old-secret-" + "a" * 32
NEW = "new-secret-" + "b" * 32
ISSUER = "https://demo.zendesk.com"
SETTLED = 20  # answers in a row that must agree before a reload counts as done


def write(path: Path, text: str) -> None:
    """Replace the file at once, as an operator should (a worker never reads half of it)."""
    staged = path.with_name(path.name + ".new")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


def answer(server: Server, secret: str) -> int:
    """The status of a request signed with secret on a fresh connection: 415 once authenticated
    (the body is not JSON, so no lookup runs), 401 when no configured secret verifies it."""
    token = sign(secret=secret, iss=ISSUER, aud="learner-context", sub="7", ticket_id=1001)
    resp = requests.post(f"{server.url}/api/v1/learner-context", data="x", timeout=30,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain",
                                  "Connection": "close"})
    return resp.status_code


def settles(server: Server, secret: str, status: int) -> bool:
    """SETTLED answers in a row with this status (a worker still stopping may give one more old one)."""
    return all(answer(server, secret) == status for _ in range(SETTLED))


class Traffic:
    """Threads sending requests signed with `secret` without pause, each on a new connection."""

    def __init__(self, server: Server, secret: str, threads: int = 4):
        self.server, self.secret = server, secret
        self.statuses: Counter[int | str] = Counter()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.statuses[answer(self.server, self.secret)] += 1
            except requests.RequestException as exc:  # a refused or dropped connection
                self.statuses[type(exc).__name__] += 1

    def stop(self) -> Counter[int | str]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)
        return self.statuses


@pytest.fixture
def rotating(tmp_path):
    """gunicorn (2 workers) whose secrets come from a file that holds OLD."""
    secrets = tmp_path / "jwt-secrets"
    write(secrets, OLD + "\n")
    env = gunicorn_env(tmp_path, LC_ENV="test", LC_AUDIT_HASH_KEY="k" * 32, LC_JWT_SECRETS_FILE=str(secrets),
                       LC_WORKERS="2", LC_THREADS="4", LC_RATE_LIMIT="1000000/minute",
                       LC_RATE_LIMIT_ACCOUNT="1000000/minute")
    log = tmp_path / "gunicorn.log"
    server = start(["-m", "gunicorn", "-c", "gunicorn.conf.py"], "/healthz",
                   port=int(env["LC_BIND"].split(":")[1]), env=env, log=log)
    # /healthz answers once one worker serves; a worker still booting at a SIGHUP would read the new file.
    wait_for(lambda: ready_workers(log) == 2, timeout=60, poll_s=0.1, what="both workers never booted")
    yield server, secrets, log
    server.stop()


def ready_workers(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count('"Worker ready (pid: ')


def crash_every_worker(server: Server, log: Path) -> None:
    """Kill each worker as a crash would and wait until gunicorn has forked and booted their successors."""
    master = server.proc.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    booted = ready_workers(log)
    for pid in workers:
        os.kill(int(pid), signal.SIGKILL)
    wait_for(lambda: ready_workers(log) == booted + len(workers) or server.proc.poll() is not None,
             timeout=60, poll_s=0.1, what="gunicorn never replaced the killed workers")


def reload_under_traffic(server: Server, secrets: Path, text: str, traffic_secret: str,
                         until: tuple[str, int]) -> Counter[int | str]:
    """Write the file, SIGHUP the master, and wait (polling) until `until` holds, while traffic signed
    with a secret both the old and the new workers accept keeps coming."""
    traffic = Traffic(server, traffic_secret)
    try:
        wait_for(lambda: sum(traffic.statuses.values()) >= 10, timeout=30, what="no traffic before reload")
        write(secrets, text)
        server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: settles(server, *until), timeout=90, poll_s=0.2, what=f"never settled on {until}")
    finally:
        statuses = traffic.stop()
    return statuses


def test_sighup_rotates_the_secrets_file_with_no_refused_request(rotating):
    server, secrets, _ = rotating
    assert answer(server, OLD) == 415 and answer(server, NEW) == 401
    master = server.proc.pid

    # 1. The new secret first, the old one still accepted.
    during = reload_under_traffic(server, secrets, f"{NEW},{OLD}\n", OLD, until=(NEW, 415))
    assert set(during) == {415} and during[415] >= 10, during  # no 401, no connection error
    assert answer(server, OLD) == 415

    # 2. (The app's setting changes to NEW.) Then the old secret goes.
    during = reload_under_traffic(server, secrets, f"{NEW}\n", NEW, until=(OLD, 401))
    assert set(during) == {415} and during[415] >= 10, during
    assert answer(server, NEW) == 415
    assert server.proc.poll() is None and server.proc.pid == master  # one master all along


def test_a_broken_secrets_file_at_sighup_is_refused_and_the_workers_keep_serving(rotating):
    server, secrets, log = rotating
    write(secrets, "too-short\n")
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: "reload refused" in log.read_text(encoding="utf-8", errors="replace"), timeout=60,
             poll_s=0.2, what="the master did not refuse the reload")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "LC_JWT_SECRETS_FILE: secret(s) #[0] shorter than 32 bytes" in text
    assert "too-short" not in text.replace("secret(s) #[0] shorter", "")  # the secret is never logged
    assert server.proc.poll() is None
    assert settles(server, OLD, 415)  # the running workers keep the secrets they read

    write(secrets, NEW + "\n")  # fixed: the next SIGHUP rotates
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: settles(server, NEW, 415), timeout=90, poll_s=0.2, what="the fixed file never took")
    assert answer(server, OLD) == 401


def test_the_secrets_file_holds_one_secret_per_line_or_comma_separated(tmp_path):
    path = tmp_path / "secrets"
    path.write_text(f"\ufeff{NEW}\r\n\n  {OLD} , {'c' * 40}\n", encoding="utf-8")
    assert load({**without(VALID, "LC_JWT_SECRETS"), "LC_JWT_SECRETS_FILE": str(path)}).jwt_secrets == (
        NEW, OLD, "c" * 40)
    assert token_defaults({"LC_JWT_SECRETS_FILE": str(path)})["secret"] == NEW


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "LC_JWT_SECRETS_FILE: cannot read {path}: No such file or directory"),
        ("\n \n", "LC_JWT_SECRETS_FILE: no secret in {path}"),
        (b"\xff\xfe not text", "LC_JWT_SECRETS_FILE: {path} is not UTF-8 text"),
        (f"{NEW}\nshort-secret\n", "LC_JWT_SECRETS_FILE: secret(s) #[1] shorter than 32 bytes"),
    ],
)
def test_a_secrets_file_problem_is_named_without_its_secrets(tmp_path, content, problem):
    path = tmp_path / "secrets"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load({**without(VALID, "LC_JWT_SECRETS"), "LC_JWT_SECRETS_FILE": str(path)})
    (found,) = caught.value.problems
    assert found.startswith(problem.format(path=path))
    assert "short-secret" not in found and NEW not in found


def test_the_secrets_variable_and_file_are_one_or_the_other(tmp_path):
    path = tmp_path / "secrets"
    path.write_text(NEW, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_JWT_SECRETS_FILE": str(path)})
    assert caught.value.problems == ["LC_JWT_SECRETS and LC_JWT_SECRETS_FILE: set one of them, not both"]


def test_held_secrets_stand_in_for_the_file_until_it_is_read_afresh(tmp_path):
    path = tmp_path / "secrets"
    write(path, OLD)
    environ = {**without(VALID, "LC_JWT_SECRETS"), "LC_JWT_SECRETS_FILE": str(path)}
    try:
        hold_secrets(load(environ))
        write(path, NEW)
        assert load(environ).jwt_secrets == (OLD,)  # a worker forked now
        assert load(environ, fresh_secrets=True).jwt_secrets == (NEW,)  # the master at SIGHUP
        other = tmp_path / "other-secrets"
        write(other, NEW)
        assert load({**environ, "LC_JWT_SECRETS_FILE": str(other)}).jwt_secrets == (NEW,)  # held by path
    finally:
        hold_secrets(load(VALID))  # holds nothing: VALID names no file


def test_make_run_leaves_the_secrets_to_a_file_when_one_is_named():
    assert "LC_JWT_SECRETS" not in backend_env({"LC_JWT_SECRETS_FILE": "/run/secrets/lc"}, 8001, 8000)
    assert backend_env({}, 8001, 8000)["LC_JWT_SECRETS"]


def without(environ: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k != name}


def test_workers_restarted_between_sighups_keep_the_secrets_the_master_accepted(rotating):
    server, secrets, log = rotating
    write(secrets, NEW + "\n")  # edited, not yet signalled: a worker forked now must not take it alone
    crash_every_worker(server, log)
    assert settles(server, OLD, 415) and settles(server, NEW, 401)

    write(secrets, "too-short\n")  # broken meanwhile: a worker forked now must still boot
    crash_every_worker(server, log)
    assert server.proc.poll() is None, "gunicorn stopped"
    assert settles(server, OLD, 415)
