"""`make run`'s launcher: prints a working curl, then Ctrl-C stops the sandbox and gunicorn."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from scripts.run import backend_env
from tests.servers import ROOT, free_port


def child_pids(pid: int) -> set[int]:
    """Direct children of pid, from /proc (no extra dependency)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]  # noqa: SIM115
    except OSError:
        return False
    return state != "Z"


def read_until(proc: subprocess.Popen, pattern: str, timeout: float) -> list[str]:
    """Lines of proc's stdout up to the first matching `pattern`; fails on exit or timeout."""
    lines: list[str] = []
    found = threading.Event()

    def reader() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if re.search(pattern, line):
                found.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    if not found.wait(timeout):
        pytest.fail(f"launcher did not print {pattern!r}; output so far:\n" + "\n".join(lines))
    return list(lines)


@pytest.fixture
def launcher(tmp_path):
    backend_port, sandbox_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(
        {
            "LC_RUN_BACKEND_PORT": str(backend_port),
            "LC_RUN_SANDBOX_PORT": str(sandbox_port),
            "LC_DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}",
            "LC_WORKERS": "1",
            "LC_THREADS": "4",
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    yield proc, backend_port, sandbox_port
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGHUP], ids=["ctrl-c", "terminal-closed"])
def test_launcher_prints_a_working_curl_and_stops_both_children_on_ctrl_c(launcher, stop_signal):
    proc, backend_port, sandbox_port = launcher
    lines = read_until(proc, r"^curl ", timeout=100)
    printed = [line for line in lines if line.strip()]
    assert printed[0].endswith(f"http://localhost:{sandbox_port}/")  # the ticket page comes first
    assert any(f"http://127.0.0.1:{backend_port}" in line for line in printed)
    assert any(f"http://127.0.0.1:{sandbox_port}" in line for line in printed)
    children = child_pids(proc.pid)
    assert len(children) == 2  # the sandbox and the gunicorn master
    family = children | {g for c in children for g in child_pids(c)}  # plus gunicorn's workers

    curl = subprocess.run(["bash", "-c", printed[-1]], capture_output=True, text=True, timeout=30)
    body = json.loads(curl.stdout)
    assert body["ticket_bound"] is True
    assert [m["learner"]["email"] for m in body["matches"]] == ["amelie.durand@example.fr"]

    proc.send_signal(stop_signal)
    assert proc.wait(timeout=30) == 0
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in family if alive(pid)] == []


def test_make_run_lets_a_demo_export_finish_in_one_run_unless_told_otherwise():
    assert backend_env({}, 8001, 8000)["LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT"] == "700"
    chosen = {"LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT": "10"}
    assert backend_env(chosen, 8001, 8000)["LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT"] == "10"


def test_make_run_points_the_ticket_page_at_its_own_backend_port():
    assert backend_env({}, 18101, 18100)["LC_PAGE_BACKEND_URL"] == "http://127.0.0.1:18100"


def test_make_run_refuses_to_start_on_a_port_something_else_answers(tmp_path):
    with socket.socket() as squatter:  # an earlier make run, or any other server
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update({"LC_RUN_BACKEND_PORT": str(taken), "LC_RUN_SANDBOX_PORT": str(free_port()),
                    "LC_DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}"})
        run = subprocess.run([sys.executable, "-m", "scripts.run"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60)
    assert run.returncode == 1
    assert f"backend port {taken} already in use" in run.stderr
    assert "curl" not in run.stdout  # never a "ready" on someone else's answers
