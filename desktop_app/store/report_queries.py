"""The month-end reports' queries: every line of the month's approved refunds, the cases the
complaint statistics count, and the monthly counts of the 12-month trend. Plain tuples, no
rules: the figures are computed in ``domain.report_figures`` and ``domain.complaint_stats``."""

from __future__ import annotations

from typing import Any

from desktop_app.store import dialect
from desktop_app.store.connection import database


def _workflow(path: str) -> str:
    """A text out of the case's workflow answers (JSON text), NULL when absent or unreadable."""
    return dialect.json_text("c.workflow", path)


def _report_columns() -> tuple[str, ...]:
    return (
        "r.id", "r.decided_at", "c.case_no", "r.receipt_no", "i.product_name", "i.barcode",
        "i.quantity", "i.amount_fen", "r.kind", "c.category", "COALESCE(dep.name, '')",
        "r.level_required", "COALESCE(d.display_name, '')", "r.head_office_approver",
        "r.head_office_reference", "r.head_office_date", "q.display_name", "r.is_special",
        "r.special_reason", "r.special_detail", "r.is_quality", "COALESCE(s.name, '')", "i.defect",
        "r.reason", _workflow("confirmation.by"), _workflow("confirmation.leader"),
        _workflow("confirmation.at"),
        # The charge-back ledger decides a quality return's state and amount (the refund's own
        # columns follow it; they alone stand only for a refund without a ledger line).
        "COALESCE(cb.status, r.charge_back_status)",
        "CASE WHEN cb.id IS NULL THEN r.charge_back_note ELSE cb.waive_reason END", "c.status",
        _workflow("responsibility.responsible"),
        # Why the ledger charges less than was refunded (a cut waives the rest).
        "COALESCE(cb.amount_note, '')",
        "cb.amount_fen",  # last: services.reports reads it as row[-1]
    )


def approved_lines(start: str, end: str) -> list[tuple[Any, ...]]:
    """Every item of every refund approved in [start, end), oldest first."""
    sql = (
        f"SELECT {', '.join(_report_columns())} FROM refund r "
        "JOIN refund_item i ON i.refund_id = r.id "
        'JOIN "case" c ON c.id = r.case_id '
        'JOIN "user" q ON q.id = r.requested_by_id '
        'LEFT JOIN "user" d ON d.id = r.decided_by_id '
        "LEFT JOIN department dep ON dep.id = c.department_id "
        "LEFT JOIN supplier s ON s.id = r.supplier_id "
        "LEFT JOIN charge_back cb ON cb.refund_id = r.id "
        "WHERE r.status = 'approved' AND r.decided_at >= ? AND r.decided_at < ? "
        "ORDER BY r.decided_at, r.id, i.id"
    )
    return list(database.execute_sql(sql, (start, end)).fetchall())


def _case_columns() -> tuple[str, ...]:
    return (
        "c.case_no", "c.received_at", "c.kind", "c.category", "COALESCE(dep.name, '')",
        "c.channel", "c.is_major", "c.status", "c.promised_reply_date", "c.first_response_at",
        "c.closed_at", dialect.json_value("c.workflow", "follow_up.reached"),
        dialect.json_value("c.workflow", "follow_up.satisfaction"),
    )


def cases_for_statistics(since: str, end: str) -> list[tuple[Any, ...]]:
    """Cases registered in [since, end), and older ones still open at ``since`` or closed
    after it: everything the statistics of the two months from ``since`` count. Voided cases
    are left out here already."""
    sql = (
        f'SELECT {", ".join(_case_columns())} FROM "case" c '
        "LEFT JOIN department dep ON dep.id = c.department_id "
        "WHERE c.status <> 'voided' AND c.received_at < ? "
        "AND (c.received_at >= ? OR c.closed_at IS NULL OR c.closed_at >= ?) "
        "ORDER BY c.received_at, c.id"
    )
    return list(database.execute_sql(sql, (end, since, since)).fetchall())


def monthly_case_counts(start: str, end: str) -> list[tuple[Any, ...]]:
    """(YYYY-MM, kind, is_major, cases) of the cases registered in [start, end), voided ones
    excluded."""
    sql = (
        'SELECT substr(received_at, 1, 7), kind, is_major, count(*) FROM "case" '
        "WHERE received_at >= ? AND received_at < ? AND status <> 'voided' "
        "GROUP BY 1, 2, 3 ORDER BY 1"
    )
    return list(database.execute_sql(sql, (start, end)).fetchall())
