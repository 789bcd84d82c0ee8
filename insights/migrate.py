"""Bring warehouse tables created by an earlier version up to the current shape (idempotent)."""
from __future__ import annotations

import logging

from sqlalchemy import Engine, MetaData, String, inspect, text

log = logging.getLogger("insights.migrate")


def _widened(table_columns: dict[str, object], column) -> bool:  # noqa: ANN001 - a Column
    """True when the stored column is a bounded VARCHAR but the table now wants unbounded text."""
    stored = table_columns.get(column.name)
    bounded = isinstance(stored, String) and stored.length is not None
    return bounded and not (isinstance(column.type, String) and column.type.length is not None)


def upgrade(engine: Engine, metadata: MetaData) -> None:
    """Widen VARCHAR(n) columns that are now TEXT (PostgreSQL enforces n; SQLite does not)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            stored = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if _widened(stored, column):
                    log.info("warehouse upgrade: %s.%s becomes TEXT", table.name, column.name)
                    conn.execute(text(f"ALTER TABLE {quote(table.name)} "
                                      f"ALTER COLUMN {quote(column.name)} TYPE TEXT"))
