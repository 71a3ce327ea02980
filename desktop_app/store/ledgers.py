"""Who pays: the charge-back ledger, improvement orders and their follow-ups, and the staff
liability ledger, as plain rows. Writes go through ``services.register`` (every row is a
register entry); this module only reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_app.store import dialect
from desktop_app.store.connection import database
from desktop_app.store.raw import row_as_dict


# "伊利纯牛奶 250ml ×2、伊利酸奶 ×1": the refund's items, in the order they were listed.
def _products() -> str:
    return dialect.joined_list(
        "i.product_name || ' ×' || i.quantity", "、",
        "FROM refund_item i WHERE i.refund_id = r.id", "i.id",
    )


def _charge_back_columns_sql() -> tuple[str, ...]:
    return (
        "b.id", "b.refund_id", "c.case_no", "r.receipt_no", "b.supplier_id",
        "COALESCE(s.name, '')", f"COALESCE({_products()}, '')", "b.created_at", "r.amount_fen",
        "b.amount_fen", "b.status", "b.amount_note", "b.deduction_ref", "b.deducted_on",
        "b.waive_reason", "c.status",
    )
_CHARGE_BACK_FROM = (
    'FROM charge_back b JOIN refund r ON r.id = b.refund_id JOIN "case" c ON c.id = r.case_id '
    "LEFT JOIN supplier s ON s.id = b.supplier_id"
)


# --- supplier charge-backs ------------------------------------------------------------------------


def charge_back_columns(line_id: int) -> dict[str, Any] | None:
    return row_as_dict("SELECT * FROM charge_back WHERE id = ?", (line_id,))


def charge_back_id_of_refund(refund_id: int) -> int | None:
    row = database.execute_sql(
        "SELECT id FROM charge_back WHERE refund_id = ?", (refund_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def charge_back_lines(
    supplier_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    line_id: int | None = None,
) -> list[tuple[Any, ...]]:
    """Ledger lines, oldest approval first; optionally one supplier's,
    those approved in [start, end), or one line."""
    where, parameters = _where([
        ("b.supplier_id = ?", supplier_id), ("b.created_at >= ?", start),
        ("b.created_at < ?", end), ("b.id = ?", line_id),
    ])
    sql = (f"SELECT {', '.join(_charge_back_columns_sql())} {_CHARGE_BACK_FROM} {where} "
           "ORDER BY b.created_at, b.id")
    return list(database.execute_sql(sql, parameters).fetchall())


def supplier_contacts(supplier_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    if not supplier_ids:
        return {}
    marks = ", ".join("?" * len(supplier_ids))
    rows = database.execute_sql(
        f"SELECT id, contact, phone FROM supplier WHERE id IN ({marks})", tuple(supplier_ids)
    )
    return {int(row[0]): (str(row[1]), str(row[2])) for row in rows}


# --- improvement orders ---------------------------------------------------------------------------

ORDER_COLUMNS = (
    "o.id", "o.target", "COALESCE(s.name, d.name, '')", "o.supplier_id", "o.department_id",
    "COALESCE(c.case_no, '')", "o.requirement", "o.due_on", "o.status", "u.display_name",
    "o.issued_at", "o.done_on", "o.result", "COALESCE(cu.display_name, '')",
    "(SELECT COUNT(*) FROM improvement_follow_up f WHERE f.order_id = o.id)",
    "(SELECT MAX(f.at) FROM improvement_follow_up f WHERE f.order_id = o.id)",
)
_ORDER_FROM = (
    "FROM improvement_order o LEFT JOIN supplier s ON s.id = o.supplier_id "
    "LEFT JOIN department d ON d.id = o.department_id "
    'LEFT JOIN "case" c ON c.id = o.case_id '
    'JOIN "user" u ON u.id = o.issued_by_id LEFT JOIN "user" cu ON cu.id = o.closed_by_id'
)


def order_columns(order_id: int) -> dict[str, Any] | None:
    return row_as_dict("SELECT * FROM improvement_order WHERE id = ?", (order_id,))


def orders(
    open_only: bool = False, supplier_id: int | None = None, order_id: int | None = None
) -> list[tuple[Any, ...]]:
    """Orders (ORDER_COLUMNS): open ones first, by due date."""
    where, parameters = _where([
        ("o.status = ?", "open" if open_only else None), ("o.supplier_id = ?", supplier_id),
        ("o.id = ?", order_id),
    ])
    sql = (f"SELECT {', '.join(ORDER_COLUMNS)} {_ORDER_FROM} {where} "
           "ORDER BY o.status = 'done', o.due_on, o.id")
    return list(database.execute_sql(sql, parameters).fetchall())


def follow_ups(order_id: int) -> list[tuple[Any, ...]]:
    """(id, at, by, note, new due date) of an order, oldest first."""
    sql = (
        'SELECT f.id, f.at, u.display_name, f.note, f.new_due_on FROM improvement_follow_up f '
        'JOIN "user" u ON u.id = f.by_id WHERE f.order_id = ? ORDER BY f.id'
    )
    return list(database.execute_sql(sql, (order_id,)).fetchall())


def name_id(table: str, name: str) -> int | None:
    row = database.execute_sql(f'SELECT id FROM "{table}" WHERE name = ?', (name,)).fetchone()
    return None if row is None else int(row[0])


# --- staff liability ------------------------------------------------------------------------------

def liability_columns_sql() -> tuple[str, ...]:
    return (
        "l.id", "l.refund_id", "c.case_no", "l.staff_id", "t.name", "COALESCE(d.name, '')",
        "l.recorded_at", "r.amount_fen", "l.share_pct", "l.amount_fen", "l.penalty_fen",
        "l.penalty_note", "l.status", "l.settle_ref", "l.settled_on", "l.reason",
        f"COALESCE({dialect.json_text('c.workflow', 'responsibility.text')}, '')",
    )
_LIABILITY_FROM = (
    'FROM liability l JOIN refund r ON r.id = l.refund_id JOIN "case" c ON c.id = r.case_id '
    "JOIN staff t ON t.id = l.staff_id LEFT JOIN department d ON d.id = t.department_id"
)


def liability_columns(line_id: int) -> dict[str, Any] | None:
    return row_as_dict("SELECT * FROM liability WHERE id = ?", (line_id,))


def liability_lines(
    start: str | None = None,
    end: str | None = None,
    refund_id: int | None = None,
    staff_id: int | None = None,
    line_id: int | None = None,
) -> list[tuple[Any, ...]]:
    where, parameters = _where([
        ("l.recorded_at >= ?", start), ("l.recorded_at < ?", end),
        ("l.refund_id = ?", refund_id), ("l.staff_id = ?", staff_id), ("l.id = ?", line_id),
    ])
    sql = (f"SELECT {', '.join(liability_columns_sql())} {_LIABILITY_FROM} {where} "
           "ORDER BY l.recorded_at, l.id")
    return list(database.execute_sql(sql, parameters).fetchall())


def held_on_refund(refund_id: int) -> tuple[int, int, list[int]]:
    """(percent, fen, staff ids) the lines of a compensation that are not cancelled hold."""
    rows = database.execute_sql(
        "SELECT share_pct, amount_fen, staff_id FROM liability "
        "WHERE refund_id = ? AND status <> 'cancelled'", (refund_id,)
    ).fetchall()
    return (sum(int(row[0]) for row in rows), sum(int(row[1]) for row in rows),
            [int(row[2]) for row in rows])


def service_compensations(case_id: int) -> list[tuple[Any, ...]]:
    """(refund id, amount fen, approved at, reason, percent held) of a case's approved
    compensations that are not quality returns: what staff can be made to share."""
    sql = (
        "SELECT r.id, r.amount_fen, r.decided_at, r.reason, "
        "COALESCE((SELECT SUM(l.share_pct) FROM liability l WHERE l.refund_id = r.id "
        "AND l.status <> 'cancelled'), 0) "
        "FROM refund r WHERE r.case_id = ? AND r.kind = 'compensation' AND r.is_quality = 0 "
        "AND r.status = 'approved' ORDER BY r.id"
    )
    return list(database.execute_sql(sql, (case_id,)).fetchall())


def approved_service_compensations() -> list[tuple[Any, ...]]:
    """(refund id, case category, case department, approved at, step 8 recorded at or NULL) of
    every approved compensation that is not a quality return, on cases not voided (demo data
    names who bears them)."""
    sql = (
        "SELECT r.id, c.category, COALESCE(d.name, ''), r.decided_at, "
        f"{dialect.json_text('c.workflow', 'responsibility.at')} "
        'FROM refund r JOIN "case" c ON c.id = r.case_id '
        "LEFT JOIN department d ON d.id = c.department_id "
        "WHERE r.kind = 'compensation' AND r.is_quality = 0 AND r.status = 'approved' "
        "AND c.status <> 'voided' ORDER BY r.id"
    )
    return list(database.execute_sql(sql).fetchall())


def staff_choices() -> list[tuple[int, str, str]]:
    """(id, name, department) of the active staff, by department and name."""
    sql = (
        "SELECT t.id, t.name, COALESCE(d.name, '') FROM staff t "
        "LEFT JOIN department d ON d.id = t.department_id WHERE t.active = 1 "
        "ORDER BY COALESCE(d.name, ''), t.name, t.id"
    )
    return [(int(row[0]), str(row[1]), str(row[2])) for row in database.execute_sql(sql)]


def staff_active(staff_id: int) -> bool | None:
    row = database.execute_sql("SELECT active FROM staff WHERE id = ?", (staff_id,)).fetchone()
    return None if row is None else bool(row[0])


# --- the register's entries of one ledger row --------------------------------------------------


def entries_of(entity: str, entity_id: int) -> list[tuple[Any, ...]]:
    """(at, actor, action, payload) of one row, oldest first."""
    sql = (
        "SELECT at, actor, action, payload FROM register_entry "
        "WHERE entity = ? AND entity_id = ? ORDER BY seq"
    )
    return list(database.execute_sql(sql, (entity, entity_id)).fetchall())


def _where(conditions: Sequence[tuple[str, Any]]) -> tuple[str, tuple[Any, ...]]:
    used = [(clause, value) for clause, value in conditions if value is not None]
    if not used:
        return "", ()
    return "WHERE " + " AND ".join(clause for clause, _ in used), tuple(v for _, v in used)
