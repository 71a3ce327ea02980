"""The SQL of a ``CaseSelection``: conditions on the queue's case row ``c``, written so the
partial indexes of migrations.V_WARNINGS serve them (the same expressions, the same
"counted" condition)."""

from __future__ import annotations

from typing import Any

from desktop_app.domain.case_selection import CaseSelection
from desktop_app.store.dialect import indexed_expression
from desktop_app.store.migrations import COUNTED, PRODUCT_NAME_KEY_SQL, SATISFACTION_SQL


def _on_c(expression: str) -> str:
    """A migration's expression on the case row ``c`` (it names bare columns)."""
    expression = indexed_expression(expression)
    for column in ("product_name", "workflow", "product_barcode"):
        expression = expression.replace(f"({column}", f"(c.{column}")
    return expression


def selection_clauses(selection: CaseSelection) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        params.extend(values)

    if selection.counted_only:
        add(f"c.{COUNTED}")
    if selection.warning_id is not None:
        add("c.id IN (SELECT case_id FROM warning_case WHERE warning_id = ?)",
            selection.warning_id)
    if selection.category is not None:
        add("c.category = ?", selection.category)
    if selection.department_id is not None:
        add("c.department_id = ?", selection.department_id)
    if selection.supplier_id is not None:
        add("c.supplier_id = ?", selection.supplier_id)
    barcode, name_key = selection.product_barcode, selection.product_name_key
    by_name = f"(c.product_barcode = '' AND {_on_c(PRODUCT_NAME_KEY_SQL)} = ?)"
    if barcode and name_key:
        add(f"(c.product_barcode = ? OR {by_name})", barcode, name_key)
    elif barcode:
        add("c.product_barcode = ?", barcode)
    elif name_key:
        add(by_name, name_key)
    if selection.received_from is not None:
        add("c.received_at >= ?", f"{selection.received_from}")
    if selection.received_until is not None:
        add("c.received_at < ?", f"{selection.received_until}")
    if selection.answered_in_month:
        add("c.first_response_at IS NOT NULL AND substr(c.received_at, 1, 7) = ?",
            selection.answered_in_month)
    if selection.closed_in_month:
        add("c.status IN ('closed', 'not_upheld') AND substr(c.closed_at, 1, 7) = ?",
            selection.closed_in_month)
    if selection.closed_from is not None:
        add("c.closed_at >= ?", f"{selection.closed_from}")
    if selection.closed_until is not None:
        add("c.closed_at < ?", f"{selection.closed_until}")
    if selection.satisfaction is not None:
        add(f"c.status = 'closed' AND {_on_c(SATISFACTION_SQL)} = ?", selection.satisfaction)
    return clauses, params
