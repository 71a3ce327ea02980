"""One tab per list of 门店资料: search, show disabled, add, edit, disable or enable, history;
products page by page with import and export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import active_label
from desktop_app.domain.catalog_columns import PRODUCT_HEADERS
from desktop_app.domain.errors import DeskError
from desktop_app.services.catalog import PRODUCT, ProductLine
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_import_dialog import CatalogImportDialog
from desktop_app.ui.file_dialogs import file_to_save
from desktop_app.ui.lazy_table import LazyTableModel
from desktop_app.ui.master_data_editors import EntryDialog, product_editor
from desktop_app.ui.pdf_output import documents_folder
from desktop_app.ui.table_model import HeaderedTableModel, ModelIndex

DISABLED_COLOUR = QColor("#999999")
SEARCH_DELAY_MS = 250


# --- models ------------------------------------------------------------------------------------


class ListTableModel(HeaderedTableModel):
    """A short list (departments, suppliers, staff) held whole; disabled entries in grey."""

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(headers, parent)
        self._cells = cells

    def set_lines(self, lines: list[Any]) -> None:
        self.beginResetModel()
        self._rows = lines
        self.endResetModel()

    def line_at(self, row: int) -> Any:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return _cell(self._rows[index.row()], self._cells, index.column(), role)


def _cell(line: Any, cells: Callable[[Any], Sequence[str]], column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return cells(line)[column]
    if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(line, ProductLine) and column == 4:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if role == Qt.ItemDataRole.ForegroundRole and not line.active:
        return QBrush(DISABLED_COLOUR)
    return None


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
        self.search.returnPressed.connect(self.on_search_entered)
        # Down in the search box goes to the list, as in the case queue.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.focus_table)
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

    def on_search_entered(self) -> None:
        """Enter in the search box: the list now, and the keys go to its first line."""
        self.refresh()
        self.focus_table()

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.table.model() is not None:
            self.table.selectRow(0)

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




def _product_cells(line: ProductLine) -> tuple[str, ...]:
    return (line.barcode, line.name, line.department, line.supplier, str(line.price),
            active_label(line.active))


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
        chosen = file_to_save(self, "导出门店资料", str(suggested), "Excel 工作簿 (*.xlsx)")
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
