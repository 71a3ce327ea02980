"""Signing a refund at the desk's PC.

Shows the receipt's earlier refunds, the running total, the tier it falls in and who may sign.
The approver types their own user name and password (the clerk stays logged in); approval and
rejection are final. Above 2000 yuan the store manager enters head office's sign-off instead.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors, date_of, password_edit
from desktop_app.ui.unsaved import GuardedDialog

RECEIPT_HEADERS = ("编号", "案件", "类型", "金额", "状态", "申请人", "审批人")
ERROR_STYLE = "color: #b00020; font-weight: bold;"


class ApprovalDialog(GuardedDialog):
    def __init__(self, desk: Desk, refund_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._refund_id = refund_id
        self.context = desk.refunds.approval_context(refund_id)
        self.errors = FieldErrors()
        self.setWindowTitle(f"退款审批 — {self.context.refund.case_no}")
        self.resize(760, 560)
        self._build()
        # Esc and 取消 ask before typed text is thrown away; who signs is not such text.
        self.mark_clean(ignore=(self.username,))

    def _build(self) -> None:
        refund = self.context.refund
        self.summary = QLabel(
            f"<b>{refund.kind.label} {format_yuan(refund.amount)}</b>  小票号:"
            f"{refund.receipt_no or '(无小票)'}  申请人:{refund.requested_by}<br>"
            f"原因:{refund.reason}<br>"
            f"这张小票累计(含本笔):<b>{format_yuan(self.context.receipt_total)}</b>  "
            f"审批级别:<b>{self.context.level.label}</b><br>"
            f"可审批人:{self.context.who_may_sign}"
        )
        self.summary.setObjectName("approval_summary")
        self.summary.setWordWrap(True)
        self.receipt_table = QTableWidget(len(self.context.on_receipt), len(RECEIPT_HEADERS))
        self.receipt_table.setObjectName("receipt_refunds")
        self.receipt_table.setHorizontalHeaderLabels(list(RECEIPT_HEADERS))
        self.receipt_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.receipt_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, line in enumerate(self.context.on_receipt):
            values = (
                str(line.refund_id), line.case_no, line.kind.label, format_yuan(line.amount),
                line.status.label, line.requested_by, line.decided_by,
            )
            for column, value in enumerate(values):
                self.receipt_table.setItem(row, column, QTableWidgetItem(value))

        self.username = QLineEdit()
        self.username.setObjectName("approver_username")
        self.password = password_edit()
        self.password.setObjectName("approver_password")
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.refusal.setWordWrap(True)
        sign = QFormLayout()
        sign.addRow("审批人用户名(&U)", self.username)
        sign.addRow("审批人密码(&P)", self.password)
        head_office = self.context.level is ApprovalLevel.HEAD_OFFICE
        self.head_office_approver = QLineEdit()
        self.head_office_approver.setObjectName("head_office_approver")
        self.head_office_reference = QLineEdit()
        self.head_office_reference.setObjectName("head_office_reference")
        today = self._desk.clock().date()
        self.head_office_date = QDateEdit(QDate(today.year, today.month, today.day))
        self.head_office_date.setObjectName("head_office_date")
        self.head_office_date.setDisplayFormat("yyyy-MM-dd")
        self.head_office_date.setCalendarPopup(True)
        if head_office:
            rows = (
                ("集团签批人", "head_office_approver", self.head_office_approver),
                ("签批文号", "head_office_reference", self.head_office_reference),
                ("签批日期", "head_office_date", self.head_office_date),
            )
            for label, field, widget in rows:
                self.errors.add_row(sign, label, field, widget)
        else:
            sign.addRow("审批意见", self.comment)
        box = QGroupBox("由审批人本人输入用户名和密码签批(当前登录用户不变)")
        box.setLayout(sign)

        approve_text = "录入集团签批并批准" if head_office else "批准  Ctrl+Enter"
        self.approve_button = QPushButton(approve_text)
        self.approve_button.setObjectName("approve_button")
        self.approve_button.clicked.connect(lambda: self.sign(approve=True))
        self.reject_button = QPushButton("驳回")
        self.reject_button.setObjectName("reject_button")
        self.reject_button.clicked.connect(lambda: self.sign(approve=False))
        self.reject_button.setVisible(not head_office)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("这张小票上的全部退款:"))
        layout.addWidget(self.receipt_table, 1)
        layout.addWidget(box)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda: self.sign(approve=True))
        self.username.setFocus()

    def sign(self, approve: bool) -> None:
        self.refusal.clear()
        try:
            if self.context.level is ApprovalLevel.HEAD_OFFICE:
                self._desk.refunds.record_head_office(
                    self._refund_id, self.username.text(), self.password.text(),
                    self.head_office_approver.text(), self.head_office_reference.text(),
                    date_of(self.head_office_date.date()),
                )
            else:
                self._desk.refunds.decide(
                    self._refund_id, self.username.text(), self.password.text(), approve,
                    self.comment.text(),
                )
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self.refusal.setText(";".join(unplaced))
            return
        except DeskError as error:
            self.refusal.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
