"""SQLite layout of zendesk.db: schema, bulk writing at generation and connections for reading."""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from sandbox import datafile

SCHEMA_VERSION = "zendesk-6"  # bump on any change to the generator: older files are then rebuilt
DB_NAME = "zendesk.db"
TEMP_GLOB = ".zendesk-*-*.db.tmp"  # what temp_path names look like


def temp_path(data_dir: Path) -> Path:
    """A fresh name in data_dir for a database being written, renamed into place when complete. The
    writer's pid is in it, so a later start can tell a dead writer's leftover (advance.py)."""
    fd, name = tempfile.mkstemp(dir=data_dir, prefix=f".zendesk-{os.getpid()}-", suffix=".db.tmp")
    os.close(fd)
    return Path(name)

USER_COLUMNS = ["id", "name", "email", "role", "locale", "time_zone", "iana_time_zone", "external_id",
                "created_at", "updated_at", "default_group_id", "lang"]
IDENTITY_COLUMNS = ["id", "user_id", "type", "value", "verified", "is_primary", "created_at"]
# Times are epoch seconds (UTC). Metric columns live beside the ticket: one row serves both shapes.
TICKET_COLUMNS = [
    "id", "requester_id", "submitter_id", "assignee_id", "group_id", "lang", "topic", "variant",
    "course_n", "order_n", "subject", "description", "status", "priority", "type", "channel", "tags",
    "created_at", "updated_at", "spike", "replies", "reopens", "assigned_at", "initially_assigned_at",
    "first_reply_at", "reply_cal", "reply_bus", "first_solved_at", "solved_at", "first_res_cal",
    "first_res_bus", "full_res_cal", "full_res_bus", "closed_at", "deleted_at", "latest_comment_at",
]
# kind: create | reply (agent, public) | note (agent, private) | requester | solve | reopen | close | delete
EVENT_COLUMNS = ["id", "ticket_id", "ts", "kind", "author_id", "public"]
RATING_COLUMNS = ["id", "ticket_id", "requester_id", "assignee_id", "group_id", "score", "created_at",
                  "updated_at"]
SPIKE_COLUMNS = ["kind", "label", "start", "end"]

TABLES = {
    "meta": "key TEXT PRIMARY KEY, value TEXT NOT NULL",
    "groups": "id INTEGER PRIMARY KEY, name TEXT NOT NULL",
    "users": ("id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL,"
              " locale TEXT, time_zone TEXT, iana_time_zone TEXT, external_id TEXT, created_at INTEGER,"
              " updated_at INTEGER, default_group_id INTEGER, lang TEXT"),
    "identities": ("id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, type TEXT NOT NULL,"
                   " value TEXT NOT NULL, verified INTEGER NOT NULL, is_primary INTEGER NOT NULL,"
                   " created_at INTEGER"),
    "tickets": "id INTEGER PRIMARY KEY, " + ", ".join(f"{c}" for c in TICKET_COLUMNS[1:]),
    "events": ("id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL,"
               " author_id INTEGER, public INTEGER NOT NULL"),
    "ratings": ("id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, requester_id INTEGER,"
                " assignee_id INTEGER, group_id INTEGER, score TEXT NOT NULL, created_at INTEGER NOT NULL,"
                " updated_at INTEGER NOT NULL"),
    "spikes": 'kind TEXT NOT NULL, label TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL',
}
INDEXES = [
    "CREATE INDEX ix_users_role ON users(role, id)",
    "CREATE INDEX ix_users_email ON users(email)",
    "CREATE INDEX ix_identities_user ON identities(user_id, id)",
    "CREATE INDEX ix_tickets_updated ON tickets(updated_at, id)",
    "CREATE INDEX ix_tickets_created ON tickets(created_at)",
    "CREATE INDEX ix_events_ts ON events(ts, id)",
    "CREATE INDEX ix_ratings_created ON ratings(created_at, id)",
    "CREATE INDEX ix_ratings_ticket ON ratings(ticket_id)",
]


def create(path: Path) -> sqlite3.Connection:
    """A new, empty database at path with every table (indexes come after the bulk load)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    for name, columns in TABLES.items():
        conn.execute(f'CREATE TABLE "{name}" ({columns})')
    return conn


def insert(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Bulk insert rows (sequences in column order)."""
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608 - own names


def finish(conn: sqlite3.Connection, meta: dict[str, str]) -> None:
    """Write meta, build indexes and close: the file is then complete and ready to be renamed."""
    insert(conn, "meta", ["key", "value"], sorted(meta.items()))
    for statement in INDEXES:
        conn.execute(statement)
    conn.commit()
    conn.close()


def connect(path: Path) -> sqlite3.Connection:
    """A read connection for one request: rows as sqlite3.Row, read-only so the data stays pristine."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def read_meta(path: Path) -> dict[str, str]:
    """The meta table of an existing database ({} if it is unreadable or from another schema)."""
    meta = datafile.read_meta(path)
    return meta if meta.get("schema") == SCHEMA_VERSION else {}
