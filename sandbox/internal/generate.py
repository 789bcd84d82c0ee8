"""Build internal.db deterministically from a seed, atomically (temp file, then rename) and once."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import random
import sqlite3
from pathlib import Path

from sandbox import datafile
from sandbox.internal import catalogue, commerce, people, persona_rows, schema

log = logging.getLogger("sandbox.generate")
DB_NAME = "internal.db"
_SOURCES = ("schema", "names", "personas", "catalogue", "people", "commerce", "persona_rows", "generate")


def data_version() -> str:
    """Schema version plus a hash of the generator's source: any change to it regenerates old data."""
    h = hashlib.sha256()
    for name in _SOURCES:
        h.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return f"{schema.SCHEMA_VERSION}-{h.hexdigest()[:16]}"


def build(path: Path, seed: int) -> None:
    """Write every table of the internal systems into a new SQLite file at path."""
    rng = random.Random(seed)
    rows = people.Rows()
    rows.tables["partners"] = catalogue.partners(rng)
    rows.tables["courses"] = catalogue.courses(rng, rows.tables["partners"])
    rows.tables["sessions"], rows.tables["deadlines"] = catalogue.sessions(rng, rows.tables["courses"])
    deadlines_by_session: dict[str, list[tuple]] = {}
    for deadline in rows.tables["deadlines"]:
        deadlines_by_session.setdefault(deadline[1], []).append(deadline)
    titles = {course[0]: course[2] for course in rows.tables["courses"]}
    crowd = people.learners(rng, rows)
    enrolments = people.enrolments(rng, rows, crowd, rows.tables["sessions"], deadlines_by_session)
    rows.tables["sponsors"] = commerce.sponsors()
    commerce.money(rng, rows, crowd, enrolments, titles)
    persona_rows.amelie_wei_sam(rows)
    persona_rows.priya_erased(rows)
    persona_rows.heavy(rng, rows, rows.tables["sessions"], deadlines_by_session, titles)
    rows.tables["meta"] = [("schema_version", data_version()), ("seed", str(seed))]
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        schema.create_tables(conn)
        for table, table_rows in rows.tables.items():
            marks = ",".join("?" * len(schema.columns(table)))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)  # noqa: S608 - fixed names
        schema.create_indexes(conn)
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()


def is_current(path: Path, seed: int) -> bool:
    """True when path holds data of this schema version and seed."""
    meta = datafile.read_meta(path)
    return meta.get("schema_version") == data_version() and meta.get("seed") == str(seed)


@contextlib.contextmanager
def _locked(data_dir: Path):
    # Several test processes may start a sandbox at once: one generates, the others wait and reuse it.
    with open(data_dir / ".generate.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure(data_dir: Path, seed: int, *, force: bool = False) -> bool:
    """Generate internal.db (and the Zendesk data) unless current; returns True when it generated."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / DB_NAME
    with _locked(data_dir):
        generated = False
        if force or not is_current(target, seed):
            for stale in data_dir.glob(f".{DB_NAME}.*.tmp"):  # left by a killed generator; we hold the lock
                stale.unlink(missing_ok=True)
            temp = data_dir / f".{DB_NAME}.{os.getpid()}.tmp"
            try:
                build(temp, seed)
                os.replace(temp, target)
            finally:
                temp.unlink(missing_ok=True)
            generated = True
            log.info("generated %s", target)
        _zendesk(data_dir, seed, force=force)
    return generated


def _zendesk(data_dir: Path, seed: int, *, force: bool) -> None:
    try:
        import sandbox.zendesk as zendesk
    except ModuleNotFoundError as exc:
        if exc.name != "sandbox.zendesk":
            raise
        log.warning("sandbox.zendesk is not available yet: no Zendesk demo data generated")
        return
    # It decides itself whether its data is current (it is re-anchored weekly); force is passed on.
    if force:
        zendesk.generate(data_dir, seed, force=True)
    else:
        zendesk.generate(data_dir, seed)


def digest(path: Path) -> str:
    """sha256 over every table's rows in a fixed order: equal digests mean equal data."""
    h = hashlib.sha256()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for table in sorted(schema.TABLES):
            h.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608 - fixed names
                h.update(repr(row).encode())
    finally:
        conn.close()
    return h.hexdigest()
