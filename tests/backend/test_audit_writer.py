"""SQLite audit writes from many threads of one process: queued on one writer lock, every row committed."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.audit import AuditStore, AuditUnavailable
from backend.lookup import Agent, LookupResult

AGENT = Agent(iss="https://demo.zendesk.com", sub="agent-7", ticket_id=1001)
RESULT = LookupResult(body={}, identifiers=[("email", "someone@example.com")], match_count=1,
                      section_statuses={"learner": "ok", "enrolments": "ok", "courses": "ok",
                                        "payments": "ok"})


@pytest.fixture
def store(tmp_path):
    audit = AuditStore(f"sqlite:///{tmp_path / 'audit.db'}", "k" * 32)
    assert audit.create()
    yield audit
    audit.close()


def test_concurrent_lookups_each_commit_their_own_row(store):
    ids = [f"req-{n}" for n in range(64)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda rid: store.record(AGENT, RESULT, request_id=rid, latency_ms=1.0), ids))
    assert sorted(row["request_id"] for row in store.rows(limit=100)) == sorted(ids)


def test_a_writer_that_never_gets_its_turn_is_a_503_not_a_hang(store, monkeypatch):
    monkeypatch.setattr("backend.audit.CONNECT_TIMEOUT_S", 0.05)
    store._insert._writer.acquire()  # another thread's commit that does not end
    try:
        with pytest.raises(AuditUnavailable):
            store.record(AGENT, RESULT, request_id="late", latency_ms=1.0)
    finally:
        store._insert._writer.release()
    assert "late" not in [row["request_id"] for row in store.rows()]
