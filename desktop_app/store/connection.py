"""Opening the one SQLite file, with the pragmas that make every commit durable."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import peewee
from peewee import DatabaseProxy, SqliteDatabase

# Records bind to this proxy; ``open_database`` points it at the real file.
database = DatabaseProxy()

DURABLE_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    # FULL fsyncs the WAL on every commit: a power cut never loses a registered case.
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32 * 1024,  # 32 MiB
    # Deleted or overwritten content (an erased customer's name, every earlier version of a
    # case row) is zeroed, not left in free space: Debian's SQLite does this by default, the
    # SQLite that Python ships on Windows does not (个人信息保护法 art. 47, services/privacy.py).
    "secure_delete": 1,
}


# Closing the app waits at most this long for search-index merges.
CLOSING_MERGE_SECONDS = 0.5


class DamagedDatabaseError(Exception):
    """The file is not a usable SQLite database (corrupt, or not a database at all)."""


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) the database file and bind the records to it.

    The folder must exist: whether a missing one may be created is the caller's decision."""
    db = SqliteDatabase(str(path), pragmas=DURABLE_PRAGMAS, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        if not db.is_closed():
            db.close()
        raise DamagedDatabaseError(str(error)) from error
    database.initialize(db)
    return db


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        from desktop_app.store import search_index

        # The day's search-index merges that idle time did not finish, within a bound.
        with contextlib.suppress(sqlite3.DatabaseError, peewee.DatabaseError):
            search_index.tidy(CLOSING_MERGE_SECONDS)
        # Keeps the planner's statistics current as the register grows (cheap, bounded).
        with contextlib.suppress(sqlite3.DatabaseError, peewee.DatabaseError):
            refresh_statistics(database.obj, only_if_stale=True)
        database.close()


def refresh_statistics(db: SqliteDatabase, only_if_stale: bool = False) -> None:
    """Sampled ANALYZE: without statistics SQLite prefers the status index to the partial
    open-case indexes and sorts tens of thousands of rows for the queue."""
    db.execute_sql("PRAGMA analysis_limit = 1000")
    db.execute_sql("PRAGMA optimize" if only_if_stale else "ANALYZE")


def check_integrity(db: SqliteDatabase) -> list[str]:
    """Return SQLite's complaints about the file; an empty list means it is sound."""
    try:
        rows = db.execute_sql("PRAGMA quick_check").fetchall()
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def transaction(db: SqliteDatabase) -> object:
    """A context manager: commit on success, roll back on any exception.

    BEGIN IMMEDIATE takes the write lock at the start, so two writers never both read the
    register's head (or a receipt's running total) and then collide; the second waits for
    the busy timeout instead of failing with "database is locked" halfway through."""
    if getattr(db, "read_only", False):
        return db.atomic()
    return db.atomic(lock_type="IMMEDIATE")
