"""The electronic 《顾客接待登记表》: register a complaint with the keyboard alone.

Tab and Enter follow the paper form; a barcode scanner's digits + Enter fill the product, its
department and supplier; the customer's phone shows their earlier cases; Ctrl+S saves; Esc asks
before discarding. Nothing is saved until every field is valid.

Signals:
    registered(int, str): a case was saved (case id, case number).
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.services.cases import CaseDetail, Registered
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_at_desk import attach_staff_completer, resolve_unknown_names
from desktop_app.ui.forms import FieldErrors, datetime_of
from desktop_app.ui.warning_notice import watch_registration

DATE_HINT = "年-月-日,如 2026-11-20"


def enum_combo(enum_type: Any, name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for member in enum_type:
        combo.addItem(member.label, member)
    return combo


class EnterMovesOn(QObject):
    """Enter in a one-line field moves to the next field, as Tab does."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, QWidget)
        ):
            watched.focusNextChild()
            return True
        return False


class RegistrationPage(QWidget):
    registered = Signal(int, str)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._enter_moves_on = EnterMovesOn(self)
        self.errors = FieldErrors()
        self._build_fields()
        self._build_layout()
        self._wire()
        self.clear_form()
        watch_registration(self, desk)

    # --- construction ---------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.received_at = QDateTimeEdit()
        self.received_at.setObjectName("received_at")
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.channel = enum_combo(rules.Channel, "channel")
        self.customer_name = self._line("customer_name", "顾客姓名")
        self.customer_phone = self._line("customer_phone", "手机或座机")
        self.subject = enum_combo(rules.Subject, "subject")
        self.product_barcode = self._line("product_barcode", "扫码或输入条码后回车")
        self.product_name = self._line("product_name", "输入商品名称可联想")
        self.department_name = self._editable_combo("department_name")
        self.supplier_name = self._editable_combo("supplier_name")
        self.staff_name = self._line("staff_name", "被投诉员工(服务类)")
        self.receipt_no = self._line("receipt_no", "购物小票号")
        self.purchase_date = self._line("purchase_date", DATE_HINT)
        self.amount_paid = self._line("amount_paid", "元,如 59.90")
        self.account = QPlainTextEdit()
        self.account.setObjectName("account")
        self.account.setTabChangesFocus(True)
        self.account.setPlaceholderText("按顾客原话记录投诉内容")
        self.account.setMinimumHeight(90)
        self.demand = enum_combo(rules.Demand, "demand")
        self.category = enum_combo(rules.Category, "category")
        self.kind = enum_combo(rules.Kind, "kind")
        self.is_major = QCheckBox("重大投诉(立即报告值班经理/店长)")
        self.is_major.setObjectName("is_major")
        self.promised_reply_date = self._line("promised_reply_date", "不能当场答复时填写")
        self.history = QLabel()
        self.history.setObjectName("customer_history")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.product_info = QLabel()
        self.product_info.setObjectName("product_info")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved_label")
        self.save_button = QPushButton("保存登记(&S)  Ctrl+S")
        self.save_button.setObjectName("save_button")
        self.clear_button = QPushButton("清空重填  Esc")

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.installEventFilter(self._enter_moves_on)
        return edit

    def _editable_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.installEventFilter(self._enter_moves_on)
        return combo

    def _build_layout(self) -> None:
        reception = QFormLayout()
        self.errors.add_row(reception, "接待时间", "received_at", self.received_at)
        reception.addRow("接待方式", self.channel)
        reception.addRow("接待员", QLabel(self._actor.display_name))
        self.errors.add_row(reception, "顾客姓名(&N)", "customer_name", self.customer_name)
        self.errors.add_row(reception, "联系电话(&T)", "customer_phone", self.customer_phone)
        reception.addRow("", self.history)

        target = QFormLayout()
        target.addRow("投诉对象", self.subject)
        self.errors.add_row(target, "商品条码(&B)", "product_barcode", self.product_barcode)
        self.errors.add_row(target, "商品名称", "product_name", self.product_name)
        target.addRow("", self.product_info)
        self.errors.add_row(target, "责任部门", "department_name", self.department_name)
        self.errors.add_row(target, "供应商", "supplier_name", self.supplier_name)
        self.errors.add_row(target, "涉及员工", "staff_name", self.staff_name)

        purchase = QFormLayout()
        self.errors.add_row(purchase, "小票号(&R)", "receipt_no", self.receipt_no)
        self.errors.add_row(purchase, "购买日期", "purchase_date", self.purchase_date)
        self.errors.add_row(purchase, "实付金额", "amount_paid", self.amount_paid)

        complaint = QFormLayout()
        self.errors.add_row(complaint, "顾客陈述(&A)", "account", self.account)
        self.errors.add_row(complaint, "顾客诉求", "demand", self.demand)
        self.errors.add_row(complaint, "投诉类别", "category", self.category)
        self.errors.add_row(complaint, "性质", "kind", self.kind)
        complaint.addRow("", self.is_major)
        self.errors.add_row(
            complaint, "承诺答复日期", "promised_reply_date", self.promised_reply_date
        )

        left = QVBoxLayout()
        left.addWidget(self._group("接待与顾客", reception))
        left.addWidget(self._group("购物凭证", purchase))
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._group("投诉对象", target))
        right.addWidget(self._group("投诉内容", complaint))
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(buttons)
        self._set_tab_order()

    @staticmethod
    def _group(title: str, form: QFormLayout) -> QGroupBox:
        box = QGroupBox(title)
        box.setLayout(form)
        return box

    def _set_tab_order(self) -> None:
        """The paper form's order: reception, customer, purchase, target, complaint."""
        order: list[QWidget] = [
            self.received_at, self.channel, self.customer_name, self.customer_phone,
            self.receipt_no, self.purchase_date, self.amount_paid, self.subject,
            self.product_barcode, self.product_name, self.department_name, self.supplier_name,
            self.staff_name, self.account, self.demand, self.category, self.kind, self.is_major,
            self.promised_reply_date, self.save_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _wire(self) -> None:
        self.save_button.clicked.connect(self.on_save_clicked)
        self.clear_button.clicked.connect(self.on_clear_requested)
        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.activated.connect(self.on_save_clicked)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.on_clear_requested)
        self.product_barcode.returnPressed.connect(self.on_barcode_entered)
        self.product_barcode.editingFinished.connect(self.on_barcode_entered)
        self.customer_phone.editingFinished.connect(self.on_phone_entered)
        names = self._desk.cases.product_names()
        completer = QCompleter(names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.product_name.setCompleter(completer)
        completer.activated.connect(self.on_product_name_chosen)
        for _, name in self._desk.cases.departments():
            self.department_name.addItem(name)
        for _, name in self._desk.cases.suppliers():
            self.supplier_name.addItem(name)
        attach_staff_completer(self.staff_name, self._desk)

    # --- behaviour ------------------------------------------------------------------------

    def clear_form(self) -> None:
        self.received_at.setDateTime(QDateTime(self._desk.clock()))
        for edit in (
            self.customer_name, self.customer_phone, self.product_barcode, self.product_name,
            self.staff_name, self.receipt_no, self.purchase_date, self.amount_paid,
            self.promised_reply_date,
        ):
            edit.clear()
        self.account.clear()
        for combo in (self.channel, self.subject, self.demand, self.category, self.kind):
            combo.setCurrentIndex(0)
        self.department_name.setCurrentIndex(-1)
        self.department_name.setEditText("")
        self.supplier_name.setCurrentIndex(-1)
        self.supplier_name.setEditText("")
        self.is_major.setChecked(False)
        self.history.clear()
        self.product_info.clear()
        self.errors.clear()
        self.customer_name.setFocus()

    def is_dirty(self) -> bool:
        texts = [
            self.customer_name.text(), self.customer_phone.text(), self.product_barcode.text(),
            self.product_name.text(), self.receipt_no.text(), self.amount_paid.text(),
            self.account.toPlainText(), self.staff_name.text(),
        ]
        return any(text.strip() for text in texts)

    def draft(self) -> RegistrationDraft:
        return RegistrationDraft(
            received_at=datetime_of(self.received_at.dateTime()),
            channel=self.channel.currentData(),
            customer_name=self.customer_name.text(),
            customer_phone=self.customer_phone.text(),
            subject=self.subject.currentData(),
            product_barcode=self.product_barcode.text(),
            product_name=self.product_name.text(),
            department_name=self.department_name.currentText(),
            supplier_name=self.supplier_name.currentText(),
            staff_name=self.staff_name.text(),
            receipt_no=self.receipt_no.text(),
            purchase_date=self.purchase_date.text(),
            amount_paid=self.amount_paid.text(),
            account=self.account.toPlainText(),
            demand=self.demand.currentData(),
            category=self.category.currentData(),
            kind=self.kind.currentData(),
            is_major=self.is_major.isChecked(),
            promised_reply_date=self.promised_reply_date.text(),
        )

    def on_save_clicked(self) -> None:
        named = {"department": self.department_name, "supplier": self.supplier_name,
                 "staff": self.staff_name}
        if not resolve_unknown_names(self, self._desk, self._actor, named):
            return
        try:
            saved = self._save(self.draft())
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self._focus_first_error(error.field_errors)
            if unplaced:
                QMessageBox.warning(self, "无法保存", "\n".join(unplaced))
            return
        except DeskError as error:
            QMessageBox.warning(self, "无法保存", str(error))
            return
        if saved is None:
            return
        self.clear_form()
        self.saved_label.setText(f"已保存:{saved.case_no}")
        self.registered.emit(saved.case_id, saved.case_no)

    def _save(self, draft: RegistrationDraft) -> Registered | None:
        return self._desk.cases.register(self._actor, draft)

    def _focus_first_error(self, field_errors: dict[str, str]) -> None:
        for name in field_errors:
            widget = self.findChild(QWidget, name)
            if widget is not None:
                widget.setFocus()
                return

    def on_clear_requested(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, "放弃登记", "登记表还没有保存,确定清空吗?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.clear_form()

    def on_barcode_entered(self) -> None:
        barcode = self.product_barcode.text().strip()
        if not barcode:
            return
        product = self._desk.cases.product_by_barcode(barcode)
        if product is None:
            self.product_info.setText("商品库中没有这个条码,请手工填写商品名称和部门")
            return
        self._fill_product(product)

    def on_product_name_chosen(self, name: str) -> None:
        product = self._desk.cases.product_named(name)
        if product is not None:
            self._fill_product(product)

    def _fill_product(self, product: dict[str, Any]) -> None:
        self.product_barcode.setText(product["barcode"])
        self.product_name.setText(product["name"])
        self.department_name.setCurrentText(product["department_name"])
        self.supplier_name.setCurrentText(product["supplier_name"])
        self.product_info.setText(f"{product['department_name']} · {product['supplier_name']}")

    def on_phone_entered(self) -> None:
        earlier = self._desk.cases.customer_history(self.customer_phone.text())
        if not earlier:
            self.history.setText("")
            return
        lines = [f"该顾客以前的 {len(earlier)} 次投诉:"]
        lines += [
            f"{line.case_no}  {line.received:%Y-%m-%d}  {line.summary}" for line in earlier[:5]
        ]
        self.history.setText("\n".join(lines))

    def now(self) -> datetime:
        return self._desk.clock()


class CorrectionPage(RegistrationPage):
    """The same form, filled with a registered case; saving records a correction with its
    reason instead of a new case (the old values stay in the register).

    Signals:
        corrected(int): the case was corrected.
    """

    corrected = Signal(int)

    def __init__(
        self, desk: Desk, actor: Account, case: CaseDetail, parent: QWidget | None = None
    ) -> None:
        self._case = case
        super().__init__(desk, actor, parent)
        self.save_button.setText("保存更正(&S)  Ctrl+S")

    def clear_form(self) -> None:
        super().clear_form()
        case = self._case
        self.received_at.setDateTime(QDateTime(case.received_at))
        for combo, value in ((self.channel, case.channel), (self.subject, case.subject),
                             (self.demand, case.demand), (self.category, case.category),
                             (self.kind, case.kind)):
            combo.setCurrentIndex(combo.findData(value))
        texts = {
            self.customer_name: case.customer_name, self.customer_phone: case.customer_phone,
            self.product_barcode: case.product_barcode, self.product_name: case.product_name,
            self.staff_name: case.staff_name, self.receipt_no: case.receipt_no,
            self.purchase_date: "" if case.purchase_date is None else str(case.purchase_date),
            self.amount_paid: "" if case.amount_paid is None else str(case.amount_paid),
            self.promised_reply_date: (
                "" if case.promised_reply_date is None else str(case.promised_reply_date)
            ),
        }
        for edit, text in texts.items():
            edit.setText(text)
        self.department_name.setCurrentText(case.department_name)
        self.supplier_name.setCurrentText(case.supplier_name)
        self.account.setPlainText(case.account)
        self.is_major.setChecked(case.is_major)

    def is_dirty(self) -> bool:
        return False

    def ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(self, "更正原因", "请写明更正原因(将记入登记簿):")
        return text if ok else None

    def _save(self, draft: RegistrationDraft) -> Registered | None:
        reason = self.ask_reason()
        if reason is None:
            return None
        corrected = self._desk.cases.correct(self._actor, self._case.case_id, draft, reason)
        self.corrected.emit(corrected.case_id)
        return None
