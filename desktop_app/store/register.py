"""The register's storage: the chained entries, the rows they describe, and what verify reads.

Entries are only ever appended (triggers refuse updates and deletes, except blanking the plain
text kept beside an entry for the history screen when a person is erased).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from itertools import islice
from typing import Any

from peewee import DatabaseError, OperationalError

from desktop_app.domain.case_numbers import MONTH_AT, SEQUENCE_AT, month_prefix
from desktop_app.domain.register import EntitySpec, Head, canonical, header_text
from desktop_app.store import dialect
from desktop_app.store.connection import database
from desktop_app.store.engine import engine_of, is_postgres
from desktop_app.store.raw import sql_value

ENTRY_COLUMNS = (
    "seq", "at", "actor_id", "actor", "entity", "entity_id", "action", "payload", "entry_hash",
)


def head() -> Head | None:
    row = database.execute_sql(
        "SELECT seq, entry_hash FROM register_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return None if row is None else Head(int(row[0]), str(row[1]))


def head_if_readable() -> Head | None:
    """``head``, or None where the file cannot be read any more (closing a damaged register)."""
    try:
        return head()
    except (sqlite3.DatabaseError, OperationalError, DatabaseError):
        return None


# Every writer of entries (the chain, the ledger backfill, the legacy conversion) uses this.
INSERT_ENTRY = (
    f"INSERT INTO register_entry ({', '.join((*ENTRY_COLUMNS, 'personal'))}) "
    f"VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) + 1))})"
)


def insert_entry_rows(rows: Sequence[Sequence[Any]]) -> None:
    """Append already hashed entries, each in ``ENTRY_COLUMNS + ("personal",)`` order; the
    caller holds the write lock (BEGIN IMMEDIATE)."""
    if rows:
        database.cursor().executemany(INSERT_ENTRY, rows)


def insert_row(table: str, values: Mapping[str, Any]) -> int:
    columns = list(values)
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    return dialect.insert_returning_id(sql, [sql_value(values[c]) for c in columns])


def insert_rows(table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows that carry their own ``id`` (bulk loads)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    database.cursor().executemany(sql, ([sql_value(row[c]) for c in columns] for row in rows))
    dialect.ids_given(table)


@contextmanager
def read_snapshot(db: Any) -> Iterator[None]:
    """One read transaction on this thread's own connection (peewee keeps one per thread),
    refused any write (``query_only``): a long check sees one state of the file and never
    holds the write lock, so the desk's saves go on beside it. A connection opened here for a
    worker thread is closed again at the end."""
    opened_here = db.is_closed()
    if opened_here:
        db.connect()
    if is_postgres(db):
        # The server's own snapshot: one repeatable-read transaction that refuses writes.
        try:
            with db.atomic():
                db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield
        finally:
            if opened_here:
                db.close()
        return
    db.execute_sql("PRAGMA query_only = 1")
    try:
        with db.atomic():
            yield
    finally:
        db.execute_sql("PRAGMA query_only = 0")
        if opened_here:
            db.close()


def snapshot() -> AbstractContextManager[None]:
    """``read_snapshot`` on this process's connection (a verify worker's)."""
    return read_snapshot(database)


def map_for_reading() -> None:
    """This (read-only) connection reads the file through memory mapping, as far as SQLite
    allows (2 GiB): no copy of each page into SQLite's own cache (verify's worker processes)."""
    database.execute_sql("PRAGMA mmap_size = 2147418112")


@contextmanager
def larger_cache(mib: int) -> Iterator[None]:
    """This connection's page cache raised to ``mib`` MiB (a bulk load), then put back. (A
    server sizes its own cache.)"""
    if is_postgres(database):
        yield
        return
    (before,) = database.execute_sql("PRAGMA cache_size").fetchone()
    database.execute_sql(f"PRAGMA cache_size = {-int(mib) * 1024}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(before)}")


# BEFORE INSERT triggers that refuse a row whose id or unique key already exists (they stop an
# INSERT OR REPLACE from deleting a row without its delete triggers). A plain INSERT of rows
# with fresh ids is refused in that case anyway, by the PRIMARY KEY and UNIQUE constraints.
REPLACE_GUARDS: dict[str, tuple[str, ...]] = {"case": ("case_never_replaced",)}


@contextmanager
def replace_guards_lifted(table: str) -> Iterator[None]:
    """For a bulk INSERT (never OR REPLACE) inside the caller's transaction: the table's
    replace guards are dropped and created again exactly as they were before the transaction
    ends, so no other connection, and no crash, ever sees the file without them. At 1,000,000
    cases a guard's two look-ups cost more than the row itself. (PostgreSQL has no INSERT OR
    REPLACE and so no such guards.)"""
    if is_postgres(database):
        yield
        return
    saved = [
        str(sql) for (sql,) in database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
            f"AND name IN ({', '.join('?' * len(REPLACE_GUARDS.get(table, ())))})",
            (table, *REPLACE_GUARDS.get(table, ())),
        )
    ] if REPLACE_GUARDS.get(table) else []
    for name in REPLACE_GUARDS.get(table, ()):
        database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        for sql in saved:
            database.execute_sql(sql)


def ids_by_value(table: str, column: str, values: Sequence[str]) -> dict[str, int]:
    """value -> id of the rows whose ``column`` holds one of ``values``."""
    found: dict[str, int] = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for value, row_id in database.execute_sql(
            f'SELECT "{column}", id FROM "{table}" WHERE "{column}" IN ({marks})', tuple(chunk)
        ):
            found[str(value)] = int(row_id)
    return found


def update_row(table: str, row_id: int, values: Mapping[str, Any]) -> None:
    if not values:
        return
    columns = list(values)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    parameters = [sql_value(values[column]) for column in columns]
    database.execute_sql(
        f'UPDATE "{table}" SET {assignments} WHERE id = ?', (*parameters, row_id)
    )


def row(table: str, row_id: int) -> dict[str, Any] | None:
    cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
    found = cursor.fetchone()
    if found is None:
        return None
    names = [description[0] for description in cursor.description]
    return dict(zip(names, found, strict=True))


def max_id(table: str) -> int:
    return int(database.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0])


# --- settings: one key/value table --------------------------------------------------------------


def settings() -> dict[str, str]:
    return {
        str(key): str(value)
        for key, value in database.execute_sql("SELECT key, value FROM setting")
    }


def write_setting(key: str, value: str) -> None:
    database.execute_sql(
        "INSERT INTO setting (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# --- reading the chain --------------------------------------------------------------------------


def last_seq() -> int:
    found = database.execute_sql("SELECT MAX(seq) FROM register_entry").fetchone()
    return 0 if found is None or found[0] is None else int(found[0])


def stored_hash(seq: int) -> Any:
    """The hash stored with entry ``seq`` (None when there is no such entry), as stored."""
    found = database.execute_sql(
        "SELECT entry_hash FROM register_entry WHERE seq = ?", (seq,)
    ).fetchone()
    return None if found is None else found[0]


def stored_entries(after: int, last: int, batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """Entries ``after < seq <= last`` in ``seq`` order, each as (seq, at, actor_id, actor,
    entity, entity_id, action, payload, entry_hash) with the payload as the bytes stored, so
    hashing it needs no decoding and encoding again."""
    sql = (
        "SELECT seq, at, actor_id, actor, entity, entity_id, action, "
        f"{_stored_bytes()}, entry_hash FROM register_entry "
        "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
    )
    while after < last:
        rows = database.execute_sql(sql, (after, last, batch)).fetchall()
        if not rows:
            return
        if dialect.server():
            rows = [(*row[:7], str(row[7]).encode(), row[8]) for row in rows]
        yield from rows
        after = rows[-1][0]


_ENTRY_FIELDS = "seq, at, actor_id, actor, entity, entity_id, action"


def stored_headed_entries(
    after: int, last: int, batch: int = 20_000
) -> Iterator[tuple[Any, ...]]:
    """Entries ``after < seq <= last`` in ``seq`` order as (seq, header, payload as the bytes
    stored, entry_hash): the header is the JSON array of the hashed fields, written by SQLite
    (``json_array``, one step instead of seven values and their text in Python); None for an
    entry with a blob in a field. On a server it is ``header_text``'s. Either is only a quick
    way to the hash: a walk checks an entry whose hash does not follow from it (or that has no
    header) again from ``entry_fields``."""
    if dialect.server():
        yield from _headed_in_python(stored_entries(after, last, batch))
        return
    # No header for a blob in a field: SQLite before 3.45 refuses to write one, and from 3.45
    # on json_array reads a blob as JSONB, so x'1336' wrote the header of the integer 6 that
    # the app hashed (found in review: an entry made unfindable while it still hashed right).
    blob = " OR ".join(f"typeof({name}) = 'blob'" for name in _ENTRY_FIELDS.split(", "))
    sql = (
        f"SELECT seq, CASE WHEN {blob} THEN NULL ELSE json_array({_ENTRY_FIELDS}) END, "
        "CAST(payload AS BLOB), entry_hash "
        "FROM register_entry WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
    )
    while after < last:
        try:
            rows = database.execute_sql(sql, (after, last, batch)).fetchall()
        # JSON cannot hold a blob (raised by the first step, wrapped, or by a later one).
        except (OperationalError, sqlite3.OperationalError):
            rows = list(islice(_headed_in_python(stored_entries(after, last, batch)), batch))
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def _headed_in_python(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield (row[0], header_text(*row[:7]), row[7], row[8])


def entry_fields(seq: int) -> tuple[Any, ...] | None:
    """One entry as ``stored_entries`` gives it (None when there is no such entry)."""
    found: tuple[Any, ...] | None = database.execute_sql(
        f"SELECT {_ENTRY_FIELDS}, {_stored_bytes()}, entry_hash FROM register_entry "
        "WHERE seq = ?", (seq,),
    ).fetchone()
    if found is not None and dialect.server():
        found = (*found[:7], str(found[7]).encode(), found[8])
    return found


def _stored_bytes() -> str:
    """The payload as the bytes stored: SQLite hands them over as they are; the server's text
    is encoded here (UTF-8, as the app wrote it)."""
    return "payload" if dialect.server() else "CAST(payload AS BLOB)"


# An entry as verify reads it: (entity_id, payload as the bytes stored, personal text).
StoredEntry = tuple[int, bytes, str]


def _with_bytes(rows: list[tuple[Any, ...]]) -> list[StoredEntry]:
    if dialect.server():
        return [(int(entity_id), str(payload).encode(), str(personal))
                for entity_id, payload, personal in rows]
    return [(entity_id, payload, personal) for entity_id, payload, personal in rows]


def entries_of(entity: str, entity_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(seq, at, actor, entity, entity_id, action, payload, personal) of some entities."""
    if not entity_ids:
        return []
    marks = ", ".join("?" * len(entity_ids))
    sql = (
        "SELECT seq, at, actor, entity, entity_id, action, payload, personal "
        f"FROM register_entry WHERE entity = ? AND entity_id IN ({marks}) ORDER BY seq"
    )
    return list(database.execute_sql(sql, (entity, *entity_ids)).fetchall())


def payloads_between(entity: str, low: int, high: int) -> list[tuple[int, str]]:
    """(entity_id, payload) of entities with ``low < id <= high``, in (id, seq) order."""
    sql = (
        "SELECT entity_id, payload FROM register_entry "
        "WHERE entity = ? AND entity_id > ? AND entity_id <= ? ORDER BY entity_id, seq"
    )
    return list(database.execute_sql(sql, (entity, low, high)).fetchall())


def stored_payloads_between(entity: str, low: int, high: int) -> list[StoredEntry]:
    """The entries of entities with ``low < id <= high``, in (id, seq) order, each payload as
    the bytes stored, with the plain personal text kept beside it."""
    sql = (
        f"SELECT entity_id, {_stored_bytes()}, personal FROM register_entry WHERE entity = ? "
        "AND entity_id > ? AND entity_id <= ? AND seq > 0 ORDER BY entity_id, seq"
    )
    return _with_bytes(database.execute_sql(sql, (entity, low, high)).fetchall())


def stored_payloads_of(entity: str, entity_ids: Sequence[int]) -> list[StoredEntry]:
    """``stored_payloads_between`` for some entities."""
    found: list[StoredEntry] = []
    for chunk in _chunks(sorted(set(entity_ids))):
        marks = ", ".join("?" * len(chunk))
        found.extend(_with_bytes(database.execute_sql(
            f"SELECT entity_id, {_stored_bytes()}, personal FROM register_entry "
            f"WHERE entity = ? AND entity_id IN ({marks}) AND seq > 0 ORDER BY entity_id, seq",
            (entity, *chunk),
        ).fetchall()))
    return found


def touched_since(seq: int) -> dict[str, set[int]]:
    """Entity name -> the ids entries after ``seq`` are about."""
    touched: dict[str, set[int]] = {}
    for entity, entity_id in database.execute_sql(
        "SELECT DISTINCT entity, entity_id FROM register_entry WHERE seq > ?", (seq,)
    ):
        touched.setdefault(str(entity), set()).add(entity_id)
    return touched


def highest_entity_id(entity: str) -> int:
    found = database.execute_sql(
        "SELECT MAX(entity_id) FROM register_entry WHERE entity = ?", (entity,)
    ).fetchone()
    return 0 if found is None or found[0] is None else int(found[0])


def first_row_after(table: str, row_id: int) -> int | None:
    found = database.execute_sql(
        f'SELECT MIN(id) FROM "{table}" WHERE id > ?', (row_id,)
    ).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def rows_by_ids(
    spec: EntitySpec, extra: Sequence[str], ids: Sequence[int]
) -> list[dict[str, Any]]:
    """The rows with these ids (those that exist), in id order, with the audited columns."""
    names = ("id", *spec.columns, *extra)
    columns = ", ".join(f'"{name}"' for name in names)
    found: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(ids))):
        marks = ", ".join("?" * len(chunk))
        sql = f'SELECT {columns} FROM "{spec.table}" WHERE id IN ({marks}) ORDER BY id'
        found.extend(
            dict(zip(names, row, strict=True))
            for row in database.execute_sql(sql, tuple(chunk)).fetchall()
        )
    return found


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def first_entity_id_after(entity: str, last: int, high: int | None = None) -> int | None:
    """The smallest id ``> last`` (and ``<= high``) an entry of ``entity`` is about."""
    found = database.execute_sql(
        "SELECT MIN(entity_id) FROM register_entry WHERE entity = ? AND entity_id > ? "
        "AND entity_id <= ?",
        (entity, last, 2**62 if high is None else high),
    ).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def rows_for_checking(
    spec: EntitySpec,
    plain: Sequence[str],
    utf8: Sequence[str],
    others: Sequence[str],
    nullable: Sequence[str],
    low: int,
    high: int | None,
    batch: int = 5000,
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows ``low < id <= high`` of an entity's table in id order, in batches, laid out for
    verify's quick comparison: the id; each ``plain`` column as its canonical text where that
    is exact without Python (text as stored, NULL as '', an integer in decimal), else None (a
    real number, a blob: verify reads such a row again as it is); each ``utf8`` column's text
    as its UTF-8 bytes (NULL as None); each of ``others`` as stored; last, True when a
    ``nullable`` column holds '' instead of NULL or a ``utf8`` column holds neither text nor
    NULL. ``high`` None: to the end."""
    if is_postgres(database):
        yield from _rows_for_checking_in_python(
            spec, plain, utf8, others, nullable, low, high, batch
        )
        return
    texts = [
        f"CASE typeof(\"{name}\") WHEN 'text' THEN \"{name}\" WHEN 'null' THEN '' "
        f"WHEN 'integer' THEN CAST(\"{name}\" AS TEXT) END"
        for name in plain
    ]
    # The bytes of a text only: a blob of the same bytes is another value.
    as_bytes = [f"CASE typeof(\"{name}\") WHEN 'text' THEN CAST(\"{name}\" AS BLOB) END"
                for name in utf8]
    flags = [
        # Only a text '' equals '' (an integer, a blob or NULL never does, whatever the
        # column's affinity makes of the literal).
        *(f"\"{name}\" = ''" for name in nullable),
        *(f"typeof(\"{name}\") NOT IN ('text', 'null')" for name in utf8),
    ]
    columns = ", ".join(["id", *texts, *as_bytes, *(f'"{name}"' for name in others),
                         f"({' OR '.join(flags) or '0'})"])
    sql = (f'SELECT {columns} FROM "{spec.table}" WHERE id > ? AND id <= ? '
           "ORDER BY id LIMIT ?")
    last = low
    while True:
        rows = database.execute_sql(sql, (last, 2**62 if high is None else high, batch)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rows_for_checking_in_python(
    spec: EntitySpec, plain: Sequence[str], utf8: Sequence[str], others: Sequence[str],
    nullable: Sequence[str], low: int, high: int | None, batch: int,
) -> Iterator[list[tuple[Any, ...]]]:
    # A server hands over typed values (booleans, times): their canonical text is Python's.
    extra = tuple(name for name in others if name not in spec.columns)
    for rows in iter_rows(spec, extra, batch, low, high):
        yield [(
            row["id"], *(canonical(row[name]) for name in plain),
            *(row[name].encode() if isinstance(row[name], str) else None for name in utf8),
            *(row[name] for name in others),
            any(row[name] == "" for name in nullable)
            or any(row[name] is not None and not isinstance(row[name], str) for name in utf8),
        ) for row in rows]


def read_every_index_and_table(skip_tables: Collection[str]) -> None:
    """Read every entry of every index and every row of each table but ``skip_tables`` (those
    verify reads row by row), so that a damaged page among them raises SQLite's error: a
    damaged index answers queries wrongly (a queue without some cases) while every row reads
    fine. A server checks its own pages."""
    if is_postgres(database):
        return
    objects = database.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE type IN ('table', 'index') AND rootpage > 0"
    ).fetchall()
    for kind, name, table, sql in objects:
        if kind == "index":
            # Forced through the index, and on a partial one within its condition; rowid comes
            # from the index entry itself, so every entry is read and the table is not.
            parts = _WHERE.split(sql or "", maxsplit=1)
            where = parts[1] if len(parts) == 2 else "1"
            database.execute_sql(
                f'SELECT count(*) FROM "{table}" INDEXED BY "{name}" '
                f"WHERE ({where}) AND rowid IS NOT NULL"
            ).fetchall()
        elif table not in skip_tables:
            columns = [row[1] for row in database.execute_sql(f'PRAGMA table_info("{name}")')]
            # Each value whole (a long one runs on overflow pages).
            lengths = " + ".join(f'ifnull(length(CAST("{column}" AS BLOB)), 0)'
                                 for column in columns) or "0"
            database.execute_sql(f'SELECT sum({lengths}) FROM "{name}" NOT INDEXED').fetchall()


_WHERE = re.compile(r"\sWHERE\s", re.IGNORECASE)


def iter_rows(
    spec: EntitySpec,
    extra: Sequence[str] = (),
    batch: int = 5000,
    low: int = 0,
    high: int | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """The rows of an entity's table in id order (``low < id <= high``), in batches, with the
    audited columns."""
    names = ("id", *spec.columns, *extra)
    columns = ", ".join(f'"{name}"' for name in names)
    bound = "" if high is None else f" AND id <= {int(high)}"
    sql = f'SELECT {columns} FROM "{spec.table}" WHERE id > ?{bound} ORDER BY id LIMIT ?'
    last = low
    while True:
        rows = database.execute_sql(sql, (last, batch)).fetchall()
        if not rows:
            return
        yield [dict(zip(names, found, strict=True)) for found in rows]
        last = rows[-1][0]


def engine() -> str:
    """'sqlite' or 'postgresql': which protective triggers verify expects."""
    return engine_of(database)


def triggers() -> dict[str, str]:
    return dialect.triggers()


def refunds_disagreeing_with_items() -> list[tuple[int, int, int]]:
    """(refund id, its amount, its items' total) in fen, where the items do not add up."""
    sql = (
        "SELECT r.id, r.amount_fen, t.total FROM refund r JOIN (SELECT refund_id, "
        "SUM(amount_fen) AS total FROM refund_item GROUP BY refund_id) t ON t.refund_id = r.id "
        "WHERE t.total <> r.amount_fen ORDER BY r.id"
    )
    return [(int(a), int(b), int(c)) for a, b, c in database.execute_sql(sql).fetchall()]


def refund_decisions() -> list[tuple[int, int, int, int]]:
    """(refund id, level required, who decided, the number of the last entry that set who
    decided) of every approved or rejected refund (whatever the entry's action is called)."""
    sql = (
        "SELECT id, level_required, decided_by_id, (SELECT max(e.seq) FROM register_entry e "
        "WHERE e.entity = 'refund' AND e.entity_id = refund.id "
        "AND e.payload LIKE '%\"decided\\_by\\_id\":%' ESCAPE '\\') "
        "FROM refund WHERE decided_by_id IS NOT NULL AND status IN ('approved', 'rejected') "
        "ORDER BY id"
    )
    return [(int(a), int(b), int(c), int(d))
            for a, b, c, d in database.execute_sql(sql).fetchall()
            if d is not None and isinstance(b, int) and isinstance(c, int)]


def entries_in_order(entity: str) -> list[tuple[int, int, str]]:
    """(entity id, entry number, payload) of every entry about ``entity``, by id, then seq."""
    sql = (
        "SELECT entity_id, seq, payload FROM register_entry WHERE entity = ? AND seq > 0 "
        "ORDER BY entity_id, seq"
    )
    return [(int(a), int(b), str(c)) for a, b, c in database.execute_sql(sql, (entity,))]


def refunds_approved_by_their_requester() -> list[int]:
    """Refunds approved in the store by the account that asked for them (head office's
    sign-off is recorded by the store manager, whoever asked)."""
    sql = (
        "SELECT id FROM refund WHERE status = 'approved' AND decided_by_id = requested_by_id "
        "AND head_office_approver = '' ORDER BY id"
    )
    return [int(row[0]) for row in database.execute_sql(sql).fetchall()]


def case_numbers_by_month() -> dict[str, tuple[int, int]]:
    """Month ('202611') -> (how many cases carry a number of that month, the highest number)."""
    month = f"substr(case_no, {MONTH_AT}, 6)"
    sql = (
        f"SELECT {month}, COUNT(*), MAX(CAST(substr(case_no, {SEQUENCE_AT}) AS INTEGER)) "
        f'FROM "case" GROUP BY {month}'
    )
    return {
        str(month): (int(count), int(highest))
        for month, count, highest in database.execute_sql(sql)
    }


def case_numbers_of_months(months: Sequence[str]) -> dict[str, tuple[int, int]]:
    """``case_numbers_by_month`` for some months only, read off the case number's index."""
    found = {}
    for month in months:
        prefix = month_prefix(month)
        count, highest = database.execute_sql(
            f'SELECT COUNT(*), MAX(CAST(substr(case_no, {SEQUENCE_AT}) AS INTEGER)) FROM "case" '
            "WHERE case_no >= ? AND case_no < ?",
            (prefix, prefix[:-1] + "."),
        ).fetchone()
        if count:
            found[month] = (int(count), int(highest))
    return found


def case_counters() -> dict[str, int]:
    return {
        str(month): int(last)
        for month, last in database.execute_sql("SELECT month, last_seq FROM case_counter")
    }


def blank_personal(entity: str, entity_id: int) -> None:
    """Erase the plain personal text kept beside an entity's entries (the hash never held it)."""
    database.execute_sql(
        "UPDATE register_entry SET personal = '' "
        "WHERE entity = ? AND entity_id = ? AND personal <> ''",
        (entity, entity_id),
    )


def entries_with_actions(
    entity: str, actions: Sequence[str], start: str, end: str
) -> list[tuple[Any, ...]]:
    """(at, actor, entity_id, action, payload) of an entity's entries with these actions in
    [start, end), oldest first."""
    marks = ", ".join("?" * len(actions))
    sql = (
        "SELECT at, actor, entity_id, action, payload FROM register_entry "
        f"WHERE entity = ? AND action IN ({marks}) AND at >= ? AND at < ? ORDER BY seq"
    )
    return list(database.execute_sql(sql, (entity, *actions, start, end)).fetchall())


def nonpositive_id(table: str, key: str = "id") -> int | None:
    """A row numbered 0 or below (``key``: the numbering column): numbers start at 1, so
    only a hand-made row has one."""
    found = database.execute_sql(
        f'SELECT "{key}" FROM "{table}" WHERE "{key}" <= 0 ORDER BY "{key}" LIMIT 1'
    ).fetchone()
    return None if found is None else int(found[0])


def nullable_columns(spec: EntitySpec) -> tuple[str, ...]:
    """The audited columns the table lets hold NULL (where the app leaves an absent value)."""
    if is_postgres(database):
        rows = database.execute_sql(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND is_nullable = 'YES'", (spec.table,)
        ).fetchall()
        names = {str(row[0]) for row in rows}
    else:
        rows = database.execute_sql(f'PRAGMA table_info("{spec.table}")').fetchall()
        names = {str(row[1]) for row in rows if not row[3]}
    return tuple(column for column in spec.columns if column in names)
