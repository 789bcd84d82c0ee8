"""Bring warehouse tables created by an earlier version up to the current shape (idempotent)."""
from __future__ import annotations

import logging

from sqlalchemy import Column, Engine, MetaData, String, inspect, text

log = logging.getLogger("insights.migrate")


def _widened(stored: object, column: Column) -> bool:
    """True when the stored column is a bounded VARCHAR but the table now wants unbounded text."""
    bounded = isinstance(stored, String) and stored.length is not None
    return bounded and not (isinstance(column.type, String) and column.type.length is not None)


def upgrade(engine: Engine, metadata: MetaData) -> None:
    """Add columns later versions introduced (nullable) and widen VARCHAR(n) columns that are now TEXT."""
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            stored = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in stored:
                    log.info("warehouse upgrade: adding %s.%s", table.name, column.name)
                    conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} "
                                      f"{column.type.compile(dialect=conn.dialect)}"))
                # SQLite does not enforce VARCHAR lengths; PostgreSQL refuses longer values.
                elif conn.dialect.name == "postgresql" and _widened(stored[column.name], column):
                    log.info("warehouse upgrade: %s.%s becomes TEXT", table.name, column.name)
                    conn.execute(text(f"ALTER TABLE {quote(table.name)} "
                                      f"ALTER COLUMN {quote(column.name)} TYPE TEXT"))
