"""`make run`: sandbox on :8001, backend under gunicorn on :8000, a ready curl; Ctrl-C stops both."""
from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from backend.config import DEV_SECRET, token_defaults
from backend.devtoken import sign
from scripts.readiness import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = {"LEARNER": "learners", "ENROLMENT": "enrolments", "COURSE": "courses", "PAYMENT": "payments"}
DEMO_TICKET = 1001
DEMO_EMAIL = "amelie.durand@example.fr"  # requester of ticket 1001; ignored in ticket-bound mode


def backend_env(environ: dict[str, str], sandbox_port: int, backend_port: int) -> dict[str, str]:
    """Development defaults pointing at the sandbox; every LC_* already in the environment wins."""
    sandbox = f"http://127.0.0.1:{sandbox_port}"
    defaults = {
        "LC_ENV": "development",
        "LC_JWT_SECRETS": DEV_SECRET,
        "LC_JWT_ISSUERS": "https://demo.zendesk.com",
        "LC_INTERNAL_API_TOKEN": "sandbox-internal-token",
        "LC_ZENDESK_URL": sandbox,
        "LC_ZENDESK_EMAIL": "agent@demo.example",
        "LC_ZENDESK_API_TOKEN": "sandbox-zendesk-token",
        "LC_BIND": f"127.0.0.1:{backend_port}",
        "LC_PAGE_BACKEND_URL": f"http://127.0.0.1:{backend_port}",  # the ticket page's app talks to it
        # A demo's first `insights export` finishes in one run; the sandbox alone keeps Zendesk's 10/min.
        "LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT": "700",
        **{f"LC_{var}_API_URL": f"{sandbox}/internal/{system}/v1" for var, system in SYSTEMS.items()},
    }
    if environ.get("LC_JWT_SECRETS_FILE"):
        del defaults["LC_JWT_SECRETS"]  # the backend takes its secrets from one or the other
    env = dict(environ)
    for name, value in defaults.items():
        if not env.get(name):
            env[name] = value
    return env


def curl_command(env: dict[str, str], backend_port: int) -> str:
    """A ready-to-paste curl for ticket 1001 with a token signed as Zendesk's proxy signs it."""
    defaults = token_defaults(env)
    token = sign(secret=defaults["secret"], iss=defaults["iss"], aud=defaults["aud"], sub="1",
                 ticket_id=DEMO_TICKET, expiry_s=300)
    body = json.dumps({"requester": {"email": DEMO_EMAIL}, "ticket": {"id": DEMO_TICKET}})
    return (f"curl -s -X POST http://127.0.0.1:{backend_port}/api/v1/learner-context"
            f" -H {shlex.quote('Authorization: Bearer ' + token)}"
            f" -H 'Content-Type: application/json' -d {shlex.quote(body)}")


def busy_ports(ports: dict[str, int]) -> list[str]:
    """The ports (by what they are for) that something already listens on: an earlier `make run` left
    running, or another server. Starting anyway would report ready on someone else's answers."""
    busy = []
    for what, port in ports.items():
        with socket.socket() as probe:
            probe.settimeout(1)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(f"{what} port {port}")
    return busy


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM every child, wait, then SIGKILL what is left."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    """Generate data if needed, start both servers, print how to use them, wait for Ctrl-C."""
    sandbox_port = int(os.environ.get("LC_RUN_SANDBOX_PORT", "8001"))
    backend_port = int(os.environ.get("LC_RUN_BACKEND_PORT", "8000"))
    env = backend_env(dict(os.environ), sandbox_port, backend_port)
    busy = busy_ports({"sandbox": sandbox_port, "backend": backend_port})
    if busy:
        print(f"make run: {' and '.join(busy)} already in use (an earlier make run still running?); stop it, "
              "or choose others with LC_RUN_SANDBOX_PORT / LC_RUN_BACKEND_PORT", file=sys.stderr)
        return 1
    python = sys.executable
    subprocess.run([python, "-m", "sandbox", "generate"], cwd=ROOT, env=env, check=True)
    procs: list[subprocess.Popen] = []

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM ends the launcher the same way as Ctrl-C

    # A closed terminal (SIGHUP) must stop the children too: they run in their own sessions.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        # Own sessions: Ctrl-C reaches only us, and we stop the children in order.
        procs.append(subprocess.Popen([python, "-m", "sandbox", "serve", "--port", str(sandbox_port)],
                                      cwd=ROOT, env=env, start_new_session=True))
        wait_until_up(f"http://127.0.0.1:{sandbox_port}/_sandbox/health", procs, 180, poll_s=0.2)
        procs.append(subprocess.Popen([python, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                                      cwd=ROOT, env=env, start_new_session=True))
        wait_until_up(f"http://127.0.0.1:{backend_port}/healthz", procs, 60, poll_s=0.2)
        print(f"\nTicket page (the sidebar app in a local Zendesk): http://localhost:{sandbox_port}/")
        print(f"Backend:  http://127.0.0.1:{backend_port}  (GET /readyz, GET /api/v1/openapi.json)")
        print(f"Sandbox:  http://127.0.0.1:{sandbox_port}  (internal APIs, Zendesk API, /_sandbox/ controls)")
        print("Try it (token valid 5 minutes; a new one: .venv/bin/python -m backend.devtoken):")
        print(curl_command(env, backend_port))
        print("Ctrl-C stops both.", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("a server exited; stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"make run failed: {exc}", file=sys.stderr)
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        stop(procs)
        print("stopped.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
