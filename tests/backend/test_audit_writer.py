"""Group commit of audit rows: each request waits for its own row's commit; rows share transactions."""
from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from backend.audit import APPLICATION_NAME, AuditStore, AuditUnavailable
from backend.lookup import Agent, LookupResult
from tests.conftest import AUDIT_KEY
from tests.servers import wait_for

AGENT = Agent(iss="https://demo.zendesk.com", sub="agent-7", ticket_id=1001)
RESULT = LookupResult(body={}, identifiers=[("email", "someone@example.com")], match_count=1,
                      section_statuses={"learner": "ok", "enrolments": "ok", "courses": "ok",
                                        "payments": "ok"})


def committed_ids(db) -> list[str]:
    """request_ids as a separate connection sees them: only committed rows."""
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT request_id FROM lc_audit")]


def record(store: AuditStore, request_id: str) -> None:
    store.record(AGENT, RESULT, request_id=request_id, latency_ms=1.0)


def test_each_call_returns_only_once_its_row_is_committed(audit_store, audit_db):
    def record_and_look(request_id: str) -> bool:
        record(audit_store, request_id)
        return request_id in committed_ids(audit_db)

    ids = [f"req-{n}" for n in range(64)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(record_and_look, ids))
    assert sorted(committed_ids(audit_db)) == sorted(ids)


def test_rows_waiting_together_share_one_commit(audit_store, audit_db):
    with open(f"{audit_db}.writer-lock", "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process's writer mid-commit
        threads = [threading.Thread(target=record, args=(audit_store, f"req-{n}")) for n in range(16)]
        for thread in threads:
            thread.start()
        wait_for(lambda: audit_store.writer.queued == 16)  # the writer holds the first rows, waiting
        fcntl.flock(held, fcntl.LOCK_UN)
        for thread in threads:
            thread.join()
    assert audit_store.writer.rows == 16
    assert audit_store.writer.batches <= 2  # what it took first, then everything that queued meanwhile
    assert len(committed_ids(audit_db)) == 16


def _write_from_another_process(url: str, prefix: str, count: int) -> None:
    audit = AuditStore(url, AUDIT_KEY)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: record(audit, f"{prefix}-{n}"), range(count)))
    audit.close()


def test_two_processes_writing_one_file_lose_no_row(audit_store, audit_db):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_from_another_process, args=(f"sqlite:///{audit_db}", name, 150))
             for name in ("w1", "w2")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    ids = committed_ids(audit_db)
    assert len(ids) == len(set(ids)) == 300


def test_a_failing_database_fails_the_waiting_calls_and_recovers_when_back(audit_store, audit_db):
    record(audit_store, "before")
    with sqlite3.connect(audit_db) as conn:
        conn.execute("ALTER TABLE lc_audit RENAME TO lc_audit_away")
    with pytest.raises(AuditUnavailable):
        record(audit_store, "while-away")
    with sqlite3.connect(audit_db) as conn:
        conn.execute("ALTER TABLE lc_audit_away RENAME TO lc_audit")
    record(audit_store, "after")  # the same writer, no restart
    assert committed_ids(audit_db) == ["before", "after"]


def test_a_writer_that_cannot_get_the_file_is_a_503_not_a_hang(audit_store, audit_db, monkeypatch):
    monkeypatch.setattr("backend.audit.CONNECT_TIMEOUT_S", 0.2)
    with open(f"{audit_db}.writer-lock", "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(AuditUnavailable):
            record(audit_store, "late")
        assert time.monotonic() - started < 5
        assert "late" not in committed_ids(audit_db)
    # Audited although never answered: the safe way round.
    wait_for(lambda: "late" in committed_ids(audit_db))


def test_close_commits_what_is_queued_and_stops_the_thread(audit_db):
    audit = AuditStore(f"sqlite:///{audit_db}", AUDIT_KEY)
    audit.create()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: record(audit, f"req-{n}"), range(32)))
    audit.close()
    assert len(committed_ids(audit_db)) == 32
    assert not [t for t in threading.enumerate() if t.name == "lc-audit-writer"]


def test_postgres_writer_survives_its_connection_being_killed(postgres_url):
    table = f"lc_audit_w_{uuid.uuid4().hex[:12]}"
    audit = AuditStore(postgres_url, AUDIT_KEY, table=table)
    assert audit.create()
    try:
        record(audit, "first")
        with audit.engine.connect() as conn:
            killed = conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND application_name = :name AND state = 'idle'"),
                {"name": APPLICATION_NAME}).all()
            conn.commit()
        assert (True,) in killed  # the writer's connection (and any idle pooled one)
        record(audit, "second")  # retried once on a fresh connection: no 503
        with audit.engine.connect() as conn:
            ids = conn.execute(text(f"SELECT request_id FROM {table} ORDER BY id")).scalars().all()  # noqa: S608
        assert ids == ["first", "second"]
    finally:
        audit.table.drop(audit.engine, checkfirst=True)
        audit.close()


def test_a_writer_that_cannot_even_start_its_batch_fails_it_at_once(audit_store, audit_db, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr("backend.audit.CONNECT_TIMEOUT_S", 60)  # a stranded row would wait this long
    good_path = audit_store.writer.lock_path
    audit_store.writer.lock_path = tmp_path  # a directory: the lock file cannot be opened
    started = time.monotonic()
    with pytest.raises(AuditUnavailable):
        record(audit_store, "no-lock-file")
    assert time.monotonic() - started < 30
    audit_store.writer.lock_path = good_path
    record(audit_store, "after")  # the same writer thread goes on
    assert committed_ids(audit_db) == ["after"]


@pytest.fixture(params=["sqlite", "postgres"])
def held_store(request, audit_store, audit_db):
    """(store, hold, bad subs): hold() keeps the writer from committing, as another writer would."""
    if request.param == "sqlite":
        @contextlib.contextmanager
        def hold():
            with open(f"{audit_db}.writer-lock", "ab") as held:
                fcntl.flock(held, fcntl.LOCK_EX)
                yield
        yield audit_store, hold, ["evil\ud800"]  # SQLite stores a NUL, but cannot encode a lone surrogate
        return
    store = AuditStore(request.getfixturevalue("postgres_url"), AUDIT_KEY,
                       table=f"lc_audit_w_{uuid.uuid4().hex[:12]}")
    assert store.create()

    @contextlib.contextmanager
    def hold():
        with store.engine.connect() as conn:
            conn.execute(text(f"LOCK TABLE {store.table.name} IN ACCESS EXCLUSIVE MODE"))
            yield
            conn.rollback()
    try:
        yield store, hold, ["evil\x00", "evil\ud800"]
    finally:
        store.close()
        store.table.drop(store.engine, checkfirst=True)
        store.engine.dispose()


def test_a_row_the_database_refuses_fails_alone_not_the_rows_committed_with_it(held_store):
    store, hold, bad_subs = held_store
    outcomes: dict[str, str] = {}

    def submit(request_id: str, sub: str) -> None:
        try:
            agent = Agent(iss=AGENT.iss, sub=sub, ticket_id=1)
            store.record(agent, RESULT, request_id=request_id, latency_ms=1)
            outcomes[request_id] = "committed"
        except AuditUnavailable:
            outcomes[request_id] = "503"

    rows = [("good-0", "agent-0")]
    rows += [(f"bad-{n}", sub) for n, sub in enumerate(bad_subs)]
    rows += [(f"good-{n}", f"agent-{n}") for n in range(1, 9)]
    threads = [threading.Thread(target=submit, args=row) for row in rows]
    with hold():
        threads[0].start()
        wait_for(lambda: store.writer.queued == 1 and not store.writer._queue)  # the writer holds good-0
        for thread in threads[1:]:
            thread.start()
        wait_for(lambda: store.writer.queued == len(rows))  # the rest wait together: one batch
    for thread in threads:
        thread.join(10)
    good = sorted(request_id for request_id, _ in rows if request_id.startswith("good"))
    assert outcomes == {request_id: "committed" if request_id in good else "503" for request_id, _ in rows}
    assert sorted(row["request_id"] for row in store.rows()) == good
