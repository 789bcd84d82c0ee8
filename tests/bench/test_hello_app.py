"""The throughput benchmark's references: hello world, and hello world that audits like a lookup."""
from __future__ import annotations

import sqlite3

import pytest

from bench.hello_app import create_app


@pytest.fixture
def client(audit_store):
    return create_app(audit_store).test_client()


def committed_rows(audit_db) -> list[tuple]:
    with sqlite3.connect(audit_db) as conn:
        return conn.execute("SELECT agent_sub, match_count, section_statuses FROM lc_audit").fetchall()


def test_hello_answers_without_writing_anything(client, audit_db):
    assert client.post("/hello").get_json() == {"hello": "world"}
    assert committed_rows(audit_db) == []


def test_audited_hello_answers_only_after_its_row_is_committed(client, audit_db):
    for expected in (1, 2):
        assert client.post("/hello-audited").get_json() == {"hello": "world"}
        assert len(committed_rows(audit_db)) == expected  # seen from another connection: committed


def test_audited_hello_writes_the_row_a_warm_lookup_writes(client, audit_db):
    client.post("/hello-audited")
    (sub, matches, sections), = committed_rows(audit_db)
    assert (sub, matches) == ("bench", 1)
    assert sections == '{"learner": "ok", "enrolments": "ok", "courses": "ok", "payments": "ok"}'
