"""扣款与责任 (managers only): who pays for what went wrong.

- 供应商扣款: each supplier's balance (what it still owes, every month) and its lines; change an
  amount, record a deduction, waive (store manager), undo (store manager); each line's history
  from the register; 《供应商质量扣款通知单》 for one supplier or all of a month.
- 责令改善: improvement orders to suppliers and departments, open ones first by due date,
  overdue in red; follow up, extend, close with the result.
- 员工责任: the month's staff liability lines and each person's totals; settle, waive, cancel;
  《员工赔偿责任月结单》 per person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.charge_backs import LedgerAction, action_refusal
from desktop_app.domain.errors import DeskError
from desktop_app.domain.improvement import FollowUpState, OrderStatus, OrderTarget
from desktop_app.domain.liability import LiabilityAction, LiabilityStatus
from desktop_app.domain.liability import action_refusal as liability_refusal
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import Month
from desktop_app.domain.roles import MANAGER_ROLES
from desktop_app.services.desk import Desk
from desktop_app.ui.charge_back_dialogs import ChargeBackActionDialog, date_edit
from desktop_app.ui.forms import date_of
from desktop_app.ui.improvement_dialogs import (
    FormDialog,
    complete_dialog,
    follow_up_dialog,
    issue_dialog,
)
from desktop_app.ui.pdf_output import documents_folder, open_file
from desktop_app.ui.rows_table import ALERT, QUIET, WARNING, RowsTableModel, rows_view

BALANCE_HEADERS = ("供应商", "待扣款(余额)", "待扣笔数", "最早待扣", "已扣款", "已免除")
LINE_HEADERS = ("批准日期", "案件编号", "小票号", "商品", "退款金额", "扣款金额", "状态")
ORDER_HEADERS = ("状态", "对象", "名称", "整改要求", "期限", "跟进", "最近跟进", "案件", "下达人")
STATEMENT_HEADERS = ("员工", "部门", "条数", "应承担", "已执行", "待执行", "已免除")
LIABILITY_HEADERS = (
    "登记日期", "员工", "案件编号", "赔偿", "比例", "承担", "罚款", "小计", "状态",
)
ORDER_COLOURS = {
    FollowUpState.OVERDUE: ALERT, FollowUpState.DUE_TODAY: WARNING,
    FollowUpState.DUE_SOON: WARNING, FollowUpState.DONE: QUIET,
}


class LedgerPage(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ledger_tabs")
        self.suppliers = SupplierLedgerTab(desk, actor)
        self.orders = OrdersTab(desk, actor)
        self.tabs.addTab(self.suppliers, "供应商扣款")
        self.tabs.addTab(self.orders, "责令改善")
        self.staff: LiabilityTab | None = None
        if desk.liabilities.may_see(actor):
            self.staff = LiabilityTab(desk, actor)
            self.tabs.addTab(self.staff, "员工责任")
        self.suppliers.orders_changed.append(self.orders.reload)
        self.tabs.currentChanged.connect(self._reload_current)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back to the page (approvals happen on other pages) shows the ledgers as now."""
        super().showEvent(event)
        self._reload_current(self.tabs.currentIndex())

    def _reload_current(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, SupplierLedgerTab | OrdersTab | LiabilityTab):
            page.reload()

    @staticmethod
    def visible_to(account: Account) -> bool:
        return account.role in MANAGER_ROLES


def month_edit(name: str, day: date) -> QDateEdit:
    last = Month.before(day)
    edit = QDateEdit(QDate(last.year, last.month, 1))
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM")
    return edit


def month_of(edit: QDateEdit) -> Month:
    return Month(edit.date().year(), edit.date().month())


def choose_folder(parent: QWidget, title: str) -> Path | None:
    """Where to write the PDFs (the user's documents folder to begin with)."""
    start = documents_folder()
    start.mkdir(parents=True, exist_ok=True)
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start))
    return Path(chosen) if chosen else None


def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    made = QPushButton(text)
    made.setObjectName(name)
    made.clicked.connect(lambda _=False: slot())
    return made


# --- 供应商扣款 --------------------------------------------------------------------------------


class SupplierLedgerTab(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.orders_changed: list[Callable[[], None]] = []
        self.dialog: QDialog | None = None
        self.balances = RowsTableModel(BALANCE_HEADERS, right=(1, 2, 4, 5))
        self.balance_view = rows_view(self.balances, "balances")
        self.balance_view.selectionModel().currentRowChanged.connect(self._show_lines)
        self.lines = RowsTableModel(LINE_HEADERS, right=(4, 5))
        self.line_view = rows_view(self.lines, "charge_back_lines")
        self.line_view.selectionModel().currentRowChanged.connect(self._show_line)
        self.pending_only = QCheckBox("只看待扣款")
        self.pending_only.setObjectName("pending_only")
        self.pending_only.toggled.connect(self._show_lines)
        self.history = QTextBrowser()
        self.history.setObjectName("line_history")
        self.history.setMaximumHeight(120)
        self.summary = QLabel()
        self.summary.setObjectName("ledger_summary")
        self.action_buttons = {
            LedgerAction.AMOUNT: button("修改金额…", "amount_button",
                                        lambda: self.open_action(LedgerAction.AMOUNT)),
            LedgerAction.CHARGE: button("登记已扣款…", "charge_button",
                                        lambda: self.open_action(LedgerAction.CHARGE)),
            LedgerAction.WAIVE: button("免除…", "waive_button",
                                       lambda: self.open_action(LedgerAction.WAIVE)),
            LedgerAction.REOPEN: button("撤销…", "reopen_button",
                                        lambda: self.open_action(LedgerAction.REOPEN)),
        }
        self.order_button = button("责令改善…", "order_button", self.open_order)
        self.month = month_edit("notice_month", desk.clock().date())
        self.notice_button = button("该供应商的通知单…", "notice_button",
                                    lambda: self.print_notices(selected_only=True))
        self.all_notices_button = button("全部供应商的通知单…", "all_notices_button",
                                         lambda: self.print_notices(selected_only=False))
        notices = QHBoxLayout()
        notices.addWidget(QLabel("《供应商质量扣款通知单》月份"))
        notices.addWidget(self.month)
        notices.addWidget(self.notice_button)
        notices.addWidget(self.all_notices_button)
        notices.addStretch(1)
        actions = QHBoxLayout()
        for made in self.action_buttons.values():
            actions.addWidget(made)
        actions.addWidget(self.order_button)
        actions.addStretch(1)
        actions.addWidget(self.pending_only)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.line_view, 1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.history)
        splitter = QSplitter()
        splitter.addWidget(self.balance_view)
        splitter.addWidget(right)
        splitter.setSizes([380, 720])
        layout = QVBoxLayout(self)
        layout.addLayout(notices)
        layout.addWidget(splitter, 1)
        self.reload()

    def reload(self) -> None:
        chosen = self.selected_supplier()
        found = self._desk.charge_backs.balances()
        self.balances.set_rows(
            [[b.supplier, format_yuan(b.balance), str(b.totals.pending_lines),
              "" if b.oldest_pending is None else f"{b.oldest_pending:%Y-%m-%d}",
              format_yuan(b.totals.charged), format_yuan(b.totals.waived)] for b in found],
            [b.supplier_id for b in found],
            [None if b.balance else QUIET for b in found],
        )
        self.balance_view.resizeColumnsToContents()
        row = self.balances.row_of(chosen)
        self.balance_view.selectRow(row if row >= 0 else 0)
        self._show_lines()

    def selected_supplier(self) -> int | None:
        index = self.balance_view.currentIndex()
        return self.balances.key_at(index.row()) if index.isValid() else None

    def selected_line(self) -> int | None:
        index = self.line_view.currentIndex()
        return self.lines.key_at(index.row()) if index.isValid() else None

    def _show_lines(self) -> None:
        chosen_line = self.selected_line()
        supplier_id = self.selected_supplier()
        found = [] if self.balances.rowCount() == 0 else [
            line for line in self._desk.charge_backs.lines(supplier_id=supplier_id)
            if line.supplier_id == supplier_id
            and (not self.pending_only.isChecked() or line.state is ChargeBack.PENDING)
        ]
        found.reverse()  # newest first
        self.lines.set_rows(
            [[f"{line.approved_at:%Y-%m-%d}", line.case_no, line.receipt_no, line.products,
              format_yuan(line.refunded), format_yuan(line.amount), line.state_text]
             for line in found],
            [line.line_id for line in found],
            [None if line.state is ChargeBack.PENDING else QUIET for line in found],
        )
        index = self.balance_view.currentIndex()
        self.summary.setText(
            f"{self.balances.text_at(index.row(), 0)}:尚欠 {self.balances.text_at(index.row(), 1)}"
            if index.isValid() else "还没有质量退货扣款"
        )
        row = self.lines.row_of(chosen_line)
        self.line_view.selectRow(row if row >= 0 else 0)
        self._show_line()

    def _show_line(self) -> None:
        line_id = self.selected_line()
        state = None if line_id is None else self._desk.charge_backs.line(line_id).state
        for action, made in self.action_buttons.items():
            refusal = (None if state is None
                       else action_refusal(self._actor.role, state, action))
            made.setEnabled(state is not None and refusal is None)
            made.setToolTip(refusal or "")
        self.notice_button.setEnabled(self.selected_supplier() is not None)
        self.order_button.setEnabled(self.selected_supplier() is not None)
        if line_id is None:
            self.history.clear()
            return
        self.history.setPlainText("\n".join(
            f"{event.at}  {event.actor}  {event.action}  {event.detail}"
            for event in self._desk.charge_backs.history(line_id)
        ))

    def open_action(self, action: LedgerAction) -> ChargeBackActionDialog | None:
        line_id = self.selected_line()
        if line_id is None:
            return None
        line = self._desk.charge_backs.line(line_id)
        dialog = ChargeBackActionDialog(self._desk, self._actor, line, action, self)
        dialog.accepted.connect(self.reload)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_order(self) -> FormDialog | None:
        index = self.balance_view.currentIndex()
        if not index.isValid():
            return None
        dialog = issue_dialog(self._desk, self._actor, self, OrderTarget.SUPPLIER,
                              self.balances.text_at(index.row(), 0))
        for listener in self.orders_changed:
            dialog.accepted.connect(listener)
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_notices(self, selected_only: bool, folder: Path | None = None) -> list[Path]:
        month = month_of(self.month)
        target = folder or choose_folder(self, "保存扣款通知单到")
        if target is None:
            return []
        supplier_id = self.selected_supplier() if selected_only else None
        try:
            written = self._desk.charge_backs.export_notices(
                month, target, self._desk.clock(), supplier_id=supplier_id)
        except (DeskError, OSError) as error:
            QMessageBox.warning(self, "不能打印", str(error))
            return []
        if not written:
            QMessageBox.information(self, "扣款通知单", f"{month.label}没有这家供应商的质量退货扣款"
                                    if selected_only else f"{month.label}没有质量退货扣款")
            return []
        if selected_only:
            open_file(written[0])
        else:
            QMessageBox.information(self, "扣款通知单",
                                    f"已生成 {len(written)} 份通知单,保存在 {target}")
        return written


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


# --- 员工责任 --------------------------------------------------------------------------------


class LiabilityTab(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.dialog: QDialog | None = None
        self.month = month_edit("liability_month", desk.clock().date())
        self.month.dateChanged.connect(self.reload)
        self.statements = RowsTableModel(STATEMENT_HEADERS, right=(2, 3, 4, 5, 6))
        self.statement_view = rows_view(self.statements, "statements")
        self.statement_view.setMaximumHeight(170)
        self.lines = RowsTableModel(LIABILITY_HEADERS, right=(3, 4, 5, 6, 7))
        self.line_view = rows_view(self.lines, "liability_lines")
        self.line_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.action_buttons = {
            LiabilityAction.SETTLE: button("登记已执行…", "settle_button",
                                           lambda: self.open_action(LiabilityAction.SETTLE)),
            LiabilityAction.WAIVE: button("免除…", "liability_waive_button",
                                          lambda: self.open_action(LiabilityAction.WAIVE)),
            LiabilityAction.CANCEL: button("撤销(登记有误)…", "cancel_button",
                                           lambda: self.open_action(LiabilityAction.CANCEL)),
        }
        self.statement_button = button("选中员工的月结单…", "statement_button",
                                       lambda: self.print_statements(selected_only=True))
        self.all_statements_button = button(
            "全部员工的月结单…", "all_statements_button",
            lambda: self.print_statements(selected_only=False))
        top = QHBoxLayout()
        top.addWidget(QLabel("月份"))
        top.addWidget(self.month)
        top.addWidget(self.statement_button)
        top.addWidget(self.all_statements_button)
        top.addStretch(1)
        actions = QHBoxLayout()
        for made in self.action_buttons.values():
            actions.addWidget(made)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("本月各员工合计(已免除不计入应承担;已撤销不列)"))
        layout.addWidget(self.statement_view)
        layout.addWidget(self.line_view, 1)
        layout.addLayout(actions)
        self.reload()

    def reload(self) -> None:
        month = month_of(self.month)
        statements = self._desk.liabilities.statements(self._actor, month)
        self.statements.set_rows(
            [[s.staff, s.department, str(len(s.lines)), format_yuan(s.totals.owed),
              format_yuan(s.totals.settled), format_yuan(s.totals.pending),
              format_yuan(s.totals.waived)] for s in statements],
            [s.staff_id for s in statements],
        )
        self._lines = self._desk.liabilities.lines(self._actor, month)
        self.lines.set_rows(
            [[f"{line.recorded_at:%Y-%m-%d}", line.staff, line.case_no,
              format_yuan(line.compensation), f"{line.percent}%", format_yuan(line.amount),
              format_yuan(line.penalty), format_yuan(line.total), line.status_text]
             for line in self._lines],
            [line.line_id for line in self._lines],
            [None if line.status is LiabilityStatus.PENDING else QUIET for line in self._lines],
        )
        self._update_buttons()

    def selected_line(self) -> int | None:
        index = self.line_view.currentIndex()
        return self.lines.key_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        line_id = self.selected_line()
        line = next((item for item in self._lines if item.line_id == line_id), None)
        for action, made in self.action_buttons.items():
            refusal = (None if line is None
                       else liability_refusal(self._actor.role, line.status, action))
            made.setEnabled(line is not None and refusal is None)
            made.setToolTip(refusal or "")
        self.statement_button.setEnabled(self.statement_view.currentIndex().isValid())

    def open_action(self, action: LiabilityAction) -> FormDialog | None:
        line_id = self.selected_line()
        line = next((item for item in self._lines if item.line_id == line_id), None)
        if line is None:
            return None
        dialog = FormDialog(f"{action.label} — {line.staff} {line.case_no}", action.label, self)
        dialog.body.insertWidget(0, QLabel(
            f"{line.staff}({line.department}) · {line.case_no} · 承担 "
            f"{format_yuan(line.amount)} + 罚款 {format_yuan(line.penalty)}"))
        service = self._desk.liabilities
        if action is LiabilityAction.SETTLE:
            reference = line_edit("settle_ref", "如 2026年11月工资扣回")
            dialog.errors.add_row(dialog.form, "执行凭据", "settle_ref", reference)
            settled_on = date_edit(self._desk.clock().date(), "settled_on")
            dialog.errors.add_row(dialog.form, "执行日期", "settled_on", settled_on)
            dialog.save = lambda: service.settle(self._actor, line.line_id, reference.text(),
                                                 date_of(settled_on.date()))
        else:
            field = "reason"
            reason = dialog.text_box(field, "免除原因" if action is LiabilityAction.WAIVE
                                     else "撤销原因")
            act = service.waive if action is LiabilityAction.WAIVE else service.cancel
            dialog.save = lambda: act(self._actor, line.line_id, reason.toPlainText())
        dialog.accepted.connect(self.reload)
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_statements(self, selected_only: bool, folder: Path | None = None) -> list[Path]:
        month = month_of(self.month)
        index = self.statement_view.currentIndex()
        staff_id = self.statements.key_at(index.row()) if selected_only and index.isValid() \
            else None
        if selected_only and staff_id is None:
            return []
        target = folder or choose_folder(self, "保存月结单到")
        if target is None:
            return []
        try:
            written = self._desk.liabilities.export_statements(
                self._actor, month, target, self._desk.clock(), staff_id=staff_id)
        except (DeskError, OSError) as error:
            QMessageBox.warning(self, "不能打印", str(error))
            return []
        if not written:
            QMessageBox.information(self, "月结单", f"{month.label}没有员工责任记录")
        elif selected_only:
            open_file(written[0])
        else:
            QMessageBox.information(self, "月结单",
                                    f"已生成 {len(written)} 份月结单,保存在 {target}")
        return written


def line_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit
