"""门店资料: departments (with the team leaders who confirm at the desk), suppliers, products and
staff. Managers add, edit, disable (never delete: old cases keep their names) and search; the
catalogue is imported from the POS's .xlsx/.csv and exported as one workbook.

Products are fetched a page at a time, so a catalogue of 100,000 opens at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import (
    DepartmentDraft,
    ProductDraft,
    StaffDraft,
    SupplierDraft,
    may_edit_catalog,
)
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.roles import may_administer
from desktop_app.domain.store_setup import SetupState, open_steps
from desktop_app.services.catalog import (
    DEPARTMENT,
    PRODUCT,
    STAFF,
    SUPPLIER,
    DepartmentLine,
    ProductLine,
    StaffLine,
    SupplierLine,
)
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_import_dialog import CatalogImportDialog
from desktop_app.ui.forms import ERROR_STYLE, FieldErrors
from desktop_app.ui.lazy_table import LazyTableModel
from desktop_app.ui.pdf_output import documents_folder
from desktop_app.ui.setup_wizard import SetupWizard

ModelIndex = QModelIndex | QPersistentModelIndex
DISABLED_COLOUR = QColor("#999999")
SEARCH_DELAY_MS = 250


# --- models ------------------------------------------------------------------------------------


class ListTableModel(QAbstractTableModel):
    """A short list (departments, suppliers, staff) held whole; disabled entries in grey."""

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._cells = cells
        self._lines: list[Any] = []

    def set_lines(self, lines: list[Any]) -> None:
        self.beginResetModel()
        self._lines = lines
        self.endResetModel()

    def line_at(self, row: int) -> Any:
        return self._lines[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return _cell(self._lines[index.row()], self._cells, index.column(), role)


def _cell(line: Any, cells: Callable[[Any], Sequence[str]], column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return cells(line)[column]
    if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(line, ProductLine) and column == 4:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if role == Qt.ItemDataRole.ForegroundRole and not line.active:
        return QBrush(DISABLED_COLOUR)
    return None


def _state(active: bool) -> str:
    return "在用" if active else "已停用"


# --- one entry's form ------------------------------------------------------------------------


class EntryDialog(QDialog):
    """A small form for one entry; OK saves through ``save`` and shows errors by field.

    Signals:
        saved(int): the entry was saved (its id).
    """

    saved = Signal(int)

    def __init__(self, title: str, save: Callable[[], int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._save = save
        self.form = QFormLayout()
        self.errors = FieldErrors(grow_window=True)
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存(&S)")
        buttons.accepted.connect(self.on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def line(self, field: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        self.errors.add_row(self.form, label, field, edit)
        return edit

    def combo(
        self, field: str, label: str, items: Sequence[tuple[str, Any]], current: Any,
        editable: bool = False,
    ) -> QComboBox:
        box = QComboBox()
        box.setObjectName(field)
        box.setEditable(editable)
        for text, data in items:
            box.addItem(text, data)
        found = box.findData(current)
        box.setCurrentIndex(max(found, 0))
        self.errors.add_row(self.form, label, field, box)
        return box

    def on_ok_clicked(self) -> None:
        try:
            saved_id = self._save()
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self._show_general("\n".join(unplaced))
            return
        except DeskError as error:
            self._show_general(str(error))
            return
        self.saved.emit(saved_id)
        self.accept()

    def _show_general(self, message: str) -> None:
        self.general_error.setText(message)
        self.general_error.setVisible(bool(message))


def department_editor(
    desk: Desk, actor: Account, line: DepartmentLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = DepartmentDraft(name.text(), leaders.text(), phone.text())
        if line is None:
            return desk.catalog.add_department(actor, draft)
        desk.catalog.update_department(actor, line.department_id, draft)
        return line.department_id

    title = "新增部门" if line is None else f"修改部门 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "部门名称(&N)", line.name if line else "", "如 食品部")
    leaders = dialog.line("leaders", "班长(&L)", line.leaders if line else "",
                          "到前台确认质量问题的班长,多位用“、”分隔")
    phone = dialog.line("phone", "电话(&T)", line.phone if line else "", "分机或手机")
    return dialog


def supplier_editor(
    desk: Desk, actor: Account, line: SupplierLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = SupplierDraft(name.text(), contact.text(), phone.text())
        if line is None:
            return desk.catalog.add_supplier(actor, draft)
        desk.catalog.update_supplier(actor, line.supplier_id, draft)
        return line.supplier_id

    title = "新增供应商" if line is None else f"修改供应商 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "供应商名称(&N)", line.name if line else "")
    contact = dialog.line("contact", "联系人(&C)", line.contact if line else "")
    phone = dialog.line("phone", "电话(&T)", line.phone if line else "")
    return dialog


def product_editor(
    desk: Desk, actor: Account, line: ProductLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = ProductDraft(barcode.text(), name.text(), department.currentText(),
                             supplier.currentText(), price.text())
        if line is None:
            return desk.catalog.add_product(actor, draft)
        desk.catalog.update_product(actor, line.product_id, draft)
        return line.product_id

    title = "新增商品" if line is None else f"修改商品 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    barcode = dialog.line("barcode", "条码(&B)", line.barcode if line else "", "6–14 位数字")
    name = dialog.line("name", "商品名称(&N)", line.name if line else "")
    departments = [(d.name, d.name) for d in desk.catalog.departments()]
    department = dialog.combo("department", "部门(&D)", departments,
                              line.department if line else None, editable=True)
    suppliers = [("", ""), *((s.name, s.name) for s in desk.catalog.suppliers())]
    supplier = dialog.combo("supplier", "供应商(&G)", suppliers,
                            line.supplier if line else "", editable=True)
    price = dialog.line("price", "售价(元)(&P)", str(line.price) if line else "", "如 3.50")
    if line is not None:
        department.setCurrentText(line.department)
        supplier.setCurrentText(line.supplier)
    return dialog


def staff_editor(
    desk: Desk, actor: Account, line: StaffLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = StaffDraft(name.text(), department.currentText(), account.currentData())
        if line is None:
            return desk.catalog.add_staff(actor, draft)
        desk.catalog.update_staff(actor, line.staff_id, draft)
        return line.staff_id

    title = "新增员工" if line is None else f"修改员工 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "姓名(&N)", line.name if line else "")
    departments = [("", ""), *((d.name, d.name) for d in desk.catalog.departments())]
    department = dialog.combo("department", "部门(&D)", departments,
                              line.department if line else "")
    accounts = [("(不关联登录账户)", None), *((text, user_id) for user_id, text
                                          in desk.catalog.account_choices())]
    account = dialog.combo("account", "登录账户(&A)", accounts,
                           line.account_id if line else None)
    return dialog


# --- one tab per list --------------------------------------------------------------------------


class ListTab(QWidget):
    """Search, show disabled, the table, and add / edit / disable-enable / history.

    Signals:
        changed(): an entry was added, edited, disabled or enabled.
    """

    changed = Signal()

    def __init__(
        self, desk: Desk, actor: Account, entity: str, title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.entity = entity
        self.title = title
        self.editor: EntryDialog | None = None
        self.search = QLineEdit()
        self.search.setObjectName(f"{entity}_search")
        self.search.setPlaceholderText(f"搜索{title}")
        self.search.setClearButtonEnabled(True)
        self.show_disabled = QCheckBox("显示已停用")
        self.show_disabled.setObjectName(f"{entity}_show_disabled")
        self.table = QTableView()
        self.table.setObjectName(f"{entity}_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.on_edit_clicked())
        self.add_button = QPushButton(f"新增{title}(&N)")
        self.add_button.setObjectName(f"{entity}_add")
        self.edit_button = QPushButton("修改(&E)")
        self.edit_button.setObjectName(f"{entity}_edit")
        self.active_button = QPushButton("停用/启用(&D)")
        self.active_button.setObjectName(f"{entity}_active")
        self.history_button = QPushButton("修改记录(&H)")
        self.history_button.setObjectName(f"{entity}_history")
        self.add_button.clicked.connect(self.on_add_clicked)
        self.edit_button.clicked.connect(self.on_edit_clicked)
        self.active_button.clicked.connect(self.on_active_clicked)
        self.history_button.clicked.connect(self.on_history_clicked)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.show_disabled.toggled.connect(lambda _on: self.refresh())

        self.tools = QHBoxLayout()
        self.tools.addWidget(self.search, 1)
        self.tools.addWidget(self.show_disabled)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button,
                       self.history_button):
            buttons.addWidget(button)
        self.extra_buttons = QHBoxLayout()
        buttons.addLayout(self.extra_buttons)
        buttons.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName(f"{entity}_count")
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(self.tools)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    # Subclasses say how to load, show and edit their lines.
    def refresh(self) -> None:
        raise NotImplementedError

    def line_at(self, row: int) -> Any:
        raise NotImplementedError

    def line_id(self, line: Any) -> int:
        raise NotImplementedError

    def make_editor(self, line: Any | None) -> EntryDialog:
        raise NotImplementedError

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            QMessageBox.information(self, "门店资料", f"请先在表格中选中一个{self.title}")
            return None
        return self.line_at(rows[0].row())

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def on_add_clicked(self) -> EntryDialog:
        return self._open(self.make_editor(None))

    def on_edit_clicked(self) -> EntryDialog | None:
        line = self.selected()
        return None if line is None else self._open(self.make_editor(line))

    def _open(self, dialog: EntryDialog) -> EntryDialog:
        dialog.saved.connect(lambda _id: self._after_change())
        self.editor = dialog
        dialog.open()
        return dialog

    def on_active_clicked(self) -> None:
        line = self.selected()
        if line is None:
            return
        try:
            self._desk.catalog.set_active(self._actor, self.entity, self.line_id(line),
                                          not line.active)
        except DeskError as error:
            QMessageBox.warning(self, "门店资料", str(error))
            return
        self._after_change()

    def on_history_clicked(self) -> QDialog | None:
        line = self.selected()
        if line is None:
            return None
        entries = self._desk.catalog.history(self.entity, self.line_id(line))
        dialog = QDialog(self)
        dialog.setWindowTitle(f"修改记录 — {getattr(line, 'name', '')}")
        table = QTableWidget(len(entries), 4)
        table.setObjectName("history_table")
        table.setHorizontalHeaderLabels(["时间", "操作人", "操作", "内容"])
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, entry in enumerate(entries):
            at, who, action, detail = entry
            for column, text in enumerate((at, who.split("#")[0], ACTION_LABELS.get(action, action),
                                           detail)):
                table.setItem(row, column, QTableWidgetItem(text))
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(760, 360)
        dialog.open()
        return dialog

    def _after_change(self) -> None:
        self.refresh()
        self.changed.emit()


ACTION_LABELS = {
    "add": "新增", "update": "修改", "disable": "停用", "enable": "启用",
    "import:add": "导入新增", "import:update": "导入更新",
}


class SmallListTab(ListTab):
    def __init__(
        self, desk: Desk, actor: Account, entity: str, title: str, headers: Sequence[str],
        load: Callable[[str, bool], list[Any]], cells: Callable[[Any], Sequence[str]],
        line_id: Callable[[Any], int], editor: Callable[..., EntryDialog],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desk, actor, entity, title, parent)
        self._load = load
        self._line_id = line_id
        self._editor = editor
        self.model = ListTableModel(headers, cells, self)
        self.table.setModel(self.model)
        self.refresh()

    def refresh(self) -> None:
        lines = self._load(self.search.text(), self.show_disabled.isChecked())
        self.model.set_lines(lines)
        self.count.setText(f"共 {len(lines)} 个")

    def line_at(self, row: int) -> Any:
        return self.model.line_at(row)

    def line_id(self, line: Any) -> int:
        return self._line_id(line)

    def make_editor(self, line: Any | None) -> EntryDialog:
        return self._editor(self._desk, self._actor, line, self)


PRODUCT_HEADERS = ("条码", "商品名称", "部门", "供应商", "售价(元)", "状态")


def _product_cells(line: ProductLine) -> tuple[str, ...]:
    return (line.barcode, line.name, line.department, line.supplier, str(line.price),
            _state(line.active))


class ProductsTab(ListTab):
    """Products, fetched page by page; import and export of the whole catalogue.

    Signals:
        imported(): a catalogue file was imported (departments and suppliers may be new).
    """

    imported = Signal()

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(desk, actor, PRODUCT, "商品", parent)
        self.import_dialog: CatalogImportDialog | None = None
        self.model = LazyTableModel(
            PRODUCT_HEADERS, lambda line, column, role: _cell(line, _product_cells, column, role),
            self,
        )
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 320, 90, 190, 90)):
            self.table.setColumnWidth(column, width)
        self.search.setPlaceholderText("搜索条码或商品名称")
        self.import_button = QPushButton("导入商品资料(&I)…")
        self.import_button.setObjectName("product_import")
        self.import_button.clicked.connect(self.on_import_clicked)
        self.export_button = QPushButton("导出 Excel(&X)…")
        self.export_button.setObjectName("product_export")
        self.export_button.clicked.connect(self.on_export_clicked)
        self.extra_buttons.addWidget(self.import_button)
        self.extra_buttons.addWidget(self.export_button)
        self.refresh()

    def refresh(self) -> None:
        search, disabled = self.search.text(), self.show_disabled.isChecked()
        self.model.reload(
            lambda offset, limit: self._desk.catalog.product_page(search, disabled, offset, limit)
        )
        self.count.setText(f"共 {self._desk.catalog.product_count(search, disabled)} 种")

    def line_at(self, row: int) -> Any:
        return self.model.row_at(row)

    def line_id(self, line: Any) -> int:
        return int(line.product_id)

    def make_editor(self, line: Any | None) -> EntryDialog:
        return product_editor(self._desk, self._actor, line, self)

    def on_import_clicked(self) -> CatalogImportDialog:
        dialog = CatalogImportDialog(self._desk, self._actor, self)
        dialog.imported.connect(lambda _result: self._after_import())
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _after_import(self) -> None:
        self._after_change()
        self.imported.emit()

    def on_export_clicked(self) -> Path | None:
        suggested = documents_folder() / "门店资料.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, "导出门店资料", str(suggested),
                                                "Excel 工作簿 (*.xlsx)")
        if not chosen:
            return None
        return self.export_to(Path(chosen))

    def export_to(self, path: Path) -> Path | None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = self._desk.catalog.export_catalog(path)
        except OSError as error:
            QMessageBox.warning(self, "不能导出", f"无法写入 {path}:{error.strerror or error}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.count.setText(f"已导出 {written} 行到 {path}")
        return path


# --- the page --------------------------------------------------------------------------------


class MasterDataPage(QWidget):
    """The four lists in tabs, and a reminder while the store's set-up is unfinished."""

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.wizard: SetupWizard | None = None
        catalog = desk.catalog
        self.departments = SmallListTab(
            desk, actor, DEPARTMENT, "部门",
            ("部门", "班长(到前台确认)", "电话", "在用商品", "状态"),
            catalog.departments,
            lambda d: (d.name, d.leaders, d.phone, str(d.product_count), _state(d.active)),
            lambda d: d.department_id, department_editor,
        )
        self.suppliers = SmallListTab(
            desk, actor, SUPPLIER, "供应商", ("供应商", "联系人", "电话", "在用商品", "状态"),
            catalog.suppliers,
            lambda s: (s.name, s.contact, s.phone, str(s.product_count), _state(s.active)),
            lambda s: s.supplier_id, supplier_editor,
        )
        self.products = ProductsTab(desk, actor)
        self.staff = SmallListTab(
            desk, actor, STAFF, "员工", ("姓名", "部门", "登录账户", "状态"),
            catalog.staff, lambda t: (t.name, t.department, t.username, _state(t.active)),
            lambda t: t.staff_id, staff_editor,
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("master_data_tabs")
        for tab in (self.departments, self.suppliers, self.products, self.staff):
            self.tabs.addTab(tab, tab.title)
            tab.changed.connect(self.refresh_all)
        self.setup_note = QLabel()
        self.setup_note.setObjectName("setup_note")
        self.setup_note.setWordWrap(True)
        self.setup_button = QPushButton("继续开店设置(&S)…")
        self.setup_button.setObjectName("setup_button")
        self.setup_button.clicked.connect(self.on_setup_clicked)
        banner = QHBoxLayout()
        banner.addWidget(self.setup_note, 1)
        banner.addWidget(self.setup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addWidget(self.tabs, 1)
        self._show_setup_state()

    @staticmethod
    def visible_to(account: Account) -> bool:
        return may_edit_catalog(account.role)

    def refresh_all(self) -> None:
        for tab in (self.departments, self.suppliers, self.products, self.staff):
            tab.refresh()
        self._show_setup_state()

    def _show_setup_state(self) -> None:
        facts = self._desk.setup.facts()
        remaining = open_steps(facts)
        unfinished = facts.state is not SetupState.DONE and bool(remaining)
        shown = unfinished and may_administer(self._actor.role)
        steps = "、".join(step.label for step in remaining)
        self.setup_note.setText(f"开店设置尚未完成:{steps}。" if shown else "")
        self.setup_note.setVisible(shown)
        self.setup_button.setVisible(shown)

    def on_setup_clicked(self) -> SetupWizard:
        wizard = SetupWizard(self._desk, self._actor, self)
        wizard.finished.connect(lambda _code: self.refresh_all())
        self.wizard = wizard
        wizard.open()
        return wizard
