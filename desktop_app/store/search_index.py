"""Upkeep of the queue's search index ``case_search`` (see ``migrations.V_SUBSTRING_SEARCH``).

Triggers keep the index in step with every insert, update and delete of a case. This module
does the rest:

- **bulk loads** (demo data, an import of old registers) write without the per-row insert
  trigger and index everything once at the end: fed row by row inside one ``executemany``,
  FTS5 flushes its pending index after every row and a load grows quadratically;
- **segment merges**: every save adds a small segment, and merges never run inside a save
  (``automerge`` is 0). ``merge_step`` does a bounded piece of that work; the app calls it
  while idle and ``tidy`` at close, so the number of segments, and the time a search spends
  visiting them, stays small.

On PostgreSQL the index is a GIN trigram index (store.pg_schema) that the server keeps exact
and merges by itself: everything here is then nothing to do.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from desktop_app.store.connection import database, refresh_statistics
from desktop_app.store.engine import is_postgres
from desktop_app.store.migrations import SEARCH_INSERT_TRIGGER

INSERT_TRIGGER = "case_search_insert"
# Pages written by one merge step: at 1,000,000 cases a step takes 5–10 ms, and 30–60 ms when
# it finishes a merge of the largest segment (bench/queue.py).
MERGE_PAGES = 64


@contextmanager
def suspended_indexing() -> Iterator[None]:
    """Inside, inserted cases are not indexed one by one; on leaving (also on an error), the
    whole index is rebuilt once, merged into one segment, and the planner's statistics are
    refreshed. Do not wrap it in a transaction: it commits on entry and on exit, so a load
    cut short by a crash is found and indexed by ``ensure_complete`` at the next start."""
    if is_postgres(database):
        yield
        refresh_statistics(database.obj)
        return
    with database.atomic():
        database.execute_sql(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")
    try:
        yield
    finally:
        rebuild()


def rebuild() -> None:
    """Index every case again from the case table, as one segment, trigger in place."""
    if is_postgres(database):
        database.execute_sql("REINDEX INDEX case_search")
        return
    with database.atomic():
        if not _insert_trigger_exists():
            database.execute_sql(SEARCH_INSERT_TRIGGER)
        database.execute_sql("INSERT INTO case_search(case_search) VALUES ('rebuild')")
        database.execute_sql("INSERT INTO case_search(case_search) VALUES ('optimize')")
    # A bulk-built file has no statistics: the first queries would pick the wrong index.
    refresh_statistics(database.obj)


def ensure_complete() -> bool:
    """Rebuild the index if a bulk load never finished (its trigger is missing); True if so."""
    if is_postgres(database):
        return False
    if _insert_trigger_exists() or not _index_exists():
        return False
    rebuild()
    return True


def repair_if_damaged() -> bool:
    """Rebuild the index if FTS5's own check finds it damaged, or if it holds another number
    of cases than the case table; True if so. Bytes changed inside one of its segments leave
    every page well-formed, so the page check passes while searches silently miss cases
    (found in review); so does one statement of FTS5's 'delete' command, which hides a case
    from every search and breaks nothing FTS5's quick check reads (found in review). The
    index is derived from the case rows, so rebuilding loses nothing. (FTS5's full check
    against the rows, ``integrity-check`` with rank 1, costs ≈ 8 s at 1,000,000 cases.)"""
    if is_postgres(database) or not _index_exists():
        return False
    try:
        with database.atomic():
            database.execute_sql(
                "INSERT INTO case_search(case_search) VALUES ('integrity-check')"
            )
            agrees = indexed_rows() == _case_rows()
    except (sqlite3.DatabaseError, peewee.DatabaseError):
        agrees = False
    if not agrees:
        rebuild()
    return not agrees


def indexed_rows() -> int | None:
    """How many cases the index holds: the first number of FTS5's "averages" record (row 1
    of its data table), which every insert and delete keeps; None when it cannot be read."""
    row = database.execute_sql("SELECT block FROM case_search_data WHERE id = 1").fetchone()
    if row is None or not isinstance(row[0], bytes):
        return None
    value = 0
    for index, byte in enumerate(row[0][:9]):  # an SQLite varint: at most nine bytes
        if index == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value
    return None


def _case_rows() -> int:
    return int(database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0])


def merge_step(pages: int = MERGE_PAGES, everything: bool = False) -> bool:
    """Merge segments by about ``pages`` pages of output; True while more work remains.
    Call inside a transaction. It does nothing while no level holds four segments, unless
    ``everything``: then step after step merges the whole index into one segment."""
    if is_postgres(database):
        return False
    connection = database.connection()
    before = connection.total_changes
    database.execute_sql(
        "INSERT INTO case_search(case_search, rank) VALUES ('merge', ?)",
        (-pages if everything else pages,),
    )
    # FTS5's documented signal: fewer than two changes means there was nothing to merge.
    return bool(connection.total_changes - before >= 2)


def tidy(budget_seconds: float) -> bool:
    """Merge steps, each its own transaction, until done or ``budget_seconds`` are spent;
    True when the index is fully merged."""
    if is_postgres(database):
        return True
    deadline = time.perf_counter() + budget_seconds
    while time.perf_counter() < deadline:
        with database.atomic():
            more = merge_step()
        if not more:
            return True
    return False


def segment_count() -> int:
    """How many b-tree segments the index is made of (each has at least one ``_idx`` row)."""
    if is_postgres(database):
        return 1
    sql = "SELECT count(DISTINCT segid) FROM case_search_idx"
    return int(database.execute_sql(sql).fetchone()[0])


def size_bytes() -> int | None:
    """Bytes of the index's tables, or ``None`` where SQLite was built without ``dbstat``."""
    if is_postgres(database):
        return int(database.execute_sql("SELECT pg_relation_size('case_search')").fetchone()[0])
    sql = "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'case\\_search\\_%' ESCAPE '\\'"
    try:
        return int(database.execute_sql(sql).fetchone()[0] or 0)
    except (sqlite3.OperationalError, peewee.OperationalError):
        return None


def _insert_trigger_exists() -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?"
    return database.execute_sql(sql, (INSERT_TRIGGER,)).fetchone() is not None


def _index_exists() -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_search'"
    return database.execute_sql(sql).fetchone() is not None
