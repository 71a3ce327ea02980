"""责令改善: improvement orders to suppliers and departments, open ones first by due date,
overdue in red; follow up, extend, close with the result."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.improvement import FollowUpState, OrderStatus
from desktop_app.services.desk import Desk
from desktop_app.ui.improvement_dialogs import (
    FormDialog,
    complete_dialog,
    follow_up_dialog,
    issue_dialog,
)
from desktop_app.ui.ledger_common import button
from desktop_app.ui.rows_table import ALERT, QUIET, WARNING, RowsTableModel, rows_view

ORDER_HEADERS = ("状态", "对象", "名称", "整改要求", "期限", "跟进", "最近跟进", "案件", "下达人")


ORDER_COLOURS = {
    FollowUpState.OVERDUE: ALERT, FollowUpState.DUE_TODAY: WARNING,
    FollowUpState.DUE_SOON: WARNING, FollowUpState.DONE: QUIET,
}


# --- 责令改善 --------------------------------------------------------------------------------


class OrdersTab(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.dialog: QDialog | None = None
        self.model = RowsTableModel(ORDER_HEADERS, right=(5,))
        self.view = rows_view(self.model, "orders")
        self.view.selectionModel().currentRowChanged.connect(self._show_order)
        self.open_only = QCheckBox("只看整改中")
        self.open_only.setObjectName("open_only")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(self.reload)
        self.follow_ups = QTextBrowser()
        self.follow_ups.setObjectName("follow_ups")
        self.follow_ups.setMaximumHeight(150)
        self.issue_button = button("下达整改通知…", "issue_button", self.open_issue)
        self.follow_up_button = button("跟进…", "follow_up_button", self.open_follow_up)
        self.complete_button = button("验收完成…", "complete_button", self.open_complete)
        actions = QHBoxLayout()
        for made in (self.issue_button, self.follow_up_button, self.complete_button):
            actions.addWidget(made)
        actions.addStretch(1)
        actions.addWidget(self.open_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        layout.addWidget(self.follow_ups)
        self.reload()

    def reload(self) -> None:
        chosen = self.selected()
        found = self._desk.improvements.orders(open_only=self.open_only.isChecked())
        self.model.set_rows(
            [[o.state.label, o.target.label, o.target_name, o.requirement,
              f"{o.due_on:%Y-%m-%d}", str(o.follow_ups),
              "" if o.last_follow_up is None else f"{o.last_follow_up:%Y-%m-%d}", o.case_no,
              o.issued_by] for o in found],
            [o.order_id for o in found],
            [ORDER_COLOURS.get(o.state) for o in found],
        )
        row = self.model.row_of(chosen)
        self.view.selectRow(row if row >= 0 else 0)
        self._show_order()

    def selected(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    def _show_order(self) -> None:
        order_id = self.selected()
        order = None if order_id is None else self._desk.improvements.order(order_id)
        is_open = order is not None and order.status is OrderStatus.OPEN
        self.follow_up_button.setEnabled(is_open)
        self.complete_button.setEnabled(is_open)
        if order is None:
            self.follow_ups.clear()
            return
        lines = [f"{order.issued_at:%Y-%m-%d %H:%M}  {order.issued_by}  下达:{order.requirement}"
                 f"(期限 {order.due_on:%Y-%m-%d})"]
        for item in self._desk.improvements.follow_ups(order.order_id):
            extended = "" if item.new_due_on is None else f"  延期至 {item.new_due_on:%Y-%m-%d}"
            lines.append(f"{item.at:%Y-%m-%d %H:%M}  {item.by}  跟进:{item.note}{extended}")
        if order.done_on is not None:
            lines.append(f"{order.done_on:%Y-%m-%d}  {order.closed_by}  验收:{order.result}")
        self.follow_ups.setPlainText("\n".join(lines))

    def _open(self, dialog: FormDialog) -> FormDialog:
        dialog.accepted.connect(self.reload)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_issue(self) -> FormDialog:
        return self._open(issue_dialog(self._desk, self._actor, self))

    def open_follow_up(self) -> FormDialog | None:
        order_id = self.selected()
        if order_id is None:
            return None
        return self._open(follow_up_dialog(
            self._desk, self._actor, self._desk.improvements.order(order_id), self))

    def open_complete(self) -> FormDialog | None:
        order_id = self.selected()
        if order_id is None:
            return None
        return self._open(complete_dialog(
            self._desk, self._actor, self._desk.improvements.order(order_id), self))
