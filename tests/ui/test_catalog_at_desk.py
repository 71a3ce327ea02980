"""The lists at the desk: a name missing from them (a manager adds it there, a clerk is told who
can), an unknown barcode on a quality complaint, and the set-up after the first account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import DepartmentDraft
from desktop_app.domain.store_setup import SetupState
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.ui import catalog_at_desk, first_run_dialog
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from desktop_app.ui.registration_page import RegistrationPage
from desktop_app.ui.setup_wizard import SetupWizard
from tests.builders import Staff, a_draft, a_worked_case
from tests.ui.typing import show, type_text

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


class Boxes:
    """Message boxes answered as a person would, and what they said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton):
        self.questions: list[str] = []
        self.warnings: list[str] = []
        self._answer = answer
        monkeypatch.setattr(catalog_at_desk.QMessageBox, "question", self.question)
        monkeypatch.setattr(catalog_at_desk.QMessageBox, "warning", self.warning)

    def question(self, _parent: Any, _title: str, text: str, *_args: Any) -> Any:
        self.questions.append(text)
        return self._answer

    def warning(self, _parent: Any, _title: str, text: str, *_args: Any) -> Any:
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok


def service_complaint(qtbot: QtBot, desk: Desk, actor: Account, department: str,
                      staff_name: str = "") -> RegistrationPage:
    page = RegistrationPage(desk, actor)
    show(qtbot, page)
    type_text(qtbot, page.customer_name, "李先生")
    type_text(qtbot, page.customer_phone, "13912345678")
    page.subject.setCurrentIndex(page.subject.findData(rules.Subject.SERVICE))
    page.category.setCurrentIndex(page.category.findData(rules.Category.SERVICE_ATTITUDE))
    page.department_name.setEditText(department)
    if staff_name:
        type_text(qtbot, page.staff_name, staff_name)
    type_text(qtbot, page.account, "收银员态度生硬")
    return page


def save(qtbot: QtBot, page: RegistrationPage) -> None:
    qtbot.keyClick(page.account, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_a_missing_department_is_offered_only_once_the_rest_of_the_form_would_save(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found: a manager added a misspelt supplier to the list (in the register for good), then
    the case itself was refused for another field and never saved."""
    boxes = Boxes(monkeypatch, Yes)
    page = service_complaint(qtbot, desk, staff.front_desk, "防损部")
    page.customer_phone.clear()
    type_text(qtbot, page.customer_phone, "12")  # not a phone number
    save(qtbot, page)
    assert boxes.questions == []
    assert "防损部" not in [line.name for line in desk.catalog.departments()]
    assert page.errors.text("customer_phone")


def test_a_manager_adds_a_missing_department_at_the_desk_and_the_case_is_saved(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = Boxes(monkeypatch, Yes)
    page = service_complaint(qtbot, desk, staff.front_desk, "防损部")
    with qtbot.waitSignal(page.registered):
        save(qtbot, page)
    assert "“防损部”不在部门列表中" in boxes.questions[0]
    assert "班长、电话等可以以后" in boxes.questions[0]
    assert "防损部" in [line.name for line in desk.catalog.departments()]
    assert page.department_name.findText("防损部") >= 0


def test_a_manager_who_declines_keeps_the_form(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    Boxes(monkeypatch, No)
    page = service_complaint(qtbot, desk, staff.boss, "防损部")
    save(qtbot, page)
    assert page.account.toPlainText() == "收银员态度生硬"
    assert "防损部" not in [line.name for line in desk.catalog.departments()]


def test_a_clerk_is_told_exactly_who_can_add_a_department(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = Boxes(monkeypatch, Yes)
    page = service_complaint(qtbot, desk, staff.clerk, "防损部")
    save(qtbot, page)
    [told] = boxes.warnings
    assert "部门列表中没有“防损部”" in told
    for who in ("赵经理(前台经理/助理)", "孙副店长(主管副店长)", "王店长(店长)"):
        assert who in told
    assert boxes.questions == []
    assert page.account.toPlainText() == "收银员态度生硬"


def test_a_clerk_may_still_name_staff_not_on_the_list(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = Boxes(monkeypatch, Yes)
    page = service_complaint(qtbot, desk, staff.clerk, "收银部", staff_name="戴眼镜的收银员")
    with qtbot.waitSignal(page.registered):
        save(qtbot, page)
    [asked] = boxes.questions
    assert "不在员工名单中" in asked and "王店长(店长)" in asked
    assert desk.catalog.staff() == []


def test_a_manager_adds_a_staff_member_named_at_the_desk(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    Boxes(monkeypatch, Yes)
    page = service_complaint(qtbot, desk, staff.deputy, "收银部", staff_name="周红")
    with qtbot.waitSignal(page.registered):
        save(qtbot, page)
    assert [line.name for line in desk.catalog.staff()] == ["周红"]
    again = RegistrationPage(desk, staff.clerk)
    qtbot.addWidget(again)
    completer = again.staff_name.completer()
    assert completer is not None and completer.model().index(0, 0).data() == "周红"
    case = CaseDialog(desk, staff.clerk, desk.cases.register(staff.clerk, a_draft()).case_id)
    qtbot.addWidget(case)
    liable = case.entry.responsible.completer()
    assert liable is not None and liable.model().index(0, 0).data() == "周红"


def test_an_unknown_barcode_on_a_quality_complaint_asks_for_name_and_department(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    Boxes(monkeypatch, Yes)
    page = RegistrationPage(desk, staff.clerk)
    show(qtbot, page)
    type_text(qtbot, page.customer_name, "张女士")
    type_text(qtbot, page.customer_phone, "13812345678")
    type_text(qtbot, page.product_barcode, "6999999999999")
    page.on_barcode_entered()
    assert "请填名称和部门" in page.product_info.note()
    type_text(qtbot, page.account, "酸奶胀包")
    save(qtbot, page)
    assert "商品库中没有这个条码" in page.errors.text("product_name")
    assert "须部门班长到场确认" in page.errors.text("department_name")
    type_text(qtbot, page.product_name, "某品牌酸奶")
    page.department_name.setEditText("食品部")
    with qtbot.waitSignal(page.registered) as saved:
        save(qtbot, page)
    case = desk.cases.case(saved.args[0])
    assert (case.product_barcode, case.product_name, case.department_name) == (
        "6999999999999", "某品牌酸奶", "食品部",
    )


def test_step_four_can_name_a_department_a_manager_adds_there(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    Boxes(monkeypatch, Yes)
    draft = a_draft(category=rules.Category.PRICE_BILLING)
    case_id = desk.cases.register(staff.clerk, draft).case_id
    dialog = CaseDialog(desk, staff.front_desk, case_id)
    show(qtbot, dialog)
    dialog.step.setCurrentIndex(dialog.step.findData(rules.Step.NATURE))
    dialog.on_record_clicked()
    dialog.step.setCurrentIndex(dialog.step.findData(rules.Step.DEPARTMENT))
    dialog.entry.department.setEditText("百货部")
    dialog.on_record_clicked()
    assert dialog.case.department_name == "百货部"


def test_a_quality_refund_can_name_a_supplier_a_manager_adds_there(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = Boxes(monkeypatch, Yes)
    case_id = a_worked_case(desk, staff)
    dialog = RefundRequestDialog(desk, staff.front_desk, desk.cases.case(case_id))
    show(qtbot, dialog)
    dialog.supplier.setEditText("光明乳业")
    type_text(qtbot, dialog.amount, "10")
    type_text(qtbot, dialog.reason, "变质")
    dialog.on_submit()
    assert "“光明乳业”不在供应商列表中" in boxes.questions[0]
    assert "班长" not in boxes.questions[0]  # a supplier has a contact, not team leaders
    assert dialog.refund_id is not None


def test_the_set_up_follows_the_first_account_and_is_offered_again_while_skipped(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[SetupWizard] = []

    def skip_it(cls: type[SetupWizard], desk_: Desk, actor: Account, parent: Any = None) -> str:
        wizard = cls(desk_, actor, parent)
        shown.append(wizard)
        wizard.skip_button.click()
        return desk_.setup.facts().state.value

    def first_account(_accounts: Any, _parent: Any = None) -> Account:
        return desk.accounts.create_first_store_manager("惠民超市", "boss", "王店长", "secret1",
                                                        "secret1")

    monkeypatch.setattr(SetupWizard, "ask", classmethod(skip_it))
    monkeypatch.setattr(first_run_dialog.FirstRunDialog, "ask", staticmethod(first_account))
    account = first_run_dialog.first_run(desk)
    assert account is not None
    assert len(shown) == 1
    assert shown[0].current_step().label == "部门与商品资料"  # the store was named already
    assert desk.setup.facts().state is SetupState.SKIPPED

    boss = desk.accounts.authenticate("boss", "secret1")
    first_run_dialog.offer_unfinished_setup(desk, boss)  # what the login does after the password
    assert len(shown) == 2  # still no departments: offered again at login


def _window(qtbot: QtBot, desk: Desk, account: Account) -> Any:
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(desk, account)
    qtbot.addWidget(window)
    return window


def test_whom_to_call_is_shown_only_while_the_department_may_still_confirm(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: Any
) -> None:
    [food] = [line for line in desk.catalog.departments() if line.name == "食品部"]
    desk.catalog.update_department(staff.boss, food.department_id,
                                   DepartmentDraft("食品部", "李明、王芳", "8022"))
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, case_id, rules.Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(staff.clerk, case_id, rules.Step.DEPARTMENT,
                           StepAnswer(department_name="食品部"))
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    assert "请联系食品部班长 李明、王芳(电话 8022)" in dialog.deadline_line.text()
    clock.now += timedelta(seconds=1)
    dialog.on_tick()  # the countdown's second (found: the names went at the first tick)
    assert "还剩 14 分 59 秒" in dialog.deadline_line.text()
    assert "请联系食品部班长 李明、王芳(电话 8022)" in dialog.deadline_line.text()
    clock.now += timedelta(minutes=16)
    dialog.load()
    assert "已过" in dialog.deadline_line.text()
    assert "请联系" not in dialog.deadline_line.text()
