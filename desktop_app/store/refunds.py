"""Refunds and their items; the receipt's running total the approval tier is decided on."""

from __future__ import annotations

from typing import Any

from desktop_app.store.connection import database
from desktop_app.store.raw import row_as_dict
from desktop_app.store.receipts import SAME_RECEIPT

REFUND_LIST_COLUMNS = (
    "r.id", "c.case_no", "r.receipt_no", "r.kind", "r.amount_fen", "r.status",
    "r.level_required", "r.requested_at", "q.display_name", "COALESCE(d.display_name, '')",
    "r.decided_at", "r.reason", "r.is_special", "r.is_quality", "r.case_id",
    "r.charge_back_status", "r.receipt_total_fen", "r.decision_comment",
)
_FROM = (
    'FROM refund r JOIN "case" c ON c.id = r.case_id '
    'JOIN "user" q ON q.id = r.requested_by_id '
    'LEFT JOIN "user" d ON d.id = r.decided_by_id'
)


def refund_columns(refund_id: int) -> dict[str, Any] | None:
    return row_as_dict("SELECT * FROM refund WHERE id = ?", (refund_id,))


def refunds_on_receipt(receipt_id: int | None, case_id: int) -> list[tuple[Any, ...]]:
    """Every refund on the same receipt (by its identity, as the tier counts them), across
    cases; without a receipt, the case's own."""
    if receipt_id is not None:
        where, parameters = f"r.receipt_id IN ({SAME_RECEIPT})", (receipt_id,)
    else:
        where, parameters = "r.receipt_id IS NULL AND r.case_id = ?", (case_id,)
    sql = f"SELECT {', '.join(REFUND_LIST_COLUMNS)} {_FROM} WHERE {where} ORDER BY r.id"
    return list(database.execute_sql(sql, parameters).fetchall())


def count_pending(case_id: int) -> int:
    sql = "SELECT COUNT(*) FROM refund WHERE case_id = ? AND status = 'pending'"
    return int(database.execute_sql(sql, (case_id,)).fetchone()[0])


def count_counted(case_id: int) -> int:
    sql = "SELECT COUNT(*) FROM refund WHERE case_id = ? AND status IN ('pending', 'approved')"
    return int(database.execute_sql(sql, (case_id,)).fetchone()[0])


def pending_ids_of_case(case_id: int) -> list[int]:
    sql = "SELECT id FROM refund WHERE case_id = ? AND status = 'pending' ORDER BY id"
    return [int(row[0]) for row in database.execute_sql(sql, (case_id,))]


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


def supplier_named(name: str) -> int | None:
    row = database.execute_sql("SELECT id FROM supplier WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])

