"""What both sandbox data files share: reading the meta table that says which generator wrote them."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def read_meta(path: Path) -> dict[str, str]:
    """The key/value meta table of a generated SQLite file ({} if it is missing or unreadable)."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
