"""扣款与责任, driven through the real widgets: a supplier's balance and lines, a deduction, a
waiver and an amount change through their dialogs, the month's notices, an improvement order
followed up until done, the staff liability tab and its statements; managers only."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QPlainTextEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.domain.charge_backs import LedgerAction
from desktop_app.domain.improvement import FollowUpState
from desktop_app.domain.liability import LiabilityAction, LiabilityStatus, ShareDraft
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import Month
from desktop_app.services.desk import Desk
from desktop_app.ui.charge_back_dialogs import ChargeBackActionDialog
from desktop_app.ui.improvement_dialogs import FormDialog
from desktop_app.ui.ledger_page import LedgerPage
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.rows_table import ALERT
from tests.builders import Staff, a_refund, a_service_compensation, a_worked_case, cashiers
from tests.conftest import FakeClock
from tests.reports.pdf_reading import body_text, page_texts
from tests.ui.typing import show, type_text

NOVEMBER = Month(2026, 11)


@pytest.fixture
def quality(desk: Desk, staff: Staff) -> list[int]:
    """Two approved quality returns of 伊利乳业 and one of 鲜丰: their ledger lines' ids."""
    lines = []
    for amount, receipt, supplier in (("10.00", "A-001", "伊利乳业"),
                                      ("25.00", "A-002", "伊利乳业"),
                                      ("7.00", "A-003", "鲜丰农产品有限公司")):
        case_id = a_worked_case(desk, staff, receipt_no=receipt)
        refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
            amount, receipt_no=receipt, is_quality=True, supplier_name=supplier))
        desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
        line = desk.charge_backs.line_of_refund(refund_id)
        assert line is not None
        lines.append(line.line_id)
    return lines


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name,
                            lambda _parent, _title, text, *args: said.append(text))
    monkeypatch.setattr("desktop_app.ui.ledger_common.open_file", lambda path: True)
    return said


def page_for(qtbot: QtBot, desk: Desk, actor: object) -> LedgerPage:
    page = LedgerPage(desk, actor)  # type: ignore[arg-type]
    show(qtbot, page)
    page.suppliers.month.setDate(page.suppliers.month.date().addMonths(1))  # November
    return page


def test_the_page_is_for_managers_and_the_staff_tab_too(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    for account, sees in ((staff.clerk, False), (staff.front_desk, True), (staff.boss, True)):
        window = MainWindow(desk, account)
        qtbot.addWidget(window)
        assert ("扣款与责任" in window.page_titles) is sees
        assert LedgerPage.visible_to(account) is sees
    page = LedgerPage(desk, staff.front_desk)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(index) for index in range(page.tabs.count())] == [
        "供应商扣款", "责令改善", "员工责任"]


def test_each_supplier_shows_its_balance_and_lines(
    qtbot: QtBot, qtmodeltester: ModelTester, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    page = page_for(qtbot, desk, staff.front_desk)
    tab = page.suppliers
    qtmodeltester.check(tab.balances)
    qtmodeltester.check(tab.lines)
    suppliers = [tab.balances.text_at(row, 0) for row in range(tab.balances.rowCount())]
    assert suppliers[:2] == ["伊利乳业", "鲜丰农产品有限公司"]  # largest balance first
    assert tab.balances.text_at(0, 1) == "¥35.00"
    assert tab.lines.rowCount() == 2 and tab.selected_line() == quality[1]  # newest first
    assert "伊利乳业:尚欠 ¥35.00" in tab.summary.text()
    assert "质量退货批准" in tab.history.toPlainText()
    # A front-desk manager may change an amount and record a deduction, not waive or undo.
    assert [made.isEnabled() for made in tab.action_buttons.values()] == [
        True, True, False, False]
    assert "只有店长" in tab.action_buttons[LedgerAction.WAIVE].toolTip()


def test_the_case_and_receipt_numbers_are_shown_whole(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    """Found: case numbers, receipt numbers and states cut to "TS-202611-…" even with the
    window maximised."""
    page = page_for(qtbot, desk, staff.front_desk)
    view, lines = page.suppliers.line_view, page.suppliers.lines
    for column in range(lines.columnCount() - 1):  # the last one stretches
        # The cell's own size hint: the text and the cell's padding.
        assert view.columnWidth(column) >= view.sizeHintForColumn(column), \
            lines.text_at(0, column)


def test_a_deduction_is_recorded_through_its_dialog(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    page = page_for(qtbot, desk, staff.front_desk)
    tab = page.suppliers
    tab.action_buttons[LedgerAction.CHARGE].click()
    dialog = tab.dialog
    assert isinstance(dialog, ChargeBackActionDialog)
    dialog.on_ok_clicked()
    assert dialog.errors.text("deduction_ref") == "请填写扣款单号(或对账单、发票号)"
    type_text(qtbot, dialog.reference, "KK-202611-001")
    dialog.on_ok_clicked()
    assert dialog.result() == dialog.DialogCode.Accepted
    line = desk.charge_backs.line(quality[1])
    assert (line.state, line.deduction_ref, line.deducted_on) == (
        ChargeBack.CHARGED, "KK-202611-001", date(2026, 11, 24))
    assert tab.balances.text_at(0, 1) in ("¥10.00", "¥7.00")
    assert "已扣款(KK-202611-001 2026-11-24)" in [
        tab.lines.text_at(row, 6) for row in range(tab.lines.rowCount())]


def test_enter_in_a_field_never_records_a_deduction_ctrl_enter_does(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    """As in the approval dialog: a clerk pressing Enter after the reference must not record
    money half-typed (the date and amount still to check); Ctrl+Enter is the OK key."""
    page = page_for(qtbot, desk, staff.front_desk)
    tab = page.suppliers
    dialog = tab.open_action(LedgerAction.CHARGE)
    assert isinstance(dialog, ChargeBackActionDialog)
    show(qtbot, dialog)
    type_text(qtbot, dialog.reference, "KK-202611-002")
    dialog.reference.setFocus()
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert desk.charge_backs.line(quality[1]).state is ChargeBack.PENDING
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert desk.charge_backs.line(quality[1]).deduction_ref == "KK-202611-002"


def test_the_store_manager_waives_with_a_reason_and_changes_an_amount(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    page = page_for(qtbot, desk, staff.boss)
    tab = page.suppliers
    waive = tab.open_action(LedgerAction.WAIVE)
    assert isinstance(waive, ChargeBackActionDialog)
    waive.on_ok_clicked()
    assert waive.errors.text("waive_reason") == "请写明免除原因"
    type_text(qtbot, waive.reason, "供应商已上门换货")
    waive.on_ok_clicked()
    assert desk.charge_backs.line(quality[1]).state is ChargeBack.WAIVED
    tab.line_view.selectRow(1)  # the older 10.00 line
    change = tab.open_action(LedgerAction.AMOUNT)
    assert isinstance(change, ChargeBackActionDialog)
    change.amount.setText("８.00")
    type_text(qtbot, change.reason, "只扣进价")
    change.on_ok_clicked()
    line = desk.charge_backs.line(quality[0])
    assert (line.amount, line.amount_note) == (Decimal("8.00"), "只扣进价")
    assert tab.balances.text_at(0, 1) == "¥8.00"


def test_the_months_notices_are_printed_from_the_page(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int], tmp_path: Path
) -> None:
    page = page_for(qtbot, desk, staff.front_desk)
    written = page.suppliers.print_notices(selected_only=False, folder=tmp_path)
    assert len(written) == 2
    notices = desk.charge_backs.notices(NOVEMBER)
    for notice, path in zip(notices, written, strict=True):
        text = body_text(page_texts(path)).replace(" ", "")
        assert f"合计(应扣):{len(notice.owed_lines)}笔¥{notice.totals.owed:,.2f}" in text
    [one] = page.suppliers.print_notices(selected_only=True, folder=tmp_path / "one")
    assert "伊利乳业" in one.name


def test_an_improvement_order_is_followed_up_until_done_from_the_page(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock, quality: list[int]
) -> None:
    page = page_for(qtbot, desk, staff.front_desk)
    issue = page.suppliers.open_order()  # from the chosen supplier's ledger
    assert isinstance(issue, FormDialog)
    issue.on_ok_clicked()
    assert issue.errors.text("requirement") == "请写明整改要求"
    requirement = issue.findChild(QPlainTextEdit, "requirement")
    assert requirement is not None
    type_text(qtbot, requirement, "牛奶批次抽检,提交整改报告")
    issue.on_ok_clicked()
    orders = page.orders
    assert orders.model.rowCount() == 1 and orders.model.text_at(0, 2) == "伊利乳业"
    assert orders.model.text_at(0, 4) == "2026-12-08"  # a fortnight
    clock.now = datetime(2026, 12, 9, 10, 0)
    orders.reload()
    assert orders.model.text_at(0, 0) == FollowUpState.OVERDUE.label
    assert orders.model.data(orders.model.index(0, 0),
                             Qt.ItemDataRole.BackgroundRole).color() == ALERT
    follow_up = orders.open_follow_up()
    assert isinstance(follow_up, FormDialog)
    note = follow_up.findChild(QPlainTextEdit, "note")
    type_text(qtbot, note, "供应商申请延期")
    follow_up.findChild(QCheckBox, "extend").setChecked(True)
    follow_up.on_ok_clicked()
    assert orders.model.text_at(0, 4) == "2026-12-16"
    assert "延期至 2026-12-16" in orders.follow_ups.toPlainText()
    done = orders.open_complete()
    assert isinstance(done, FormDialog)
    result = done.findChild(QPlainTextEdit, "result")
    type_text(qtbot, result, "抽检合格,恢复供货")
    done.on_ok_clicked()
    assert orders.model.rowCount() == 0  # only open orders are listed
    orders.open_only.setChecked(False)
    assert orders.model.text_at(0, 0) == "已完成"
    assert not orders.follow_up_button.isEnabled()
    assert desk.register.verify().ok


def test_the_staff_tab_settles_a_line_and_prints_statements(
    qtbot: QtBot, desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    people = cashiers(desk, staff, "周红", "马超")
    _, refund_id = a_service_compensation(desk, staff, "20.00")
    desk.liabilities.record(staff.front_desk, refund_id, [
        ShareDraft(people["周红"], "60", "20"), ShareDraft(people["马超"], "40")])
    page = page_for(qtbot, desk, staff.front_desk)
    tab = page.staff
    assert tab is not None
    tab.month.setDate(tab.month.date().addMonths(1))
    assert [tab.statements.text_at(row, 0) for row in range(tab.statements.rowCount())] == [
        "周红", "马超"]
    assert tab.statements.text_at(0, 3) == "¥32.00"
    tab.line_view.selectRow(0)
    assert [made.isEnabled() for made in tab.action_buttons.values()] == [True, False, False]
    settle = tab.open_action(LiabilityAction.SETTLE)
    assert isinstance(settle, FormDialog)
    reference = settle.findChild(QLineEdit, "settle_ref")
    type_text(qtbot, reference, "2026年11月工资扣回")
    settle.on_ok_clicked()
    assert desk.liabilities.lines(staff.front_desk)[0].status is LiabilityStatus.SETTLED
    assert tab.statements.text_at(0, 4) == "¥32.00"
    assert not tab.statement_button.isEnabled()
    tab.statement_view.selectRow(1)
    assert tab.statement_button.isEnabled()  # a person clicks the button, not the method
    [one] = tab.print_statements(selected_only=True, folder=tmp_path)
    assert "马超" in one.name
    assert len(tab.print_statements(selected_only=False, folder=tmp_path / "all")) == 2


def test_a_due_date_passes_while_the_page_is_open(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    from desktop_app.domain.improvement import OrderDraft, OrderTarget

    desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.DEPARTMENT, "收银部", "培训", date(2026, 11, 25)))
    page = page_for(qtbot, desk, staff.front_desk)
    assert page.orders.model.text_at(0, 0) == FollowUpState.DUE_SOON.label
    clock.now += timedelta(days=2)
    page.tabs.setCurrentIndex(0)
    page.tabs.setCurrentIndex(1)  # showing the tab again reads it afresh
    assert page.orders.model.text_at(0, 0) == FollowUpState.OVERDUE.label


def test_coming_back_to_the_page_shows_lines_approved_meanwhile(
    qtbot: QtBot, desk: Desk, staff: Staff, quality: list[int]
) -> None:
    page = page_for(qtbot, desk, staff.front_desk)
    assert page.suppliers.balances.text_at(0, 1) == "¥35.00"
    page.hide()
    case_id = a_worked_case(desk, staff, receipt_no="A-009")
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
        "5.00", receipt_no="A-009", is_quality=True, supplier_name="伊利乳业"))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    page.show()
    assert page.suppliers.balances.text_at(0, 1) == "¥40.00"
