"""Early warning through the real widgets: three complaints typed into the form raise a
warning the clerk is told of at save time; the manager sees the badge, acknowledges it with an
action on the 预警 page and closes it; the signer sees a repeat claimant in the approval
dialog; every bar of the analysis page opens the queue on its cases."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain.cases import Step
from desktop_app.domain.warning_rules import WarningAction, WarningStatus
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.case_list_dialog import CaseListDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.registration_page import RegistrationPage
from desktop_app.ui.warnings_page import AcknowledgeDialog, CloseDialog, WarningsPage
from tests.builders import MILK_BARCODE, Staff, a_draft, a_refund, a_worked_case
from tests.ui.typing import show, type_text


def notices() -> list[QMessageBox]:
    return [widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QMessageBox) and widget.objectName() == "warning_notice"
            and widget.isVisible()]


def register_milk_complaint(qtbot: QtBot, page: RegistrationPage, n: int) -> None:
    type_text(qtbot, page.customer_name, f"顾客{n}")
    type_text(qtbot, page.customer_phone, f"1390000{n:04d}")
    type_text(qtbot, page.receipt_no, f"F{n:05d}")
    type_text(qtbot, page.product_barcode, MILK_BARCODE)
    qtbot.keyClick(page.product_barcode, Qt.Key.Key_Return)
    assert page.product_name.text() == "伊利纯牛奶 250ml"
    type_text(qtbot, page.account, "牛奶打开后有异味")
    qtbot.keyClick(page.account, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.customer_name.text() == "", page.errors.text("customer_phone")


def test_the_third_complaint_typed_in_warns_the_clerk_and_reaches_the_manager(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = RegistrationPage(desk, staff.clerk)
    show(qtbot, page)
    for n in (1, 2):
        register_milk_complaint(qtbot, page, n)
        assert notices() == []
    register_milk_complaint(qtbot, page, 3)
    qtbot.waitUntil(lambda: bool(notices()))
    [box] = notices()
    assert "第 3 起:伊利纯牛奶 250ml,7 天内" in box.text()
    assert "TS-202611-0003" in box.text()
    box.button(QMessageBox.StandardButton.Ok).click()

    window = MainWindow(desk, staff.front_desk)
    show(qtbot, window)
    assert window.refresh_counts().warnings_waiting == 1
    row = window.page_titles.index("预警")
    assert "1 待处理" in window.navigation.item(row).text()
    warnings_page = window.show_page("预警")
    assert isinstance(warnings_page, WarningsPage)
    assert warnings_page.table.rowCount() == 1
    assert "伊利纯牛奶 250ml" in warnings_page.table.item(0, 1).text()
    assert warnings_page.cases.rowCount() == 3
    assert not warnings_page.close_button.isEnabled()

    monkeypatch.setattr(AcknowledgeDialog, "ask", classmethod(
        lambda cls, parent, line: (WarningAction.SHELF_CHECK, "食品部下架同批次检查")))
    warnings_page.acknowledge_button.click()
    [line] = desk.warnings.warnings()
    assert line.status is WarningStatus.ACKNOWLEDGED
    assert window.refresh_counts().warnings_waiting == 0
    assert window.navigation.item(row).text().endswith("预警")
    assert warnings_page.close_button.isEnabled()

    monkeypatch.setattr(CloseDialog, "ask", classmethod(
        lambda cls, parent, line: "同批次 48 箱已下架退回"))
    warnings_page.close_button.click()
    assert desk.warnings.warnings() == []
    closed = desk.warnings.warnings((WarningStatus.CLOSED,))
    assert closed[0].close_note == "同批次 48 箱已下架退回"
    assert warnings_page.table.rowCount() == 0


def test_a_clerk_does_not_see_the_warnings_or_the_analysis(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    window = MainWindow(desk, staff.clerk)
    show(qtbot, window)
    assert "预警" not in window.page_titles
    assert "投诉分析" not in window.page_titles


def test_the_receipt_field_shows_earlier_cases_of_the_same_receipt(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="Q2026-0042"))
    page = RegistrationPage(desk, staff.clerk)
    show(qtbot, page)
    history = page.findChild(QLabel, "receipt_history")
    assert history is not None and not history.isVisible()
    type_text(qtbot, page.receipt_no, "q2026－0042")  # typed another way: the same receipt
    page.receipt_no.editingFinished.emit()
    assert history.isVisible()
    assert "以前已投诉 1 次" in history.text()
    assert "TS-202611-0001" in history.text()


def test_the_signer_sees_a_repeat_claimant_and_this_year_s_refunds(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: object
) -> None:
    first = a_worked_case(desk, staff, amount_paid="300.00")
    approved = desk.refunds.request(staff.clerk, first, a_refund("40.00"))
    desk.refunds.decide(approved, "front", "pass123", approve=True, comment="同意")
    desk.cases.record_step(staff.clerk, first, Step.CAUSE, StepAnswer(text="变质"))
    second = a_worked_case(desk, staff, receipt_no="B2026-0002", amount_paid="80.00",
                           received_at=datetime(2026, 11, 24, 9, 58))
    pending = desk.refunds.request(staff.clerk, second, a_refund("30.00", receipt_no="B2026-0002"))
    dialog = ApprovalDialog(desk, pending)
    show(qtbot, dialog)
    text = dialog.findChild(QLabel, "claimant_text")
    assert text is not None
    assert "同一电话以前投诉 1 次" in text.text()
    assert "TS-202611-0001" in text.text()
    assert "2026 年已批准退款 1 笔,合计 ¥40.00" in text.text()
    assert "待审批" in text.text()
    assert dialog.findChild(object, "claimant_section").title().startswith("顾客再次投诉")


def test_every_bar_of_the_analysis_opens_the_queue_on_its_cases(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    for n in range(4):
        desk.cases.register(staff.clerk, a_draft(customer_phone=f"1380000{n:04d}",
                                                 receipt_no=f"Z{n:05d}"))
    window = MainWindow(desk, staff.boss)
    show(qtbot, window)
    page = window.show_page("投诉分析")
    page.period.setCurrentIndex(0)  # 本月
    assert page.result is not None and page.result.received == 4
    chart = page.products
    [drawn] = chart.drawn
    assert drawn.bar.label == "伊利纯牛奶 250ml" and drawn.bar.value == 4
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=chart.scene_point_of(drawn))
    qtbot.waitUntil(lambda: bool(page.findChildren(CaseListDialog)))
    [dialog] = page.findChildren(CaseListDialog)
    assert dialog.queue.model.rowCount() == 4
    assert "伊利纯牛奶 250ml" in dialog.windowTitle()
    assert chart.open_at(QPointF(-5, -5)) is None  # beside the bars: nothing opens
    [month] = [d for d in page.trend.drawn if d.bar.cases]
    assert month.bar.selection.category == "product_quality"
    assert month.bar.value == 4
