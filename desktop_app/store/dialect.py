"""The few pieces of SQL that differ between SQLite and PostgreSQL, each one small function.

Everything else in the store is written once (SQLite's dialect, ``?`` placeholders) and runs
on both; ``store.engine`` translates the placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_app.store.connection import database
from desktop_app.store.engine import is_postgres


def server(db: Any = None) -> bool:
    """True when the store (or ``db``, a database a migration was handed) is PostgreSQL."""
    return is_postgres(database if db is None else db)


def insert_returning_id(sql: str, parameters: Sequence[Any]) -> int:
    """Run an ``INSERT`` into a table with an ``id`` and return the new row's id."""
    if server():
        return int(database.execute_sql(f"{sql} RETURNING id", parameters).fetchone()[0])
    return int(database.execute_sql(sql, parameters).lastrowid)


def ids_given(table: str) -> None:
    """After rows were inserted with their own ids: PostgreSQL's identity continues after the
    highest (SQLite's rowid always does)."""
    if server():
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
        )


def same_as(column: str) -> str:
    """``column`` equals the parameter, NULL equal to NULL (SQLite's ``IS ?``)."""
    return f"{column} IS NOT DISTINCT FROM ?" if server() else f"{column} IS ?"


def indexed_by(index: str, db: Any = None) -> str:
    """SQLite's ``INDEXED BY`` (PostgreSQL's planner has no such hint)."""
    return "" if server(db) else f" INDEXED BY {index}"


def not_indexed(db: Any = None) -> str:
    """SQLite's ``NOT INDEXED`` (rows by the primary key, no index)."""
    return "" if server(db) else "NOT INDEXED"


def no_limit(db: Any = None) -> str:
    """A LIMIT that keeps a subquery apart on SQLite (``LIMIT -1``); none on PostgreSQL."""
    return "" if server(db) else "LIMIT -1"


def table_exists(name: str) -> bool:
    if server():
        return database.execute_sql("SELECT to_regclass(?)", (name,)).fetchone()[0] is not None
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return database.execute_sql(sql, (name,)).fetchone() is not None


def unlikely(condition: str) -> str:
    """A condition SQLite is told rarely holds (so it drives the query off a small index)."""
    return condition if server() else f"likelihood({condition}, 0.001)"


def fixed_join() -> str:
    """An inner join whose loop order SQLite must keep (PostgreSQL plans its own)."""
    return "JOIN" if server() else "CROSS JOIN"


def json_value(column: str, path: str) -> str:
    """A value in a JSON text column: NULL when absent or the text is not JSON; numbers,
    text and true/false come back as Python values (true as 1 on SQLite, True here)."""
    if server():
        from desktop_app.store.pg_schema import json_path

        return f"desk_json({column}, {json_path(path)})"
    return f"CASE WHEN json_valid({column}) THEN json_extract({column}, '$.{path}') END"


def json_text(column: str, path: str) -> str:
    """Like ``json_value`` for a value that is text (usable with COALESCE and ||)."""
    if server():
        return f"({json_value(column, path)} #>> '{{}}')"
    return json_value(column, path)


def joined_list(expression: str, separator: str, source: str, order: str) -> str:
    """A subquery joining ``expression`` over the rows of ``source`` (FROM … WHERE …) in
    ``order`` with ``separator``; NULL when there are none."""
    if server():
        return f"(SELECT string_agg({expression}, '{separator}' ORDER BY {order}) {source})"
    return (
        f"(SELECT group_concat(item, '{separator}') FROM (SELECT {expression} AS item "
        f"{source} ORDER BY {order}) AS items)"
    )


def indexed_expression(sql: str, db: Any = None) -> str:
    """A SQLite expression an index of the schema is built on, as this engine's index holds
    it (queries must repeat it exactly for the index to be used)."""
    if server(db):
        from desktop_app.store.pg_schema import expression

        return expression(sql)
    return sql


def triggers() -> dict[str, str]:
    """name -> definition of every trigger, as ``migrations.protective_triggers`` states it."""
    if server():
        from desktop_app.store.pg_schema import canonical_trigger

        sql = (
            "SELECT t.tgname, c.relname, t.tgtype, t.tgenabled, t.tgqual IS NOT NULL, "
            "p.proname, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
        return {
            str(name): canonical_trigger(
                str(table), int(kind), str(enabled), bool(when), str(function), str(body)
            )
            for name, table, kind, enabled, when, function, body in database.execute_sql(sql)
        }
    return {
        str(name): str(sql)
        for name, sql in database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    }
