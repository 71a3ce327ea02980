"""Improvement orders (责令改善): issue one to a supplier or a department with a due date, follow
it up (a note; ticking 延期 moves the due date), and close it with the result once checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.improvement import OrderDraft, OrderTarget
from desktop_app.services.desk import Desk
from desktop_app.services.improvement_orders import OrderLine
from desktop_app.ui.charge_back_dialogs import date_edit
from desktop_app.ui.forms import FieldErrors, date_of, error_label, ok_cancel, run_save

DEFAULT_DAYS = 14  # a fortnight to improve, unless the desk says otherwise


class FormDialog(QDialog):
    """A small form whose OK runs ``save`` and shows the service's answer under each field
    (a ledger record: Enter in a field never saves it, Ctrl+Enter does)."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.save: Callable[[], object] = lambda: None
        self.errors = FieldErrors()
        self.form = QFormLayout()
        self.general_error = error_label("general_error")
        buttons = ok_cancel(self, self.on_ok_clicked, ok_text, enter_saves=False)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.general_error)
        self.body.addWidget(buttons)

    def text_box(self, name: str, label: str, placeholder: str = "") -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setTabChangesFocus(True)
        box.setMaximumHeight(90)
        box.setPlaceholderText(placeholder)
        self.errors.add_row(self.form, label, name, box)
        return box

    def on_ok_clicked(self) -> None:
        if run_save(self.save, self.errors, self.general_error)[0]:
            self.accept()



def issue_dialog(
    desk: Desk,
    actor: Account,
    parent: QWidget | None = None,
    target: OrderTarget = OrderTarget.SUPPLIER,
    name: str = "",
    case_no: str = "",
) -> FormDialog:
    dialog = FormDialog("下达整改通知(责令改善)", "下达", parent)
    kind = QComboBox()
    kind.setObjectName("target")
    for option in OrderTarget:
        kind.addItem(option.label, option)
    kind.setCurrentIndex(kind.findData(target))
    names = QComboBox()
    names.setObjectName("target_name")
    names.setEditable(True)

    def fill_names() -> None:
        names.clear()
        names.addItems(desk.improvements.target_names(kind.currentData()))

    kind.currentIndexChanged.connect(fill_names)
    fill_names()
    names.setCurrentText(name)
    dialog.form.addRow("整改对象", kind)
    dialog.errors.add_row(dialog.form, "名称", "target_name", names)
    requirement = dialog.text_box("requirement", "整改要求",
                                  "如:该批次全部下架抽检,7 日内提交整改报告")
    due = date_edit(desk.clock().date() + timedelta(days=DEFAULT_DAYS), "due_on")
    dialog.errors.add_row(dialog.form, "整改期限", "due_on", due)
    case = QLineEdit(case_no)
    case.setObjectName("case_no")
    case.setPlaceholderText("选填:引起整改的案件编号")
    dialog.errors.add_row(dialog.form, "案件编号", "case_no", case)
    dialog.save = lambda: desk.improvements.issue(actor, OrderDraft(
        kind.currentData(), names.currentText(), requirement.toPlainText(), date_of(due.date()),
        case.text(),
    ))
    return dialog


def follow_up_dialog(
    desk: Desk, actor: Account, order: OrderLine, parent: QWidget | None = None
) -> FormDialog:
    dialog = FormDialog(f"跟进整改 — {order.target_name}", "记录跟进", parent)
    dialog.body.insertWidget(0, QLabel(
        f"{order.requirement}\n期限 {order.due_on:%Y-%m-%d},{order.state.label}"))
    note = dialog.text_box("note", "跟进情况", "如:已电话催促,对方承诺 3 日内提交")
    extend = QCheckBox("延期至")
    extend.setObjectName("extend")
    new_due = date_edit(max(order.due_on, desk.clock().date()) + timedelta(days=7), "new_due_on")
    new_due.setEnabled(False)
    extend.toggled.connect(new_due.setEnabled)
    dialog.form.addRow(extend, new_due)
    dialog.errors.add_row_error(dialog.form, "new_due_on")

    def save() -> int:
        chosen: date | None = date_of(new_due.date()) if extend.isChecked() else None
        return desk.improvements.follow_up(actor, order.order_id, note.toPlainText(), chosen)

    dialog.save = save
    return dialog


def complete_dialog(
    desk: Desk, actor: Account, order: OrderLine, parent: QWidget | None = None
) -> FormDialog:
    dialog = FormDialog(f"整改验收 — {order.target_name}", "验收完成", parent)
    dialog.body.insertWidget(0, QLabel(order.requirement))
    result = dialog.text_box("result", "整改结果", "做了什么,如何验证")
    done_on = date_edit(desk.clock().date(), "done_on")
    dialog.errors.add_row(dialog.form, "验收日期", "done_on", done_on)
    dialog.save = lambda: desk.improvements.complete(
        actor, order.order_id, result.toPlainText(), date_of(done_on.date()))
    return dialog
