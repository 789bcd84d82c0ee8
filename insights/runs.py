"""Run control for the scheduled jobs: one run per job and warehouse, and a clean stop on SIGINT/SIGTERM."""
from __future__ import annotations

import fcntl
import hashlib
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from sqlalchemy import Connection, Engine, text


class AlreadyRunning(Exception):
    """Another run of the same job holds the warehouse's lock for that job."""


def advisory_key(job: str, schema: str) -> int:
    """A stable signed 64-bit PostgreSQL advisory-lock key for job on the warehouse in schema."""
    digest = hashlib.sha256(f"insights:{job}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _warehouse_key(conn: Connection, job: str) -> int:
    """job's advisory-lock key for the warehouse conn is on. Advisory locks are per database; the schema
    in the key keeps warehouses sharing a database apart, and asking the server (not the URL) gives every
    machine the same key whatever host name it uses."""
    return advisory_key(job, conn.execute(text("SELECT current_schema()")).scalar_one() or "")


@contextmanager
def _advisory_lock(engine: Engine, job: str) -> Iterator[None]:
    conn = engine.connect()
    try:
        key = _warehouse_key(conn, job)
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one()
        conn.commit()  # the lock is session-level: it outlives this transaction, and dies with the connection
        if not got:
            raise AlreadyRunning(job)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
    finally:
        conn.close()


def hold_upgrade_lock(conn: Connection) -> None:
    """Begin conn's transaction holding the warehouse's lock for changing its tables, until it ends.

    Any run may bring the tables up to date (creating them, adding columns), whatever job it runs and
    whichever job lock it holds, so two at once must take turns: the second then finds the work done.
    """
    if conn.dialect.name == "postgresql":  # a transaction-level advisory lock: released at commit/rollback
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _warehouse_key(conn, "upgrade")})
    elif conn.dialect.name == "sqlite":  # the write lock up front, waiting up to the busy timeout
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def _file_lock(path: Path, job: str) -> Iterator[None]:
    # An SQLite warehouse lives on one machine, so a lock file beside it reaches every run that can write it;
    # the kernel drops flock locks when a run dies, so a crash never leaves a stale lock behind.
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunning(job) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def job_lock(engine: Engine, job: str) -> Iterator[None]:
    """Hold job's lock on the warehouse behind engine for the block; raises AlreadyRunning if it is taken."""
    backend = engine.url.get_backend_name()
    database = engine.url.database or ""
    if backend == "postgresql":
        with _advisory_lock(engine, job):
            yield
    elif backend == "sqlite" and database and database != ":memory:":
        lock_file = Path(database).with_name(f"{Path(database).name}.{job}.lock")
        with _file_lock(lock_file, job):
            yield
    else:  # an in-memory SQLite warehouse is private to this process: nothing else can run against it
        yield


class StopSignal:
    """A flag set by SIGINT or SIGTERM, whatever their inherited disposition (nohup/CI may ignore SIGINT)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, active: bool = True) -> None:
        self.active = active  # inactive: signals keep their usual effect (a one-shot check just dies)
        self.event = threading.Event()
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt  # a second signal: stop now, even in the middle of a check
        self.event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to seconds; True as soon as a stop was asked for."""
        return self.event.wait(seconds)

    def __enter__(self) -> StopSignal:
        if self.active and threading.current_thread() is threading.main_thread():  # signals go to main only
            for sig in self.SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, signal.SIG_DFL if previous is None else previous)  # type: ignore[arg-type]
        self._previous.clear()
