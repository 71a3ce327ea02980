"""The analysis page's queries: counts and middle values off the partial indexes of
migrations.V_WARNINGS, so a year of a million cases is read as index entries, never as rows.
Plain tuples; the figures are computed in domain.complaint_analysis.

``INDEXED BY`` keeps SQLite on the index each query was written for (with a big register's
statistics it may otherwise prefer the time index and look every row up)."""

from __future__ import annotations

from typing import Any

from desktop_app.store.connection import database
from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    COUNTED,
    PRODUCT_NAME_KEY_SQL,
    RESPONSE_SECONDS_SQL,
    SATISFACTION_SQL,
)


def category_count(category: str, start: str, end: str) -> int:
    sql = (
        'SELECT count(*) FROM "case" INDEXED BY case_counted_category '
        f"WHERE {COUNTED} AND category = ? AND received_at >= ? AND received_at < ?"
    )
    return int(database.execute_sql(sql, (category, start, end)).fetchone()[0])


def barcode_counts(start: str, end: str) -> list[tuple[Any, ...]]:
    """(barcode, product name, cases) received in [start, end) with a barcode."""
    sql = (
        "SELECT g.barcode, COALESCE(p.name, (SELECT product_name FROM \"case\" "
        "WHERE product_barcode = g.barcode LIMIT 1)), g.cases FROM ("
        'SELECT product_barcode AS barcode, count(*) AS cases FROM "case" '
        "INDEXED BY case_counted_barcode "
        f"WHERE {COUNTED} AND product_barcode <> '' AND received_at >= ? AND received_at < ? "
        "GROUP BY product_barcode) g LEFT JOIN product p ON p.barcode = g.barcode"
    )
    return list(database.execute_sql(sql, (start, end)).fetchall())


def product_name_counts(start: str, end: str) -> list[tuple[Any, ...]]:
    """(name key, one name as typed, cases) of cases naming a product without a barcode."""
    sql = (
        f"SELECT {PRODUCT_NAME_KEY_SQL}, min(product_name), count(*) FROM \"case\" "
        "INDEXED BY case_counted_product_name "
        f"WHERE {COUNTED} AND product_barcode = '' AND product_name <> '' "
        f"AND received_at >= ? AND received_at < ? GROUP BY {PRODUCT_NAME_KEY_SQL}"
    )
    return list(database.execute_sql(sql, (start, end)).fetchall())


def named_counts(kind: str, start: str, end: str) -> list[tuple[Any, ...]]:
    """(id, name, cases) per supplier or department, cases received in [start, end)."""
    column, index, table = {
        "supplier": ("supplier_id", "case_counted_supplier", "supplier"),
        "department": ("department_id", "case_counted_department", "department"),
    }[kind]
    sql = (
        f"SELECT g.id, t.name, g.cases FROM (SELECT {column} AS id, count(*) AS cases "
        f'FROM "case" INDEXED BY {index} WHERE {COUNTED} AND {column} IS NOT NULL '
        f"AND received_at >= ? AND received_at < ? GROUP BY {column}) g "
        f"JOIN {table} t ON t.id = g.id"
    )
    return list(database.execute_sql(sql, (start, end)).fetchall())


_MIDDLE = {
    "response": (
        "case_counted_response", RESPONSE_SECONDS_SQL,
        f"{COUNTED} AND first_response_at IS NOT NULL AND substr(received_at, 1, 7) = ?",
    ),
    "closing": (
        "case_closing", CLOSING_SECONDS_SQL,
        "status IN ('closed', 'not_upheld') AND substr(closed_at, 1, 7) = ?",
    ),
}


def month_count(kind: str, month_key: str) -> int:
    index, _, condition = _MIDDLE[kind]
    sql = f'SELECT count(*) FROM "case" INDEXED BY {index} WHERE {condition}'
    return int(database.execute_sql(sql, (month_key,)).fetchone()[0])


def month_middle(kind: str, month_key: str, offset: int, how_many: int) -> list[int]:
    """The values at ``offset`` (and after) in ascending order: the index holds them sorted
    within each month, so this steps over index entries only."""
    index, value, condition = _MIDDLE[kind]
    sql = (
        f'SELECT {value} FROM "case" INDEXED BY {index} WHERE {condition} '
        f"ORDER BY {value} LIMIT ? OFFSET ?"
    )
    rows = database.execute_sql(sql, (month_key, how_many, offset)).fetchall()
    return [int(row[0]) for row in rows]


def satisfaction_count(score: int, start: str, end: str) -> int:
    sql = (
        'SELECT count(*) FROM "case" INDEXED BY case_satisfaction '
        f"WHERE status = 'closed' AND {SATISFACTION_SQL} = ? AND closed_at >= ? AND closed_at < ?"
    )
    return int(database.execute_sql(sql, (score, start, end)).fetchone()[0])
