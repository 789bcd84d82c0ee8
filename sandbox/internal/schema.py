"""SQLite schema of the internal systems' data; times are second offsets from the read-time anchor."""

from __future__ import annotations

import hashlib

SCHEMA_VERSION = "internal-1"

# Every *_off column is seconds relative to 00:00 UTC of the day the sandbox answers (see db.anchor),
# so "paid 5 days ago" stays true on any day the sandbox runs.
TABLES: dict[str, str] = {
    "meta": "key TEXT PRIMARY KEY, value TEXT NOT NULL",
    "partners": "id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL",
    "courses": (
        "id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL, language TEXT NOT NULL,"
        " partner_id TEXT NOT NULL, workload_hours INTEGER NOT NULL"
    ),
    "sessions": (
        "id TEXT PRIMARY KEY, course_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " starts_off INTEGER NOT NULL, ends_off INTEGER NOT NULL"
    ),
    "deadlines": (
        "id TEXT PRIMARY KEY, session_id TEXT NOT NULL, seq INTEGER NOT NULL, title TEXT NOT NULL,"
        " kind TEXT NOT NULL, due_off INTEGER NOT NULL"
    ),
    "learners": (
        "id TEXT PRIMARY KEY, external_id TEXT, name TEXT, primary_email TEXT, country TEXT,"
        " language TEXT, time_zone TEXT, status TEXT NOT NULL, created_off INTEGER,"
        " erased_off INTEGER"
    ),
    # email is NULL once erased; email_hash (sha256 of the lower-cased address) stays for look-ups.
    "learner_emails": (
        "learner_id TEXT NOT NULL, position INTEGER NOT NULL, email TEXT, email_hash TEXT NOT NULL"
    ),
    "enrolments": (
        "id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, course_id TEXT NOT NULL,"
        " session_id TEXT NOT NULL, track TEXT NOT NULL, status TEXT NOT NULL,"
        " progress_pct INTEGER NOT NULL, grade INTEGER, enrolled_off INTEGER NOT NULL,"
        " last_activity_off INTEGER NOT NULL, cert_status TEXT NOT NULL, cert_issued_off INTEGER,"
        " cert_code TEXT"
    ),
    "extensions": "enrolment_id TEXT NOT NULL, deadline_id TEXT NOT NULL, days INTEGER NOT NULL",
    "orders": (
        "id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, created_off INTEGER NOT NULL,"
        " status TEXT NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,"
        " product_kind TEXT NOT NULL, course_id TEXT, enrolment_id TEXT, title TEXT NOT NULL,"
        " payer_kind TEXT NOT NULL, sponsor_id TEXT, payment_method TEXT NOT NULL"
    ),
    "refunds": (
        "id TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
        " created_off INTEGER NOT NULL, reason TEXT NOT NULL"
    ),
    "subscriptions": (
        "id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL,"
        " started_off INTEGER NOT NULL, period_end_off INTEGER NOT NULL, cancelled_off INTEGER,"
        " amount_cents INTEGER NOT NULL, currency TEXT NOT NULL"
    ),
    "financial_aid": (
        "id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, course_id TEXT NOT NULL,"
        " status TEXT NOT NULL, applied_off INTEGER NOT NULL, decided_off INTEGER,"
        " coverage_pct INTEGER NOT NULL"
    ),
    "sponsors": "id TEXT PRIMARY KEY, name TEXT NOT NULL",
    "sponsorships": (
        "id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, sponsor_id TEXT NOT NULL,"
        " program TEXT NOT NULL, status TEXT NOT NULL, valid_until_off INTEGER NOT NULL"
    ),
}

INDEXES = [
    "CREATE INDEX ix_courses_partner ON courses(partner_id, id)",
    "CREATE INDEX ix_sessions_course ON sessions(course_id, seq)",
    "CREATE INDEX ix_deadlines_session ON deadlines(session_id, seq)",
    "CREATE INDEX ix_learners_external ON learners(external_id)",
    "CREATE INDEX ix_emails_hash ON learner_emails(email_hash)",
    "CREATE INDEX ix_emails_learner ON learner_emails(learner_id, position)",
    "CREATE INDEX ix_enrolments_learner ON enrolments(learner_id, last_activity_off DESC, id DESC)",
    "CREATE INDEX ix_extensions_enrolment ON extensions(enrolment_id)",
    "CREATE INDEX ix_orders_learner ON orders(learner_id, created_off DESC, id DESC)",
    "CREATE INDEX ix_refunds_order ON refunds(order_id)",
    "CREATE INDEX ix_subscriptions_learner ON subscriptions(learner_id)",
    "CREATE INDEX ix_aid_learner ON financial_aid(learner_id)",
    "CREATE INDEX ix_sponsorships_learner ON sponsorships(learner_id)",
]


def columns(table: str) -> list[str]:
    """Column names of a table, in order."""
    return [part.strip().split()[0] for part in TABLES[table].split(",")]


def create_tables(conn) -> None:
    """Create every table on an empty database."""
    for name, cols in TABLES.items():
        conn.execute(f"CREATE TABLE {name} ({cols})")


def create_indexes(conn) -> None:
    """Create the look-up indexes (after the bulk insert: building them once is faster)."""
    for statement in INDEXES:
        conn.execute(statement)


def email_hash(email: str) -> str:
    """The stored look-up key of an email address: sha256 of its trimmed, lower-cased form."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()
