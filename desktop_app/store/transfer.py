"""Copying a store's SQLite register onto a PostgreSQL database (``main.py migrate-to``).

The target is migrated to the same schema version first (from the same DDL); then every table
the SQLite file holds is copied row for row, ids included, parents before children, in one
unit of work. The search index is not copied: PostgreSQL's is an index on the case columns
and fills itself. The register's entries are copied as they are, so the copy's head is the
file's head, which the caller checks.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop_app.store import dialect
from desktop_app.store.connection import database

BATCH_ROWS = 2000
# Not data: SQLite's own tables and the FTS5 search index with its shadow tables.
_NOT_COPIED = ("sqlite_", "case_search")

Progress = Callable[[str, int], None]


def server_is_empty() -> bool:
    """Nothing in the connected database's schema (a fresh ``CREATE DATABASE``)."""
    row = database.execute_sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchone()
    return int(row[0]) == 0


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def source_tables(source: sqlite3.Connection) -> list[str]:
    """The file's data tables, each after the tables it refers to."""
    names = [
        str(row[0])
        for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        )
        if not str(row[0]).startswith(_NOT_COPIED)
    ]
    parents = {
        name: {
            str(row[2])
            for row in source.execute(f'PRAGMA foreign_key_list("{name}")')
            if str(row[2]) != name
        }
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [
            name for name in names
            if name not in ordered and parents[name] <= set(ordered) | (parents[name] - set(names))
        ]
        if not ready:
            raise ValueError(f"circular references between {set(names) - set(ordered)}")
        ordered.extend(ready)
    return ordered


def copy_from_sqlite(path: Path, progress: Progress | None = None) -> dict[str, int]:
    """Copy every data table of the file at ``path`` into the connected (migrated, empty)
    database; returns rows copied per table. Call inside a unit of work."""
    copied: dict[str, int] = {}
    with _read_only(path) as source:
        for table in source_tables(source):
            copied[table] = _copy_table(source, table, progress)
    return copied


def _copy_table(source: sqlite3.Connection, table: str, progress: Progress | None) -> int:
    columns = [str(row[1]) for row in source.execute(f'PRAGMA table_info("{table}")')]
    names = ", ".join(f'"{column}"' for column in columns)
    insert = (
        f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
    )
    rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
    count = 0
    while batch := rows.fetchmany(BATCH_ROWS):
        database.cursor().executemany(insert, batch)
        count += len(batch)
        if progress is not None:
            progress(table, count)
    if "id" in columns:
        dialect.ids_given(table)
    return count


def row_counts(tables: list[str]) -> dict[str, int]:
    """Rows per table in the connected database (to compare a copy with its source)."""
    return {
        table: int(database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in tables
    }
