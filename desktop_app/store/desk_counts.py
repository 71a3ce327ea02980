"""The few counts the navigation shows all day: each answered from an index, not a table scan."""

from __future__ import annotations

from desktop_app.store.connection import database
from desktop_app.store.dialect import indexed_by


def pending_refunds_by_level() -> dict[int, int]:
    """How many refunds wait for a signature at each approval level (refund_status_level)."""
    sql = (
        "SELECT level_required, count(*) FROM refund WHERE status = 'pending' "
        "GROUP BY level_required"
    )
    return {int(level): int(count) for level, count in database.execute_sql(sql).fetchall()}


def major_unacknowledged_count() -> int:
    """Major complaints no manager has acknowledged yet (the partial case_major_waiting index)."""
    sql = (
        f'SELECT count(*) FROM "case"{indexed_by("case_major_waiting")} '
        "WHERE is_major = 1 AND major_acknowledged_at IS NULL"
    )
    return int(database.execute_sql(sql).fetchone()[0])


def refund_decided_by(refund_id: int) -> int | None:
    row = database.execute_sql(
        "SELECT decided_by_id FROM refund WHERE id = ?", (refund_id,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])
