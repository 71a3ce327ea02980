"""One rule for typed text that is not saved: ask when there is some, close when there is none —
closing the window, Ctrl+Q, 切换用户, and Esc in every dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.domain.roles import Role
from desktop_app.services.desk import Desk
from desktop_app.ui.accounts_page import NewAccountDialog
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.first_run_dialog import FirstRunDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from desktop_app.ui.registration_page import RegistrationPage
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.ui.boxes import BoxAnswers, No, Yes
from tests.ui.typing import activate, show, type_text

Answers = Callable[[QMessageBox.StandardButton | None], BoxAnswers]
CTRL = Qt.KeyboardModifier.ControlModifier


def main_window(qtbot: QtBot, desk: Desk, staff: Staff) -> MainWindow:
    window = MainWindow(desk, staff.clerk)
    show(qtbot, window)
    return window


def registration(window: MainWindow) -> RegistrationPage:
    page = window.show_page("登记投诉")
    assert isinstance(page, RegistrationPage)
    return page


def test_closing_the_window_with_nothing_typed_does_not_ask(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    answers = answer_boxes(No)
    window = main_window(qtbot, desk, staff)
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()
    assert answers.texts == []


def test_ctrl_q_with_a_half_filled_register_asks_and_no_keeps_it(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    window = main_window(qtbot, desk, staff)
    page = registration(window)
    type_text(qtbot, page.customer_name, "王先生")
    answers = answer_boxes(No)
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    assert window.isVisible()
    assert page.customer_name.text() == "王先生"
    assert len(answers.texts) == 1 and "登记表" in answers.texts[0]

    answers = answer_boxes(Yes)
    window.close()
    assert not window.isVisible()
    assert len(answers.texts) == 1


def test_the_register_on_a_page_not_shown_still_counts(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    window = main_window(qtbot, desk, staff)
    type_text(qtbot, registration(window).account, "牛奶有异味")
    window.show_page("案件队列")
    answers = answer_boxes(No)
    window.close()
    assert window.isVisible() and answers.texts


def test_switching_user_asks_first(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    window = main_window(qtbot, desk, staff)
    type_text(qtbot, registration(window).customer_phone, "138")
    switches: list[bool] = []
    window.switch_user_requested.connect(lambda: switches.append(True))
    answers = answer_boxes(No)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert switches == [] and "切换用户" in answers.texts[0]
    answers = answer_boxes(Yes)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert switches == [True]


def test_an_open_case_with_a_typed_step_is_named_when_closing(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    window = main_window(qtbot, desk, staff)
    queue = window.show_page("案件队列")
    dialog = queue.open_case(case_id)  # type: ignore[attr-defined]
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.text, "顾客情绪激动")
    answers = answer_boxes(No)
    window.close()
    assert window.isVisible() and dialog.isVisible()
    assert "TS-202611-0001" in answers.texts[0]
    answers = answer_boxes(Yes)
    window.close()
    assert not window.isVisible() and not dialog.isVisible()
    assert len(answers.texts) == 1  # asked once, not again by the dialog


def test_escape_in_the_case_dialog_asks_only_when_a_step_was_typed(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    type_text(qtbot, dialog.text, "已安抚顾客")
    answers = answer_boxes(No)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.text.toPlainText() == "已安抚顾客"
    assert answers.texts
    dialog.text.clear()
    answers = answer_boxes(No)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.texts == []


def test_escape_in_the_refund_request_keeps_typed_text_unless_confirmed(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case = desk.cases.case(desk.cases.register(staff.clerk, a_draft()).case_id)
    untouched = RefundRequestDialog(desk, staff.clerk, case)
    show(qtbot, untouched)
    answers = answer_boxes(No)
    qtbot.keyClick(untouched.amount, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and answers.texts == []

    dialog = RefundRequestDialog(desk, staff.clerk, case)
    show(qtbot, dialog)
    type_text(qtbot, dialog.reason, "牛奶变质")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.reason.toPlainText() == "牛奶变质"
    answers = answer_boxes(Yes)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and answers.texts


def test_a_typed_password_alone_is_not_unsaved_work(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="5000")
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = ApprovalDialog(desk, refund_id)
    show(qtbot, dialog)
    type_text(qtbot, dialog.password, "pass123")
    answers = answer_boxes(No)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.texts == []

    again = ApprovalDialog(desk, refund_id)
    show(qtbot, again)
    type_text(qtbot, again.comment, "超过退货期")
    qtbot.keyClick(again.comment, Qt.Key.Key_Escape)
    assert again.isVisible() and answers.texts


def test_the_correction_dialog_asks_on_escape_and_has_a_cancel_button(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.front_desk, case_id)
    show(qtbot, dialog)
    correction = dialog.on_correct_clicked()
    activate(qtbot, correction)
    cancel = correction.findChild(QPushButton, "cancel_button")
    assert cancel is not None and cancel.isVisible() and "取消" in cancel.text()
    page = correction.page
    clerk = [label.text() for label in page.findChildren(QLabel)]
    assert "刘洋" in clerk  # the clerk who received the customer, not the manager correcting
    page.customer_phone.selectAll()
    type_text(qtbot, page.customer_phone, "13900001111")
    answers = answer_boxes(No)
    qtbot.keyClick(page.customer_phone, Qt.Key.Key_Escape)
    # Esc neither reverts the change nor closes the dialog without asking.
    assert correction.isVisible() and page.customer_phone.text() == "13900001111"
    assert answers.texts
    answers = answer_boxes(Yes)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not correction.isVisible()
    assert desk.cases.case(case_id).customer_phone == "13812345678"


def test_an_unchanged_correction_closes_on_escape_at_once(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    correction = dialog.on_correct_clicked()
    activate(qtbot, correction)
    answers = answer_boxes(No)
    qtbot.keyClick(QApplication.focusWidget() or correction, Qt.Key.Key_Escape)
    assert not correction.isVisible() and answers.texts == []


def test_escape_on_the_first_start_asks_before_the_store_manager_s_typing_is_lost(
    qtbot: QtBot, desk: Desk, answer_boxes: Answers
) -> None:
    """Found on a real screen: five fields typed, Esc, and the app quit without a word."""
    dialog = FirstRunDialog(desk.accounts)
    show(qtbot, dialog)
    for edit, text in ((dialog.store_name, "惠民超市"), (dialog.username, "wangjg"),
                       (dialog.display_name, "王建国"), (dialog.password, "secret1"),
                       (dialog.confirm, "secret1")):
        type_text(qtbot, edit, text)
    answers = answer_boxes(None)  # the question's default button
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Escape)
    assert dialog.isVisible() and answers.texts and "退出" in answers.texts[0]
    assert (dialog.store_name.text(), dialog.display_name.text()) == ("惠民超市", "王建国")
    answers = answer_boxes(Yes)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.account is None
    assert desk.accounts.needs_first_run()

    untouched = FirstRunDialog(desk.accounts)
    show(qtbot, untouched)
    answers = answer_boxes(No)
    qtbot.keyClick(untouched.store_name, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and answers.texts == []


def test_escape_in_a_new_account_asks_when_anything_was_typed(
    qtbot: QtBot, desk: Desk, staff: Staff, answer_boxes: Answers
) -> None:
    dialog = NewAccountDialog(desk, staff.boss)
    show(qtbot, dialog)
    type_text(qtbot, dialog.username, "liuyang")
    type_text(qtbot, dialog.display_name, "刘洋")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.FRONT_DESK_MANAGER))
    answers = answer_boxes(None)
    qtbot.keyClick(dialog.display_name, Qt.Key.Key_Escape)
    assert dialog.isVisible() and answers.texts and dialog.username.text() == "liuyang"
    answers = answer_boxes(Yes)
    qtbot.keyClick(dialog.display_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.account is None

    untouched = NewAccountDialog(desk, staff.boss)
    show(qtbot, untouched)
    answers = answer_boxes(No)
    qtbot.keyClick(untouched.username, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and answers.texts == []
