"""Warehouse tables (SQLAlchemy Core) and the dialect-neutral upsert the export relies on."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.engine import Connection, make_url

metadata = MetaData()

# Times are stored as naive UTC so SQLite and PostgreSQL compare them the same way.
tickets = Table(
    "tickets", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", DateTime, index=True),
    Column("updated_at", DateTime),
    # Zendesk's strings are Text: it keeps adding longer values (the channel
    # "sunshine_conversations_facebook_messenger" has 41 characters); PostgreSQL refuses overlong VARCHARs.
    Column("status", Text),
    Column("channel", Text),
    Column("requester_id", BigInteger),
    Column("assignee_id", BigInteger, index=True),
    Column("group_id", BigInteger),
    Column("priority", Text),
    Column("tags", Text),
    Column("deleted", Boolean, nullable=False, default=False),
)
ticket_metrics = Table(
    "ticket_metrics", metadata,
    Column("ticket_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger),
    Column("replies", Integer),
    Column("reopens", Integer),
    Column("first_reply_min", Integer),
    Column("full_resolution_min", Integer),
    Column("solved_at", DateTime, index=True),
    Column("updated_at", DateTime),
)
agents = Table(
    "agents", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text),
    Column("role", Text),
    Column("active", Boolean),
    Column("updated_at", DateTime),
)
satisfaction_ratings = Table(
    "satisfaction_ratings", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("ticket_id", BigInteger),
    Column("assignee_id", BigInteger, index=True),
    Column("score", Text),
    Column("created_at", DateTime, index=True),
    Column("updated_at", DateTime),
)
comment_events = Table(
    "comment_events", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("ticket_id", BigInteger, index=True),
    Column("author_id", BigInteger, index=True),
    Column("public", Boolean),
    Column("created_at", DateTime, index=True),
)
export_state = Table(
    "export_state", metadata,
    Column("stream", String(64), primary_key=True),
    Column("cursor", Text),
    Column("pages", Integer, nullable=False, default=0),
    Column("done", Boolean, nullable=False, default=False),
    Column("since", DateTime),  # the stream holds every change from this time on (coverage start)
    Column("reached", DateTime),  # ... up to this position in the stream (not the wall clock of the save)
    Column("backfill_from", DateTime),  # an --since this stream has not started yet (a run stopped before it)
    Column("pending_since", DateTime),  # start of a back-fill from before since: since once reached >= since
    Column("updated_at", DateTime),
)
alert_state = Table(
    "alert_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("last_alert_at", DateTime),
    Column("last_trigger_at", DateTime),  # the latest check above the threshold, alerted or not
    Column("last_count", Integer),
)


def engine_for(url: str, lock_wait_s: float = 30.0) -> Engine:
    """An engine for url; SQLite files get their folder created and WAL mode. A statement waits at most
    lock_wait_s for a lock another session holds (SQLite's busy timeout, PostgreSQL's lock_timeout), so a
    forgotten open transaction stops a scheduled run with an error instead of hanging it for good."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": lock_wait_s})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the exporter
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _lock_timeout(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
        # A SET, not a startup option: connection poolers such as PgBouncer refuse those. Committed, or
        # the pool's rollback on the connection's first return would undo it.
        cur = dbapi_conn.cursor()
        cur.execute(f"SET lock_timeout = {max(1, round(lock_wait_s * 1000))}")
        cur.close()
        dbapi_conn.commit()

    return engine


def create_all(engine: Engine) -> None:
    """Create any missing table and bring tables of earlier versions up to date (safe on every run)."""
    from insights.migrate import upgrade  # it needs these tables: imported here to avoid a cycle

    upgrade(engine, metadata)


def upsert(conn: Connection, table: Table, rows: Sequence[dict], keys: Iterable[str] | None = None) -> int:
    """Insert rows, overwriting existing ones with the same primary key; returns rows written."""
    if not rows:
        return 0
    pk = list(keys or [c.name for c in table.primary_key.columns])
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise ValueError(f"unsupported warehouse dialect {dialect}")
    # One page may repeat an id (updated twice during the export): keep the last version.
    unique = list({tuple(r[k] for k in pk): r for r in rows}.values())
    stmt = insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in pk}
    conn.execute(stmt.on_conflict_do_update(index_elements=pk, set_=updates), unique)
    return len(unique)


def get_state(conn: Connection, stream: str) -> dict | None:
    """The saved export state of a stream, or None."""
    row = conn.execute(select(export_state).where(export_state.c.stream == stream)).mappings().first()
    return dict(row) if row else None


def save_state(conn: Connection, stream: str, cursor: str | None, *, pages: int, done: bool,
               since: datetime | None = None, reached: datetime | None = None,
               pending_since: datetime | None = None) -> None:
    """Record where a stream stands; call inside the transaction that wrote the page's rows."""
    upsert(conn, export_state, [{"stream": stream, "cursor": cursor, "pages": pages, "done": done,
                                 "since": since, "reached": reached, "backfill_from": None,
                                 "pending_since": pending_since, "updated_at": utcnow()}])


def request_backfill(conn: Connection, stream: str, since: datetime) -> None:
    """Make stream start again from since on its next page (kept until a page of it commits); a back-fill
    still waiting for the stream from an earlier date keeps it (a later --since never cuts one short)."""
    state = get_state(conn, stream)
    if state is None:
        conn.execute(export_state.insert().values(stream=stream, pages=0, done=False, backfill_from=since,
                                                  updated_at=utcnow()))
    else:
        waiting = state["backfill_from"]
        conn.execute(update(export_state).where(export_state.c.stream == stream)
                     .values(backfill_from=min(waiting, since) if waiting else since))


def tickets_since(conn: Connection) -> datetime | None:
    """From when the warehouse holds every ticket (created since then), per the tickets stream's state."""
    state = get_state(conn, "tickets")
    return state["since"] if state else None


def utcnow() -> datetime:
    """Now as naive UTC (the warehouse's time convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_time(value: str | None) -> datetime | None:
    """A Zendesk ISO 8601 time ("2026-11-16T09:30:00Z") as naive UTC, None for empty."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
