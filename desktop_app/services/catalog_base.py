"""The catalogue's lines as the screens show them, the import's preview and result, and what
every change to the lists shares: who may make it (``CatalogWriter``) and the one method
where the register's hash chain takes over (``CatalogWriter._record_changes``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain import catalog as rules
from desktop_app.domain import register as register_rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog_import import ColumnMapping, ImportPlan, find_columns
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError
from desktop_app.domain.register import ENTITIES
from desktop_app.domain.roles import Role
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as store
from desktop_app.store import register as register_store

Clock = Callable[[], datetime]

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


class CatalogWriter:
    """What every change to the lists shares: who may make it, and the one place it is
    recorded in the register."""

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

    def _require_editor(self, actor: Account, what: str) -> None:
        if not self.may_edit(actor):
            raise PermissionDeniedError(self.refusal_for(what))

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
