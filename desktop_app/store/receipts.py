"""Receipts and what has been refunded against each: the figures the tier and ceiling use."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.store.connection import database

COUNTED = ("pending", "approved")


@dataclass(frozen=True)
class StoredReceipt:
    id: int
    key: str
    paid_fen: int | None


def by_key(key: str) -> StoredReceipt | None:
    row = database.execute_sql(
        "SELECT id, receipt_key, paid_fen FROM receipt WHERE receipt_key = ?", (key,)
    ).fetchone()
    return None if row is None else StoredReceipt(int(row[0]), str(row[1]), row[2])


def by_id(receipt_id: int) -> StoredReceipt | None:
    row = database.execute_sql(
        "SELECT id, receipt_key, paid_fen FROM receipt WHERE id = ?", (receipt_id,)
    ).fetchone()
    return None if row is None else StoredReceipt(int(row[0]), str(row[1]), row[2])


@dataclass(frozen=True)
class CountedRefund:
    refund_id: int
    kind: str
    amount_fen: int


def counted_on_receipt(receipt_id: int) -> list[CountedRefund]:
    """Refunds pending or approved against the receipt, across every case that cites it."""
    sql = (
        "SELECT id, kind, amount_fen FROM refund WHERE receipt_id = ? "
        "AND status IN ('pending', 'approved') ORDER BY id"
    )
    return [CountedRefund(*row) for row in database.execute_sql(sql, (receipt_id,))]


def counted_without_receipt(phone: str, since: str) -> list[CountedRefund]:
    """Refunds without a receipt, pending or approved, of the customer with this phone,
    requested since ``since``."""
    sql = (
        'SELECT r.id, r.kind, r.amount_fen FROM "case" c JOIN refund r ON r.case_id = c.id '
        "WHERE c.customer_phone = ? AND r.receipt_id IS NULL "
        "AND r.status IN ('pending', 'approved') AND r.requested_at >= ? ORDER BY r.id"
    )
    return [CountedRefund(*row) for row in database.execute_sql(sql, (phone, since))]
