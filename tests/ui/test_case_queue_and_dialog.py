"""The case queue and the case screen, driven through the real widgets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.ui import case_dialog
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.correction_dialog import CorrectionDialog, CorrectionPage
from desktop_app.ui.main_window import MainWindow
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock
from tests.ui.typing import show, type_text

Step = rules.Step


def shown_case_numbers(queue: CaseQueuePage) -> list[str]:
    model = queue.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_queue_lists_newest_first_and_searches(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    desk.cases.register(staff.clerk, a_draft(customer_name="张女士"))
    clock.now += timedelta(minutes=5)
    desk.cases.register(
        staff.clerk,
        a_draft(customer_name="李先生", received_at=clock.now, customer_phone="13900002222"),
    )
    queue = CaseQueuePage(desk, staff.clerk)
    show(qtbot, queue)
    assert shown_case_numbers(queue) == ["TS-202611-0002", "TS-202611-0001"]
    type_text(qtbot, queue.search, "张女士")
    qtbot.keyClick(queue.search, Qt.Key.Key_Return)
    assert shown_case_numbers(queue) == ["TS-202611-0001"]
    queue.search.clear()
    type_text(qtbot, queue.search, "0002222")
    qtbot.keyClick(queue.search, Qt.Key.Key_Return)
    assert shown_case_numbers(queue) == ["TS-202611-0002"]
    assert queue.count_label.text() == "共 1 件"


def test_filters_for_major_and_overdue_cases(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    desk.cases.register(staff.clerk, a_draft(is_major=True))
    desk.cases.register(staff.clerk, a_draft(promised_reply_date="2026-11-24"))
    queue = CaseQueuePage(desk, staff.clerk)
    show(qtbot, queue)
    queue.major_only.setChecked(True)
    assert shown_case_numbers(queue) == ["TS-202611-0001"]
    queue.major_only.setChecked(False)
    assert queue.model.index(0, 9).data() == "今天须答复"
    clock.now += timedelta(days=1)
    queue.overdue_only.setChecked(True)
    assert shown_case_numbers(queue) == ["TS-202611-0002"]
    assert "逾期" in queue.model.index(0, 9).data()


def test_enter_on_a_row_opens_the_case(qtbot: QtBot, desk: Desk, staff: Staff) -> None:
    desk.cases.register(staff.clerk, a_draft())
    queue = CaseQueuePage(desk, staff.clerk)
    show(qtbot, queue)
    queue.table.setFocus()
    queue.table.setCurrentIndex(queue.model.index(0, 0))
    with qtbot.waitSignal(queue.open_case_requested) as opened:
        qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    assert opened.args == [1]
    dialog = queue.findChild(CaseDialog)
    assert dialog is not None
    assert "TS-202611-0001" in dialog.windowTitle()
    dialog.close()


def record(qtbot: QtBot, dialog: CaseDialog, step: Step, text: str = "") -> None:
    index = dialog.step.findData(step)
    assert index >= 0, f"{step.label} is not offered; offered: {dialog.case.offered_steps}"
    dialog.step.setCurrentIndex(index)
    if text:
        type_text(qtbot, dialog.text, text)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_the_case_screen_offers_only_allowed_steps_and_records_them(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    assert [dialog.step.itemData(i) for i in range(dialog.step.count())] == [Step.NATURE, Step.VOID]
    record(qtbot, dialog, Step.NATURE, "成立")
    assert dialog.case.status is rules.CaseStatus.ACCEPTED
    record(qtbot, dialog, Step.DEPARTMENT)
    assert dialog.case.status is rules.CaseStatus.AWAITING_CONFIRMATION
    assert "10:15" in dialog.deadline_line.text()
    assert dialog.leader_name.isVisible()
    record(qtbot, dialog, Step.CONFIRMATION, "确认变质")
    assert "确认人" in dialog.errors.text("leader_name")
    type_text(qtbot, dialog.leader_name, "李班长")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.case.status is rules.CaseStatus.IN_PROGRESS
    assert "李班长" in dialog.timeline.text()
    assert dialog.history.rowCount() > 3


def test_after_the_deadline_the_screen_asks_for_the_desks_decision(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, rules_answer())
    desk.cases.record_step(staff.clerk, case_id, Step.DEPARTMENT, rules_answer(department="食品部"))
    clock.now += timedelta(minutes=16)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    assert "已过" in dialog.deadline_line.text()
    assert not dialog.leader_name.isVisible()
    assert "前台决定" in dialog.text_label.text()
    record(qtbot, dialog, Step.CONFIRMATION, "前台判定:质量问题,退货")
    assert dialog.case.workflow["confirmation"]["by"] == "desk"


def rules_answer(department: str = "") -> StepAnswer:
    return StepAnswer(text="成立", department_name=department)


def test_voiding_asks_first(qtbot: QtBot, desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer_yes)
    record(qtbot, dialog, Step.VOID, "重复登记")
    assert dialog.case.status is rules.CaseStatus.VOIDED
    assert dialog.step.count() == 0
    assert not dialog.record_button.isEnabled()


def test_a_manager_sees_major_complaints_on_login_and_acknowledges_them(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    desk.cases.register(staff.clerk, a_draft(is_major=True, customer_name="赵女士"))
    window = MainWindow(desk, staff.front_desk)
    show(qtbot, window)
    dialog = window.show_major_complaints()
    assert dialog is not None
    assert "赵女士" in dialog.cases.item(0).text()
    dialog.acknowledge_button.click()
    assert desk.cases.unacknowledged_major(staff.front_desk) == []
    clerk_window = MainWindow(desk, staff.clerk)
    qtbot.addWidget(clerk_window)
    assert clerk_window.show_major_complaints() is None


def test_export_saves_the_register_sheet_and_opens_it(
    qtbot: QtBot, desk: Desk, staff: Staff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    target = tmp_path / "sheet"
    opened: list[Path] = []
    monkeypatch.setattr(case_dialog, "ask_pdf_path", lambda _parent, name: target)
    monkeypatch.setattr(case_dialog, "open_file", lambda path, _parent: opened.append(path))
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert opened == [target]
    assert target.read_bytes().startswith(b"%PDF")


def open_correction(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> tuple[CaseDialog, CorrectionDialog, CorrectionPage]:
    """The case screen, and its 更正登记内容 dialog opened with the form inside."""
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    correction = dialog.on_correct_clicked()
    page = correction.findChild(CorrectionPage)
    assert page is not None
    return dialog, correction, page


def test_a_correction_through_the_form_keeps_the_old_value(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog, _correction, page = open_correction(qtbot, desk, staff, case_id)
    assert page.customer_phone.text() == "13812345678"
    assert page.account.toPlainText() == "牛奶有异味,要求退货"
    monkeypatch.setattr(page, "ask_reason", lambda: "顾客留错了号码")
    page.customer_phone.setText("13900001111")
    page.save_button.click()
    assert desk.cases.case(case_id).customer_phone == "13900001111"
    history = [dialog.history.item(row, 5).text() for row in range(dialog.history.rowCount())]
    assert "13900001111" in history and "顾客留错了号码" in history


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_a_correction_moves_on_and_lists_only_other_cases(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch, key: Qt.Key
) -> None:
    """Found on a real X server: Enter on a choice of a half-edited correction asked for its
    reason, about to save it; and the case itself was listed as the customer's earlier one."""
    earlier = desk.cases.register(staff.clerk, a_draft(receipt_no="R-OLD")).case_id
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    _dialog, correction, page = open_correction(qtbot, desk, staff, case_id)
    asked: list[bool] = []
    monkeypatch.setattr(page, "ask_reason", lambda: asked.append(True) or None)
    for widget in (page.amount_paid, page.subject, page.category, page.received_edit):
        widget.setFocus()
        qtbot.keyClick(widget, key)
    assert asked == []
    page.on_phone_entered()
    shown = page.history.note()
    assert desk.cases.case(earlier).case_no in shown
    assert desk.cases.case(case_id).case_no not in shown
    correction.discard()
