"""The file lock that lets gunicorn's workers take turns writing one SQLite audit file."""
from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine


@contextlib.contextmanager
def exclusive(lock_file) -> Iterator[None]:
    """Hold the lock file between the processes writing one SQLite file: a waiting worker's writer is
    woken by the kernel when the file is free, where SQLite's busy handler sleeps 1, 2, 5 … 100 ms."""
    if lock_file is None:
        yield
        return
    fcntl.flock(lock_file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(lock_file, fcntl.LOCK_UN)


def lock_path(engine: Engine) -> Path | None:
    """The lock file beside a SQLite database file; None for other databases (they lock themselves)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + ".writer-lock")
