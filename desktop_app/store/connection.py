"""Opening the database: the one SQLite file, with the pragmas that make every commit durable,
or a PostgreSQL server shared by several desks (store.engine)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee
from peewee import Database, DatabaseProxy, SqliteDatabase

from desktop_app.domain.errors import DeskError
from desktop_app.store.engine import DeskPostgresDatabase, is_postgres

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


def open_server_database(url: str) -> DeskPostgresDatabase:
    """Connect to the PostgreSQL database at ``url`` and bind the records to it."""
    db = DeskPostgresDatabase(url)
    try:
        db.connect(reuse_if_open=True)
    except peewee.DatabaseError as error:
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


def refresh_statistics(db: Database, only_if_stale: bool = False) -> None:
    """Sampled ANALYZE: without statistics SQLite prefers the status index to the partial
    open-case indexes and sorts tens of thousands of rows for the queue. (PostgreSQL's
    autovacuum keeps its own statistics; an explicit refresh still helps after a bulk load.)"""
    if is_postgres(db):
        if not only_if_stale:
            db.execute_sql("ANALYZE")
        return
    db.execute_sql("PRAGMA analysis_limit = 1000")
    db.execute_sql("PRAGMA optimize" if only_if_stale else "ANALYZE")


def check_integrity(db: Database) -> list[str]:
    """Return SQLite's complaints about the file; an empty list means it is sound. (A server
    checks its own pages: there is no file here to check.)"""
    if is_postgres(db):
        return []
    try:
        rows = db.execute_sql("PRAGMA quick_check").fetchall()
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


# The PostgreSQL advisory lock every unit of work takes first ("DESKWRIT").
WRITE_LOCK = 0x4445534B_57524954


def transaction(db: Database) -> Any:
    """A context manager: commit on success, roll back on any exception.

    BEGIN IMMEDIATE takes the write lock at the start, so two writers never both read the
    register's head (or a receipt's running total) and then collide; the second waits for
    the busy timeout instead of failing with "database is locked" halfway through. On
    PostgreSQL a transaction-level advisory lock plays that part across every desk connected
    to the database: released by the commit or rollback, never left behind by a crash."""
    if getattr(db, "read_only", False):
        return db.atomic()
    if is_postgres(db):
        return _serialised(db)
    return _immediate(db)


class DiskFullError(DeskError):
    """The disk (or the file's allowed size) is full: the transaction was undone whole."""


DISK_FULL = (
    "磁盘空间已满,这次操作没有保存任何内容(已写入的部分已全部撤回)。"
    "请清理磁盘空间(或换到空间足够的磁盘)后再试一次。"
)


@contextlib.contextmanager
def _immediate(db: Database) -> Iterator[Any]:
    try:
        with db.atomic(lock_type="IMMEDIATE") as unit:
            yield unit
    except (sqlite3.OperationalError, peewee.OperationalError) as error:
        # SQLite undoes a transaction the disk has no room for by itself; the rollback that
        # follows then fails with "no transaction is active" (peewee's error around SQLite's),
        # hiding why (found: a save on a full disk showed only "cannot rollback").
        cause: BaseException | None = error
        while cause is not None and "no transaction is active" in str(cause):
            cause = cause.__context__
        if "disk is full" in str(cause):
            raise DiskFullError(DISK_FULL) from cause
        if cause is not None and cause is not error:
            raise cause from None
        raise


@contextlib.contextmanager
def _serialised(db: Database) -> Iterator[Any]:
    with db.atomic() as unit:
        db.execute_sql("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        yield unit


def fast_unsafe_writes(db: Database) -> None:
    """For data that can be rebuilt at will (demo data): commits stop waiting for the disk."""
    if is_postgres(db):
        db.execute_sql("SET synchronous_commit = off")
    else:
        db.execute_sql("PRAGMA synchronous = OFF")
