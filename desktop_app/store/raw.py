"""Plain SQL helpers for the hot paths, where peewee's query building costs more than the work.

Values are converted exactly as peewee converts them, so rows written here and rows written
through the models read back the same.
"""

from __future__ import annotations

from typing import Any

from desktop_app.store.connection import database
from desktop_app.store.engine import sqlite_value

# What peewee itself would hand to sqlite3 for these fields (the engine layer converts the
# same way for PostgreSQL, so there is one conversion).
sql_value = sqlite_value


def row_as_dict(sql: str, parameters: tuple[Any, ...]) -> dict[str, Any] | None:
    cursor = database.execute_sql(sql, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    names = [description[0] for description in cursor.description]
    return dict(zip(names, row, strict=True))


def rows_as_dicts(sql: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = database.execute_sql(sql, parameters)
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def update_row(table: str, row_id: int, values: dict[str, Any]) -> None:
    columns = list(values)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    parameters = [sql_value(values[column]) for column in columns]
    database.execute_sql(f'UPDATE "{table}" SET {assignments} WHERE id = ?', (*parameters, row_id))
