"""A day at the keyboard: queue ↔ search ↔ results, Tab that skips what does not apply, a case
opened by double-click that takes Esc, a next-step box that moves on, no default satisfaction."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.registration_page import RegistrationPage
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock
from tests.ui.typing import activate, focused, show, type_here, type_text

Step = rules.Step
CTRL = Qt.KeyboardModifier.ControlModifier


NONE = Qt.KeyboardModifier.NoModifier


def key(qtbot: QtBot, which: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(focused(), which, modifier)


def three_cases(desk: Desk, staff: Staff, clock: FakeClock) -> None:
    customers = (("张女士", "13800000001"), ("王美丽", "13800000002"), ("李先生", "13800000003"))
    for name, phone in customers:
        desk.cases.register(staff.clerk, a_draft(customer_name=name, customer_phone=phone,
                                                  received_at=clock.now))
        clock.now += timedelta(minutes=1)


def queue_page(qtbot: QtBot, desk: Desk, staff: Staff) -> CaseQueuePage:
    page = CaseQueuePage(desk, staff.clerk)
    show(qtbot, page)
    return page


def test_enter_in_the_search_box_reaches_the_results_and_enter_opens_the_case(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    three_cases(desk, staff, clock)
    queue = queue_page(qtbot, desk, staff)
    queue.table.setFocus()
    key(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is queue.search
    type_here(qtbot, "13800000002")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is queue.table
    assert queue.table.currentIndex().row() == 0
    assert queue.model.index(0, 2).data() == "王美丽"
    with qtbot.waitSignal(queue.open_case_requested) as opened:
        key(qtbot, Qt.Key.Key_Return)
    assert opened.args == [2]
    dialog = queue.findChild(CaseDialog)
    assert dialog is not None
    dialog.close()


def test_down_reaches_the_results_and_up_on_the_first_row_goes_back(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    three_cases(desk, staff, clock)
    queue = queue_page(qtbot, desk, staff)
    queue.search.setFocus()
    key(qtbot, Qt.Key.Key_Down)
    assert focused() is queue.table and queue.table.currentIndex().row() == 0
    key(qtbot, Qt.Key.Key_Down)
    assert queue.table.currentIndex().row() == 1
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_Up)
    assert focused() is queue.search
    queue.table.setFocus()
    key(qtbot, Qt.Key.Key_Escape)
    assert focused() is queue.search


def test_typing_on_the_results_starts_a_search(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    three_cases(desk, staff, clock)
    queue = queue_page(qtbot, desk, staff)
    queue.table.setFocus()
    qtbot.keyClick(queue.table, "1")
    assert focused() is queue.search
    type_here(qtbot, "380")
    assert queue.search.text() == "1380"


def test_tab_goes_from_the_search_box_to_the_results_and_skips_the_dates_when_off(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    three_cases(desk, staff, clock)
    queue = queue_page(qtbot, desk, staff)
    queue.search.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is queue.table
    visited: list[QWidget] = []
    for _ in range(12):
        key(qtbot, Qt.Key.Key_Tab)
        visited.append(focused())
    assert queue.date_from not in visited and queue.date_until not in visited
    # Round the whole page and back to the search box in a few Tabs, not fifteen.
    assert queue.search in visited[:10]
    queue.use_dates.setChecked(True)
    assert queue.date_from.isEnabled() and queue.date_until.isEnabled()


def test_tab_on_the_register_skips_the_fields_the_subject_rules_out(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    page = RegistrationPage(desk, staff.clerk)
    show(qtbot, page)
    page.clear_form()

    def tab_round() -> list[QWidget]:
        page.customer_name.setFocus()
        seen: list[QWidget] = []
        while focused() is not page.save_button and len(seen) < 40:
            key(qtbot, Qt.Key.Key_Tab)
            seen.append(focused())
        return seen

    product_round = tab_round()
    assert page.staff_name not in product_round
    assert page.product_barcode in product_round
    assert len(product_round) <= 17
    page.subject.setCurrentIndex(page.subject.findData(rules.Subject.SERVICE))
    service_round = tab_round()
    assert page.staff_name in service_round
    assert page.product_barcode not in service_round
    assert page.product_name not in service_round


def test_a_case_opened_by_double_click_takes_esc_and_no_keys_fall_into_the_step(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    three_cases(desk, staff, clock)
    queue = queue_page(qtbot, desk, staff)
    cell = queue.table.visualRect(queue.model.index(0, 0)).center()
    # A real double-click: a press and release, then the second press that Qt calls double.
    qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    [dialog] = queue.findChildren(CaseDialog)  # one window, not two
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_here(qtbot, "abc")
    assert dialog.text.toPlainText() == ""
    assert dialog.entry.leader_name.text() == ""
    key(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def record_with_keys(qtbot: QtBot, dialog: CaseDialog, text: str = "") -> None:
    if text:
        type_text(qtbot, dialog.text, text)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)


def offered_now(dialog: CaseDialog) -> Step | None:
    return dialog.entry.current_step()


def test_the_step_box_moves_on_after_each_step_and_never_proposes_a_repeat(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    case_id = desk.cases.register(
        staff.clerk, a_draft(category=rules.Category.SERVICE_ATTITUDE, department_name="收银部")
    ).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    assert offered_now(dialog) is Step.NATURE
    record_with_keys(qtbot, dialog, "成立")
    assert offered_now(dialog) is Step.DEPARTMENT
    record_with_keys(qtbot, dialog)
    assert dialog.case.status is rules.CaseStatus.IN_PROGRESS
    proposed = []
    for text in ("收银员态度差", "道歉并赠送礼品", "已电话告知", "批评教育", "加强培训"):
        proposed.append(offered_now(dialog))
        record_with_keys(qtbot, dialog, text)
    assert proposed == [Step.CAUSE, Step.SOLUTION, Step.NOTIFY, Step.RESPONSIBILITY,
                        Step.IMPROVEMENT]
    recorded = set(dialog.case.workflow)
    # After 9 the box offers 10 (回访), not 8 or 9 again.
    assert offered_now(dialog) is Step.FOLLOW_UP
    assert offered_now(dialog).value not in recorded  # type: ignore[union-attr]
    # Two Ctrl+Enter in a row never record one step twice.
    record_with_keys(qtbot, dialog)
    record_with_keys(qtbot, dialog)
    assert [line.action for line in desk.cases.history(case_id)].count("step:improvement") == 1


def test_satisfaction_has_no_default_and_must_be_chosen(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft(category=rules.Category.OTHER)).case_id
    for step, answer in (
        (Step.NATURE, StepAnswer(text="成立")),
        (Step.DEPARTMENT, StepAnswer(department_name="食品部")),
        (Step.CAUSE, StepAnswer(text="原因")), (Step.SOLUTION, StepAnswer(text="办法")),
        (Step.NOTIFY, StepAnswer(text="电话通知")),
    ):
        desk.cases.record_step(staff.clerk, case_id, step, answer)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    dialog.step.setFocus()
    while offered_now(dialog) is not Step.FOLLOW_UP:
        key(qtbot, Qt.Key.Key_Down)  # the step box, by keyboard
    satisfaction = dialog.entry.satisfaction
    assert satisfaction.isVisible() and satisfaction.currentIndex() == -1
    assert satisfaction.currentText() == ""
    record_with_keys(qtbot, dialog, "顾客表示理解")
    assert "满意度" in dialog.errors.text("satisfaction")
    assert "follow_up" not in desk.cases.case(case_id).workflow
    satisfaction.setFocus()
    satisfaction.setCurrentIndex(satisfaction.findData(4))
    assert dialog.errors.text("satisfaction") == ""  # gone once chosen
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    assert desk.cases.case(case_id).workflow["follow_up"]["satisfaction"] == 4


def test_after_the_deadline_the_box_says_the_desk_decides(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    department = StepAnswer(department_name="食品部")
    desk.cases.record_step(staff.clerk, case_id, Step.DEPARTMENT, department)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    assert dialog.step.currentText() == Step.CONFIRMATION.label
    assert "还剩 15 分 00 秒" in dialog.deadline_line.text()
    clock.now += timedelta(minutes=14, seconds=30)
    dialog.on_tick()
    assert "还剩 0 分 30 秒" in dialog.deadline_line.text()
    clock.now += timedelta(minutes=1)
    dialog.on_tick()  # the deadline passes while the case is open
    assert "前台决定" in dialog.step.currentText()
    assert "部门确认" not in dialog.step.currentText()
    assert "已过" in dialog.deadline_line.text()
    assert not dialog.leader_name.isVisible()
    activate(qtbot, dialog)
    record_with_keys(qtbot, dialog, "前台判定质量问题,退货")
    assert desk.cases.case(case_id).workflow["confirmation"]["by"] == "desk"
