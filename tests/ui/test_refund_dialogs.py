"""Requesting and signing refunds through the real dialogs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.domain.refunds import RefundStatus
from desktop_app.services.desk import Desk
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.refund_queue_page import RefundQueuePage
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock
from tests.ui.typing import show, type_text

PASSWORD = "pass123"


@pytest.fixture
def case_id(desk: Desk, staff: Staff) -> int:
    return a_worked_case(desk, staff, amount_paid="5000")


def status_of(desk: Desk, case_id: int) -> RefundStatus:
    return desk.refunds.refunds_of_case(case_id)[0].status


def sign(qtbot: QtBot, dialog: ApprovalDialog, username: str, password: str) -> None:
    dialog.username.clear()
    dialog.password.clear()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def open_approval(qtbot: QtBot, desk: Desk, refund_id: int) -> ApprovalDialog:
    dialog = ApprovalDialog(desk, refund_id)
    show(qtbot, dialog)
    return dialog


def test_a_clerk_requests_a_refund_from_the_case(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(case_id))
    show(qtbot, dialog)
    assert dialog.receipt_no.text() == "A20261124-0031"
    assert dialog.receipt_no.isReadOnly() and dialog.receipt_paid.isReadOnly()
    assert dialog.is_quality.isChecked()  # a quality complaint
    type_text(qtbot, dialog.amount, "３５.５")
    assert "¥35.50" in dialog.tier.text() and "前台经理" in dialog.tier.text()
    type_text(qtbot, dialog.reason, "牛奶变质,退货")
    dialog.supplier.setCurrentText("伊利乳业")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.refund_id is not None
    [line] = desk.refunds.refunds_of_case(case_id)
    assert (str(line.amount), line.level, line.status) == (
        "35.50", ApprovalLevel.FRONT_DESK, RefundStatus.PENDING,
    )


def test_a_request_with_errors_says_where(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(case_id))
    show(qtbot, dialog)
    type_text(qtbot, dialog.amount, "-5")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.refund_id is None
    assert dialog.errors.text("amount")
    assert "原因" in dialog.errors.text("reason")
    assert desk.refunds.refunds_of_case(case_id) == []


def test_the_dialog_shows_the_receipt_total_tier_and_signers(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    second = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    dialog = open_approval(qtbot, desk, second)
    text = dialog.summary.text()
    assert "¥80.00" in text
    assert "主管副店长" in text
    assert dialog.receipt_table.rowCount() == 2


@pytest.mark.parametrize(
    ("amount", "username", "password"),
    [("50.00", "front", PASSWORD), ("200.00", "deputy", PASSWORD), ("2000.00", "boss", "secret1")],
)
def test_approval_at_each_tier(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, amount: str, username: str,
    password: str,
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(amount))
    dialog = open_approval(qtbot, desk, refund_id)
    sign(qtbot, dialog, username, password)
    assert dialog.refusal.text() == ""
    assert status_of(desk, case_id) is RefundStatus.APPROVED


def test_a_wrong_password_is_refused(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    sign(qtbot, dialog, "front", "nope")
    assert "用户名或密码" in dialog.refusal.text()
    assert dialog.password.text() == ""
    assert status_of(desk, case_id) is RefundStatus.PENDING


def test_a_role_below_the_tier_is_refused(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("150.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    sign(qtbot, dialog, "front", PASSWORD)
    assert "无权审批" in dialog.refusal.text()
    assert status_of(desk, case_id) is RefundStatus.PENDING


def test_the_requester_cannot_approve_their_own_refund(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.deputy, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    sign(qtbot, dialog, "deputy", PASSWORD)
    assert "申请人" in dialog.refusal.text()
    assert status_of(desk, case_id) is RefundStatus.PENDING


def test_a_locked_account_is_refused(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, clock: FakeClock
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    for _ in range(5):
        sign(qtbot, dialog, "front", "wrong")
    sign(qtbot, dialog, "front", PASSWORD)
    assert "锁定" in dialog.refusal.text()
    assert status_of(desk, case_id) is RefundStatus.PENDING
    clock.now += timedelta(minutes=6)
    sign(qtbot, dialog, "front", PASSWORD)
    assert status_of(desk, case_id) is RefundStatus.APPROVED


def test_rejection_needs_a_reason_and_a_confirmation_and_is_final(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    type_text(qtbot, dialog.username, "front")
    type_text(qtbot, dialog.password, PASSWORD)
    dialog.reject_button.click()
    assert "理由" in dialog.errors.text("comment")
    type_text(qtbot, dialog.comment, "超过退货期")
    monkeypatch.setattr(ApprovalDialog, "confirm_rejection", lambda self: False)
    dialog.reject_button.click()
    assert status_of(desk, case_id) is RefundStatus.PENDING
    monkeypatch.setattr(ApprovalDialog, "confirm_rejection", lambda self: True)
    dialog.reject_button.click()
    assert status_of(desk, case_id) is RefundStatus.REJECTED
    assert "已驳回" in dialog.outcome and "赵经理" in dialog.outcome
    again = open_approval(qtbot, desk, refund_id)
    sign(qtbot, again, "boss", "secret1")
    assert "已驳回" in again.refusal.text()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_after_the_password_never_decides(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, key: Qt.Key
) -> None:
    """Found: the default button was 驳回, so password + Enter rejected the refund."""
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    type_text(qtbot, dialog.username, "front")
    type_text(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, key)
    qtbot.keyClick(dialog.username, key)
    assert status_of(desk, case_id) is RefundStatus.PENDING
    assert dialog.isVisible()
    assert not any(b.isDefault() or b.autoDefault() for b in
                   (dialog.approve_button, dialog.reject_button, dialog.cancel_button))


def test_ctrl_enter_with_a_reason_typed_asks_before_approving(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found: a rejection's reason typed into the comment, then Ctrl+Enter, approved the
    refund with that reason as its comment."""
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    type_text(qtbot, dialog.username, "front")
    type_text(qtbot, dialog.password, PASSWORD)
    type_text(qtbot, dialog.comment, "顾客自己摔坏的,不予退货")
    asked: list[bool] = []
    monkeypatch.setattr(ApprovalDialog, "confirm_approval_with_comment",
                        lambda self: asked.append(True) or False)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked == [True]
    assert status_of(desk, case_id) is RefundStatus.PENDING
    monkeypatch.setattr(ApprovalDialog, "confirm_approval_with_comment", lambda self: True)
    dialog.approve_button.click()
    assert status_of(desk, case_id) is RefundStatus.APPROVED


def test_enter_in_the_user_name_moves_to_the_password(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    """Found: Enter after the user name stayed there, and the password typed next showed in
    clear text in the user-name field."""
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    type_text(qtbot, dialog.username, "front")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.password.hasFocus()


def test_after_approval_the_desk_is_told_who_signed_at_which_level(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    sign(qtbot, dialog, "front", PASSWORD)
    assert "已批准" in dialog.outcome
    assert "前台经理/助理" in dialog.outcome and "赵经理" in dialog.outcome


def test_an_odd_item_quantity_is_a_message_not_a_crash(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(case_id))
    show(qtbot, dialog)
    type_text(qtbot, dialog.amount, "10")
    type_text(qtbot, dialog.reason, "退货")
    dialog.supplier.setCurrentText("伊利乳业")
    dialog.set_item(0, "伊利纯牛奶 250ml", "", "²", "10")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.refund_id is None
    assert "数量" in dialog.errors.text("items")


def test_a_refused_request_is_explained_in_the_dialog(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    from tests.builders import a_draft

    fresh = desk.cases.register(staff.clerk, a_draft(amount_paid="100")).case_id
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(fresh))
    show(qtbot, dialog)
    type_text(qtbot, dialog.amount, "10")
    type_text(qtbot, dialog.reason, "退货")
    dialog.supplier.setCurrentText("伊利乳业")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.refund_id is None
    assert "第3步" in dialog.refusal.text()


def test_the_head_office_path(qtbot: QtBot, desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    assert dialog.head_office_reference.isVisible()
    assert "集团驳回" in dialog.reject_button.text()
    sign(qtbot, dialog, "boss", "secret1")
    assert "集团签批人" in dialog.errors.text("head_office_approver")
    type_text(qtbot, dialog.head_office_approver, "周副总")
    type_text(qtbot, dialog.head_office_reference, "JT-2026-018")
    sign(qtbot, dialog, "deputy", PASSWORD)
    assert "店长" in dialog.refusal.text()
    sign(qtbot, dialog, "boss", "secret1")
    assert status_of(desk, case_id) is RefundStatus.APPROVED
    assert "周副总" in dialog.outcome


def test_head_office_rejection_is_recorded_too(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    monkeypatch.setattr(ApprovalDialog, "confirm_rejection", lambda self: True)
    type_text(qtbot, dialog.head_office_approver, "周副总")
    type_text(qtbot, dialog.head_office_reference, "JT-2026-019")
    type_text(qtbot, dialog.username, "boss")
    type_text(qtbot, dialog.password, "secret1")
    type_text(qtbot, dialog.comment, "超过期限")
    dialog.reject_button.click()
    assert status_of(desk, case_id) is RefundStatus.REJECTED


def test_the_queue_groups_pending_refunds_by_level(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    other = a_worked_case(desk, staff, receipt_no="R0002", amount_paid="500")
    desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    desk.refunds.request(staff.clerk, other, a_refund("300.00", receipt_no=""))
    page = RefundQueuePage(desk, staff.deputy)
    show(qtbot, page)
    groups = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert groups[0].startswith("店长")
    assert "您可审批" not in groups[0]
    assert groups[1].startswith("前台经理") and "您可审批" in groups[1]
    assert "其中您可审批 1 笔" in page.summary.text()


def test_where_head_office_is_connected_its_account_signs_in_the_same_dialog(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services.refunds import RefundService

    # A store on a server head office reaches (PostgreSQL): the UI suite runs on SQLite.
    monkeypatch.setattr(RefundService, "_head_office_connected", lambda self: True)
    desk.accounts.provision_head_office("hq", "钱副总", PASSWORD, PASSWORD)  # head office's own
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    dialog = open_approval(qtbot, desk, refund_id)
    assert not dialog.head_office_reference.isVisible()
    assert "集团主管营运副总用本人账户签批" in dialog.summary.text()
    sign(qtbot, dialog, "boss", "secret1")
    assert "本人账户签批" in dialog.refusal.text()
    assert status_of(desk, case_id) is RefundStatus.PENDING
    sign(qtbot, dialog, "hq", PASSWORD)
    assert status_of(desk, case_id) is RefundStatus.APPROVED
    assert "钱副总" in dialog.outcome


def test_a_request_on_a_case_not_yet_judged_is_refused_before_anything_is_typed(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found on a real X server: Ctrl+R opened the request on a case not yet judged, and the
    refusal came only after the items, amount and reason were typed (then thrown away)."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui import case_refunds_tab
    from desktop_app.ui.case_dialog import CaseDialog
    from tests.builders import a_draft

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: said.append(text))
    opened: list[object] = []
    monkeypatch.setattr(case_refunds_tab, "RefundRequestDialog",
                        lambda *args: opened.append(args))
    fresh = desk.cases.register(staff.clerk, a_draft(amount_paid="100")).case_id
    dialog = CaseDialog(desk, staff.clerk, fresh)
    show(qtbot, dialog)
    dialog.refunds.on_request_clicked()
    assert opened == []
    assert said and "第3步" in said[0]


def test_a_manager_signing_at_their_own_session_types_only_the_password(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int
) -> None:
    """Found on a real X server: the logged-in manager typed their user name again. It is
    offered only to an account that may sign this refund; the password is asked always."""
    from tests.ui.typing import focused

    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("30.00"))
    dialog = ApprovalDialog(desk, refund_id, logged_in=staff.front_desk)
    show(qtbot, dialog)
    assert dialog.username.text() == "front"
    assert focused() is dialog.password
    type_text(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert status_of(desk, case_id) is RefundStatus.APPROVED
    others = desk.refunds.request(staff.clerk, case_id, a_refund("20.00"))
    for account in (staff.clerk, staff.other_clerk):  # the requester; no signing role
        offered = ApprovalDialog(desk, others, logged_in=account)
        qtbot.addWidget(offered)
        assert offered.username.text() == ""


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_a_half_typed_amount_moves_on_and_never_submits(
    qtbot: QtBot, desk: Desk, staff: Staff, case_id: int, key: Qt.Key
) -> None:
    """Found on a real X server: "4" typed for 45.60 and Enter sent a ¥4.00 request for
    approval (it stays in the case's history even once rejected)."""
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(case_id))
    show(qtbot, dialog)
    type_text(qtbot, dialog.reason, "牛奶胀包,质量问题退货")
    type_text(qtbot, dialog.amount, "4")
    qtbot.keyClick(dialog.amount, key)
    assert dialog.refund_id is None and desk.refunds.refunds_of_case(case_id) == []
    assert dialog.isVisible() and not dialog.amount.hasFocus()
