"""Receipts and what has been refunded against each: the figures the tier and ceiling use."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.receipts import receipt_identity
from desktop_app.store.connection import database

COUNTED = ("pending", "approved")


@dataclass(frozen=True)
class StoredReceipt:
    id: int
    key: str
    paid_fen: int | None


# domain.receipts.receipt_identity in SQL (the expression of the index receipt_identity).
IDENTITY = "replace(replace(receipt_key, '-', ''), '/', '')"


def by_key(key: str) -> StoredReceipt | None:
    """The receipt ``key`` is (the first registered of its identity, if a register from before
    the identity holds it twice)."""
    row = database.execute_sql(
        f"SELECT id, receipt_key, paid_fen FROM receipt WHERE {IDENTITY} = ? ORDER BY id LIMIT 1",
        (receipt_identity(key),),
    ).fetchone()
    return None if row is None else StoredReceipt(int(row[0]), str(row[1]), row[2])


# The ids of every receipt with the identity of the receipt whose id is the parameter.
SAME_RECEIPT = (f"SELECT id FROM receipt WHERE {IDENTITY} = "
                f"(SELECT {IDENTITY} FROM receipt WHERE id = ?)")


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
        f"SELECT id, kind, amount_fen FROM refund WHERE receipt_id IN ({SAME_RECEIPT}) "
        "AND status IN ('pending', 'approved') ORDER BY id"
    )
    return [CountedRefund(*row) for row in database.execute_sql(sql, (receipt_id,))]


def counted_without_receipt(phone: str, since: str) -> list[CountedRefund]:
    """Refunds without a receipt of the customer with this phone: every one still waiting for
    its signature, and those approved that were requested since ``since`` (found: a refund left
    waiting past the window stopped counting, and the next one was tiered on its own)."""
    sql = (
        'SELECT r.id, r.kind, r.amount_fen FROM "case" c JOIN refund r ON r.case_id = c.id '
        "WHERE c.customer_phone = ? AND r.receipt_id IS NULL "
        "AND (r.status = 'pending' OR (r.status = 'approved' AND r.requested_at >= ?)) "
        "ORDER BY r.id"
    )
    return [CountedRefund(*row) for row in database.execute_sql(sql, (phone, since))]
