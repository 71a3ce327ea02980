"""Early warnings: counting the recent complaints of one subject, the warnings themselves and
the cases that raised or joined them. Plain tuples; the rules are in domain.warning_rules.

The counts run on the partial "counted" indexes of migrations.V_WARNINGS (every case not
voided). ``INDEXED BY`` names them: with statistics of a big register SQLite would otherwise
read the last days of every case by time and look each row up, 10–30× slower.
"""

from __future__ import annotations

from typing import Any

from desktop_app.domain.receipts import receipt_identity
from desktop_app.store import receipts
from desktop_app.store.connection import database
from desktop_app.store.dialect import fixed_join, indexed_by
from desktop_app.store.migrations import PRODUCT_NAME_KEY_SQL

COUNTED = "status <> 'voided'"

# rule -> (index, condition on the subject; one parameter each)
_SUBJECT_COUNTS: dict[str, tuple[str, str]] = {
    "barcode": ("case_counted_barcode", "product_barcode <> '' AND product_barcode = ?"),
    "name": (
        "case_counted_product_name",
        f"product_barcode = '' AND product_name <> '' AND {PRODUCT_NAME_KEY_SQL} = ?",
    ),
    "supplier": ("case_counted_supplier", "supplier_id IS NOT NULL AND supplier_id = ?"),
    "department": ("case_counted_department", "department_id IS NOT NULL AND department_id = ?"),
    "category": ("case_counted_category", "category = ?"),
    "staff": (
        "case_counted_staff", "subject = 'service' AND staff_name <> '' AND staff_name = ?"
    ),
    "phone": ("case_phone", "customer_phone = ?"),
    "receipt": ("case_receipt_id", "receipt_id IS NOT NULL AND receipt_id = ?"),
}


def count_since(kind: str, value: Any, since: str) -> int:
    """Counted cases of one subject received at or after ``since``."""
    index, condition = _SUBJECT_COUNTS[kind]
    sql = (
        f'SELECT count(*) FROM "case"{indexed_by(index)} '
        f"WHERE {COUNTED} AND {condition} AND received_at >= ?"
    )
    return int(database.execute_sql(sql, (value, since)).fetchone()[0])


def ids_since(kind: str, value: Any, since: str, limit: int) -> list[tuple[int, str]]:
    """(id, received_at) of those cases, oldest first, at most ``limit`` (the newest)."""
    index, condition = _SUBJECT_COUNTS[kind]
    sql = (
        f'SELECT id, received_at FROM (SELECT id, received_at FROM "case"{indexed_by(index)} '
        f"WHERE {COUNTED} AND {condition} AND received_at >= ? "
        "ORDER BY received_at DESC, id DESC LIMIT ?) AS newest ORDER BY received_at, id"
    )
    return [(int(row[0]), str(row[1])) for row in database.execute_sql(sql, (value, since, limit))]


def catalogue_barcode(name: str) -> str:
    """The barcode of the catalogue product called exactly ``name`` ('' if none)."""
    row = database.execute_sql(
        "SELECT barcode FROM product WHERE name = ? ORDER BY active DESC, id LIMIT 1", (name,)
    ).fetchone()
    return "" if row is None else str(row[0])


def subject_names(case_id: int) -> tuple[str, str, str]:
    """(department, supplier, receipt key) of a case, '' where it has none."""
    row = database.execute_sql(
        "SELECT COALESCE(d.name, ''), COALESCE(s.name, ''), COALESCE(r.receipt_key, '') "
        'FROM "case" c LEFT JOIN department d ON d.id = c.department_id '
        "LEFT JOIN supplier s ON s.id = c.supplier_id "
        "LEFT JOIN receipt r ON r.id = c.receipt_id WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    return ("", "", "") if row is None else (str(row[0]), str(row[1]), str(row[2]))


# --- open and closed warnings of a subject -----------------------------------------------------


def open_warning(rule: str, subject_key: str) -> tuple[int, str] | None:
    """(id, status) of the open warning of a rule and subject."""
    row = database.execute_sql(
        f"SELECT id, status FROM warning{indexed_by('warning_open_subject')} "
        "WHERE rule = ? AND subject_key = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1",
        (rule, subject_key),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def last_closed(rule: str, subject_key: str) -> str | None:
    row = database.execute_sql(
        f"SELECT max(closed_at) FROM warning{indexed_by('warning_subject_closed')} "
        "WHERE rule = ? AND subject_key = ? AND status = 'closed'",
        (rule, subject_key),
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


# How many of a phone's latest warned cases are read for its warnings (see below).
PHONE_CASES_READ = 10


def phone_warnings(phone: str) -> tuple[int | None, str | None]:
    """(the open repeat-claim warning of the phone, when its last one closed), read from its
    latest ``PHONE_CASES_READ`` warned cases.

    A customer's phone never enters a warning (it would enter the register's chain): their
    warnings are found through the cases carrying the phone. Reading all of them grew with the
    phone's cases (1.5 ms at each save of a phone with 1,600). Its latest cases are enough: a
    phone's warnings follow one another (a new one is raised only while none is open, from
    cases after the last one closed), and every case registered while one is open joins it. A
    few, not one: a case typed under the wrong phone and corrected keeps its link to the other
    customer's warning (found in review: the corrected case hid the phone's own open warning,
    and a second one was raised)."""
    join = fixed_join()
    rows = database.execute_sql(
        f'SELECT w.id, w.status, w.closed_at FROM "case" c{indexed_by("case_phone")} '
        f"{join} warning_case wc ON wc.case_id = c.id {join} warning w ON w.id = wc.warning_id "
        "WHERE c.customer_phone = ? AND w.rule = 'repeat_phone' "
        "ORDER BY c.id DESC LIMIT ?",
        (phone, PHONE_CASES_READ),
    ).fetchall()
    still_open = [int(row[0]) for row in rows if row[1] != "closed"]
    closed = [str(row[2]) for row in rows if row[1] == "closed" and row[2] is not None]
    return max(still_open, default=None), max(closed, default=None)


def case_count(warning_id: int) -> int:
    """How many cases a warning has: its latest case's number (links are never removed)."""
    row = database.execute_sql(
        "SELECT max(ordinal) FROM warning_case WHERE warning_id = ?", (warning_id,)
    ).fetchone()
    return int(row[0] or 0)


def is_linked(warning_id: int, case_id: int) -> bool:
    row = database.execute_sql(
        "SELECT 1 FROM warning_case WHERE warning_id = ? AND case_id = ?", (warning_id, case_id)
    ).fetchone()
    return row is not None


# --- reading warnings ---------------------------------------------------------------------------

WARNING_COLUMNS = (
    "w.id", "w.rule", "w.subject", "w.threshold", "w.window_days", "w.raised_at", "w.status",
    "w.action", "w.note", "w.acknowledged_at", "COALESCE(a.display_name, '')", "w.closed_at",
    "COALESCE(z.display_name, '')", "w.close_note",
    "(SELECT max(ordinal) FROM warning_case WHERE warning_id = w.id)",
    # The first and latest case: received time, and the customer (a repeat-claim warning is
    # shown by its customer, read from the case row).
    "(SELECT c.received_at FROM warning_case f JOIN \"case\" c ON c.id = f.case_id "
    "WHERE f.warning_id = w.id ORDER BY f.ordinal LIMIT 1)",
    "(SELECT c.received_at FROM warning_case f JOIN \"case\" c ON c.id = f.case_id "
    "WHERE f.warning_id = w.id ORDER BY f.ordinal DESC LIMIT 1)",
    "(SELECT c.customer_name || ' ' || c.customer_phone FROM warning_case f "
    "JOIN \"case\" c ON c.id = f.case_id WHERE f.warning_id = w.id "
    "ORDER BY f.ordinal DESC LIMIT 1)",
)
_WARNINGS_FROM = (
    'FROM warning w LEFT JOIN "user" a ON a.id = w.acknowledged_by_id '
    'LEFT JOIN "user" z ON z.id = w.closed_by_id'
)


def warnings(statuses: tuple[str, ...], limit: int = 500) -> list[tuple[Any, ...]]:
    """Warnings in these states, newest first."""
    marks = ", ".join("?" * len(statuses))
    sql = (
        f"SELECT {', '.join(WARNING_COLUMNS)} {_WARNINGS_FROM} "
        f"WHERE w.status IN ({marks}) ORDER BY w.raised_at DESC, w.id DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (*statuses, limit)).fetchall())


def warning(warning_id: int) -> tuple[Any, ...] | None:
    sql = f"SELECT {', '.join(WARNING_COLUMNS)} {_WARNINGS_FROM} WHERE w.id = ?"
    row = database.execute_sql(sql, (warning_id,)).fetchone()
    return None if row is None else tuple(row)


def warning_columns(warning_id: int) -> dict[str, Any] | None:
    cursor = database.execute_sql("SELECT * FROM warning WHERE id = ?", (warning_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def cases_of(warning_id: int, limit: int = 500) -> list[tuple[Any, ...]]:
    """(ordinal, case id, case no, received, product, customer, category, status) of a
    warning's cases, in the order they were counted."""
    sql = (
        "SELECT wc.ordinal, c.id, c.case_no, c.received_at, c.product_name, c.customer_name, "
        'c.category, c.status FROM warning_case wc JOIN "case" c ON c.id = wc.case_id '
        "WHERE wc.warning_id = ? ORDER BY wc.ordinal LIMIT ?"
    )
    return list(database.execute_sql(sql, (warning_id, limit)).fetchall())


def notices_of_case(case_id: int) -> list[tuple[Any, ...]]:
    """The warnings a case raised or joined: (rule, subject, window days, status, ordinal,
    first case received, this case received, customer)."""
    sql = (
        "SELECT w.rule, w.subject, w.window_days, w.status, wc.ordinal, "
        "(SELECT c1.received_at FROM warning_case f JOIN \"case\" c1 ON c1.id = f.case_id "
        "WHERE f.warning_id = w.id ORDER BY f.ordinal LIMIT 1), c.received_at, "
        "c.customer_name || ' ' || c.customer_phone "
        'FROM warning_case wc JOIN warning w ON w.id = wc.warning_id '
        'JOIN "case" c ON c.id = wc.case_id WHERE wc.case_id = ? ORDER BY w.id'
    )
    return list(database.execute_sql(sql, (case_id,)).fetchall())


def count_in_state(status: str) -> int:
    row = database.execute_sql(
        "SELECT count(*) FROM warning WHERE status = ?", (status,)
    ).fetchone()
    return int(row[0])


# --- the month's summary --------------------------------------------------------------------------


def open_at_end(moment: str) -> list[tuple[Any, ...]]:
    """The warnings open at ``moment``, oldest first, each as it stood then: (id, rule,
    subject, whether it was acknowledged by then, its action then, the cases linked by then,
    the phone on its first case: a repeat claimant's warning keeps no phone of its own). A
    month's package reads them so and does not change with the day it is printed."""
    sql = (
        "SELECT w.id, w.rule, w.subject, "
        "w.acknowledged_at IS NOT NULL AND w.acknowledged_at < ?, w.action, "
        "(SELECT count(*) FROM warning_case wc WHERE wc.warning_id = w.id "
        "AND wc.linked_at < ?), "
        "(SELECT c.customer_phone FROM warning_case f JOIN \"case\" c ON c.id = f.case_id "
        "WHERE f.warning_id = w.id ORDER BY f.ordinal LIMIT 1) FROM warning w "
        "WHERE w.raised_at < ? AND (w.closed_at IS NULL OR w.closed_at >= ?) "
        "ORDER BY w.raised_at, w.id"
    )
    return list(database.execute_sql(sql, (moment,) * 4).fetchall())


def raised_and_closed_between(start: str, end: str) -> tuple[int, int]:
    raised = database.execute_sql(
        "SELECT count(*) FROM warning WHERE raised_at >= ? AND raised_at < ?", (start, end)
    ).fetchone()[0]
    closed = database.execute_sql(
        "SELECT count(*) FROM warning WHERE closed_at >= ? AND closed_at < ?", (start, end)
    ).fetchone()[0]
    return int(raised), int(closed)


# --- a customer claiming again -------------------------------------------------------------------


def cases_of_receipt(receipt_key: str, limit: int = 20) -> list[tuple[Any, ...]]:
    """(case id, case no, received, category, status) of the cases citing a receipt, newest
    first."""
    sql = (
        'SELECT c.id, c.case_no, c.received_at, c.category, c.status FROM "case" c '
        f"WHERE c.receipt_id IN (SELECT id FROM receipt WHERE {receipts.IDENTITY} = ?) "
        "ORDER BY c.received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (receipt_identity(receipt_key), limit)).fetchall())


def claim_subject(refund_id: int) -> tuple[Any, ...] | None:
    """(case id, phone, receipt id, customer name) of the case a refund belongs to."""
    row = database.execute_sql(
        'SELECT c.id, c.customer_phone, c.receipt_id, c.customer_name FROM refund r '
        'JOIN "case" c ON c.id = r.case_id WHERE r.id = ?',
        (refund_id,),
    ).fetchone()
    return None if row is None else tuple(row)


def cases_of_phone(phone: str, limit: int = 50) -> list[tuple[Any, ...]]:
    """(case id, case no, received, category, status) newest first."""
    sql = (
        'SELECT id, case_no, received_at, category, status FROM "case" '
        "WHERE customer_phone = ? ORDER BY received_at DESC LIMIT ?"
    )
    return list(database.execute_sql(sql, (phone, limit)).fetchall())


def refunds_of_phone(phone: str, start: str, end: str) -> list[tuple[Any, ...]]:
    """(refund id, case no, decided at, kind, amount fen, status) of the customer's refunds
    approved in [start, end), and those still waiting, oldest first."""
    sql = (
        "SELECT r.id, c.case_no, COALESCE(r.decided_at, r.requested_at), r.kind, r.amount_fen, "
        'r.status FROM "case" c JOIN refund r ON r.case_id = c.id '
        "WHERE c.customer_phone = ? AND ((r.status = 'approved' AND r.decided_at >= ? "
        "AND r.decided_at < ?) OR r.status = 'pending') ORDER BY r.requested_at, r.id"
    )
    return list(database.execute_sql(sql, (phone, start, end)).fetchall())


def claim_warnings_of_case(case_id: int) -> list[tuple[Any, ...]]:
    """(rule, status, ordinal) of the repeat-claim warnings a case raised or joined."""
    sql = (
        "SELECT w.rule, w.status, wc.ordinal FROM warning_case wc "
        "JOIN warning w ON w.id = wc.warning_id WHERE wc.case_id = ? "
        "AND w.rule IN ('repeat_phone', 'repeat_receipt') ORDER BY w.id"
    )
    return list(database.execute_sql(sql, (case_id,)).fetchall())
