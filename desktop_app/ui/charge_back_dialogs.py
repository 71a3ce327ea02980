"""One action on one supplier charge-back line: change its amount (with the reason), record the
deduction (reference and date), waive it (store manager, reason) or undo a deduction or waiver
(store manager, reason). The service decides; the dialog shows its answer under each field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.charge_backs import (
    LedgerAction,
    LedgerLine,
    available_actions,
    permission_refusal,
)
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors, date_of, error_label, ok_cancel, run_save

NOT_A_QUALITY_RETURN = "这笔不是已批准的商品质量退货,没有供应商扣款"


class ChargeBackActionDialog(QDialog):
    def __init__(
        self,
        desk: Desk,
        actor: Account,
        line: LedgerLine,
        action: LedgerAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._line = line
        self.action = action
        self.setWindowTitle(f"{action.label} — {line.supplier}")
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        summary = QLabel(
            f"{line.supplier} · {line.case_no} · 小票 {receipt_label(line.receipt_no)}\n"
            f"{line.products}\n退款 {format_yuan(line.refunded)},扣款 {format_yuan(line.amount)},"
            f"{line.state_text}"
        )
        summary.setObjectName("line_summary")
        summary.setWordWrap(True)
        self.form = QFormLayout()
        self._build_fields()
        self.general_error = error_label("general_error")
        buttons = ok_cancel(self, self.on_ok_clicked, action.label, enter_saves=False)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def _build_fields(self) -> None:
        self.amount = QLineEdit(str(self._line.amount))
        self.amount.setObjectName("amount")
        self.reference = QLineEdit()
        self.reference.setObjectName("deduction_ref")
        self.reference.setPlaceholderText("扣款单、对账单或发票号")
        self.deducted_on = date_edit(self._desk.clock().date(), "deducted_on")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        if self.action is LedgerAction.AMOUNT:
            self.errors.add_row(self.form, "扣款金额(元)", "amount", self.amount)
            self.errors.add_row(self.form, "调整原因", "amount_note", self.reason)
        elif self.action is LedgerAction.CHARGE:
            self.errors.add_row(self.form, "扣款单号", "deduction_ref", self.reference)
            self.errors.add_row(self.form, "扣款日期", "deducted_on", self.deducted_on)
        elif self.action is LedgerAction.WAIVE:
            self.errors.add_row(self.form, "免除原因", "waive_reason", self.reason)
        else:
            self.errors.add_row(self.form, "撤销原因", "reason", self.reason)

    def on_ok_clicked(self) -> None:
        if run_save(self._apply, self.errors, self.general_error)[0]:
            self.accept()

    def _apply(self) -> None:
        service, line_id = self._desk.charge_backs, self._line.line_id
        reason = self.reason.toPlainText()
        if self.action is LedgerAction.AMOUNT:
            service.change_amount(self._actor, line_id, self.amount.text(), reason)
        elif self.action is LedgerAction.CHARGE:
            service.record_deduction(self._actor, line_id, self.reference.text(),
                                     self.deduction_date())
        elif self.action is LedgerAction.WAIVE:
            service.waive(self._actor, line_id, reason)
        else:
            service.reopen(self._actor, line_id, reason)

    def deduction_date(self) -> date:
        return date_of(self.deducted_on.date())



def date_edit(day: date, name: str) -> QDateEdit:
    """A date field with a calendar, starting at ``day``."""
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def choose_action(parent: QWidget, actor: Account, line: LedgerLine) -> LedgerAction | None:
    """The action to take on ``line``: the only one open to the actor, or the one they pick."""
    actions = available_actions(actor.role, line.state)
    if not actions:
        refusal = permission_refusal(actor.role, LedgerAction.CHARGE)
        QMessageBox.information(parent, "供应商扣款",
                                refusal or f"这笔扣款{line.state_text},需店长处理")
        return None
    if len(actions) == 1:
        return actions[0]
    label, ok = QInputDialog.getItem(
        parent, "供应商扣款", f"{line.case_no} {line.state_text}:", [a.label for a in actions],
        0, False,
    )
    return next((action for action in actions if action.label == label), None) if ok else None


def charge_back_for_refund(
    parent: QWidget, desk: Desk, actor: Account, refund_id: int
) -> ChargeBackActionDialog | None:
    """From the case screen: the ledger line of a refund, and the action the actor picks; the
    dialog is opened and returned (None when there is nothing to do)."""
    line = desk.charge_backs.line_of_refund(refund_id)
    if line is None:
        QMessageBox.information(parent, "供应商扣款", NOT_A_QUALITY_RETURN)
        return None
    action = choose_action(parent, actor, line)
    if action is None:
        return None
    dialog = ChargeBackActionDialog(desk, actor, line, action, parent)
    dialog.open()
    return dialog
