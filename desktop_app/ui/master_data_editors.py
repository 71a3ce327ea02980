"""The form that adds or edits one department, supplier, product or member of staff: each
field's error under it, the service's words for anything else.

It opens on its first field and Tab follows the fields; Enter moves to the next field and
Ctrl+Enter saves, as in the ledger dialogs (a name is never deleted, so Enter must not save one
half-typed); Esc asks before typed text is thrown away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import DepartmentDraft, ProductDraft, StaffDraft, SupplierDraft
from desktop_app.services.catalog import DepartmentLine, ProductLine, StaffLine, SupplierLine
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors, error_label, ok_cancel, run_save
from desktop_app.ui.keyboard import EnterMovesOn
from desktop_app.ui.unsaved import GuardedDialog

# What a department's fields ask for, here and in the new store's set-up.
DEPARTMENT_HINTS = {
    "name": "如 食品部",
    "leaders": "到前台确认质量问题的班长,多位用“、”分隔",
    "phone": "分机或手机",
}

# --- one entry's form ------------------------------------------------------------------------


class EntryDialog(GuardedDialog):
    """A small form for one entry; OK (Ctrl+Enter) saves through ``save`` and shows errors by
    field.

    Signals:
        saved(int): the entry was saved (its id).
    """

    saved = Signal(int)

    def __init__(self, title: str, save: Callable[[], int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._save = save
        self.form = QFormLayout()
        self.errors = FieldErrors()
        self.general_error = error_label("general_error")
        self._buttons = ok_cancel(self, self.on_ok_clicked, "保存(&S)", enter_saves=False)
        self._fields: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self._buttons)

    def line(self, field: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        self._add_field(label, field, edit)
        return edit

    def combo(
        self, field: str, label: str, items: Sequence[tuple[str, Any]], current: Any,
        editable: bool = False,
    ) -> QComboBox:
        box = QComboBox()
        box.setObjectName(field)
        box.setEditable(editable)
        for text, data in items:
            box.addItem(text, data)
        found = box.findData(current)
        box.setCurrentIndex(max(found, 0))
        if editable:
            # An editable box takes Enter itself (it accepts the completed name), so the
            # dialog's Enter-moves-on never saw it: 烘 completed to 烘焙部, Enter stayed there and
            # the product's name was typed after it (found on a real X server).
            box.installEventFilter(EnterMovesOn(box))
        self._add_field(label, field, box)
        return box

    def _add_field(self, label: str, field: str, widget: QWidget) -> None:
        self.errors.add_row(self.form, label, field, widget)
        # The buttons exist before any field, so Tab would start at 保存 (and the dialog open
        # there, dropping what is typed at once): each field goes after the one before it and
        # the buttons after the last.
        if self._fields:
            QWidget.setTabOrder(self._fields[-1], widget)
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        QWidget.setTabOrder(widget, ok)
        QWidget.setTabOrder(ok, cancel)
        self._fields.append(widget)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._fields and not event.spontaneous() and self._clean_state is None:
            # Filled in as it opens: what is there now is not typed work.
            self.mark_clean()
            self._fields[0].setFocus()

    def on_ok_clicked(self) -> None:
        saved, saved_id = run_save(self._save, self.errors, self.general_error)
        if saved:
            self.saved.emit(saved_id)
            self.accept()



def department_editor(
    desk: Desk, actor: Account, line: DepartmentLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = DepartmentDraft(name.text(), leaders.text(), phone.text())
        if line is None:
            return desk.catalog.add_department(actor, draft)
        desk.catalog.update_department(actor, line.department_id, draft)
        return line.department_id

    title = "新增部门" if line is None else f"修改部门 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "部门名称(&N)", line.name if line else "", DEPARTMENT_HINTS["name"])
    leaders = dialog.line("leaders", "班长(&L)", line.leaders if line else "",
                          DEPARTMENT_HINTS["leaders"])
    phone = dialog.line("phone", "电话(&T)", line.phone if line else "", DEPARTMENT_HINTS["phone"])
    return dialog


def supplier_editor(
    desk: Desk, actor: Account, line: SupplierLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = SupplierDraft(name.text(), contact.text(), phone.text())
        if line is None:
            return desk.catalog.add_supplier(actor, draft)
        desk.catalog.update_supplier(actor, line.supplier_id, draft)
        return line.supplier_id

    title = "新增供应商" if line is None else f"修改供应商 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "供应商名称(&N)", line.name if line else "")
    contact = dialog.line("contact", "联系人(&C)", line.contact if line else "")
    phone = dialog.line("phone", "电话(&T)", line.phone if line else "")
    return dialog


def product_editor(
    desk: Desk, actor: Account, line: ProductLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = ProductDraft(barcode.text(), name.text(), department.currentText(),
                             supplier.currentText(), price.text())
        if line is None:
            return desk.catalog.add_product(actor, draft)
        desk.catalog.update_product(actor, line.product_id, draft)
        return line.product_id

    title = "新增商品" if line is None else f"修改商品 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    barcode = dialog.line("barcode", "条码(&B)", line.barcode if line else "", "6–14 位数字")
    name = dialog.line("name", "商品名称(&N)", line.name if line else "")
    departments = [(d.name, d.name) for d in desk.catalog.departments()]
    department = dialog.combo("department", "部门(&D)", departments,
                              line.department if line else None, editable=True)
    suppliers = [("", ""), *((s.name, s.name) for s in desk.catalog.suppliers())]
    supplier = dialog.combo("supplier", "供应商(&G)", suppliers,
                            line.supplier if line else "", editable=True)
    price = dialog.line("price", "售价(元)(&P)", str(line.price) if line else "", "如 3.50")
    if line is not None:
        department.setCurrentText(line.department)
        supplier.setCurrentText(line.supplier)
    return dialog


def staff_editor(
    desk: Desk, actor: Account, line: StaffLine | None, parent: QWidget | None = None
) -> EntryDialog:
    def save() -> int:
        draft = StaffDraft(name.text(), department.currentText(), account.currentData())
        if line is None:
            return desk.catalog.add_staff(actor, draft)
        desk.catalog.update_staff(actor, line.staff_id, draft)
        return line.staff_id

    title = "新增员工" if line is None else f"修改员工 — {line.name}"
    dialog = EntryDialog(title, save, parent)
    name = dialog.line("name", "姓名(&N)", line.name if line else "")
    departments = [("", ""), *((d.name, d.name) for d in desk.catalog.departments())]
    department = dialog.combo("department", "部门(&D)", departments,
                              line.department if line else "")
    accounts = [("(不关联登录账户)", None), *((text, user_id) for user_id, text
                                          in desk.catalog.account_choices())]
    account = dialog.combo("account", "登录账户(&A)", accounts,
                           line.account_id if line else None)
    return dialog
