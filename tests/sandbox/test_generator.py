"""The demo data generator: deterministic for a seed, with the promised sizes and variety."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from sandbox.config import SEED
from sandbox.internal import generate
from tests.servers import SANDBOX_DATA


@pytest.fixture(scope="module")
def shared_db() -> sqlite3.Connection:
    """The data every sandbox of this run serves (generated now if absent or stale)."""
    generate.ensure(SANDBOX_DATA, SEED)
    conn = sqlite3.connect(f"file:{SANDBOX_DATA / generate.DB_NAME}?mode=ro", uri=True)
    yield conn
    conn.close()


def scalar(conn: sqlite3.Connection, sql: str) -> object:
    return conn.execute(sql).fetchone()[0]


def test_same_seed_gives_the_same_data(tmp_path, shared_db):
    fresh = tmp_path / "internal.db"
    generate.build(fresh, SEED)
    assert generate.digest(fresh) == generate.digest(SANDBOX_DATA / generate.DB_NAME)


def test_a_data_dir_that_is_current_is_not_regenerated(shared_db):
    assert generate.is_current(SANDBOX_DATA / generate.DB_NAME, SEED)
    assert not generate.is_current(SANDBOX_DATA / generate.DB_NAME, SEED + 1)


def test_catalogue_sizes(shared_db):
    assert scalar(shared_db, "SELECT COUNT(*) FROM courses") == 1800
    assert scalar(shared_db, "SELECT COUNT(*) FROM partners") == 140
    assert scalar(shared_db, "SELECT COUNT(DISTINCT kind) FROM partners") == 2
    assert (
        scalar(shared_db, "SELECT COUNT(*) FROM courses WHERE id NOT IN (SELECT course_id FROM sessions)")
        == 0
    )


def test_at_least_20000_learners_from_28_countries(shared_db):
    assert scalar(shared_db, "SELECT COUNT(*) FROM learners") >= 20_000
    assert scalar(shared_db, "SELECT COUNT(DISTINCT country) FROM learners") == 28


def test_names_are_latin_accented_and_cjk(shared_db):
    names = [row[0] for row in shared_db.execute("SELECT name FROM learners WHERE name IS NOT NULL")]
    cjk = [
        n
        for n in names
        if any(unicodedata.name(ch, "").startswith(("CJK", "HANGUL", "HIRAGANA")) for ch in n)
    ]
    accented = [n for n in names if any(ch in n for ch in "éøñüåçşłő")]
    plain = [n for n in names if n.isascii()]
    assert min(len(cjk), len(accented), len(plain)) > 500


def test_variety_of_states(shared_db):
    statuses = dict(shared_db.execute("SELECT status, COUNT(*) FROM learners GROUP BY status").fetchall())
    assert statuses["suspended"] > 50 and statuses["erased"] > 10
    assert scalar(shared_db, "SELECT COUNT(*) FROM learners WHERE external_id LIKE 'sso-%'") > 1000
    tracks = {r[0] for r in shared_db.execute("SELECT DISTINCT track FROM enrolments")}
    assert tracks == {"audit", "verified", "specialization", "degree"}
    enrolment_states = {r[0] for r in shared_db.execute("SELECT DISTINCT status FROM enrolments")}
    assert enrolment_states == {"active", "completed", "unenrolled", "failed"}
    order_states = {r[0] for r in shared_db.execute("SELECT DISTINCT status FROM orders")}
    assert order_states == {"paid", "refunded", "partially_refunded", "failed", "pending"}
    plans = set(shared_db.execute("SELECT DISTINCT plan, status FROM subscriptions").fetchall())
    assert {p for p, _ in plans} == {"monthly", "annual"}
    assert {s for _, s in plans} == {"active", "past_due", "cancelled"}
    payers = {r[0] for r in shared_db.execute("SELECT DISTINCT payer_kind FROM orders")}
    assert payers == {"self", "enterprise", "financial_aid"}
    assert scalar(shared_db, "SELECT COUNT(*) FROM sponsorships WHERE status = 'active'") > 100


def test_erased_learners_keep_no_personal_data(shared_db):
    leaks = scalar(
        shared_db,
        "SELECT COUNT(*) FROM learners WHERE status = 'erased' AND (name IS NOT NULL"
        " OR primary_email IS NOT NULL OR external_id IS NOT NULL OR country IS NOT NULL)",
    )
    assert leaks == 0
    assert (
        scalar(
            shared_db,
            "SELECT COUNT(*) FROM learner_emails e JOIN learners l ON l.id = e.learner_id"
            " WHERE l.status = 'erased' AND e.email IS NOT NULL",
        )
        == 0
    )


def test_emails_are_unique_across_learners(shared_db):
    assert scalar(shared_db, "SELECT COUNT(*) - COUNT(DISTINCT email_hash) FROM learner_emails") == 0
