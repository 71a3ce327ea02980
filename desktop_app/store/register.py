"""The register's storage: the chained entries, the rows they describe, and what verify reads.

Entries are only ever appended (triggers refuse updates and deletes, except blanking the plain
text kept beside an entry for the history screen when a person is erased).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from desktop_app.domain.register import EntitySpec, Entry, Head
from desktop_app.store import dialect
from desktop_app.store.connection import database
from desktop_app.store.engine import engine_of
from desktop_app.store.raw import sql_value

ENTRY_COLUMNS = (
    "seq", "at", "actor_id", "actor", "entity", "entity_id", "action", "payload", "entry_hash",
)


def head() -> Head | None:
    row = database.execute_sql(
        "SELECT seq, entry_hash FROM register_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return None if row is None else Head(int(row[0]), str(row[1]))


def insert_entries(rows: Sequence[Mapping[str, Any]]) -> None:
    """Append already hashed entries; the caller holds the write lock (BEGIN IMMEDIATE)."""
    if not rows:
        return
    columns = (*ENTRY_COLUMNS, "personal")
    sql = (
        f"INSERT INTO register_entry ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    database.cursor().executemany(sql, ([row[c] for c in columns] for row in rows))


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


def iter_entries(batch: int = 20_000) -> Iterator[Entry]:
    """Every entry in ``seq`` order, fetched in keyset pages so memory stays flat."""
    last = 0
    sql = (
        f"SELECT {', '.join(ENTRY_COLUMNS)} FROM register_entry "
        "WHERE seq > ? ORDER BY seq LIMIT ?"
    )
    while True:
        rows = database.execute_sql(sql, (last, batch)).fetchall()
        if not rows:
            return
        for found in rows:
            yield Entry(*found)
        last = rows[-1][0]


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


def first_entity_id_after(entity: str, last: int) -> int | None:
    found = database.execute_sql(
        "SELECT MIN(entity_id) FROM register_entry WHERE entity = ? AND entity_id > ?",
        (entity, last),
    ).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def iter_rows(spec: EntitySpec, extra: Sequence[str] = (), batch: int = 5000) -> Iterator[
    list[dict[str, Any]]
]:
    """The rows of an entity's table in id order, in batches, with the audited columns."""
    names = ("id", *spec.columns, *extra)
    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'SELECT {columns} FROM "{spec.table}" WHERE id > ? ORDER BY id LIMIT ?'
    last = 0
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


def case_numbers_by_month() -> dict[str, tuple[int, int]]:
    """Month ('202611') -> (how many cases carry a number of that month, the highest number)."""
    sql = (
        "SELECT substr(case_no, 4, 6), COUNT(*), MAX(CAST(substr(case_no, 11) AS INTEGER)) "
        'FROM "case" GROUP BY substr(case_no, 4, 6)'
    )
    return {
        str(month): (int(count), int(highest))
        for month, count, highest in database.execute_sql(sql)
    }


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
