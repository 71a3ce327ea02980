"""The fields of the electronic 《顾客接待登记表》, laid out like the paper form.

Shared by the registration page (a new case) and the correction dialog (a registered case filled
in). Tab and Enter follow the paper form; fields the complaint's subject makes irrelevant (the
product of a service complaint, the staff member of a product complaint) are disabled, so Tab
skips them and nothing stale is saved from them. Each field keeps one reserved error line.

Signals:
    edited(): the user typed or chose something (not the form filling itself in).
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.registration import RegistrationDraft, validate_registration
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_at_desk import attach_staff_completer
from desktop_app.ui.forms import FieldErrors, FittedLabel, register_label
from desktop_app.ui.keyboard import EnterMovesOn, give_completer

DATE_HINT = "年-月-日,如 2026-11-20"
HISTORY_LINES = 3
# Short enough for the product column of a 1366-pixel window (the longer wording was cut).
UNKNOWN_BARCODE_NOTE = "商品库无此条码:请填名称和部门"


def enum_combo(enum_type: Any, name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for member in enum_type:
        combo.addItem(member.label, member)
    return combo


class RegistrationForm(QWidget):
    edited = Signal()

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._filling = False
        # The category and demand the form itself put in (a value changed from it was chosen).
        self._put: dict[QComboBox, object] = {}
        self._enter_moves_on = EnterMovesOn(self)
        # One line per field in this dense form: the page writes the first message whole.
        self.errors = FieldErrors(check=self.current_problems, lines_grow=False)
        self._build_fields()
        self._put = {self.category: self.category.currentData(),
                     self.demand: self.demand.currentData()}
        self._build_layout()
        self._wire_fields()

    # --- what subclasses provide ----------------------------------------------------------------

    def reception_widget(self) -> QWidget:
        """The 接待时间 row's widget."""
        raise NotImplementedError

    def received_at(self) -> datetime:
        raise NotImplementedError

    def now(self) -> datetime:
        return self._desk.clock()

    def clerk_name(self) -> str:
        """Who received the customer: whoever is typing a new register."""
        return self._actor.display_name

    # --- construction ---------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.channel = enum_combo(rules.Channel, "channel")
        self.customer_name = self._line("customer_name", "顾客姓名,如 王女士")
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
        self.account.setMinimumHeight(80)
        self.demand = enum_combo(rules.Demand, "demand")
        self.category = enum_combo(rules.Category, "category")
        self.kind = enum_combo(rules.Kind, "kind")
        self.is_major = QCheckBox("是,立即报告值班经理/店长")
        self.is_major.setObjectName("is_major")
        # Enter moves on from the choices too (found on a real X server: Enter on 投诉对象 did
        # nothing, and what was typed next, a scanned barcode, went nowhere; in 更正登记内容 it
        # opened the save-with-a-reason prompt for a half-edited case).
        for choice in (self.channel, self.subject, self.demand, self.category, self.kind,
                       self.is_major):
            choice.installEventFilter(self._enter_moves_on)
        self.promised_reply_date = self._line("promised_reply_date", "不能当场答复时填写")
        self.history = self._note("customer_history", HISTORY_LINES)
        self.product_info = self._note("product_info", 1)

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

    @staticmethod
    def _note(name: str, lines: int) -> FormNote:
        note = FormNote(lines)
        note.setObjectName(name)
        return note

    def _add_rows(self, form: QFormLayout, rows: list[tuple[str, str, str, QWidget]]) -> None:
        for column, key, field, widget in rows:
            self.errors.add_row(form, register_label(column, key), field, widget)

    def _build_layout(self) -> None:
        # Each field under the register's name for its column (register_label), with its
        # accelerator: (column, key, field, widget).
        reception = QFormLayout()
        reception.addRow(register_label("received_at"), self.reception_widget())
        reception.addRow(register_label("channel"), self.channel)
        reception.addRow(register_label("clerk_id"), QLabel(self.clerk_name()))
        self._add_rows(reception, [
            ("customer_name", "N", "customer_name", self.customer_name),
            ("customer_phone", "T", "customer_phone", self.customer_phone)])
        reception.addRow("", self.history)

        purchase = QFormLayout()
        self._add_rows(purchase, [
            ("receipt_no", "R", "receipt_no", self.receipt_no),
            ("purchase_date", "", "purchase_date", self.purchase_date),
            ("amount_paid_fen", "", "amount_paid", self.amount_paid)])

        target = QFormLayout()
        target.addRow(register_label("subject"), self.subject)
        self._add_rows(target, [
            ("product_barcode", "B", "product_barcode", self.product_barcode),
            ("product_name", "", "product_name", self.product_name)])
        target.addRow("", self.product_info)
        self._add_rows(target, [
            ("department_id", "", "department_name", self.department_name),
            ("supplier_id", "", "supplier_name", self.supplier_name),
            ("staff_name", "", "staff_name", self.staff_name)])

        complaint = QFormLayout()
        self._add_rows(complaint, [
            ("account", "A", "account", self.account), ("demand", "", "demand", self.demand),
            ("category", "", "category", self.category), ("kind", "", "kind", self.kind)])
        complaint.addRow(register_label("is_major"), self.is_major)
        self._add_rows(complaint, [
            ("promised_reply_date", "", "promised_reply_date", self.promised_reply_date)])

        columns = QHBoxLayout()
        columns.addWidget(
            _column(_group("接待与顾客", reception), _group("购物凭证", purchase)), 1
        )
        columns.addWidget(_column(_group("投诉对象", target)), 1)
        columns.addWidget(_column(_group("投诉内容", complaint)), 1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(columns, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """The paper form's order: reception, customer, purchase, target, complaint."""
        order: list[QWidget] = [
            self.channel, self.customer_name, self.customer_phone,
            self.receipt_no, self.purchase_date, self.amount_paid, self.subject,
            self.product_barcode, self.product_name, self.department_name, self.supplier_name,
            self.staff_name, self.account, self.demand, self.category, self.kind, self.is_major,
            self.promised_reply_date,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def last_field(self) -> QWidget:
        return self.promised_reply_date

    def _wire_fields(self) -> None:
        self.product_barcode.returnPressed.connect(self.on_barcode_entered)
        self.product_barcode.editingFinished.connect(self.on_barcode_entered)
        self.customer_phone.editingFinished.connect(self.on_phone_entered)
        self.subject.currentIndexChanged.connect(self._enable_for_subject)
        self.subject.currentIndexChanged.connect(self._follow_subject)
        completer = QCompleter(self._desk.cases.product_names(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        give_completer(self.product_name, completer)
        completer.activated.connect(self.on_product_name_chosen)
        for _, name in self._desk.cases.departments():
            self.department_name.addItem(name)
        for _, name in self._desk.cases.suppliers():
            self.supplier_name.addItem(name)
        attach_staff_completer(self.staff_name, self._desk)
        for line in self._text_lines():
            line.textEdited.connect(self._on_user_edit)
        self.account.textChanged.connect(self._on_user_edit)
        for combo in self._choice_combos():
            combo.activated.connect(self._on_user_edit)
        for combo in (self.department_name, self.supplier_name):
            combo.lineEdit().textEdited.connect(self._on_user_edit)
        self.is_major.clicked.connect(self._on_user_edit)

    def _text_lines(self) -> list[QLineEdit]:
        return [
            self.customer_name, self.customer_phone, self.product_barcode, self.product_name,
            self.staff_name, self.receipt_no, self.purchase_date, self.amount_paid,
            self.promised_reply_date,
        ]

    def _choice_combos(self) -> list[QComboBox]:
        return [self.channel, self.subject, self.demand, self.category, self.kind,
                self.department_name, self.supplier_name]

    def _on_user_edit(self, *_args: object) -> None:
        if not self._filling:
            self.edited.emit()

    # --- filling and reading ------------------------------------------------------------------

    def clear_fields(self) -> None:
        self._filling = True
        try:
            for edit in self._text_lines():
                edit.clear()
            self.account.clear()
            for combo in (self.channel, self.subject, self.demand, self.category, self.kind):
                combo.setCurrentIndex(0)
            for combo in (self.department_name, self.supplier_name):
                combo.setCurrentIndex(-1)
                combo.setEditText("")
            self.is_major.setChecked(False)
            self._put = {self.category: self.category.currentData(),
                         self.demand: self.demand.currentData()}
            self.history.set_note("")
            self.product_info.set_note("")
            self.errors.clear()
            self._enable_for_subject()
        finally:
            self._filling = False

    def fill_from(self, case: CaseDetail) -> None:
        """The fields as ``case`` was registered (for a correction)."""
        self._filling = True
        try:
            for combo, value in ((self.channel, case.channel), (self.subject, case.subject),
                                 (self.demand, case.demand), (self.category, case.category),
                                 (self.kind, case.kind)):
                combo.setCurrentIndex(combo.findData(value))
            texts = {
                self.customer_name: case.customer_name, self.customer_phone: case.customer_phone,
                self.product_barcode: case.product_barcode, self.product_name: case.product_name,
                self.staff_name: case.staff_name, self.receipt_no: case.receipt_no,
                self.purchase_date: _optional(case.purchase_date),
                self.amount_paid: _optional(case.amount_paid),
                self.promised_reply_date: _optional(case.promised_reply_date),
            }
            for edit, text in texts.items():
                edit.setText(text)
            self.department_name.setCurrentText(case.department_name)
            self.supplier_name.setCurrentText(case.supplier_name)
            self.account.setPlainText(case.account)
            self.is_major.setChecked(case.is_major)
            self._put = {self.category: None, self.demand: None}  # as registered: chosen
            self._enable_for_subject()
        finally:
            self._filling = False

    def typed_texts(self) -> list[str]:
        return [edit.text() for edit in self._text_lines()] + [self.account.toPlainText()]

    def _follow_subject(self) -> None:
        """A category and demand the clerk has not chosen follow the subject's usual ones (one
        the clerk picked stays, however often the subject changes: found in review, 服务态度
        picked on a product case came back as 商品质量 after 服务 and back)."""
        if self._filling:
            return
        category, demand = rules.usual_choices(self.subject.currentData())
        for combo, usual in ((self.category, category), (self.demand, demand)):
            # Still what the form put there itself: nobody chose it.
            if combo.currentData() is self._put[combo]:
                combo.setCurrentIndex(combo.findData(usual))
                self._put[combo] = usual

    def _enable_for_subject(self) -> None:
        """Irrelevant fields are disabled: Tab skips them and the draft leaves them empty."""
        subject = self.subject.currentData()
        product = subject is not rules.Subject.SERVICE
        for widget in (self.product_barcode, self.product_name, self.supplier_name):
            widget.setEnabled(product)
        self.staff_name.setEnabled(subject is not rules.Subject.PRODUCT)

    def draft(self) -> RegistrationDraft:
        def used(edit: QLineEdit) -> str:
            return edit.text() if edit.isEnabled() else ""

        return RegistrationDraft(
            received_at=self.received_at(),
            channel=self.channel.currentData(),
            customer_name=self.customer_name.text(),
            customer_phone=self.customer_phone.text(),
            subject=self.subject.currentData(),
            product_barcode=used(self.product_barcode),
            product_name=used(self.product_name),
            department_name=self.department_name.currentText(),
            supplier_name=(
                self.supplier_name.currentText() if self.supplier_name.isEnabled() else ""
            ),
            staff_name=used(self.staff_name),
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

    def current_problems(self) -> dict[str, str]:
        """What the form's own check finds now (used to clear a message once it is fixed)."""
        try:
            validate_registration(self.draft(), self.now())
        except ValidationError as error:
            return dict(error.field_errors)
        return {}

    def focus_first_error(self, field_errors: dict[str, str]) -> None:
        for name in field_errors:
            widget = self.findChild(QWidget, name)
            if widget is not None and widget.isEnabled():
                widget.setFocus()
                return

    # --- look-ups while typing ------------------------------------------------------------------

    def on_barcode_entered(self) -> None:
        barcode = self.product_barcode.text().strip()
        if not barcode:
            return
        product = self._desk.cases.product_by_barcode(barcode)
        if product is None:
            self.product_info.set_note(UNKNOWN_BARCODE_NOTE)
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
        self.product_info.set_note(f"{product['department_name']} · {product['supplier_name']}")

    def close_open_suggestions(self) -> bool:
        """Close a field's open list of suggestions; whether one was open (found on a real X
        server: Esc with 涉及员工's list open asked to clear the whole form)."""
        for edit in self._text_lines():
            completer = edit.completer()
            if completer is not None and completer.popup().isVisible():
                completer.popup().hide()
                return True
        return False

    def case_being_edited(self) -> str:
        """The case this form corrects ('' when registering): not one of the customer's
        earlier complaints (found: the correction form listed the case itself)."""
        return ""

    def on_phone_entered(self) -> None:
        earlier = [line for line in self._desk.cases.customer_history(self.customer_phone.text())
                   if line.case_no != self.case_being_edited()]
        if not earlier:
            self.history.set_note("")
            return
        lines = [
            # The case number holds the year and month: the day is enough beside it, and the
            # line fits the note at 1366 pixels more often (it ends in "…" when not).
            f"{line.case_no} {line.received_at:%m-%d} {line.summary}" for line in earlier[:10]
        ]
        heading = f"该顾客以前的 {len(earlier)} 次投诉:"
        self.history.set_note("\n".join([heading, *lines[: HISTORY_LINES - 1]]),
                              whole="\n".join([heading, *lines]))


class FormNote(FittedLabel):
    """A grey note of a fixed number of lines: what it says never moves the fields. A line
    wider than the note ends in "…", never cut off silently (found on a real X server: a
    customer's earlier case, "… 商品质量", shown as "商品质" in a 1366-pixel window); its
    tooltip then holds the note whole."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self._tooltip = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("color: #555;")
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 2)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_note(self, text: str, whole: str = "") -> None:
        """``whole``: the tooltip (by default the note itself, once a line of it is cut)."""
        self._tooltip = whole
        self.set_whole(text)

    def note(self) -> str:
        return self.whole()

    def fitted(self, text: str, metrics: QFontMetrics, width: int) -> str:
        return "\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                         for line in text.split("\n"))

    def after_fit(self, shown: str) -> None:
        self.setToolTip(self._tooltip or (self.whole() if shown != self.whole() else ""))


def _group(title: str, form: QFormLayout) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(form)
    return box


def _column(*boxes: QGroupBox) -> QWidget:
    """One of three equal columns: their width ignores what the fields would like, so the
    paper form's three parts share the page evenly."""
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    for box in boxes:
        column.addWidget(box)
    column.addStretch(1)
    return holder


def _optional(value: object) -> str:
    return "" if value is None else str(value)
