"""The Zendesk stand-in's history moves with the clock: the past stays, what happened since is added."""
from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import sandbox.zendesk as zendesk
from sandbox.config import load_zendesk
from sandbox.zendesk import store
from sandbox.zendesk.advance import LIVE_NAME, Advancer, remove_stale_temps
from sandbox.zendesk.timeutil import iso
from tests.servers import SANDBOX_DATA, start_sandbox, wait_for

SEED = 20261123
WEDNESDAY_9AM = 1_795_392_000 + 2 * 86_400 + 9 * 3_600  # 2026-11-25 09:00 UTC: a busy hour
LATER = WEDNESDAY_9AM + 3 * 3_600
CREDENTIALS = base64.b64encode(b"agent@demo.example/token:sandbox-zendesk-token").decode()
AUTH = {"Authorization": f"Basic {CREDENTIALS}"}


@pytest.fixture(scope="module")
def wednesday(tmp_path_factory) -> Path:
    """A data dir whose zendesk.db was generated at Wednesday 09:00."""
    data_dir = tmp_path_factory.mktemp("zendesk-wednesday")
    zendesk.generate(data_dir, SEED, now=WEDNESDAY_9AM)
    return data_dir


def tickets(path: Path) -> dict[int, tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, created_at, requester_id, topic, status FROM tickets").fetchall()
    return {row[0]: row[1:] for row in rows}


def generated_at(path: Path) -> int:
    return int(store.read_meta(path)["generated_at"])


def rebuilding(data_dir: Path) -> list[int]:
    """Pids of rebuild processes (`python -m sandbox.zendesk.advance`) writing into data_dir."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"sandbox.zendesk.advance" in args and str(data_dir).encode() in args:
            pids.append(int(proc.name))
    return pids


def test_a_later_moment_keeps_the_past_and_adds_what_happened_since(wednesday, tmp_path):
    zendesk.generate(tmp_path, SEED, now=LATER)
    before, after = tickets(wednesday / store.DB_NAME), tickets(tmp_path / store.DB_NAME)
    history = [i for i in before if i > 100_000]  # the generated history (demo tickets are 1001–1007)
    # Every ticket there was is still there, created by the same requester at the same time.
    assert all(after[i][:3] == before[i][:3] for i in history)
    new = [i for i in after if i > 100_000 and i not in before]
    assert len(new) > 10  # three office hours on a Wednesday
    assert min(new) == max(history) + 1
    assert all(WEDNESDAY_9AM < after[i][0] <= LATER for i in new)
    # Lifecycles moved on: some tickets open at 09:00 are answered or solved by noon.
    assert sum(after[i][3] != before[i][3] for i in history) > 0
    # The demo tickets are created a few hours before demo_at, by default the moment itself.
    assert after[1001][0] - before[1001][0] == LATER - WEDNESDAY_9AM


def test_demo_tickets_keep_their_age_when_the_history_moves_on(wednesday, tmp_path):
    zendesk.generate(tmp_path, SEED, now=LATER, demo_at=WEDNESDAY_9AM)
    before, after = tickets(wednesday / store.DB_NAME), tickets(tmp_path / store.DB_NAME)
    assert [after[i] for i in range(1001, 1008)] == [before[i] for i in range(1001, 1008)]


def test_the_live_history_is_rebuilt_only_when_asked_and_older_than_the_interval(wednesday):
    moment = [WEDNESDAY_9AM + 3_660]
    advancer = Advancer(wednesday, interval_s=3_600, clock=lambda: moment[0])
    served = advancer.start()
    assert served == wednesday / LIVE_NAME and served.exists()  # served at once: a copy of zendesk.db
    # An hour old at start: brought up to now with the sandbox, in the background.
    wait_for(lambda: advancer.rebuilds >= 1, 60, "no rebuild", 0.1)
    assert generated_at(served) == WEDNESDAY_9AM + 3_660

    moment[0] += 1_800
    assert advancer.poke() is None  # half an interval later: nothing to do
    moment[0] += 1_800
    advancer.poke().join(60)
    assert advancer.rebuilds == 2 and generated_at(served) == WEDNESDAY_9AM + 7_260
    assert generated_at(wednesday / store.DB_NAME) == WEDNESDAY_9AM  # zendesk.db stays as generated


def test_a_restart_serves_a_fresh_live_history_as_it_is(wednesday, tmp_path):
    (tmp_path / store.DB_NAME).write_bytes((wednesday / store.DB_NAME).read_bytes())
    advancer = Advancer(tmp_path, interval_s=3_600, clock=lambda: WEDNESDAY_9AM + 600)
    served = advancer.start()  # generated ten minutes ago: fresher than the interval
    assert not advancer.rebuilding and advancer.poke() is None
    assert advancer.rebuilds == 0 and generated_at(served) == WEDNESDAY_9AM
    later = Advancer(tmp_path, interval_s=3_600, clock=lambda: WEDNESDAY_9AM + 3_601)
    later.start()  # the same file an hour later: rebuilt
    wait_for(lambda: later.rebuilds >= 1, 60, "no rebuild", 0.1)
    assert generated_at(served) == WEDNESDAY_9AM + 3_601


def test_a_live_file_from_an_earlier_week_is_replaced_before_it_is_served(wednesday, tmp_path):
    zendesk.generate(tmp_path, SEED, now=WEDNESDAY_9AM - 7 * 86_400, name=LIVE_NAME)  # last week's
    (tmp_path / store.DB_NAME).write_bytes((wednesday / store.DB_NAME).read_bytes())
    advancer = Advancer(tmp_path, interval_s=600, clock=lambda: WEDNESDAY_9AM + 999)
    served = advancer.start()
    assert generated_at(served) == WEDNESDAY_9AM  # this week's copy, even before the rebuild ends
    wait_for(lambda: advancer.rebuilds >= 1, 60, "no rebuild", 0.1)
    assert generated_at(served) == WEDNESDAY_9AM + 999


def test_without_generated_data_the_clock_starts_and_serves_nothing_yet(tmp_path):
    advancer = Advancer(tmp_path, interval_s=3_600)
    served = advancer.start()  # the sandbox still starts; its API answers 503 meanwhile
    assert not served.exists()
    wait_for(lambda: not advancer.rebuilding, 60, "the rebuild did not end", 0.05)
    assert advancer.rebuilds == 0 and not served.exists()


def test_half_written_files_of_dead_sandboxes_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".zendesk-{dead}-abc.db.tmp"
    mine = tmp_path / f".zendesk-{os.getpid()}-def.db.tmp"
    stale.write_bytes(b"half")
    mine.write_bytes(b"being written")
    assert remove_stale_temps(tmp_path) == [stale]
    assert not stale.exists() and mine.exists()


def test_the_interval_is_a_setting_and_zero_keeps_the_history_still(monkeypatch):
    monkeypatch.setenv("LC_SANDBOX_ZENDESK_ADVANCE_S", "0")
    assert load_zendesk().advance_s == 0
    monkeypatch.delenv("LC_SANDBOX_ZENDESK_ADVANCE_S")
    assert load_zendesk().advance_s == 600
    monkeypatch.setenv("LC_SANDBOX_ZENDESK_ADVANCE_S", "-5")
    with pytest.raises(ValueError, match="LC_SANDBOX_ZENDESK_ADVANCE_S"):
        load_zendesk()


def test_a_sandbox_with_the_clock_on_serves_the_live_history(sandbox, tmp_path):
    served_before = (SANDBOX_DATA / store.DB_NAME).stat().st_mtime_ns
    live = start_sandbox(env={"LC_SANDBOX_ZENDESK_ADVANCE_S": "1"}, log=tmp_path / "live.log")
    try:
        clock = f"{live.url}/_sandbox/zendesk/clock"
        first = requests.get(clock, timeout=10).json()
        assert first["advance_s"] == 1
        deadline = time.monotonic() + 60
        while True:  # each API request asks for the history to be brought up to now
            ticket = requests.get(f"{live.url}/api/v2/tickets/1001.json", headers=AUTH, timeout=10)
            assert ticket.status_code == 200  # answered from the previous file during a rebuild
            now = requests.get(clock, timeout=10).json()
            if now["rebuilds"] >= 2 and now["history_at"] > first["history_at"]:
                break
            assert time.monotonic() < deadline, f"the live history never moved: {now}"
            time.sleep(0.5)
    finally:
        live.stop()
    # A rebuild runs in a child process, which finishes (and renames or removes its file) on its own.
    wait_for(lambda: not rebuilding(SANDBOX_DATA), 60, "a rebuild did not end", 0.2)
    assert list(SANDBOX_DATA.glob(".zendesk-*.db.tmp")) == []
    # The session's sandbox (clock off) and its zendesk.db are untouched.
    assert (SANDBOX_DATA / store.DB_NAME).stat().st_mtime_ns == served_before
    still = requests.get(f"{sandbox.url}/_sandbox/zendesk/clock", timeout=10).json()
    assert still["advance_s"] == 0 and still["rebuilds"] == 0
    assert still["history_at"] == iso(int(store.read_meta(SANDBOX_DATA / store.DB_NAME)["generated_at"]))
