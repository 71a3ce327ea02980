"""Importing the store's catalogue from .xlsx or .csv: choose the file, check the columns the
importer found (or choose them), look at what each row becomes, then import in one go.

The file is read in a worker thread (a 100,000-row workbook takes seconds); comparing it with
the catalogue and writing happen on the window's thread, which owns the database connection.

Signals:
    loaded(): a file was read and its preview is shown (or why it cannot be).
    imported(object): the import was written (an ``ImportResult``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog_import import CatalogField, PlannedRow, RowAction, column_letter
from desktop_app.domain.errors import DeskError
from desktop_app.domain.money import from_fen
from desktop_app.services.catalog import ImportPreview, ImportResult, read_import_file
from desktop_app.services.desk import Desk
from desktop_app.ui.file_dialogs import file_to_open
from desktop_app.ui.forms import error_label
from desktop_app.ui.table_model import HeaderedTableModel, ModelIndex

PLAN_HEADERS = ("行", "处理", "条码", "商品名称", "部门", "供应商", "售价(元)", "说明")
COLUMN_WIDTHS = (56, 56, 130, 200, 80, 130, 70)
FILE_FILTER = "商品资料 (*.xlsx *.xlsm *.csv *.txt);;所有文件 (*)"
NO_COLUMN = "(无此列)"
FILTERS = (("全部", None), ("新增", RowAction.ADD), ("更新", RowAction.UPDATE),
           ("无变化", RowAction.UNCHANGED), ("拒绝", RowAction.REFUSE))
ACTION_COLOURS = {RowAction.REFUSE: "#b00020", RowAction.UPDATE: "#8a5a00",
                  RowAction.ADD: "#1b5e20"}


class PlanTableModel(HeaderedTableModel):
    """The preview's rows; a view only paints what is visible, so 100,000 rows are fine."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(PLAN_HEADERS, parent)

    def set_rows(self, rows: list[PlannedRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> PlannedRow:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (1, 7):
            colour = ACTION_COLOURS.get(row.action)
            return None if colour is None else QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (2, 3, 7):
            return (row.barcode, row.name, row.note)[(2, 3, 7).index(index.column())] or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        price = "" if row.price_fen is None else str(from_fen(row.price_fen))
        return (str(row.line), row.action.label, row.barcode, row.name, row.department,
                row.supplier, price, row.note)[index.column()]


class _Reader(QObject):
    finished = Signal(object)
    failed = Signal(str)

    def run(self, path: Path) -> None:
        try:
            preview = read_import_file(path)
        except DeskError as error:
            self.failed.emit(str(error))
            return
        except OSError as error:  # pragma: no cover - the reader turns these into DeskError
            self.failed.emit(f"无法读取文件:{error}")
            return
        self.finished.emit(preview)


class CatalogImportDialog(QDialog):
    loaded = Signal()
    imported = Signal(object)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._reader: _Reader | None = None
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self.setWindowTitle("导入商品资料")
        self.resize(1000, 680)
        self._build()

    # --- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("收银系统或 Excel 导出的 .xlsx / .csv(UTF-8 或 GBK 均可)")
        choose = QPushButton("选择文件(&F)…")
        choose.setObjectName("choose_file")
        choose.clicked.connect(self.on_choose_clicked)
        self.source = QLabel()
        self.source.setObjectName("import_source")
        self.error = error_label("import_error")
        self.columns: dict[CatalogField, QComboBox] = {}
        columns_form = QFormLayout()
        for catalog_field in CatalogField:
            combo = QComboBox()
            combo.setObjectName(f"column_{catalog_field.value}")
            combo.currentIndexChanged.connect(self.on_column_chosen)
            columns_form.addRow(catalog_field.label, combo)
            self.columns[catalog_field] = combo
        self.columns_box = QGroupBox("各列对应(找错了可以手工选择)")
        self.columns_box.setLayout(columns_form)
        self.columns_box.setEnabled(False)
        self.summary = QLabel("请选择要导入的文件")
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.show_only = QComboBox()
        self.show_only.setObjectName("show_only")
        for label, action in FILTERS:
            self.show_only.addItem(label, action)
        self.show_only.currentIndexChanged.connect(self._show_rows)
        self.model = PlanTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("import_rows")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.import_button = QPushButton("导入(&I)")
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.on_import_clicked)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("文件"))
        top.addWidget(self.path, 1)
        top.addWidget(choose)
        middle = QHBoxLayout()
        middle.addWidget(self.columns_box)
        notes = QVBoxLayout()
        notes.addWidget(self.source)
        notes.addWidget(self.summary)
        notes.addWidget(self.error)
        notes.addStretch(1)
        shown = QHBoxLayout()
        shown.addWidget(QLabel("显示"))
        shown.addWidget(self.show_only)
        shown.addStretch(1)
        notes.addLayout(shown)
        middle.addLayout(notes, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("导入在一个事务中完成:要么全部写入,要么什么都不写。"), 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # --- reading ----------------------------------------------------------------------------

    def on_choose_clicked(self) -> None:
        chosen = file_to_open(self, "选择商品资料文件", "", FILE_FILTER)
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read ``path`` in the background; ``loaded`` is emitted when the preview is shown."""
        self.path.setText(str(path))
        self.preview = None
        self.model.set_rows([])
        self.import_button.setEnabled(False)
        self.columns_box.setEnabled(False)
        self.error.hide()
        self.source.setText("")
        self.summary.setText("正在读取文件……")
        reader = _Reader()
        self._reader = reader
        reader.finished.connect(self._on_read)
        reader.failed.connect(self._on_failed)
        threading.Thread(target=reader.run, args=(path,), name="catalog-read", daemon=True).start()

    def _on_read(self, preview: ImportPreview) -> None:
        self._reader = None
        try:
            preview = self._desk.catalog.classified(preview)
        except DeskError as error:
            self._on_failed(str(error))
            return
        self._show(preview)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self._reader = None
        self.summary.setText("")
        self.error.setText(message)
        self.error.show()
        self.loaded.emit()

    # --- the preview -------------------------------------------------------------------------

    def _show(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.source.setText(f"来源:{preview.source}")
        self._fill_column_choices(preview)
        self.columns_box.setEnabled(True)
        plan = preview.plan
        if plan is None:
            self.error.setText(preview.problem)
            self.error.show()
            self.summary.setText("")
            self.import_button.setEnabled(False)
            self.model.set_rows([])
            return
        self.error.hide()
        lines = [f"将{plan.summary()}。"]
        if plan.new_departments:
            lines.append(f"将新建部门:{'、'.join(plan.new_departments)}")
        if plan.new_suppliers:
            shown = "、".join(plan.new_suppliers[:12])
            more = f" 等 {len(plan.new_suppliers)} 个" if len(plan.new_suppliers) > 12 else ""
            lines.append(f"将新建供应商:{shown}{more}")
        self.summary.setText("\n".join(lines))
        writes = plan.count(RowAction.ADD) + plan.count(RowAction.UPDATE)
        self.import_button.setText(
            f"导入(&I):新增 {plan.count(RowAction.ADD)},更新 {plan.count(RowAction.UPDATE)}"
        )
        self.import_button.setEnabled(writes > 0 or bool(plan.new_departments))
        if plan.count(RowAction.REFUSE) and self.show_only.currentData() is None:
            self.show_only.setCurrentIndex(len(FILTERS) - 1)  # refusals first: they need eyes
        self._show_rows()

    def _fill_column_choices(self, preview: ImportPreview) -> None:
        headers = preview.mapping.headers
        for catalog_field, combo in self.columns.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NO_COLUMN, None)
            for column, header in enumerate(headers):
                combo.addItem(f"{column_letter(column)} 列:{header}", column)
            chosen = preview.mapping.columns.get(catalog_field)
            combo.setCurrentIndex(0 if chosen is None else chosen + 1)
            combo.blockSignals(False)

    def on_column_chosen(self) -> None:
        if self.preview is None:
            return
        chosen = {field: combo.currentData() for field, combo in self.columns.items()}
        self._show(self._desk.catalog.with_columns(self.preview, chosen))

    def _show_rows(self) -> None:
        plan = None if self.preview is None else self.preview.plan
        if plan is None:
            self.model.set_rows([])
            return
        action = self.show_only.currentData()
        self.model.set_rows(list(plan.rows) if action is None else plan.of(action))

    # --- writing -------------------------------------------------------------------------------

    def on_import_clicked(self) -> None:
        if self.preview is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self._desk.catalog.import_catalog(self._actor, self.preview)
        except DeskError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.result = result
        self.import_button.setEnabled(False)
        self.summary.setText(f"已导入:{result.summary()}。")
        self.imported.emit(result)
