"""Departments, suppliers and products: what a complaint can be about."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.store.records import DepartmentRecord, ProductRecord, SupplierRecord


def add_departments(names: Iterable[str]) -> dict[str, int]:
    for name in names:
        DepartmentRecord.insert(name=name, active=True).on_conflict_ignore().execute()
    return {r.name: r.id for r in DepartmentRecord.select()}


def add_suppliers(names: Iterable[str]) -> dict[str, int]:
    for name in names:
        SupplierRecord.insert(name=name).on_conflict_ignore().execute()
    return {r.name: r.id for r in SupplierRecord.select()}


def add_products(rows: Iterable[tuple[str, str, int, int | None, int]]) -> int:
    """Rows of (barcode, name, department_id, supplier_id, price_fen); returns how many."""
    data = [
        {"barcode": b, "name": n, "department": d, "supplier": s, "price_fen": p}
        for b, n, d, s, p in rows
    ]
    for start in range(0, len(data), 500):
        ProductRecord.insert_many(data[start : start + 500]).on_conflict_ignore().execute()
    return len(data)


def department_names(active_only: bool = True) -> list[str]:
    query = DepartmentRecord.select(DepartmentRecord.name).order_by(DepartmentRecord.id)
    if active_only:
        query = query.where(DepartmentRecord.active)
    return [name for (name,) in query.tuples()]
