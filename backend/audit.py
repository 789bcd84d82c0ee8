"""The audit trail: one committed row per answered lookup, identifiers stored only as keyed hashes."""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from backend.audit_writer import AuditWriter
from backend.errors import ServiceUnavailable
from backend.lookup import Agent, LookupResult

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 3
APPLICATION_NAME = "learner-context-audit"


class AuditUnavailable(ServiceUnavailable):
    """The audit row could not be committed, so the lookup's data must not be returned."""

    code = "audit_unavailable"


def identifier_hash(kind: str, value: str, key: str) -> str:
    """"kind:hex" with HMAC-SHA256 keyed by LC_AUDIT_HASH_KEY; emails are lower-cased first."""
    normal = value.strip().lower() if kind == "email" else value.strip()
    digest = hmac.new(key.encode(), normal.encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest}"


def _table(metadata: MetaData, name: str, schema: str | None) -> Table:
    return Table(
        name, metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("agent_sub", String(128), nullable=False),
        Column("iss", String(255), nullable=False),
        Column("ticket_id", BigInteger, nullable=True),
        Column("identifier_hashes", JSON, nullable=False),
        Column("manual", Boolean, nullable=False),
        Column("ticket_bound", Boolean, nullable=False),
        Column("match_count", Integer, nullable=False),
        Column("section_statuses", JSON, nullable=False),
        Column("latency_ms", Integer, nullable=False),
        Column("request_id", String(128), nullable=False),
        Column("outcome", String(32), nullable=False),
        schema=schema,
    )


def make_engine(url: str) -> Engine:
    """An engine that fails fast when the database is away: pre-ping, short connect timeout."""
    parsed = make_url(url)
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["timeout"] = CONNECT_TIMEOUT_S
    elif parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        connect_args["application_name"] = APPLICATION_NAME  # who this is, in pg_stat_activity
    # Pre-ping (a round trip per checkout) finds server connections a restart or network cut killed;
    # a SQLite file has no server, so there it would only cost a query per lookup.
    pre_ping = parsed.get_backend_name() != "sqlite"
    engine = create_engine(url, pool_pre_ping=pre_ping, pool_timeout=CONNECT_TIMEOUT_S,
                           connect_args=connect_args)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets gunicorn's workers write without blocking readers; synchronous=FULL fsyncs the WAL at
    every commit, so a committed audit row survives a power loss too (NORMAL could drop the last rows)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={CONNECT_TIMEOUT_S * 1000}")
    cursor.close()


class AuditStore:
    """Writes lc_audit rows (group commit through AuditWriter); the table is created on start-up."""

    def __init__(self, url: str, hash_key: str, *, table: str = "lc_audit", schema: str | None = None):
        self.engine = make_engine(url)
        self.hash_key = hash_key
        self.metadata = MetaData()
        self.table = _table(self.metadata, table, schema)
        self.writer = AuditWriter(self.engine, self.table)
        self._created = False

    def create(self) -> bool:
        """Create the table if missing; False (logged) when the database cannot be reached."""
        try:
            self.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            log.error("audit store unreachable at start-up", extra={"error": type(exc).__name__})
            return False
        self._created = True
        return True

    def record(self, agent: Agent, result: LookupResult, *, request_id: str, latency_ms: float,
               outcome: str = "ok") -> None:
        """Insert and commit one row, or raise AuditUnavailable."""
        if not self._created and not self.create():
            raise AuditUnavailable("The audit store is unavailable; no data is returned unaudited.")
        row = {
            "at": datetime.now(UTC),
            "agent_sub": agent.sub,
            "iss": agent.iss,
            "ticket_id": result.ticket_id if result.ticket_id is not None else agent.ticket_id,
            "identifier_hashes": sorted({identifier_hash(kind, value, self.hash_key)
                                         for kind, value in result.identifiers}),
            "manual": result.manual,
            "ticket_bound": result.ticket_bound,
            "match_count": result.match_count,
            "section_statuses": dict(result.section_statuses),
            "latency_ms": int(round(latency_ms)),
            "request_id": request_id,
            "outcome": outcome,
        }
        try:
            self.writer.submit(row, timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - whatever kept the row out (a bad value too), a 503 not a 500
            log.error("audit insert failed", extra={"error": type(exc).__name__})
            raise AuditUnavailable("The audit store is unavailable; no data is returned unaudited.") from None

    def ping(self) -> dict[str, object]:
        """Readiness of the database: {"status", "latency_ms"}."""
        started = time.perf_counter()
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status = "ok" if self._created or self.create() else "error"
        except SQLAlchemyError:
            status = "error"
        return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}

    def rows(self, limit: int = 100) -> list[dict]:
        """The newest rows (for tests and operators)."""
        with self.engine.connect() as conn:
            result = conn.execute(select(self.table).order_by(self.table.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in result]

    def close(self) -> None:
        """Stop the writer (queued rows committed or failed) and release pooled connections."""
        self.writer.close()
        self.engine.dispose()
