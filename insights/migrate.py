"""Create missing warehouse tables and bring those an earlier version created up to the current shape."""
from __future__ import annotations

import logging

from sqlalchemy import Column, Connection, Engine, MetaData, String, inspect, text

from insights.runs import hold_upgrade_lock

log = logging.getLogger("insights.migrate")


def _widened(stored: object, column: Column) -> bool:
    """True when the stored column is a bounded VARCHAR but the table now wants unbounded text."""
    bounded = isinstance(stored, String) and stored.length is not None
    return bounded and not (isinstance(column.type, String) and column.type.length is not None)


def _alterations(conn: Connection, metadata: MetaData) -> list[tuple[str, str]]:
    """(what, statement) for each change the stored tables need; missing tables are left to create_all."""
    quote = conn.dialect.identifier_preparer.quote
    postgres = conn.dialect.name == "postgresql"
    inspector = inspect(conn)
    changes = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        stored = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            name = f"{quote(table.name)}.{quote(column.name)}"
            if column.name not in stored:
                # Later columns are nullable: no default needed. SQLite has no IF NOT EXISTS here.
                guard = "IF NOT EXISTS " if postgres else ""
                changes.append((f"adding {name}", f"ALTER TABLE {quote(table.name)} ADD COLUMN {guard}"
                                f"{quote(column.name)} {column.type.compile(dialect=conn.dialect)}"))
            # SQLite does not enforce VARCHAR lengths; PostgreSQL refuses longer values.
            elif postgres and _widened(stored[column.name], column):
                changes.append((f"{name} becomes TEXT", f"ALTER TABLE {quote(table.name)} "
                                f"ALTER COLUMN {quote(column.name)} TYPE TEXT"))
    return changes


def _up_to_date(conn: Connection, metadata: MetaData) -> bool:
    tables = inspect(conn)
    return all(tables.has_table(t.name) for t in metadata.sorted_tables) and not _alterations(conn, metadata)


def upgrade(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables, add columns later versions introduced (nullable) and widen VARCHAR(n) columns
    that are now TEXT; safe on every run, and when runs of any job do it at once (they take turns)."""
    with engine.connect() as conn:
        if _up_to_date(conn, metadata):
            return  # the usual run: nothing to change, no lock taken, nothing written
        conn.rollback()
        # Another run may be making the same changes right now: wait for it, then look again, so each
        # change is made once (PostgreSQL's and SQLite's DDL is transactional: all of it or none).
        hold_upgrade_lock(conn)
        metadata.create_all(conn)
        for what, statement in _alterations(conn, metadata):
            log.info("warehouse upgrade: %s", what)
            conn.execute(text(statement))
        conn.commit()
