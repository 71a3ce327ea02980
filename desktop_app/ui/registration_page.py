"""The electronic 《顾客接待登记表》: register a complaint with the keyboard alone.

Tab and Enter follow the paper form; a barcode scanner's digits + Enter fill the product, its
department and supplier; the customer's phone shows their earlier cases; Ctrl+S saves; Esc asks
before discarding. 接待时间 is fixed at the first key typed into the empty form. Nothing is saved
until every field is valid; a major complaint, once saved, is reported to the managers.

Signals:
    registered(int, str): a case was saved (case id, case number).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.cases import Registered
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_at_desk import resolve_unknown_names
from desktop_app.ui.forms import ERROR_STYLE
from desktop_app.ui.reception_clock import ReceptionClock
from desktop_app.ui.registration_form import RegistrationForm
from desktop_app.ui.unsaved import confirm_discard
from desktop_app.ui.warning_notice import watch_registration

MAJOR_REPORTED = (
    "案件 {case_no} 已登记为重大投诉,已报告值班经理和店长:\n"
    "经理登录或在前台签批时会收到提醒,各页面上方也显示待知悉的重大投诉数。\n"
    "情况紧急时请同时电话报告值班经理。"
)


class RegistrationPage(RegistrationForm):
    registered = Signal(int, str)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        self._clock_widget: ReceptionClock | None = None
        super().__init__(desk, actor, parent)
        watch_registration(self, desk)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved_label")
        self.saved_label.setWordWrap(True)
        self.errors.changed = self.on_errors_changed
        self.save_button = QPushButton("保存登记(&S)  Ctrl+S")
        self.save_button.setObjectName("save_button")
        self.clear_button = QPushButton("清空重填  Esc")
        self.clear_button.setObjectName("clear_button")
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        self.body.addLayout(buttons)
        QWidget.setTabOrder(self.last_field(), self.save_button)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.clear_button.clicked.connect(self.on_clear_requested)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.on_save_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(
            self.on_clear_requested
        )
        self.edited.connect(self.reception.start)
        self.clear_form()

    # --- 接待时间 -------------------------------------------------------------------------------

    @property
    def reception(self) -> ReceptionClock:
        if self._clock_widget is None:
            self._clock_widget = ReceptionClock(self._desk.clock, self._actor)
        return self._clock_widget

    def reception_widget(self) -> QWidget:
        return self.reception

    def received_at(self) -> datetime:
        return self.reception.received_at()

    # --- behaviour ------------------------------------------------------------------------------

    def clear_form(self) -> None:
        self.clear_fields()
        self.reception.reset()
        self.customer_name.setFocus()

    def is_dirty(self) -> bool:
        return any(text.strip() for text in self.typed_texts())

    def unsaved_description(self) -> str:
        return "登记表中填写的内容" if self.is_dirty() else ""

    def on_save_clicked(self) -> None:
        named = {"department": self.department_name, "supplier": self.supplier_name,
                 "staff": self.staff_name}
        try:
            # A new name is added to its list only once the rest of the form would save.
            self._desk.cases.check_registration(self._actor, self.draft(),
                                                self.reception.reason())
            if not resolve_unknown_names(self, self._desk, self._actor, named):
                return
            saved = self._save()
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self.focus_first_error(error.field_errors)
            if unplaced:
                QMessageBox.warning(self, "无法保存", "\n".join(unplaced))
            return
        except DeskError as error:
            QMessageBox.warning(self, "无法保存", str(error))
            return
        major = self.is_major.isChecked()
        self.clear_form()
        self.saved_label.setText(
            f"已保存:{saved.case_no}" + ("(重大投诉,已报告经理)" if major else "")
        )
        self.registered.emit(saved.case_id, saved.case_no)
        if major:
            self.tell_major_reported(saved.case_no)

    def on_errors_changed(self) -> None:
        """A field's own line is one line, cut to its width: the first message still shown is
        also written whole here (found: "…¥232.7…", the instruction after it never visible),
        and goes once the fields are fixed."""
        first = next(iter(self.errors.shown().values()), "")
        if first:
            self.saved_label.setStyleSheet(ERROR_STYLE)
            self.saved_label.setText(f"未保存:{first}")
        elif self.saved_label.text().startswith("未保存"):
            self.saved_label.setStyleSheet("")
            self.saved_label.clear()

    def _save(self) -> Registered:
        return self._desk.cases.register(self._actor, self.draft(), self.reception.reason())

    def tell_major_reported(self, case_no: str) -> None:
        QMessageBox.information(self, "重大投诉已上报", MAJOR_REPORTED.format(case_no=case_no))
        self.customer_name.setFocus()

    def on_clear_requested(self) -> None:
        if self.close_open_suggestions():
            return  # Esc closes a field's list of suggestions first, as everywhere else
        if self.is_dirty() and not confirm_discard(self, ["登记表"], "清空"):
            return
        self.clear_form()
