"""The analysis page's queries: sums of the monthly tally (migrations.V_TALLY, kept by
services.case_tally), so a period costs the same whatever the number of cases; and, for the
medians, a short step into the partial index sorted by time taken within each month
(migrations.V_WARNINGS), starting at the band the tally says holds the middle value.
Plain tuples; the figures are computed in domain.complaint_analysis.

``INDEXED BY`` keeps SQLite on the index each median read was written for (with a big
register's statistics it may otherwise prefer the time index and look every row up);
PostgreSQL plans its own (store.dialect)."""

from __future__ import annotations

from typing import Any

from desktop_app.domain import case_tally as tally
from desktop_app.store.connection import database
from desktop_app.store.dialect import indexed_by, indexed_expression
from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    COUNTED,
    RESPONSE_SECONDS_SQL,
    product_name_key_sql,
)

_IN_MONTHS = "measure = ? AND month >= ? AND month <= ?"


def tally_rows(measure: str, first: str, last: str) -> list[tuple[str, str, int]]:
    """(month, item, cases) of ``measure`` in the months ``first`` to ``last`` ('2026-11')."""
    sql = f"SELECT month, item, cases FROM case_tally WHERE {_IN_MONTHS}"
    return [(str(month), str(item), int(cases))
            for month, item, cases in database.execute_sql(sql, (measure, first, last))]


def barcode_counts(first: str, last: str) -> list[tuple[Any, ...]]:
    """(barcode, product name, cases) received in the months with a barcode; a barcode the
    catalogue does not know is named as one of its counted cases names it (found through the
    partial index of counted barcodes: the tally says there is one)."""
    sql = (
        "SELECT g.barcode, COALESCE(p.name, (SELECT product_name FROM \"case\" "
        f"{indexed_by('case_counted_barcode')} WHERE {COUNTED} AND product_barcode <> '' "
        "AND product_barcode = g.barcode LIMIT 1)), g.cases FROM ("
        "SELECT item AS barcode, sum(cases) AS cases FROM case_tally "
        f"WHERE {_IN_MONTHS} GROUP BY item) g LEFT JOIN product p ON p.barcode = g.barcode"
    )
    return list(database.execute_sql(sql, (tally.BARCODE, first, last)).fetchall())


def product_name_counts(first: str, last: str) -> list[tuple[Any, ...]]:
    """(name key, one name as typed, cases) of cases naming a product without a barcode."""
    key = product_name_key_sql("item")
    sql = (
        f"SELECT {key}, min(item), sum(cases) FROM case_tally "
        f"WHERE {_IN_MONTHS} GROUP BY {key}"
    )
    return list(database.execute_sql(sql, (tally.PRODUCT_NAME, first, last)).fetchall())


def named_counts(kind: str, first: str, last: str) -> list[tuple[Any, ...]]:
    """(id, name, cases) per supplier or department, cases received in the months."""
    measure, table = {
        "supplier": (tally.SUPPLIER, "supplier"),
        "department": (tally.DEPARTMENT, "department"),
    }[kind]
    sql = (
        "SELECT g.id, t.name, g.cases FROM (SELECT CAST(item AS INTEGER) AS id, "
        f"sum(cases) AS cases FROM case_tally WHERE {_IN_MONTHS} GROUP BY item) g "
        f"JOIN {table} t ON t.id = g.id"
    )
    return list(database.execute_sql(sql, (measure, first, last)).fetchall())


def satisfaction_counts(first: str, last: str) -> list[tuple[int, int]]:
    """(score, cases) of the cases closed in the months."""
    sql = f"SELECT item, sum(cases) FROM case_tally WHERE {_IN_MONTHS} GROUP BY item"
    return [(int(score), int(cases))
            for score, cases in database.execute_sql(sql, (tally.SATISFACTION, first, last))]


_MIDDLE = {
    tally.RESPONSE: (
        "case_counted_response", RESPONSE_SECONDS_SQL,
        f"{COUNTED} AND first_response_at IS NOT NULL AND substr(received_at, 1, 7) = ?",
    ),
    tally.CLOSING: (
        "case_closing", CLOSING_SECONDS_SQL,
        "status IN ('closed', 'not_upheld') AND substr(closed_at, 1, 7) = ?",
    ),
}


def month_middle(measure: str, month_key: str, read: tally.MiddleRead) -> list[int]:
    """The values at ``read.offset`` (and after) in ascending order among the month's values
    from ``read.lower_bound`` on: the index holds them sorted within each month, so this
    steps over the index entries of one band of the tally, not the whole month."""
    index, value, condition = _MIDDLE[measure]
    value = indexed_expression(value)
    parameters: list[Any] = [month_key]
    if read.lower_bound is not None:
        condition += f" AND {value} >= ?"
        parameters.append(read.lower_bound)
    sql = (
        f'SELECT {value} FROM "case"{indexed_by(index)} WHERE {condition} '
        f"ORDER BY {value} LIMIT ? OFFSET ?"
    )
    rows = database.execute_sql(sql, (*parameters, read.how_many, read.offset)).fetchall()
    return [int(row[0]) for row in rows]
