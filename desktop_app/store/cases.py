"""Queries on cases, their audit log and the case-number counter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from peewee import JOIN, fn

from desktop_app.store.connection import database
from desktop_app.store.raw import insert_rows, row_as_dict, update_row
from desktop_app.store.records import (
    CaseCounterRecord,
    CaseRecord,
    DepartmentRecord,
    ProductRecord,
    SupplierRecord,
)


def next_case_sequence(month: str) -> int:
    """The next number of ``month`` ('202611'); call in the transaction that inserts the case."""
    CaseCounterRecord.insert(month=month, last_seq=1).on_conflict(
        conflict_target=[CaseCounterRecord.month],
        update={CaseCounterRecord.last_seq: CaseCounterRecord.last_seq + 1},
    ).execute()
    return int(CaseCounterRecord.get_by_id(month).last_seq)


def insert_case(values: Mapping[str, Any]) -> int:
    insert_rows("case", [dict(values)])
    return int(database.execute_sql("SELECT last_insert_rowid()").fetchone()[0])


def update_case(case_id: int, values: Mapping[str, Any]) -> None:
    update_row("case", case_id, dict(values))


def case_columns(case_id: int) -> dict[str, Any] | None:
    """The stored row under its column names (``department_id``...), as the audit trail sees it."""
    return row_as_dict('SELECT * FROM "case" WHERE id = ?', (case_id,))


def names_for(case_id: int) -> tuple[str, str, str, str]:
    """Clerk, department, supplier and acknowledging manager's names of one case."""
    sql = (
        'SELECT u.display_name, COALESCE(d.name, \'\'), COALESCE(s.name, \'\'), '
        'COALESCE(a.display_name, \'\') FROM "case" c JOIN "user" u ON u.id = c.clerk_id '
        "LEFT JOIN department d ON d.id = c.department_id "
        "LEFT JOIN supplier s ON s.id = c.supplier_id "
        'LEFT JOIN "user" a ON a.id = c.major_acknowledged_by_id WHERE c.id = ?'
    )
    row = database.execute_sql(sql, (case_id,)).fetchone()
    return ("", "", "", "") if row is None else (row[0], row[1], row[2], row[3])


def case_id_by_number(case_no: str) -> int | None:
    row = CaseRecord.select(CaseRecord.id).where(CaseRecord.case_no == case_no).first()
    return None if row is None else int(row.id)


# --- audit log -----------------------------------------------------------------------------


def last_audit_entry() -> tuple[int, str] | None:
    sql = "SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
    row = database.execute_sql(sql).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def append_audit_entry(values: Mapping[str, Any]) -> None:
    insert_rows("audit_entry", [dict(values)])


AUDIT_COLUMNS = (
    "seq", "case_id", "at", "actor", "action", "field", "old_value", "new_value",
    "prev_hash", "entry_hash",
)


def iter_audit_entries(batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Every entry in order, fetched in keyset pages so memory stays flat at any size."""
    last = 0
    sql = (
        f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?"
    )
    while True:
        rows = database.execute_sql(sql, (last, batch)).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def audit_entries_for(case_id: int) -> list[tuple[Any, ...]]:
    sql = f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_entry WHERE case_id = ? ORDER BY seq"
    return list(database.execute_sql(sql, (case_id,)).fetchall())


# --- look-ups for the registration form ------------------------------------------------------


def product_by_barcode(barcode: str) -> dict[str, Any] | None:
    return _products().where(ProductRecord.barcode == barcode).dicts().first()


def products_named(text: str, limit: int = 20) -> list[dict[str, Any]]:
    pattern = f"%{text}%"
    return list(
        _products().where(ProductRecord.name ** pattern, ProductRecord.active).limit(limit).dicts()
    )


def _products() -> Any:
    return (
        ProductRecord.select(
            ProductRecord.id,
            ProductRecord.barcode,
            ProductRecord.name,
            ProductRecord.department.alias("department_id"),
            DepartmentRecord.name.alias("department_name"),
            ProductRecord.supplier.alias("supplier_id"),
            fn.COALESCE(SupplierRecord.name, "").alias("supplier_name"),
            ProductRecord.price_fen,
        )
        .join(DepartmentRecord, on=(ProductRecord.department == DepartmentRecord.id))
        .switch(ProductRecord)
        .join(SupplierRecord, JOIN.LEFT_OUTER, on=(ProductRecord.supplier == SupplierRecord.id))
    )


def all_products() -> list[dict[str, Any]]:
    return list(_products().where(ProductRecord.active).order_by(ProductRecord.id).dicts())


def cases_of_phone(phone: str, limit: int = 20) -> list[tuple[Any, ...]]:
    sql = (
        'SELECT case_no, received_at, category, status, account FROM "case" '
        "WHERE customer_phone = ? ORDER BY received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (phone, limit)).fetchall())


def departments() -> list[tuple[int, str]]:
    query = DepartmentRecord.select(DepartmentRecord.id, DepartmentRecord.name)
    return list(query.where(DepartmentRecord.active).order_by(DepartmentRecord.id).tuples())


def suppliers() -> list[tuple[int, str]]:
    query = SupplierRecord.select(SupplierRecord.id, SupplierRecord.name)
    return list(query.where(SupplierRecord.active).order_by(SupplierRecord.name).tuples())


def department_id_named(name: str) -> int | None:
    row = DepartmentRecord.get_or_none(DepartmentRecord.name == name)
    return None if row is None else int(row.id)


def supplier_id_named(name: str) -> int | None:
    row = SupplierRecord.get_or_none(SupplierRecord.name == name)
    return None if row is None else int(row.id)


def major_cases_unacknowledged(limit: int = 50) -> list[tuple[Any, ...]]:
    sql = (
        'SELECT id, case_no, received_at, customer_name, category, account FROM "case" '
        "WHERE is_major = 1 AND major_acknowledged_at IS NULL "
        "ORDER BY received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (limit,)).fetchall())


def utc_text(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def iter_cases_with_entries(
    columns: tuple[str, ...], batch: int = 2000
) -> Iterator[list[tuple[dict[str, Any], list[tuple[str, str, str]]]]]:
    """Cases in id order, each with its audit entries (action, field, new value), in batches."""
    last = 0
    names = ("id", *columns)
    case_sql = f'SELECT {", ".join(names)} FROM "case" WHERE id > ? ORDER BY id LIMIT ?'
    entry_sql = (
        "SELECT case_id, action, field, new_value FROM audit_entry "
        "WHERE case_id BETWEEN ? AND ? ORDER BY case_id, seq"
    )
    while True:
        rows = database.execute_sql(case_sql, (last, batch)).fetchall()
        if not rows:
            return
        entries: dict[int, list[tuple[str, str, str]]] = {}
        for case_id, action, field_name, new_value in database.execute_sql(
            entry_sql, (rows[0][0], rows[-1][0])
        ):
            entries.setdefault(case_id, []).append((action, field_name, new_value))
        yield [(dict(zip(names, row, strict=True)), entries.get(row[0], [])) for row in rows]
        last = rows[-1][0]


def product_names() -> list[str]:
    query = ProductRecord.select(ProductRecord.name).where(ProductRecord.active)
    return [name for (name,) in query.order_by(ProductRecord.name).tuples()]


# --- bulk writing (demo data for benchmarks) ---------------------------------------------------


def max_case_id() -> int:
    return int(database.execute_sql('SELECT COALESCE(MAX(id), 0) FROM "case"').fetchone()[0])


def bulk_insert_cases(cases: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    insert_rows("case", cases)
    insert_rows("audit_entry", entries)


def set_case_sequences(sequences: Mapping[str, int]) -> None:
    """Raise each month's counter to at least ``sequences[month]``."""
    for month, last in sequences.items():
        CaseCounterRecord.insert(month=month, last_seq=last).on_conflict(
            conflict_target=[CaseCounterRecord.month],
            update={CaseCounterRecord.last_seq: fn.MAX(CaseCounterRecord.last_seq, last)},
        ).execute()


def refund_entries() -> Iterator[tuple[str, str]]:
    """(field, new value) of every refund entry of the audit log, in order."""
    sql = (
        "SELECT field, new_value FROM audit_entry WHERE field LIKE 'refund#%' ORDER BY seq"
    )
    yield from database.execute_sql(sql)


def refund_rows() -> Iterator[dict[str, Any]]:
    cursor = database.execute_sql("SELECT * FROM refund ORDER BY id")
    names = [description[0] for description in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
