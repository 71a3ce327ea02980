"""开店设置: the short set-up after the store manager's account — the store's name, its
departments (imported with the catalogue or added by hand), the department confirmation
deadline. Every step can be skipped and finished later from 门店资料; the wizard opens at the
first step still to do (the rules are in ``domain.store_setup``).

A department typed but not added yet is added on 下一步 (a refusal keeps the wizard on the step);
the name of a department the store has (e.g. from the import) fills in its team leaders and
phone. Esc, the close button and 跳过 ask before typed text is thrown away.

Signals:
    finished_setup(str): the set-up was closed; the state saved ("done" or "skipped").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import DepartmentDraft
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.store_setup import (
    DepartmentTyped,
    SetupStep,
    first_step,
    next_step,
    previous_step,
)
from desktop_app.domain.text import clean_line
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_import_dialog import CatalogImportDialog
from desktop_app.ui.forms import ERROR_STYLE, FieldErrors, register_label
from desktop_app.ui.keyboard import EnterMovesOn
from desktop_app.ui.master_data_editors import DEPARTMENT_HINTS
from desktop_app.ui.unsaved import GuardedDialog, confirm_discard

STORE_TEXT = "门店名称会印在每一份报表和《顾客接待登记表》上。"
DEPARTMENTS_TEXT = (
    "投诉要交给责任部门处理,商品质量问题还要由部门班长到前台确认。\n"
    "可以直接导入收银系统或 Excel 导出的商品资料(其中的部门和供应商会一起建立),"
    "也可以先手工添加部门,商品以后再导入。"
)
DEADLINE_TEXT = (
    "商品质量问题登记后,责任部门的班长须在这个时限内到前台确认;"
    "逾时由前台决定处理结果,部门无权改变。"
)
SKIP_TEXT = "跳过的步骤可以随时在「门店资料」页面点「继续开店设置」完成。"
DEPARTMENT_NOTICES = {
    DepartmentTyped.ADDED: "已添加部门“{name}”",
    DepartmentTyped.COMPLETED: "部门“{name}”已有,已填入班长和电话",
    DepartmentTyped.UNCHANGED: "部门“{name}”已有,班长和电话没有变化",
}


class SetupWizard(GuardedDialog):
    finished_setup = Signal(str)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.import_dialog: CatalogImportDialog | None = None
        self.setWindowTitle("开店设置")
        self.setMinimumSize(620, 460)
        self.errors = FieldErrors()
        self._build()
        self.go_to(first_step(desk.setup.facts()))

    # --- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        self.steps_line = QLabel()
        self.steps_line.setObjectName("steps_line")
        self.pages = QStackedWidget()
        self._page_of: dict[SetupStep, int] = {
            SetupStep.STORE: self.pages.addWidget(self._store_page()),
            SetupStep.DEPARTMENTS: self.pages.addWidget(self._departments_page()),
            SetupStep.DEADLINE: self.pages.addWidget(self._deadline_page()),
        }
        self.skip_button = QPushButton("跳过,以后再设(&L)")
        self.skip_button.setObjectName("skip_button")
        self.skip_button.setToolTip(SKIP_TEXT)
        self.skip_button.clicked.connect(self.on_skip_clicked)
        self.back_button = QPushButton("上一步(&B)")
        self.back_button.setObjectName("back_button")
        self.back_button.clicked.connect(self.on_back_clicked)
        self.next_button = QPushButton("下一步(&N)")
        self.next_button.setObjectName("next_button")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.on_next_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        hint = QLabel(SKIP_TEXT)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps_line)
        layout.addWidget(self.pages, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)

    def _store_page(self) -> QWidget:
        self.store_name = QLineEdit(self._desk.settings.store_name())
        self.store_name.setObjectName("store_name")
        form = QFormLayout()
        self.errors.add_row(form, register_label("store_name", "S"), "store_name", self.store_name)
        return _page(STORE_TEXT, form)

    def _departments_page(self) -> QWidget:
        self.import_button = QPushButton("从 Excel / CSV 导入商品资料(&I)…")
        self.import_button.setObjectName("setup_import_button")
        self.import_button.clicked.connect(self.on_import_clicked)
        self.department_name = QLineEdit()
        self.department_name.setObjectName("department_name")
        self.department_name.setPlaceholderText(DEPARTMENT_HINTS["name"])
        self.leaders = QLineEdit()
        self.leaders.setObjectName("leaders")
        self.leaders.setPlaceholderText(DEPARTMENT_HINTS["leaders"])
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(DEPARTMENT_HINTS["phone"])
        self.add_button = QPushButton("添加部门(&A)")
        self.add_button.setObjectName("add_department_button")
        self.add_button.clicked.connect(self.on_add_department_clicked)
        # Enter moves on from the name and the leaders, as in 门店资料's department form, and in
        # the phone, the last field, adds the department (found on a real X server: Enter after
        # each field made "李明、王芳" and "8021" departments of their own, never deleted). It
        # never also presses 下一步, the dialog's default button: the key stops in the field.
        self._enter_moves_on = EnterMovesOn(self)
        for edit in (self.department_name, self.leaders):
            edit.installEventFilter(self._enter_moves_on)
        self._enter_adds = _EnterPresses(self.on_add_department_clicked, self)
        self.phone.installEventFilter(self._enter_adds)
        self.department_errors = FieldErrors()
        form = QFormLayout()
        self.department_errors.add_row(form, "部门名称(&D)", "name", self.department_name)
        self.department_errors.add_row(form, "班长", "leaders", self.leaders)
        self.department_errors.add_row(form, "电话", "phone", self.phone)
        form.addRow("", self.add_button)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.department_notice = QLabel()
        self.department_notice.setObjectName("department_notice")
        self.department_notice.setWordWrap(True)
        self.department_list = QListWidget()
        self.department_list.setObjectName("department_list")
        self.department_count = QLabel()
        self.department_count.setObjectName("department_count")
        page = _page(DEPARTMENTS_TEXT, form)
        layout = page.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.import_button)
        layout.addWidget(self.general_error)
        layout.addWidget(self.department_notice)
        layout.addWidget(self.department_count)
        layout.addWidget(self.department_list, 1)
        self._refresh_departments()
        return page

    def _deadline_page(self) -> QWidget:
        self.minutes = QSpinBox()
        self.minutes.setObjectName("confirmation_minutes")
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setValue(self._desk.settings.confirmation_minutes())
        form = QFormLayout()
        self.errors.add_row(form, "部门到场确认时限(&M)", "confirmation_minutes", self.minutes)
        return _page(DEADLINE_TEXT, form)

    # --- moving between steps ----------------------------------------------------------------

    def current_step(self) -> SetupStep:
        index = self.pages.currentIndex()
        return next(step for step, page in self._page_of.items() if page == index)

    def go_to(self, step: SetupStep) -> None:
        self.pages.setCurrentIndex(self._page_of[step])
        facts = self._desk.setup.facts()
        marks = []
        for number, each in enumerate(SetupStep, start=1):
            text = f"{number}. {each.label}"
            if each is step:
                text = f"<b>{text}</b>"
            marks.append(text)
        self.steps_line.setText("  →  ".join(marks) + f"  (门店:{facts.store_name or '未填写'})")
        self.back_button.setEnabled(previous_step(step) is not None)
        self.next_button.setText("完成(&F)" if next_step(step) is None else "下一步(&N)")
        focus = {SetupStep.STORE: self.store_name, SetupStep.DEPARTMENTS: self.department_name,
                 SetupStep.DEADLINE: self.minutes}[step]
        focus.setFocus()

    def on_back_clicked(self) -> None:
        before = previous_step(self.current_step())
        if before is not None:
            self.go_to(before)

    def on_next_clicked(self) -> None:
        step = self.current_step()
        if not self._save(step):
            return
        following = next_step(step)
        if following is not None:
            self.go_to(following)
            return
        state = self._desk.setup.finish(self._actor)
        self.finished_setup.emit(state.value)
        self.accept()

    def on_skip_clicked(self) -> None:
        work = self.unsaved_description()
        if work and not confirm_discard(self, [work], "跳过"):
            return
        self._desk.setup.skip(self._actor)
        self.finished_setup.emit(self._desk.setup.facts().state.value)
        self.discard()

    def unsaved_description(self) -> str:
        """What closing now would lose: a store name not saved, a department typed but not
        added, a deadline changed but not confirmed."""
        lost = []
        if clean_line(self.store_name.text()) != self._desk.settings.store_name():
            lost.append("门店名称")
        if self._department_typed():
            lost.append("还没有添加的部门")
        if self.minutes.value() != self._desk.settings.confirmation_minutes():
            lost.append("确认时限")
        return f"开店设置中的{'、'.join(lost)}" if lost else ""

    def _save(self, step: SetupStep) -> bool:
        if step is SetupStep.DEPARTMENTS:
            return not self._department_typed() or self._add_typed_department()
        try:
            if step is SetupStep.STORE:
                self._desk.setup.save_store_name(self._actor, self.store_name.text())
            elif step is SetupStep.DEADLINE:
                self._desk.setup.confirm_deadline(self._actor, self.minutes.value())
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return False
        self.errors.clear()
        return True

    # --- departments ----------------------------------------------------------------------------

    def on_import_clicked(self) -> CatalogImportDialog:
        dialog = CatalogImportDialog(self._desk, self._actor, self)
        dialog.imported.connect(lambda _result: self._refresh_departments())
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def on_add_department_clicked(self) -> None:
        self._add_typed_department()

    def _department_typed(self) -> bool:
        return any(edit.text().strip() for edit in (self.department_name, self.leaders, self.phone))

    def _add_typed_department(self) -> bool:
        """Add the department typed (or fill in the one of that name); False when refused, the
        reason shown."""
        draft = DepartmentDraft(self.department_name.text(), self.leaders.text(), self.phone.text())
        self.department_notice.clear()
        try:
            outcome = self._desk.catalog.set_up_department(self._actor, draft)
        except ValidationError as error:
            self.department_errors.show(error.field_errors)
            return False
        except DeskError as error:
            self.general_error.setText(str(error))
            self.general_error.show()
            return False
        self.department_errors.clear()
        self.general_error.hide()
        self.department_notice.setText(
            DEPARTMENT_NOTICES[outcome].format(name=clean_line(draft.name))
        )
        for edit in (self.department_name, self.leaders, self.phone):
            edit.clear()
        self.department_name.setFocus()
        self._refresh_departments()
        return True

    def _refresh_departments(self) -> None:
        lines = self._desk.catalog.departments()
        self.department_list.clear()
        for line in lines:
            leaders = f"  班长:{line.leaders}" if line.leaders else ""
            phone = f"  电话:{line.phone}" if line.phone else ""
            products = f"  商品 {line.product_count} 种" if line.product_count else ""
            self.department_list.addItem(f"{line.name}{leaders}{phone}{products}")
        self.department_count.setText(
            f"已有 {len(lines)} 个部门" if lines else "还没有部门:导入商品资料或在上面添加"
        )

    @classmethod
    def ask(cls, desk: Desk, actor: Account, parent: QWidget | None = None) -> str:
        """Run the set-up; returns the state it was left in ("done" or "skipped")."""
        dialog = cls(desk, actor, parent)
        dialog.exec()
        return desk.setup.facts().state.value


class _EnterPresses(QObject):
    """Enter or Return in the watched fields calls ``action`` and goes no further."""

    def __init__(self, action: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._action()
            return True
        return False


def _page(text: str, form: QFormLayout) -> QWidget:
    page = QWidget()
    intro = QLabel(text)
    intro.setWordWrap(True)
    layout = QVBoxLayout(page)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addStretch(0)
    return page
