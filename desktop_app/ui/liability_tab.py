"""员工责任: the month's staff liability lines and each person's totals; settle, waive, cancel;
《员工赔偿责任月结单》 per person."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError
from desktop_app.domain.liability import LiabilityAction, LiabilityStatus
from desktop_app.domain.liability import action_refusal as liability_refusal
from desktop_app.domain.money import format_yuan
from desktop_app.services.desk import Desk
from desktop_app.ui.charge_back_dialogs import date_edit
from desktop_app.ui.forms import date_of
from desktop_app.ui.improvement_dialogs import FormDialog
from desktop_app.ui.ledger_common import (
    button,
    choose_folder,
    line_edit,
    month_edit,
    month_of,
    open_first,
)
from desktop_app.ui.rows_table import QUIET, RowsTableModel, rows_view

STATEMENT_HEADERS = ("员工", "部门", "条数", "应承担", "已执行", "待执行", "已免除")
LIABILITY_HEADERS = (
    "登记日期", "员工", "案件编号", "赔偿", "比例", "承担", "罚款", "小计", "状态",
)


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
        self.statement_view.selectionModel().currentRowChanged.connect(self._update_buttons)
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
            open_first(written)
        else:
            QMessageBox.information(self, "月结单",
                                    f"已生成 {len(written)} 份月结单,保存在 {target}")
        return written
