"""Store master data use cases: the four lists (departments, suppliers, products, staff), the
catalogue import and export.

Every write goes through ``CatalogService._record_changes`` in the same unit of work as the
write itself; that one method is where the register's hash chain takes over (see its docstring).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from desktop_app.domain import catalog as rules
from desktop_app.domain import register as register_rules
from desktop_app.domain.accounts import Account
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
    find_columns,
)
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from desktop_app.domain.money import from_fen
from desktop_app.domain.register import ENTITIES
from desktop_app.domain.roles import Role
from desktop_app.domain.text import clean_line
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as store
from desktop_app.store import register as register_store

Clock = Callable[[], datetime]
Draft = TypeVar("Draft")
Entry = TypeVar("Entry")

# Who writes when the catalogue is imported from the command line (a scheduled task, a script):
# whoever can run it can already change the file, so it acts as the administrator.
COMMAND_LINE = Account(
    id=0, username="command-line", display_name="命令行导入", role=Role.ADMINISTRATOR,
    active=True,
)

DEPARTMENT, SUPPLIER, PRODUCT, STAFF = "department", "supplier", "product", "staff"


@dataclass(frozen=True)
class CatalogChange:
    """One change to one entry of the lists, as the register will hold it."""

    entity: str  # department, supplier, product or staff
    entity_id: int
    action: str  # add, update, disable, enable, import:add, import:update
    values: Mapping[str, Any]


@dataclass(frozen=True)
class DepartmentLine:
    department_id: int
    name: str
    leaders: str
    phone: str
    active: bool
    product_count: int


@dataclass(frozen=True)
class SupplierLine:
    supplier_id: int
    name: str
    contact: str
    phone: str
    active: bool
    product_count: int


@dataclass(frozen=True)
class ProductLine:
    product_id: int
    barcode: str
    name: str
    department: str
    supplier: str
    price: Decimal
    active: bool


@dataclass(frozen=True)
class StaffLine:
    staff_id: int
    name: str
    department: str
    username: str
    active: bool
    account_id: int | None


@dataclass(frozen=True)
class ImportPreview:
    """A file read and classified against the catalogue as it is now. ``plan`` is None when a
    required column is not found; ``problem`` then says which, and the user picks it."""

    path: Path
    source: str
    rows: Sequence[Sequence[str]]
    mapping: ColumnMapping
    plan: ImportPlan | None
    problem: str = ""
    catalog_version: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    refused: int
    new_departments: tuple[str, ...]
    new_suppliers: tuple[str, ...]
    plan: ImportPlan

    def summary(self) -> str:
        text = (
            f"新增 {self.added} 条,更新 {self.updated} 条,"
            f"无变化 {self.unchanged} 条,拒绝 {self.refused} 条"
        )
        if self.new_departments:
            text += f";新建部门 {len(self.new_departments)} 个"
        if self.new_suppliers:
            text += f";新建供应商 {len(self.new_suppliers)} 个"
        return text


def read_import_file(path: Path) -> ImportPreview:
    """The file's rows and the columns found in them, not yet compared with any catalogue (no
    database needed). Raises ``UnreadableFileError`` with a Chinese message."""
    # openpyxl is loaded when a file is read, not at start-up (≈60 ms of the window's start).
    from desktop_app.reports.catalog_files import read_catalog_file

    read = read_catalog_file(path)
    mapping = find_columns(read.rows)
    return ImportPreview(read.path, read.source, read.rows, mapping, None)


class CatalogService:
    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- who may edit ------------------------------------------------------------------------

    @staticmethod
    def may_edit(actor: Account) -> bool:
        return rules.may_edit_catalog(actor.role)

    def who_may_edit(self) -> str:
        """``张丽(前台经理/助理)、王建国(店长)``: the people a clerk can ask."""
        with UnitOfWork(self._db):
            people = store.editors(role.value for role in rules.EDITOR_ROLES)
        return "、".join(f"{name}({Role(role).label})" for role, name in people)

    def refusal_for(self, what: str) -> str:
        """What a clerk is told when they may not add ``what`` (部门, 供应商, 员工)."""
        roles = "前台经理/助理、主管副店长、店长或系统管理员"
        people = self.who_may_edit()
        ask = f"请找 {people} 在「门店资料」中添加" if people else "请店长先建立经理账户"
        return f"只有{roles}可以添加{what}。{ask},或从列表中选择已有的{what}。"

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

    def _require_editor(self, actor: Account, what: str) -> None:
        if not self.may_edit(actor):
            raise PermissionDeniedError(self.refusal_for(what))

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
                (barcode, name, department, supplier, from_fen(price), _state(active))
                for barcode, name, department, supplier, price, active in store.export_products()
            ]
            departments = store.department_rows(include_inactive=True)
            suppliers = store.supplier_rows(include_inactive=True)
            staff = store.staff_rows(include_inactive=True)
        sheets = [
            SheetData("商品", ("条码", "商品名称", "部门", "供应商", "售价(元)", "状态"),
                      products, frozenset({0})),
            SheetData("部门", ("部门", "班长", "电话", "状态"),
                      [(r[1], r[2], r[3], _state(r[4])) for r in departments], frozenset({2})),
            SheetData("供应商", ("供应商", "联系人", "电话", "状态"),
                      [(r[1], r[2], r[3], _state(r[4])) for r in suppliers], frozenset({2})),
            SheetData("员工", ("姓名", "部门", "登录账户", "状态"),
                      [(r[1], r[2], r[3], _state(r[4])) for r in staff], frozenset()),
        ]
        return write_catalog_workbook(path, sheets)

    # --- the one place every change is recorded ---------------------------------------------

    def _record_changes(self, actor: Account, changes: Sequence[CatalogChange]) -> None:
        """Chain ``changes`` in the register, in the same unit of work as the writes.

        Each entry holds the row's audited columns as they now stand (what verify replays);
        single edits pass one change, an import one per row, appended in one statement."""
        now = self.now()
        who = register.actor_of(actor)  # the command line (id 0) is recorded without an id
        pending = []
        for change in changes:
            spec = ENTITIES[change.entity]
            row = register_store.row(spec.table, change.entity_id) or {}
            values = {column: row.get(column) for column in spec.columns}
            # What an import found changed, in words, stays beside the values.
            remarks = {"changes": change.values["changes"]} if "changes" in change.values else None
            pending.append(register.PendingEntry(
                now, who, change.entity, change.entity_id, change.action,
                register_rules.record_of(spec, values, remarks=remarks),
            ))
        register.append(pending)

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _existing(entity: str, entity_id: int, label: str) -> dict[str, Any]:
        row = store.row_of(entity, entity_id)
        if row is None:
            raise NotFoundError(f"没有这个{label}")
        return row



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
    return ";".join(
        f"{register_rules.column_label(column)}:{value}"
        for column, value in values.items() if not column.startswith(register_rules.REMARK_PREFIX)
    )


def _state(active: object) -> str:
    return "在用" if active else "已停用"


def _department_values(department: rules.Department) -> dict[str, Any]:
    return {"name": department.name, "leaders": department.leaders_text,
            "phone": department.phone}


def _supplier_values(supplier: rules.Supplier) -> dict[str, Any]:
    return {"name": supplier.name, "contact": supplier.contact, "phone": supplier.phone}


def _product_values(product: rules.Product) -> dict[str, Any]:
    return {"barcode": product.barcode, "name": product.name, "department": product.department,
            "supplier": product.supplier, "price": str(from_fen(product.price_fen))}


def _planned_values(row: PlannedRow) -> dict[str, Any]:
    return {"barcode": row.barcode, "name": row.name, "department": row.department,
            "supplier": row.supplier, "price": str(from_fen(row.price_fen or 0)),
            "active": row.active}


def _staff_values(member: rules.StaffMember) -> dict[str, Any]:
    return {"name": member.name, "department": member.department,
            "account_id": member.account_id}


def _product_line(row: Sequence[Any]) -> ProductLine:
    return ProductLine(
        product_id=row[0], barcode=row[1], name=row[2], department=row[3], supplier=row[4],
        price=from_fen(row[5]), active=bool(row[6]),
    )
