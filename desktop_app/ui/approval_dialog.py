"""Signing a refund at the desk's PC.

Shows the receipt's refunds, the running total the tier was decided on, the tier and who may
sign. The approver types their own user name and password (the clerk stays logged in).

Nothing decides by accident: no button is the default, and Enter in a field moves to the next;
批准 is the button or Ctrl+Enter (asked about first when a comment, the field for a rejection's
reason, is filled in); 驳回 needs a reason and a confirmation. After either decision
a message says what was decided, at which level, by whom. Above 2000 yuan the store manager
enters head office's decision (approval or rejection) with its reference.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.services.desk import Desk
from desktop_app.ui.claimant_section import ClaimantSection
from desktop_app.ui.forms import FieldErrors, date_of, password_edit
from desktop_app.ui.keyboard import EnterMovesOn
from desktop_app.ui.unsaved import GuardedDialog, asked_yes

RECEIPT_HEADERS = ("编号", "案件", "类型", "金额", "状态", "申请人", "审批人")
ERROR_STYLE = "color: #b00020; font-weight: bold;"


class ApprovalDialog(GuardedDialog):
    def __init__(
        self, desk: Desk, refund_id: int, parent: QWidget | None = None,
        logged_in: Account | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._refund_id = refund_id
        self.context = desk.refunds.approval_context(refund_id)
        self.errors = FieldErrors()
        self.outcome = ""
        self.setWindowTitle(f"退款审批 — {self.context.refund.case_no}")
        self.resize(760, 580)
        self._build()
        # Esc and 取消 ask before typed text is thrown away; who signs is not such text.
        self.mark_clean(ignore=(self.username,))
        if logged_in is not None and desk.refunds.may_sign_now(logged_in, refund_id):
            # A manager signing at their own session types only the password (found on a real
            # screen: the user name was typed again); the password is asked all the same.
            self.username.setText(logged_in.username)
            self.password.setFocus()

    @property
    def head_office(self) -> bool:
        """The store manager records head office's sign-off (a single-PC store); where head
        office is connected, its account signs like any approver."""
        return (self.context.level is ApprovalLevel.HEAD_OFFICE
                and not self.context.head_office_signs_here)

    def _build(self) -> None:
        self.summary = QLabel(self._summary_text())
        self.summary.setObjectName("approval_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_table = self._receipt_table()
        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.refusal.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(ClaimantSection(self._desk, self._refund_id, self))
        layout.addWidget(QLabel("这张小票上的全部退款:"))
        layout.addWidget(self.receipt_table, 1)
        layout.addWidget(self._signing_box())
        layout.addWidget(self.refusal)
        layout.addLayout(self._buttons())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.on_approve)
        # Enter moves on (user name → password → …), as in every money dialog: typed on, the
        # password would otherwise land in the user-name field for everyone to read.
        self.installEventFilter(EnterMovesOn(self))
        self.username.setFocus()

    def _summary_text(self) -> str:
        refund = self.context.refund
        return (
            f"<b>{refund.kind.label} {format_yuan(refund.amount)}</b>  小票号:"
            f"{receipt_label(refund.receipt_no)}  申请人:{refund.requested_by}<br>"
            f"原因:{refund.reason}<br>"
            f"申请时这张小票累计(含本笔):<b>{format_yuan(self.context.receipt_total)}</b>  "
            f"审批级别:<b>{self.context.level.label}</b><br>"
            f"可审批人:{self.context.who_may_sign}"
        )

    def _receipt_table(self) -> QTableWidget:
        table = QTableWidget(len(self.context.on_receipt), len(RECEIPT_HEADERS))
        table.setObjectName("receipt_refunds")
        table.setHorizontalHeaderLabels(list(RECEIPT_HEADERS))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, line in enumerate(self.context.on_receipt):
            values = (
                str(line.refund_id), line.case_no, line.kind.label, format_yuan(line.amount),
                line.status.label, line.requested_by, line.decided_by,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(row, column, item)
        return table

    def _signing_box(self) -> QGroupBox:
        self.username = QLineEdit()
        self.username.setObjectName("approver_username")
        self.password = password_edit()
        self.password.setObjectName("approver_password")
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.comment.setPlaceholderText("驳回时必填:理由将告知顾客")
        sign = QFormLayout()
        sign.addRow("审批人用户名(&U)", self.username)
        sign.addRow("审批人密码(&P)", self.password)
        today = self._desk.clock().date()
        self.head_office_approver = QLineEdit()
        self.head_office_approver.setObjectName("head_office_approver")
        self.head_office_reference = QLineEdit()
        self.head_office_reference.setObjectName("head_office_reference")
        self.head_office_date = QDateEdit(QDate(today.year, today.month, today.day))
        self.head_office_date.setObjectName("head_office_date")
        self.head_office_date.setDisplayFormat("yyyy-MM-dd")
        self.head_office_date.setCalendarPopup(True)
        if self.head_office:
            rows = (
                ("集团签批人", "head_office_approver", self.head_office_approver),
                ("签批文号", "head_office_reference", self.head_office_reference),
                ("签批日期", "head_office_date", self.head_office_date),
            )
            for label, field, widget in rows:
                self.errors.add_row(sign, label, field, widget)
        self.errors.add_row(sign, "审批意见(&C)", "comment", self.comment)
        box = QGroupBox("由审批人本人输入用户名和密码签批(当前登录用户不变)")
        box.setLayout(sign)
        return box

    def _buttons(self) -> QHBoxLayout:
        approve_text = "录入集团批准  Ctrl+Enter" if self.head_office else "批准  Ctrl+Enter"
        self.approve_button = QPushButton(approve_text)
        self.approve_button.setObjectName("approve_button")
        self.approve_button.clicked.connect(self.on_approve)
        self.reject_button = QPushButton("录入集团驳回…" if self.head_office else "驳回…")
        self.reject_button.setObjectName("reject_button")
        self.reject_button.clicked.connect(self.on_reject_clicked)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("按 Enter 不会签批"), 1)
        for button in (self.reject_button, self.approve_button, self.cancel_button):
            # No default button: Enter after typing the password must never decide.
            button.setAutoDefault(False)
            button.setDefault(False)
            buttons.addWidget(button)
        return buttons

    def on_approve(self) -> None:
        # The comment field asks for a rejection's reason: approving with one typed is asked
        # about first (found: a reason typed, then Ctrl+Enter approved the refund).
        if self.comment.text().strip() and not self.confirm_approval_with_comment():
            return
        self.sign(approve=True)

    def confirm_approval_with_comment(self) -> bool:
        refund = self.context.refund
        return asked_yes(
            self, "确认批准",
            f"审批意见已填写:{self.comment.text().strip()}\n"
            f"确定批准这笔{refund.kind.label} {format_yuan(refund.amount)}?\n"
            "要驳回请按「驳回…」。批准后不能更改。",
        )

    def on_reject_clicked(self) -> None:
        if not self.comment.text().strip():
            self.errors.show({"comment": "驳回须写明理由(将告知顾客)"})
            self.comment.setFocus()
            return
        if self.confirm_rejection():
            self.sign(approve=False)

    def confirm_rejection(self) -> bool:
        refund = self.context.refund
        return asked_yes(
            self, "确认驳回",
            f"确定驳回这笔{refund.kind.label} {format_yuan(refund.amount)}?\n"
            f"理由:{self.comment.text().strip()}\n驳回后不能更改。",
        )

    def sign(self, approve: bool) -> None:
        self.refusal.clear()
        self.errors.clear()
        try:
            signer = self._record(approve)
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self.refusal.setText(";".join(unplaced))
            return
        except DeskError as error:
            self.refusal.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.outcome = self._outcome_text(approve, signer)
        self._tell(self.outcome)
        self.accept()

    def _record(self, approve: bool) -> Account:
        if self.head_office:
            return self._desk.refunds.record_head_office(
                self._refund_id, self.username.text(), self.password.text(),
                self.head_office_approver.text(), self.head_office_reference.text(),
                date_of(self.head_office_date.date()), approve, self.comment.text(),
            )
        return self._desk.refunds.decide(
            self._refund_id, self.username.text(), self.password.text(), approve,
            self.comment.text(),
        )

    def _outcome_text(self, approve: bool, signer: Account) -> str:
        refund = self.context.refund
        verdict = "已批准" if approve else "已驳回"
        who = (
            f"集团签批人 {self.head_office_approver.text().strip()},由{signer.label}录入"
            if self.head_office else signer.label
        )
        return (
            f"{refund.case_no} 的{refund.kind.label} {format_yuan(refund.amount)} {verdict}。\n"
            f"审批级别:{self.context.level.label}\n审批人:{who}"
        )

    def _tell(self, text: str) -> None:
        """The decision, said once the dialog has closed; does not wait for an answer."""
        box = QMessageBox(QMessageBox.Icon.Information, "审批结果", text,
                          QMessageBox.StandardButton.Ok, self.parentWidget())
        box.setObjectName("approval_outcome")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
