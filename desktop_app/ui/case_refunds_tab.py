"""The case's refunds, exchanges and compensations: a table whose cells show in full, a request
(Ctrl+R), signing at the desk, and the supplier charge-back of a quality return.

Signals:
    changed(): a refund was requested, signed or charged back; the case must be read again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.services.refunds import RefundLine
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.charge_back_dialogs import charge_back_for_refund
from desktop_app.ui.liability_dialog import LiabilityButton
from desktop_app.ui.major_complaints import remind_signer
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from desktop_app.ui.text_table import TextTable

REFUND_HEADERS = (
    "编号", "类型", "金额", "小票号", "状态", "审批级别", "申请人", "申请时间", "审批人",
    "供应商扣款", "原因",
)


class CaseRefundsTab(QWidget):
    changed = Signal()

    def __init__(
        self, desk: Desk, actor: Account, case: Callable[[], CaseDetail],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case = case
        self.lines: list[RefundLine] = []
        self.table = TextTable("case_refunds", REFUND_HEADERS)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.on_sign_clicked())
        self.request_button = QPushButton("申请退款/换货/赔偿  Ctrl+R")
        self.request_button.setObjectName("request_refund_button")
        self.request_button.clicked.connect(self.on_request_clicked)
        self.sign_button = QPushButton("审批选中的申请")
        self.sign_button.setObjectName("sign_button")
        self.sign_button.clicked.connect(self.on_sign_clicked)
        self.charge_back_button = QPushButton("登记供应商扣款…")
        self.charge_back_button.setObjectName("charge_back_button")
        self.charge_back_button.clicked.connect(self.on_charge_back_clicked)
        # Who bears a service compensation (managers only; hidden from others).
        self.liability_button = LiabilityButton(desk, actor, lambda: self._case().case_id)
        self.liability_button.recorded.connect(self.changed.emit)
        buttons = QHBoxLayout()
        for button in (self.request_button, self.sign_button, self.charge_back_button,
                       self.liability_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_refunds(self, case_id: int) -> None:
        self.lines = self._desk.refunds.refunds_of_case(case_id)
        self.table.fill([
            (str(line.refund_id), line.kind.label, format_yuan(line.amount),
             receipt_label(line.receipt_no), line.status.label, line.level.label,
             line.requested_by, line.requested_at[:19], line.decided_by or "—",
             line.charge_back.label, line.reason)
            for line in self.lines
        ])

    def selected(self) -> RefundLine | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def on_request_clicked(self) -> None:
        case = self._case()
        # Said before anything is typed (found: a case not yet judged refused the request only
        # after the items, the amount and the reason were typed, which then had to go).
        refusal = self._desk.refunds.request_refusal(case.case_id)
        if refusal is not None:
            QMessageBox.warning(self, "不能申请", refusal)
            return
        dialog = RefundRequestDialog(self._desk, self._actor, case, self)
        # Tall enough that the items table keeps its rows beside the reserved error lines,
        # and still inside a 1366×768 screen with a taskbar.
        dialog.resize(dialog.width(), max(dialog.height(), 680))
        if dialog.exec() and dialog.refund_id is not None:
            self.changed.emit()
            self.offer_signing(dialog.refund_id)

    def offer_signing(self, refund_id: int) -> None:
        """A manager is usually at the desk already: offer to sign straight away."""
        answer = QMessageBox.question(
            self, "提交成功", "申请已提交。现在请审批人签批吗?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sign(refund_id)

    def on_sign_clicked(self) -> None:
        line = self.selected()
        if line is not None:
            self.sign(line.refund_id)

    def sign(self, refund_id: int) -> None:
        signed = ApprovalDialog(self._desk, refund_id, self, logged_in=self._actor).exec()
        self.changed.emit()
        if signed:
            remind_signer(self._desk, refund_id, self)

    def on_charge_back_clicked(self) -> QDialog | None:
        """The quality return's line in the supplier charge-back ledger, and what to do to it."""
        line = self.selected()
        if line is None:
            return None
        dialog = charge_back_for_refund(self, self._desk, self._actor, line.refund_id)
        if dialog is not None:
            dialog.accepted.connect(self.changed.emit)
        return dialog
