"""Queries on cases, their audit log and the case-number counter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import fn

from desktop_app.domain.case_numbers import SEQUENCE_AT, month_prefix
from desktop_app.store import dialect
from desktop_app.store.connection import database
from desktop_app.store.raw import row_as_dict, rows_as_dicts
from desktop_app.store.records import (
    CaseCounterRecord,
)


def next_case_sequence(month: str) -> int:
    """The next number of ``month`` ('202611'); call in the transaction that inserts the case.
    One statement (every registration runs it; the query builder and a model took 0.2 ms)."""
    row = database.execute_sql(
        "INSERT INTO case_counter (month, last_seq) VALUES (?, 1) ON CONFLICT (month) "
        "DO UPDATE SET last_seq = case_counter.last_seq + 1 RETURNING last_seq",
        (month,),
    ).fetchone()
    return int(row[0])


def case_number_taken(case_no: str) -> bool:
    row = database.execute_sql('SELECT 1 FROM "case" WHERE case_no = ?', (case_no,)).fetchone()
    return row is not None


def highest_case_sequence(month: str) -> int:
    """The highest number among the cases of ``month`` ('202611'), 0 if none."""
    row = database.execute_sql(
        f"SELECT MAX(CAST(substr(case_no, {SEQUENCE_AT}) AS INTEGER)) FROM \"case\" "
        "WHERE case_no >= ? AND case_no < ?",
        (month_prefix(month), month_prefix(month)[:-1] + "."),
    ).fetchone()
    return int(row[0] or 0)


def set_case_sequence(month: str, last: int) -> None:
    database.execute_sql(
        "UPDATE case_counter SET last_seq = ? WHERE month = ?", (last, month)
    )


def case_columns(case_id: int) -> dict[str, Any] | None:
    """The stored row under its column names (``department_id``...), as the audit trail sees it."""
    return row_as_dict('SELECT * FROM "case" WHERE id = ?', (case_id,))


@dataclass(frozen=True)
class CaseNames:
    """What one case's ids point at, as the case screen shows it."""

    clerk: str = ""
    department: str = ""
    supplier: str = ""
    acknowledged_by: str = ""
    paid_fen: int | None = None


def names_for(case_id: int) -> CaseNames:
    sql = (
        'SELECT u.display_name, COALESCE(d.name, \'\'), COALESCE(s.name, \'\'), '
        'COALESCE(a.display_name, \'\'), r.paid_fen FROM "case" c '
        'JOIN "user" u ON u.id = c.clerk_id '
        "LEFT JOIN department d ON d.id = c.department_id "
        "LEFT JOIN supplier s ON s.id = c.supplier_id "
        "LEFT JOIN receipt r ON r.id = c.receipt_id "
        'LEFT JOIN "user" a ON a.id = c.major_acknowledged_by_id WHERE c.id = ?'
    )
    row = database.execute_sql(sql, (case_id,)).fetchone()
    return CaseNames() if row is None else CaseNames(*row)


def case_id_by_number(case_no: str) -> int | None:
    row = database.execute_sql('SELECT id FROM "case" WHERE case_no = ?', (case_no,)).fetchone()
    return None if row is None else int(row[0])


# --- look-ups for the registration form ------------------------------------------------------

_PRODUCT_SQL = (
    "SELECT p.id, p.barcode, p.name, p.department_id, d.name AS department_name, "
    "p.supplier_id, COALESCE(s.name, '') AS supplier_name, p.price_fen "
    "FROM product p JOIN department d ON d.id = p.department_id "
    "LEFT JOIN supplier s ON s.id = p.supplier_id"
)


def product_by_barcode(barcode: str) -> dict[str, Any] | None:
    return row_as_dict(f"{_PRODUCT_SQL} WHERE p.barcode = ?", (barcode,))


def products_named(text: str, limit: int = 20) -> list[dict[str, Any]]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return rows_as_dicts(
        f"{_PRODUCT_SQL} WHERE p.name LIKE ? ESCAPE '\\' AND p.active = 1 LIMIT ?",
        (f"%{escaped}%", limit),
    )


def all_products() -> list[dict[str, Any]]:
    return rows_as_dicts(f"{_PRODUCT_SQL} WHERE p.active = 1 ORDER BY p.id", ())


def cases_of_phone(phone: str, limit: int = 20) -> list[tuple[Any, ...]]:
    sql = (
        'SELECT case_no, received_at, category, status, account FROM "case" '
        "WHERE customer_phone = ? ORDER BY received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (phone, limit)).fetchall())


def departments() -> list[tuple[int, str]]:
    sql = "SELECT id, name FROM department WHERE active = 1 ORDER BY id"
    return [(int(row[0]), str(row[1])) for row in database.execute_sql(sql)]


def suppliers() -> list[tuple[int, str]]:
    sql = "SELECT id, name FROM supplier WHERE active = 1 ORDER BY name"
    return [(int(row[0]), str(row[1])) for row in database.execute_sql(sql)]


def department_id_named(name: str) -> int | None:
    return _id_named("department", name)


def supplier_id_named(name: str) -> int | None:
    return _id_named("supplier", name)


def _id_named(table: str, name: str) -> int | None:
    row = database.execute_sql(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def major_cases_unacknowledged(limit: int = 50) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT id, case_no, received_at, customer_name, category, account FROM "
        f'"case"{dialect.indexed_by("case_major_waiting")} '
        "WHERE is_major = 1 AND major_acknowledged_at IS NULL "
        "ORDER BY received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (limit,)).fetchall())


def product_names() -> list[str]:
    sql = "SELECT name FROM product WHERE active = 1 ORDER BY name"
    return [str(row[0]) for row in database.execute_sql(sql)]


def _greater(column: Any, value: int) -> Any:
    """SQLite's two-argument MAX is PostgreSQL's GREATEST."""
    return fn.GREATEST(column, value) if dialect.server() else fn.MAX(column, value)


# --- bulk writing (demo data for benchmarks) ---------------------------------------------------


def set_case_sequences(sequences: Mapping[str, int]) -> None:
    """Raise each month's counter to at least ``sequences[month]``."""
    for month, last in sequences.items():
        CaseCounterRecord.insert(month=month, last_seq=last).on_conflict(
            conflict_target=[CaseCounterRecord.month],
            update={CaseCounterRecord.last_seq: _greater(CaseCounterRecord.last_seq, last)},
        ).execute()
