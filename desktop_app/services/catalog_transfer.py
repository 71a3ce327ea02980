"""Importing the catalogue from the POS's .xlsx/.csv and exporting the four lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import active_label
from desktop_app.domain.catalog_columns import PRODUCT_HEADERS
from desktop_app.domain.catalog_import import (
    CatalogField,
    ColumnMapping,
    ExistingProduct,
    ImportPlan,
    PlannedRow,
    RowAction,
    UnreadableFileError,
    choose_columns,
    classify,
)
from desktop_app.domain.money import from_fen
from desktop_app.services.catalog_base import (
    DEPARTMENT,
    PRODUCT,
    SUPPLIER,
    CatalogChange,
    CatalogWriter,
    ImportPreview,
    ImportResult,
    read_import_file,
)
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as store


class CatalogTransfer(CatalogWriter):
    """The catalogue imported from the POS's file (previewed, then written in one transaction)
    and exported as one workbook."""

    # --- import ------------------------------------------------------------------------------

    def preview_import(self, path: Path) -> ImportPreview:
        """Read the file and classify every row against the catalogue as it is now. Raises
        ``UnreadableFileError`` when the file cannot be read at all."""
        return self.classified(read_import_file(path))

    def classified(self, preview: ImportPreview) -> ImportPreview:
        """A file read by ``read_import_file``, classified against the catalogue as it is now."""
        return self._classified(preview, preview.mapping)

    def with_columns(
        self, preview: ImportPreview, chosen: Mapping[CatalogField, int | None]
    ) -> ImportPreview:
        """The same file with the columns the user chose; nothing is read again."""
        return self._classified(preview, choose_columns(preview.mapping, chosen))

    def _classified(self, preview: ImportPreview, mapping: ColumnMapping) -> ImportPreview:
        if mapping.missing:
            names = "、".join(f.label for f in mapping.missing)
            return replace(preview, mapping=mapping, plan=None,
                           problem=f"没有找到{names}列,请在下面为它们选择对应的列")
        with UnitOfWork(self._db):
            plan = self._plan(preview.rows, mapping)
            version = store.catalog_version()
        return replace(preview, mapping=mapping, plan=plan, problem="", catalog_version=version)

    @staticmethod
    def _plan(rows: Sequence[Sequence[str]], mapping: ColumnMapping) -> ImportPlan:
        existing = {
            barcode: ExistingProduct(*values) for barcode, values in store.product_index().items()
        }
        return classify(
            rows, mapping, existing,
            store.names_to_ids(DEPARTMENT), store.names_to_ids(SUPPLIER),
        )

    def import_catalog(self, actor: Account, preview: ImportPreview) -> ImportResult:
        """Write the preview in one transaction. If the lists changed since the preview, the
        rows are classified again inside it, so what is written always matches the catalogue
        at that moment."""
        self._require_editor(actor, "商品资料")
        if preview.mapping.missing:
            raise UnreadableFileError(preview.problem or "缺少必需的列")
        with UnitOfWork(self._db) as uow:
            plan = preview.plan
            if plan is None or store.catalog_version() != preview.catalog_version:
                plan = self._plan(preview.rows, preview.mapping)
            changes = self._write_plan(plan)
            self._record_changes(actor, changes)
            uow.commit()
        return ImportResult(
            added=plan.count(RowAction.ADD), updated=plan.count(RowAction.UPDATE),
            unchanged=plan.count(RowAction.UNCHANGED), refused=plan.count(RowAction.REFUSE),
            new_departments=plan.new_departments, new_suppliers=plan.new_suppliers, plan=plan,
        )

    @staticmethod
    def _write_plan(plan: ImportPlan) -> list[CatalogChange]:
        store.insert_departments(plan.new_departments)
        store.insert_suppliers(plan.new_suppliers)
        department_ids = store.names_to_ids(DEPARTMENT)
        supplier_ids = store.names_to_ids(SUPPLIER)
        changes = [
            CatalogChange(DEPARTMENT, department_ids[name], "import:add", {"name": name})
            for name in plan.new_departments
        ] + [
            CatalogChange(SUPPLIER, supplier_ids[name], "import:add", {"name": name})
            for name in plan.new_suppliers
        ]
        additions = plan.of(RowAction.ADD)
        updates = plan.of(RowAction.UPDATE)
        last_id = store.max_product_id()
        store.bulk_insert_products([
            (row.barcode, row.name, department_ids[row.department],
             supplier_ids.get(row.supplier), row.price_fen or 0, row.active)
            for row in additions
        ])
        new_ids = store.product_ids_after(last_id)
        store.bulk_update_products([
            (row.name, department_ids[row.department], supplier_ids.get(row.supplier),
             row.price_fen or 0, row.active, row.product_id)
            for row in updates if row.product_id is not None
        ])
        changes += [
            CatalogChange(PRODUCT, new_ids[row.barcode], "import:add", _planned_values(row))
            for row in additions
        ]
        changes += [
            CatalogChange(PRODUCT, row.product_id, "import:update",
                          {**_planned_values(row), "changes": row.note})
            for row in updates if row.product_id is not None
        ]
        return changes

    # --- export ------------------------------------------------------------------------------

    def export_catalog(self, path: Path) -> int:
        """The four lists as one workbook (one sheet each, barcodes and phones as text);
        returns how many rows were written. The products sheet imports back unchanged."""
        from desktop_app.reports.catalog_files import SheetData, write_catalog_workbook

        with UnitOfWork(self._db):
            products = [
                (barcode, name, department, supplier, from_fen(price), active_label(active))
                for barcode, name, department, supplier, price, active in store.export_products()
            ]
            departments = store.department_rows(include_inactive=True)
            suppliers = store.supplier_rows(include_inactive=True)
            staff = store.staff_rows(include_inactive=True)
        sheets = [
            SheetData("商品", PRODUCT_HEADERS, products, frozenset({0})),
            SheetData("部门", ("部门", "班长", "电话", "状态"), _listed(departments),
                      frozenset({2})),
            SheetData("供应商", ("供应商", "联系人", "电话", "状态"), _listed(suppliers),
                      frozenset({2})),
            SheetData("员工", ("姓名", "部门", "登录账户", "状态"), _listed(staff), frozenset()),
        ]
        return write_catalog_workbook(path, sheets)


def _planned_values(row: PlannedRow) -> dict[str, Any]:
    return {"barcode": row.barcode, "name": row.name, "department": row.department,
            "supplier": row.supplier, "price": str(from_fen(row.price_fen or 0)),
            "active": row.active}


def _listed(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """(name, second, third, state) of rows read as (id, name, second, third, active)."""
    return [(row[1], row[2], row[3], active_label(row[4])) for row in rows]
