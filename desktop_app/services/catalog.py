"""Store master data use cases: the four lists (departments, suppliers, products, staff), the
catalogue import and export.

Every write goes through ``CatalogService._record_changes`` in the same unit of work as the
write itself; that one method is where the register's hash chain takes over (see its docstring).
The lines and that method are in ``catalog_base``, import and export in ``catalog_transfer``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from desktop_app.domain import catalog as rules
from desktop_app.domain import register as register_rules
from desktop_app.domain import store_setup as setup_rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import NotFoundError, ValidationError
from desktop_app.domain.money import from_fen
from desktop_app.domain.text import clean_line, summary_line
from desktop_app.services.catalog_base import (
    COMMAND_LINE,
    DEPARTMENT,
    PRODUCT,
    STAFF,
    SUPPLIER,
    CatalogChange,
    DepartmentLine,
    ImportPreview,
    ImportResult,
    ProductLine,
    StaffLine,
    SupplierLine,
    read_import_file,
)
from desktop_app.services.catalog_transfer import CatalogTransfer
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as store

Draft = TypeVar("Draft")
Entry = TypeVar("Entry")

__all__ = [
    "COMMAND_LINE", "DEPARTMENT", "PRODUCT", "STAFF", "SUPPLIER", "CatalogService",
    "DepartmentLine", "ImportPreview", "ImportResult", "ProductLine", "StaffLine", "SupplierLine",
    "read_import_file",
]


class CatalogService(CatalogTransfer):
    """The four lists: read, add, edit, disable and enable, and each entry's history."""

    def unknown_names(self, names: Mapping[str, str]) -> list[tuple[str, str]]:
        """Of ``{"department": ..., "supplier": ..., "staff": ...}`` as typed at the desk, the
        (list, name) pairs no entry holds (disabled entries count as known)."""
        unknown = []
        with UnitOfWork(self._db):
            for entity, typed in names.items():
                name = clean_line(typed)
                if name and store.id_named(entity, name) is None:
                    unknown.append((entity, name))
        return unknown

    def add_named(self, actor: Account, entity: str, name: str) -> int:
        """Add a department, supplier or staff member by name alone, as at the desk; the rest
        (leaders, phone, contact) is filled in later in 门店资料."""
        if entity == DEPARTMENT:
            return self.add_department(actor, rules.DepartmentDraft(name))
        if entity == SUPPLIER:
            return self.add_supplier(actor, rules.SupplierDraft(name))
        return self.add_staff(actor, rules.StaffDraft(name))

    # --- departments -------------------------------------------------------------------------

    def departments(self, search: str = "", include_inactive: bool = False) -> list[DepartmentLine]:
        with UnitOfWork(self._db):
            rows = store.department_rows(search, include_inactive)
        return [self._department(row) for row in rows]

    def department_contact(self, name: str) -> DepartmentLine | None:
        """The department named ``name`` (as a case holds it), for whom to call to confirm."""
        if not name:
            return None
        with UnitOfWork(self._db):
            rows = store.department_rows(include_inactive=True)
        return next((self._department(row) for row in rows if row[1] == name), None)

    @staticmethod
    def _department(row: Sequence[Any]) -> DepartmentLine:
        return DepartmentLine(row[0], row[1], row[2], row[3], bool(row[4]), int(row[5]))

    def add_department(self, actor: Account, draft: rules.DepartmentDraft) -> int:
        self._require_editor(actor, "部门")
        with UnitOfWork(self._db) as uow:
            department = _checked(rules.validate_department, draft, DEPARTMENT, "部门", None)
            new_id = store.insert_department(
                department.name, department.leaders_text, department.phone
            )
            self._record_changes(actor, [
                CatalogChange(DEPARTMENT, new_id, "add", _department_values(department)),
            ])
            uow.commit()
        return new_id

    def update_department(
        self, actor: Account, department_id: int, draft: rules.DepartmentDraft
    ) -> None:
        self._require_editor(actor, "部门")
        with UnitOfWork(self._db) as uow:
            self._existing(DEPARTMENT, department_id, "部门")
            department = _checked(
                rules.validate_department, draft, DEPARTMENT, "部门", department_id
            )
            values = _department_values(department)
            store.update(DEPARTMENT, department_id, values)
            self._record_changes(actor, [
                CatalogChange(DEPARTMENT, department_id, "update", values),
            ])
            uow.commit()

    def set_up_department(
        self, actor: Account, draft: rules.DepartmentDraft
    ) -> setup_rules.DepartmentTyped:
        """开店设置's 添加部门: a new name adds the department; the name of one the store has
        (e.g. from the catalogue import) fills in its team leaders and phone as typed, through
        the same edit as 门店资料 → 修改; a disabled one is refused with where to enable it."""
        self._require_editor(actor, "部门")
        existing = self.department_contact(clean_line(draft.name))
        if existing is None:
            self.add_department(actor, draft)
            return setup_rules.DepartmentTyped.ADDED
        if not existing.active:
            raise ValidationError({"name": setup_rules.disabled_department_message(existing.name)})
        held = rules.DepartmentDraft(existing.name, existing.leaders, existing.phone)
        wanted = setup_rules.department_typed_again(held, draft)
        if rules.validate_department(wanted) == rules.validate_department(held):
            return setup_rules.DepartmentTyped.UNCHANGED
        self.update_department(actor, existing.department_id, wanted)
        return setup_rules.DepartmentTyped.COMPLETED

    # --- suppliers ---------------------------------------------------------------------------

    def suppliers(self, search: str = "", include_inactive: bool = False) -> list[SupplierLine]:
        with UnitOfWork(self._db):
            rows = store.supplier_rows(search, include_inactive)
        return [
            SupplierLine(row[0], row[1], row[2], row[3], bool(row[4]), int(row[5]))
            for row in rows
        ]

    def add_supplier(self, actor: Account, draft: rules.SupplierDraft) -> int:
        self._require_editor(actor, "供应商")
        with UnitOfWork(self._db) as uow:
            supplier = _checked(rules.validate_supplier, draft, SUPPLIER, "供应商", None)
            new_id = store.insert_supplier(supplier.name, supplier.contact, supplier.phone)
            self._record_changes(actor, [
                CatalogChange(SUPPLIER, new_id, "add", _supplier_values(supplier)),
            ])
            uow.commit()
        return new_id

    def update_supplier(self, actor: Account, supplier_id: int, draft: rules.SupplierDraft) -> None:
        self._require_editor(actor, "供应商")
        with UnitOfWork(self._db) as uow:
            self._existing(SUPPLIER, supplier_id, "供应商")
            supplier = _checked(rules.validate_supplier, draft, SUPPLIER, "供应商", supplier_id)
            values = _supplier_values(supplier)
            store.update(SUPPLIER, supplier_id, values)
            self._record_changes(actor, [CatalogChange(SUPPLIER, supplier_id, "update", values)])
            uow.commit()

    # --- products ----------------------------------------------------------------------------

    def product_page(
        self, search: str, include_inactive: bool, offset: int, limit: int
    ) -> list[ProductLine]:
        with UnitOfWork(self._db):
            rows = store.product_page(search, include_inactive, offset, limit)
        return [_product_line(row) for row in rows]

    def product_count(self, search: str = "", include_inactive: bool = False) -> int:
        with UnitOfWork(self._db):
            return store.product_count(search, include_inactive)

    def product(self, product_id: int) -> ProductLine:
        with UnitOfWork(self._db):
            row = store.product_line(product_id)
        if row is None:
            raise NotFoundError("没有这个商品")
        return _product_line(row)

    def add_product(self, actor: Account, draft: rules.ProductDraft) -> int:
        self._require_editor(actor, "商品")
        product = rules.validate_product(draft)
        with UnitOfWork(self._db) as uow:
            if store.product_id_by_barcode(product.barcode) is not None:
                raise ValidationError({"barcode": f"条码 {product.barcode} 已在商品库中"})
            department_id, supplier_id = self._product_links(product)
            new_id = store.insert_product(
                product.barcode, product.name, department_id, supplier_id, product.price_fen
            )
            self._record_changes(actor, [
                CatalogChange(PRODUCT, new_id, "add", _product_values(product)),
            ])
            uow.commit()
        return new_id

    def update_product(self, actor: Account, product_id: int, draft: rules.ProductDraft) -> None:
        self._require_editor(actor, "商品")
        product = rules.validate_product(draft)
        with UnitOfWork(self._db) as uow:
            self._existing(PRODUCT, product_id, "商品")
            holder = store.product_id_by_barcode(product.barcode)
            if holder is not None and holder != product_id:
                raise ValidationError({"barcode": f"条码 {product.barcode} 已属于另一个商品"})
            department_id, supplier_id = self._product_links(product)
            store.update(PRODUCT, product_id, {
                "barcode": product.barcode, "name": product.name,
                "department_id": department_id, "supplier_id": supplier_id,
                "price_fen": product.price_fen,
            })
            self._record_changes(actor, [
                CatalogChange(PRODUCT, product_id, "update", _product_values(product)),
            ])
            uow.commit()

    @staticmethod
    def _product_links(product: rules.Product) -> tuple[int, int | None]:
        errors: dict[str, str] = {}
        department_id = store.id_named(DEPARTMENT, product.department)
        if department_id is None:
            errors["department"] = f"没有名为“{product.department}”的部门,请先在「部门」中添加"
        supplier_id = store.id_named(SUPPLIER, product.supplier) if product.supplier else None
        if product.supplier and supplier_id is None:
            errors["supplier"] = f"没有名为“{product.supplier}”的供应商,请先在「供应商」中添加"
        if errors or department_id is None:
            raise ValidationError(errors)
        return department_id, supplier_id

    # --- staff -------------------------------------------------------------------------------

    def staff(self, search: str = "", include_inactive: bool = False) -> list[StaffLine]:
        with UnitOfWork(self._db):
            rows = store.staff_rows(search, include_inactive)
        return [StaffLine(row[0], row[1], row[2], row[3], bool(row[4]), row[6]) for row in rows]

    def staff_names(self) -> list[str]:
        with UnitOfWork(self._db):
            return store.staff_names()

    def account_choices(self) -> list[tuple[int, str]]:
        with UnitOfWork(self._db):
            return store.account_choices()

    def add_staff(self, actor: Account, draft: rules.StaffDraft) -> int:
        self._require_editor(actor, "员工")
        member = rules.validate_staff(draft)
        with UnitOfWork(self._db) as uow:
            department_id = self._staff_links(member, None)
            new_id = store.insert_staff(member.name, department_id, member.account_id)
            self._record_changes(actor, [
                CatalogChange(STAFF, new_id, "add", _staff_values(member)),
            ])
            uow.commit()
        return new_id

    def update_staff(self, actor: Account, staff_id: int, draft: rules.StaffDraft) -> None:
        self._require_editor(actor, "员工")
        member = rules.validate_staff(draft)
        with UnitOfWork(self._db) as uow:
            self._existing(STAFF, staff_id, "员工")
            department_id = self._staff_links(member, staff_id)
            store.update(STAFF, staff_id, {
                "name": member.name, "department_id": department_id, "user_id": member.account_id,
            })
            self._record_changes(actor, [
                CatalogChange(STAFF, staff_id, "update", _staff_values(member)),
            ])
            uow.commit()

    @staticmethod
    def _staff_links(member: rules.StaffMember, staff_id: int | None) -> int | None:
        department_id = store.id_named(DEPARTMENT, member.department) if member.department else None
        if member.department and department_id is None:
            raise ValidationError({"department": f"没有名为“{member.department}”的部门"})
        same = store.staff_in_department(member.name, department_id)
        if same is not None and same != staff_id:
            where = member.department or "未分部门的员工中"
            raise ValidationError({"name": f"{where}已有“{member.name}”"})
        if member.account_id is not None:
            linked = store.staff_of_user(member.account_id)
            if linked is not None and linked != staff_id:
                raise ValidationError({"account": "这个登录账户已关联到另一位员工"})
        return department_id

    # --- disable / enable (all four lists) --------------------------------------------------

    def set_active(self, actor: Account, entity: str, entity_id: int, active: bool) -> None:
        """Disable or enable again; entries are never deleted, so old cases keep their names."""
        label = {DEPARTMENT: "部门", SUPPLIER: "供应商", PRODUCT: "商品", STAFF: "员工"}[entity]
        self._require_editor(actor, label)
        with UnitOfWork(self._db) as uow:
            row = self._existing(entity, entity_id, label)
            if bool(row["active"]) == active:
                return
            store.update(entity, entity_id, {"active": int(active)})
            shown: dict[str, Any] = {key: row[key] for key in ("name", "barcode") if key in row}
            self._record_changes(actor, [
                CatalogChange(entity, entity_id, "enable" if active else "disable", shown),
            ])
            uow.commit()

    def history(self, entity: str, entity_id: int) -> list[tuple[str, str, str, str]]:
        """(at, actor, action, what the entry then held in words) of one entry, oldest first."""
        with UnitOfWork(self._db):
            events = store.events_for(entity, entity_id)
        return [(at, actor, action, _described(payload)) for at, actor, action, payload in events]


def _checked(
    validate: Callable[[Draft], Entry], draft: Draft, table: str, label: str, own_id: int | None
) -> Entry:
    """``validate(draft)``, with a name another entry already holds (disabled ones too) reported
    together with the draft's other problems."""
    errors: dict[str, str] = {}
    entry: Entry | None = None
    try:
        entry = validate(draft)
    except ValidationError as error:
        errors.update(error.field_errors)
    name = clean_line(getattr(draft, "name", ""))
    holder = store.id_named(table, name) if name else None
    if holder is not None and holder != own_id and "name" not in errors:
        errors["name"] = rules.duplicate_message(label, name)
    if errors or entry is None:
        raise ValidationError(errors)
    return entry


def _described(payload: str) -> str:
    values = json.loads(payload)
    return summary_line(
        (register_rules.column_label(column), value)
        for column, value in values.items() if not column.startswith(register_rules.REMARK_PREFIX)
    )


def _department_values(department: rules.Department) -> dict[str, Any]:
    return {"name": department.name, "leaders": department.leaders_text,
            "phone": department.phone}


def _supplier_values(supplier: rules.Supplier) -> dict[str, Any]:
    return {"name": supplier.name, "contact": supplier.contact, "phone": supplier.phone}


def _product_values(product: rules.Product) -> dict[str, Any]:
    return {"barcode": product.barcode, "name": product.name, "department": product.department,
            "supplier": product.supplier, "price": str(from_fen(product.price_fen))}


def _staff_values(member: rules.StaffMember) -> dict[str, Any]:
    return {"name": member.name, "department": member.department,
            "account_id": member.account_id}


def _product_line(row: Sequence[Any]) -> ProductLine:
    return ProductLine(
        product_id=row[0], barcode=row[1], name=row[2], department=row[3], supplier=row[4],
        price=from_fen(row[5]), active=bool(row[6]),
    )
