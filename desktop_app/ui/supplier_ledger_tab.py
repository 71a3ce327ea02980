"""供应商扣款: each supplier's balance (what it still owes, every month) and its lines; change an
amount, record a deduction, waive, undo; each line's history; the suppliers' notices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.charge_backs import LedgerAction, action_refusal
from desktop_app.domain.errors import DeskError
from desktop_app.domain.improvement import OrderTarget
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refunds import ChargeBack
from desktop_app.services.desk import Desk
from desktop_app.ui.charge_back_dialogs import ChargeBackActionDialog
from desktop_app.ui.improvement_dialogs import FormDialog, issue_dialog
from desktop_app.ui.ledger_common import button, choose_folder, month_edit, month_of, open_first
from desktop_app.ui.rows_table import QUIET, RowsTableModel, rows_view

BALANCE_HEADERS = ("供应商", "待扣款(余额)", "待扣笔数", "最早待扣", "已扣款", "已免除")
LINE_HEADERS = ("批准日期", "案件编号", "小票号", "商品", "退款金额", "扣款金额", "状态")


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
            [[f"{line.approved_at:%Y-%m-%d}", line.case_no, receipt_label(line.receipt_no),
              line.products, format_yuan(line.refunded), format_yuan(line.amount),
              line.state_text]
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
            open_first(written)
        else:
            QMessageBox.information(self, "扣款通知单",
                                    f"已生成 {len(written)} 份通知单,保存在 {target}")
        return written
