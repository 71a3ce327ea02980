"""Requesting a refund, exchange or compensation on a case.

Receipt, amount paid, product and supplier come from the case; the clerk checks them, lists the
items and gives the reason. Ctrl+S sends the request for signature.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.money import format_yuan, parse_amount
from desktop_app.domain.refunds import ItemDraft, RefundDraft, RefundKind, SpecialReason
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_at_desk import resolve_unknown_names
from desktop_app.ui.forms import FieldErrors, enter_moves_on
from desktop_app.ui.legal_remedy_panel import LegalRemedyPanel
from desktop_app.ui.unsaved import GuardedDialog

ITEM_HEADERS = ("商品名称", "条码", "数量", "金额(元)", "问题描述")


class RefundRequestDialog(GuardedDialog):
    def __init__(
        self, desk: Desk, actor: Account, case: CaseDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case = case
        self.refund_id: int | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(f"退换货申请 — {case.case_no}")
        self.resize(1180, 640)
        self._build()
        self.mark_clean()  # Esc and 取消 ask before typed text is thrown away

    def _build(self) -> None:
        case = self._case
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in RefundKind:
            self.kind.addItem(kind.label, kind)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText("元,如 39.90")
        # A refund counts against the case's own receipt: shown, not typed again. What was
        # paid is recorded once on the receipt; only a receipt without it asks for it here.
        self.receipt_no = QLineEdit(case.receipt_no)
        self.receipt_no.setObjectName("receipt_no")
        self.receipt_no.setReadOnly(bool(case.receipt_no))
        self.receipt_paid = QLineEdit("" if case.amount_paid is None else str(case.amount_paid))
        self.receipt_paid.setObjectName("receipt_paid")
        self.receipt_paid.setReadOnly(case.amount_paid is not None)
        self.tier = QLabel()
        self.tier.setObjectName("tier_preview")
        self.tier.setWordWrap(True)
        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet("color: #b00020; font-weight: bold;")
        self.refusal.setWordWrap(True)
        self.items = QTableWidget(3, len(ITEM_HEADERS))
        self.items.setObjectName("items")
        self.items.setHorizontalHeaderLabels(list(ITEM_HEADERS))
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.setMaximumHeight(130)
        if case.product_name:
            self.set_item(0, case.product_name, case.product_barcode, "1", "")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(70)
        self.is_quality = QCheckBox("商品质量问题退货(损失由供应商承担)")
        self.is_quality.setObjectName("is_quality")
        self.is_quality.setChecked(case.category.needs_department_confirmation)
        self.supplier = QComboBox()
        self.supplier.setObjectName("supplier_name")
        self.supplier.setEditable(True)
        for _, name in self._desk.cases.suppliers():
            self.supplier.addItem(name)
        self.supplier.setCurrentText(case.supplier_name)
        self.is_special = QCheckBox("特殊情况退换货")
        self.is_special.setObjectName("is_special")
        self.special_reason = QComboBox()
        self.special_reason.setObjectName("special_reason")
        for reason in SpecialReason:
            self.special_reason.addItem(reason.label, reason)
        self.special_detail = QLineEdit()
        self.special_detail.setObjectName("special_detail")
        self.special_detail.setPlaceholderText("特殊情况说明及特批理由")

        form = QFormLayout()
        form.addRow("类型", self.kind)
        self.errors.add_row(form, "申请金额(&M)", "amount", self.amount)
        self.errors.add_row(form, "小票号", "receipt_no", self.receipt_no)
        self.errors.add_row(form, "小票实付金额", "receipt_paid", self.receipt_paid)
        self.errors.add_row(form, "商品明细", "items", self.items)
        self.errors.add_row(form, "原因(&R)", "reason", self.reason)
        form.addRow("", self.is_quality)
        self.errors.add_row(form, "供应商", "supplier_name", self.supplier)
        form.addRow("", self.is_special)
        self.errors.add_row(form, "特殊情况", "special_reason", self.special_reason)
        self.errors.add_row(form, "说明", "special_detail", self.special_detail)
        save = QPushButton("提交审批  Ctrl+S")
        save.setObjectName("submit_button")
        save.clicked.connect(self.on_submit)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.tier, 1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        self.legal = LegalRemedyPanel(self._desk)  # the statutory remedies beside the demand
        self.legal.show_case(case)
        self.legal.follow_request(self.amount, self.kind)
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addWidget(self.legal, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.on_submit)
        enter_moves_on(self, [save, cancel])
        self.amount.textChanged.connect(self._fill_single_item_amount)
        for signal in (self.amount.textChanged, self.receipt_no.textChanged):
            signal.connect(self.update_tier)
        self.special_reason.currentIndexChanged.connect(self.update_tier)
        self.is_special.toggled.connect(self.update_tier)
        self.update_tier()
        self.amount.setFocus()

    def update_tier(self) -> None:
        """Live: the receipt's running total with this request and who will have to sign."""
        try:
            amount = parse_amount(self.amount.text()) if self.amount.text().strip() else None
        except ValidationError:
            amount = None
        no_receipt = (self.is_special.isChecked()
                      and self.special_reason.currentData() is SpecialReason.NO_RECEIPT)
        if amount is None or amount <= 0:
            self.tier.setText("审批级别按这张小票的累计退款金额决定")
            return
        preview = self._desk.refunds.preview(
            self._case.case_id, amount, self.receipt_no.text(), no_receipt
        )
        basis = "这位顾客近期无小票退款" if no_receipt else "这张小票"
        paid = "" if preview.paid is None else f",实付 {format_yuan(preview.paid)}"
        self.tier.setText(
            f"{basis}累计(含本笔){format_yuan(preview.receipt_total)} → 须由"
            f"{preview.who_may_sign}审批(已退 {format_yuan(preview.refunded)}{paid})"
        )

    def set_item(self, row: int, *values: str) -> None:
        for column, value in enumerate(values):
            self.items.setItem(row, column, QTableWidgetItem(value))

    def _fill_single_item_amount(self, text: str) -> None:
        """With one item listed, its amount follows the requested amount."""
        if self._listed_rows() == [0]:
            self.set_item(0, *self._row_texts(0)[:3], text, self._row_texts(0)[4])

    def _row_texts(self, row: int) -> list[str]:
        texts = []
        for column in range(len(ITEM_HEADERS)):
            item = self.items.item(row, column)
            texts.append("" if item is None else item.text())
        return texts

    def _listed_rows(self) -> list[int]:
        return [row for row in range(self.items.rowCount()) if any(self._row_texts(row))]

    def draft(self) -> RefundDraft:
        items = tuple(
            ItemDraft(*self._row_texts(row)) for row in self._listed_rows()
        )
        return RefundDraft(
            kind=self.kind.currentData(), amount=self.amount.text(),
            reason=self.reason.toPlainText(), items=items, is_quality=self.is_quality.isChecked(),
            supplier_name=self.supplier.currentText(), is_special=self.is_special.isChecked(),
            special_reason=self.special_reason.currentData(),
            special_detail=self.special_detail.text(), receipt_no=self.receipt_no.text(),
            receipt_paid=self.receipt_paid.text(),
        )

    def on_submit(self) -> None:
        self.refusal.clear()
        if self.is_quality.isChecked() and not resolve_unknown_names(
            self, self._desk, self._actor, {"supplier": self.supplier}
        ):
            return
        try:
            draft = self.draft()
            self.refund_id = self._desk.refunds.request(self._actor, self._case.case_id, draft)
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self.refusal.setText(";".join(unplaced))
            return
        except DeskError as error:
            self.errors.clear()
            self.refusal.setText(f"不能提交:{error}")
            return
        self.accept()
