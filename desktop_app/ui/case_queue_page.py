"""The case queue: every case, newest first, fetched a page at a time so a store with a million
cases opens instantly. Filters and a search box narrow it; Enter or a double-click opens a case.

By keyboard: Ctrl+F (or typing on the table) goes to the search box; Enter or Down there goes to
the first result, Up on the first row (or Esc on the table) back to the search box; Tab goes from
the search box straight to the results. The date boxes are off (and skipped by Tab) until 日期 is
ticked. Column widths are remembered per user; a cut-off cell shows its whole text as a tooltip.

Signals:
    open_case_requested(int): the user asked to open the case with this id.
    case_changed(int): an open case changed (a step, a refund, a correction).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_selection import CaseSelection
from desktop_app.services.case_views import QueueQuery, QueueRow
from desktop_app.services.desk import Desk
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.cell_tooltips import show_cut_text
from desktop_app.ui.forms import date_of
from desktop_app.ui.keyboard import ENTER_KEYS, is_plain_key
from desktop_app.ui.lazy_table import LazyTableModel
from desktop_app.ui.view_memory import ViewMemory

HEADERS = ("案件编号", "接待时间", "顾客", "电话", "类别", "性质", "状态", "部门", "商品", "提醒")
MAJOR_BRUSH = QBrush(QColor("#b00020"))
OVERDUE_BRUSH = QBrush(QColor("#ffe0e0"))
DUE_TODAY_BRUSH = QBrush(QColor("#fff4cc"))
WAITING_BRUSH = QBrush(QColor("#e6f0ff"))
COLUMN_WIDTHS = (130, 125, 80, 105, 80, 50, 90, 70, 150)
SORT_KEYS = {0: "case_no", 1: "received_at", 4: "category", 6: "status"}


def queue_cell(item: QueueRow, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return (
            item.case_no, f"{item.received_at:%Y-%m-%d %H:%M}", item.customer_name,
            item.customer_phone, item.category_label, item.kind_label, item.status_label,
            item.department, item.product_name, item.alert,
        )[column]
    if role == Qt.ItemDataRole.ForegroundRole and item.is_major:
        return MAJOR_BRUSH
    if role == Qt.ItemDataRole.FontRole and item.is_major:
        font = QFont()
        font.setBold(True)
        return font
    if role == Qt.ItemDataRole.BackgroundRole:
        return {
            "overdue": OVERDUE_BRUSH, "due_today": DUE_TODAY_BRUSH, "waiting": WAITING_BRUSH
        }.get(item.alert_kind)
    if role == Qt.ItemDataRole.UserRole:
        return item.case_id
    return None


class CaseQueuePage(QWidget):
    open_case_requested = Signal(int)
    case_changed = Signal(int)

    def __init__(
        self,
        desk: Desk,
        actor: Account,
        parent: QWidget | None = None,
        selection: CaseSelection | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        # The cases behind a chart's bar or a warning (case_list_dialog); filters narrow it.
        self.selection = selection
        self._sort = "received_at"
        self._descending = True
        self.model = LazyTableModel(HEADERS, queue_cell, self)
        self._build()  # the rows come when the page is shown (showEvent), read once

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            "搜索 案件编号 / 顾客姓名 / 电话 / 小票号 / 商品 / 顾客陈述,任意两个字起(Ctrl+F)"
        )
        self.search.setToolTip(
            "两个字以上:在案件编号、顾客姓名、电话、小票号、商品和顾客陈述中任意位置查找,"
            "新登记的在前;只输入一个字时按顾客姓氏查找"
        )
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem("全部状态", None)
        self.status.addItem("未结案", "open")
        for status in rules.CaseStatus:
            self.status.addItem(status.label, status)
        self.category = QComboBox()
        self.category.setObjectName("category_filter")
        self.category.addItem("全部类别", None)
        for category in rules.Category:
            self.category.addItem(category.label, category)
        self.department = QComboBox()
        self.department.setObjectName("department_filter")
        self.department.addItem("全部部门", None)
        for department_id, name in self._desk.cases.departments():
            self.department.addItem(name, department_id)
        self.use_dates = QCheckBox("日期")
        self.use_dates.setObjectName("use_dates")
        today = self._desk.clock().date()
        self.date_until = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_from = QDateEdit(self.date_until.date().addMonths(-1))
        self.date_from.setObjectName("date_from")
        self.date_until.setObjectName("date_until")
        for edit in (self.date_from, self.date_until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            self.use_dates.toggled.connect(edit.setEnabled)
        self.major_only = QCheckBox("只看重大")
        self.major_only.setObjectName("major_only")
        self.overdue_only = QCheckBox("只看逾期")
        self.overdue_only.setObjectName("overdue_only")
        self.mine_only = QCheckBox("我登记的")
        self.mine_only.setObjectName("mine_only")
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        refresh = QPushButton("刷新(F5)")
        refresh.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        refresh.clicked.connect(self.refresh)

        self.table = QTableView()
        self.table.setObjectName("queue_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Tab leaves the results (it does not walk their cells), as in any list.
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        ViewMemory(self._actor.username).keep_header(self.table.horizontalHeader(), "queue")
        show_cut_text(self.table)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().sectionClicked.connect(self.on_header_clicked)
        # ``activated`` is Enter and a double-click both; listening to ``doubleClicked`` as
        # well opened every double-clicked case twice (Esc closed one, the other stayed).
        self.table.activated.connect(self.on_row_activated)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self._keys = QueueKeys(self)
        self.search.installEventFilter(self._keys)
        self.table.installEventFilter(self._keys)
        for combo in (self.status, self.category, self.department):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.use_dates, self.major_only, self.overdue_only, self.mine_only):
            box.toggled.connect(self.refresh)
        for edit in (self.date_from, self.date_until):
            edit.dateChanged.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self).activated.connect(self.refresh)

        filters = QHBoxLayout()
        for widget in (
            self.status, self.category, self.department, self.use_dates, self.date_from,
            QLabel("至"), self.date_until, self.major_only, self.overdue_only, self.mine_only,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        # Search and results first; then the filters, in the order they are laid out.
        chain: list[QWidget] = [
            self.search, self.table, self.status, self.category, self.department,
            self.use_dates, self.date_from, self.date_until, self.major_only, self.overdue_only,
            self.mine_only,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- keyboard between the search box and the results ----------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_results(self) -> bool:
        """Enter or Down in the search box: the results now, with the first row chosen."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.refresh()
        if self.model.rowCount() == 0:
            return False
        self.table.setFocus()
        current = self.table.currentIndex()
        if not current.isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        return True

    def type_into_search(self, text: str) -> None:
        """A character typed on the results starts a new search (as in a file manager)."""
        self.search.setFocus()
        self.search.setText(text)

    def query(self) -> QueueQuery:
        status = self.status.currentData()
        return QueueQuery(
            status=status if isinstance(status, rules.CaseStatus) else None,
            open_only=status == "open",
            category=self.category.currentData(),
            department_id=self.department.currentData(),
            received_from=date_of(self.date_from.date()) if self.use_dates.isChecked() else None,
            received_until=(
                date_of(self.date_until.date()) if self.use_dates.isChecked() else None
            ),
            major_only=self.major_only.isChecked(),
            overdue_only=self.overdue_only.isChecked(),
            clerk_id=self._actor.id if self.mine_only.isChecked() else None,
            search=self.search.text(),
            sort=self._sort,
            descending=self._descending,
            selection=self.selection,
        )

    def refresh(self) -> None:
        query = self.query()
        today: date = self._desk.clock().date()
        self.model.reload(
            lambda offset, limit: self._desk.cases.queue_page(
                query, today, offset, limit, viewer=self._actor
            )
        )
        count = self._desk.cases.queue_count(query)
        self.count_label.setText(f"共 {count} 件" if count < 10_000 else "超过 10000 件")

    def on_header_clicked(self, section: int) -> None:
        key = SORT_KEYS.get(section)
        if key is None:
            return
        self._descending = not self._descending if key == self._sort else True
        self._sort = key
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(section, order)
        self.refresh()

    def on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case(self.model.row_at(index.row()).case_id)

    def open_case(self, case_id: int) -> CaseDialog:
        self.open_case_requested.emit(case_id)
        dialog = CaseDialog(self._desk, self._actor, case_id, self)
        dialog.changed.connect(lambda _case_id: self.refresh())
        dialog.changed.connect(self.case_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        # A double-click's last mouse event must not leave the main window in front: the
        # dialog takes the keyboard at once, so Esc closes it and nothing is typed elsewhere.
        dialog.raise_()
        dialog.activateWindow()
        # Again once the double-click's last mouse event has gone to the table.
        QTimer.singleShot(0, dialog, dialog.activateWindow)
        return dialog

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Cases registered on the other page appear as soon as the queue is shown again.
        self.refresh()
        super().showEvent(event)


class QueueKeys(QObject):
    """Keys that move between the search box and the results."""

    def __init__(self, page: CaseQueuePage) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        page = getattr(self, "_page", None)
        if page is None:
            return False  # events while Qt tears the page down
        if watched is page.search and is_plain_key(event, *ENTER_KEYS, Qt.Key.Key_Down):
            page.focus_results()
            return True
        if watched is page.table and isinstance(event, QKeyEvent):
            return self._on_table_key(event)
        return False

    def _on_table_key(self, event: QKeyEvent) -> bool:
        page = self._page
        if event.type() != QEvent.Type.KeyPress:
            return False
        at_top = page.table.currentIndex().row() <= 0
        if is_plain_key(event, Qt.Key.Key_Escape) or (
            is_plain_key(event, Qt.Key.Key_Up) and at_top
        ):
            page.focus_search()
            return True
        text = event.text()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier
        )
        if plain and text and text.isprintable() and not text.isspace():
            page.type_into_search(text)
            return True
        return False
