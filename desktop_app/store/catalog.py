"""Departments, suppliers and products: what a complaint can be about."""

from __future__ import annotations

from desktop_app.store.connection import database


def department_ids() -> dict[str, int]:
    rows = database.execute_sql("SELECT id, name FROM department")
    return {str(name): int(row_id) for row_id, name in rows}


def supplier_ids() -> dict[str, int]:
    rows = database.execute_sql("SELECT id, name FROM supplier")
    return {str(name): int(row_id) for row_id, name in rows}


def product_barcodes() -> set[str]:
    return {str(row[0]) for row in database.execute_sql("SELECT barcode FROM product")}


def department_names(active_only: bool = True) -> list[str]:
    where = "WHERE active = 1 " if active_only else ""
    sql = f"SELECT name FROM department {where}ORDER BY id"
    return [str(row[0]) for row in database.execute_sql(sql)]
