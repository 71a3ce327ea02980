"""Queries for erasing customers' personal data from the open register, and for leaving no copy
of it behind in the file (free space, the search index, the planner's samples, the WAL)."""

from __future__ import annotations

from typing import Any

from desktop_app.store import dialect
from desktop_app.store.connection import database

ERASE_ACTION = "erase"

# Repeats the partial index's condition (migrations.V_PRIVACY) so SQLite uses it.
_HOLDS_PERSONAL = "personal_salt <> ''"


def due_candidates(closed_before: str) -> list[tuple[Any, ...]]:
    """(id, case_no, status, closed_at, subject, category) of closed cases that still hold
    their customer's data and were closed before ``closed_before``, oldest first."""
    sql = (
        'SELECT id, case_no, status, closed_at, subject, category FROM "case" '
        f"WHERE {_HOLDS_PERSONAL} AND closed_at IS NOT NULL AND closed_at < ? "
        "ORDER BY closed_at, id"
    )
    return list(database.execute_sql(sql, (closed_before,)).fetchall())


def cases_of_phone(phone: str) -> list[tuple[Any, ...]]:
    """(id, case_no, status) of every case registered with this phone, oldest first."""
    sql = 'SELECT id, case_no, status FROM "case" WHERE customer_phone = ? ORDER BY id'
    return list(database.execute_sql(sql, (phone,)).fetchall())


def counting_without_receipt(case_ids: list[int], since: str) -> set[int]:
    """Those of ``case_ids`` with a refund without a receipt, pending or approved, requested
    since ``since``: the customer's phone still counts it."""
    if not case_ids:
        return set()
    marks = ", ".join("?" for _ in case_ids)
    sql = (
        f"SELECT DISTINCT case_id FROM refund WHERE case_id IN ({marks}) "
        "AND receipt_id IS NULL AND status IN ('pending', 'approved') AND requested_at >= ?"
    )
    return {int(row[0]) for row in database.execute_sql(sql, (*case_ids, since))}


def erasures() -> list[tuple[Any, ...]]:
    """(at, actor, case_no, payload) of every erasure in the register, oldest first (only
    cases are ever erased: asking for the action alone keeps to its partial index)."""
    sql = (
        'SELECT r.at, r.actor, c.case_no, r.payload FROM register_entry r '
        'JOIN "case" c ON c.id = r.entity_id '
        f"WHERE r.action = '{ERASE_ACTION}' ORDER BY r.seq"
    )
    return list(database.execute_sql(sql).fetchall())


def free_texts(case_id: int) -> list[str]:
    """Every free text recorded for a case and its refunds (the customer's account, the steps'
    notes, refund reasons and comments): the chain keeps these as written."""
    case_sql = 'SELECT account, workflow, staff_name FROM "case" WHERE id = ?'
    refund_sql = (
        "SELECT reason, special_detail, decision_comment, charge_back_note FROM refund "
        "WHERE case_id = ?"
    )
    item_sql = (
        "SELECT i.defect FROM refund_item i JOIN refund r ON r.id = i.refund_id "
        "WHERE r.case_id = ?"
    )
    texts: list[str] = []
    for sql in (case_sql, refund_sql, item_sql):
        for row in database.execute_sql(sql, (case_id,)):
            texts.extend(str(value) for value in row if value)
    return texts


def forget_index_samples() -> None:
    """A SQLite built with STAT4 keeps sample keys of each index (names, phones) in
    ``sqlite_stat4``; the case table's samples go (the planner then uses ``sqlite_stat1``).
    PostgreSQL keeps common values of columns in its statistics: a fresh ANALYZE of the case
    table replaces them with what the table holds now."""
    if dialect.server():
        database.execute_sql('ANALYZE "case"')
        return
    found = database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'"
    ).fetchone()
    if found is not None:
        database.execute_sql("DELETE FROM sqlite_stat4 WHERE tbl = 'case'")


def secure_delete() -> bool:
    """Whether this connection overwrites deleted content with zeros."""
    if dialect.server():
        return False  # the server's pages: VACUUM makes them reusable, it does not zero them
    return int(database.execute_sql("PRAGMA secure_delete").fetchone()[0]) == 1


def checkpoint() -> bool:
    """Copy the WAL into the file and cut it to zero bytes, so no frame written before an
    erasure keeps the old pages; False when a reader held it (it is tried again next time).
    On PostgreSQL: VACUUM the case and register tables, so the dead versions of erased rows
    are freed for reuse (outside a transaction; autovacuum would do it later)."""
    if dialect.server():
        for table in ('"case"', "register_entry"):
            database.execute_sql(f"VACUUM {table}")
        return True
    busy, _log, _done = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def vacuum_due() -> bool:
    """Whether the file may still keep earlier row versions in free space (migrations)."""
    sql = "SELECT 1 FROM privacy_upkeep WHERE key = 'vacuum_due'"
    return database.execute_sql(sql).fetchone() is not None


def vacuum() -> None:
    """Rewrite the whole file, leaving no free space; outside any transaction."""
    database.execute_sql("VACUUM FULL" if dialect.server() else "VACUUM")
    with database.atomic():
        database.execute_sql("DELETE FROM privacy_upkeep WHERE key = 'vacuum_due'")
