"""The throughput benchmark's references: hello world, and hello world that audits like a lookup."""
from __future__ import annotations

import sqlite3

import pytest

from backend.audit import AuditStore
from bench.hello_app import create_app

KEY = "k" * 32


@pytest.fixture
def db(tmp_path):
    return tmp_path / "hello-audit.db"


@pytest.fixture
def client(db):
    audit = AuditStore(f"sqlite:///{db}", KEY)
    yield create_app(audit).test_client()
    audit.close()


def committed_rows(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT agent_sub, match_count, section_statuses FROM lc_audit").fetchall()


def test_hello_answers_without_writing_anything(client, db):
    assert client.post("/hello").get_json() == {"hello": "world"}
    assert committed_rows(db) == []


def test_audited_hello_answers_only_after_its_row_is_committed(client, db):
    for expected in (1, 2):
        assert client.post("/hello-audited").get_json() == {"hello": "world"}
        assert len(committed_rows(db)) == expected  # seen from another connection: committed


def test_audited_hello_writes_the_row_a_warm_lookup_writes(client, db):
    client.post("/hello-audited")
    (sub, matches, sections), = committed_rows(db)
    assert (sub, matches) == ("bench", 1)
    assert sections == '{"learner": "ok", "enrolments": "ok", "courses": "ok", "payments": "ok"}'
