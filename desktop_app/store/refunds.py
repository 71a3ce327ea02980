"""Refunds and their items; the receipt's running total the approval tier is decided on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.store.connection import database
from desktop_app.store.raw import insert_rows, row_as_dict, update_row

REFUND_LIST_COLUMNS = (
    "r.id", "c.case_no", "r.receipt_no", "r.kind", "r.amount_fen", "r.status",
    "r.level_required", "r.requested_at", "q.display_name", "COALESCE(d.display_name, '')",
    "r.decided_at", "r.reason", "r.is_special", "r.is_quality", "r.case_id",
    "r.charge_back_status",
)
_FROM = (
    'FROM refund r JOIN "case" c ON c.id = r.case_id '
    'JOIN "user" q ON q.id = r.requested_by_id '
    'LEFT JOIN "user" d ON d.id = r.decided_by_id'
)


def insert_refund(values: Mapping[str, Any], items: list[dict[str, Any]]) -> int:
    insert_rows("refund", [dict(values)])
    refund_id = int(database.execute_sql("SELECT last_insert_rowid()").fetchone()[0])
    insert_rows("refund_item", [{**item, "refund_id": refund_id} for item in items])
    return refund_id


def refund_columns(refund_id: int) -> dict[str, Any] | None:
    return row_as_dict("SELECT * FROM refund WHERE id = ?", (refund_id,))


def update_refund(refund_id: int, values: Mapping[str, Any]) -> None:
    update_row("refund", refund_id, dict(values))


def refunds_on_receipt(receipt_no: str, case_id: int) -> list[tuple[Any, ...]]:
    """Every refund on the same receipt; without a receipt, those of the same case without one."""
    if receipt_no:
        where, parameters = "r.receipt_no = ?", (receipt_no,)
    else:
        where, parameters = "r.receipt_no = '' AND r.case_id = ?", (case_id,)
    sql = f"SELECT {', '.join(REFUND_LIST_COLUMNS)} {_FROM} WHERE {where} ORDER BY r.id"
    return list(database.execute_sql(sql, parameters).fetchall())


def refunds_of_case(case_id: int) -> list[tuple[Any, ...]]:
    sql = f"SELECT {', '.join(REFUND_LIST_COLUMNS)} {_FROM} WHERE r.case_id = ? ORDER BY r.id"
    return list(database.execute_sql(sql, (case_id,)).fetchall())


def refund_line(refund_id: int) -> list[tuple[Any, ...]]:
    sql = f"SELECT {', '.join(REFUND_LIST_COLUMNS)} {_FROM} WHERE r.id = ?"
    return list(database.execute_sql(sql, (refund_id,)).fetchall())


def pending_refunds() -> list[tuple[Any, ...]]:
    sql = (
        f"SELECT {', '.join(REFUND_LIST_COLUMNS)} {_FROM} WHERE r.status = 'pending' "
        "ORDER BY r.level_required DESC, r.requested_at"
    )
    return list(database.execute_sql(sql).fetchall())


def items_of(refund_id: int) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT product_name, barcode, quantity, amount_fen, defect FROM refund_item "
        "WHERE refund_id = ? ORDER BY id"
    )
    return list(database.execute_sql(sql, (refund_id,)).fetchall())


def supplier_named(name: str) -> int | None:
    row = database.execute_sql("SELECT id FROM supplier WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])

