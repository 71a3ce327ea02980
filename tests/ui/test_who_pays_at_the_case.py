"""Who pays, on the case screen and the refund request: the legal reference beside the demand
(its figures following the price, the purchase date and the amount typed), the charge-back of a
quality refund, and the staff liability entry (managers only)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.refunds import ChargeBack, RefundKind
from desktop_app.services.desk import Desk
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.charge_back_dialogs import ChargeBackActionDialog
from desktop_app.ui.liability_dialog import LiabilityDialog
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from tests.builders import (
    MILK_BARCODE,
    Staff,
    a_refund,
    a_service_compensation,
    a_worked_case,
    cashiers,
)
from tests.ui.typing import show, type_text


def case_screen(qtbot: QtBot, desk: Desk, actor: object, case_id: int) -> CaseDialog:
    dialog = CaseDialog(desk, actor, case_id)  # type: ignore[arg-type]
    show(qtbot, dialog)
    return dialog


@pytest.mark.parametrize(("bought", "within"), [("2026-11-17", True), ("2026-11-16", False)])
def test_the_case_screen_shows_the_remedies_beside_the_demand(
    qtbot: QtBot, desk: Desk, staff: Staff, bought: str, within: bool
) -> None:
    """Asked on 11-24: bought on the 17th is day 7 (a return), on the 16th day 8 (exchange or
    repair)."""
    case_id = a_worked_case(desk, staff, purchase_date=bought, product_barcode=MILK_BARCODE)
    dialog = case_screen(qtbot, desk, staff.clerk, case_id)
    assert any(dialog.tabs.tabText(i).startswith("法律参考") for i in range(dialog.tabs.count()))
    panel = dialog.legal
    assert "顾客诉求:退货退款" in panel.heading.text()
    assert panel.price.text() == "3.50"  # the milk's catalogue price, one unit
    text = panel.plain_text()
    if within:
        assert "购买后第 7 天,在七日内" in text and "退还价款 ¥3.50" in text
    else:
        assert "购买后第 8 天,已过七日" in text and "(本案不适用)" in text
    assert "增加赔偿 ¥500.00" in text  # fraud: three times 3.50 is below the minimum
    assert "《消费者权益保护法》第二十四条" in text
    panel.price.setText("200")
    assert "增加赔偿 ¥600.00" in panel.plain_text()
    type_text(qtbot, panel.cost, "15")
    assert "至少 ¥215.00" in panel.plain_text()


def test_food_safety_shows_the_tenfold_minimum_of_1000(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    case_id = a_worked_case(desk, staff, category=rules.Category.FOOD_SAFETY)
    panel = case_screen(qtbot, desk, staff.clerk, case_id).legal
    assert "赔偿金 ¥1,000.00" in panel.plain_text()
    panel.price.setText("100.01")
    assert "赔偿金 ¥1,000.10" in panel.plain_text()
    type_text(qtbot, panel.loss, "400")
    assert "赔偿金 ¥1,200.00" in panel.plain_text()


def test_the_refund_request_compares_the_amount_with_price_plus_cost(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="100.00")
    dialog = RefundRequestDialog(desk, staff.clerk, desk.cases.case(case_id))
    show(qtbot, dialog)
    panel = dialog.legal
    type_text(qtbot, dialog.amount, "40")
    assert panel.price.text() == "40.00"  # a return: the amount is the goods' price
    assert "本次申请 ¥40.00:已达到 V1 + C = ¥40.00" in panel.plain_text()
    type_text(qtbot, panel.cost, "10")
    assert "本次申请 ¥40.00:低于 V1 + C = ¥50.00,差 ¥10.00" in panel.plain_text()
    dialog.kind.setCurrentIndex(dialog.kind.findData(RefundKind.COMPENSATION))
    dialog.amount.clear()
    type_text(qtbot, dialog.amount, "60")
    assert panel.price.text() == "40.00"  # a compensation is not the price
    assert "已达到 V1 + C = ¥50.00" in panel.plain_text()


def test_the_charge_back_of_a_quality_refund_is_handled_from_the_case(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = a_worked_case(desk, staff)
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
        "10.00", is_quality=True, supplier_name="伊利乳业"))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    dialog = case_screen(qtbot, desk, staff.front_desk, case_id)
    dialog.refunds.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda *args: ("登记已扣款", True))
    action = dialog.refunds.on_charge_back_clicked()
    assert isinstance(action, ChargeBackActionDialog)
    type_text(qtbot, action.reference, "KK-01")
    action.on_ok_clicked()
    assert desk.charge_backs.line_of_refund(refund_id).state is ChargeBack.CHARGED  # type: ignore[union-attr]
    assert dialog.refunds.table.item(0, 9).text() == ChargeBack.CHARGED.label


def test_a_refund_that_is_no_quality_return_has_no_charge_back(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    case_id = a_worked_case(desk, staff)
    desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    dialog = case_screen(qtbot, desk, staff.front_desk, case_id)
    dialog.refunds.table.selectRow(0)
    assert dialog.refunds.on_charge_back_clicked() is None
    assert told == ["这笔不是已批准的商品质量退货,没有供应商扣款"]


def test_a_manager_names_who_bears_a_service_compensation(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    people = cashiers(desk, staff, "周红", "马超")
    case_id, _ = a_service_compensation(desk, staff, "20.00")
    clerk_screen = case_screen(qtbot, desk, staff.clerk, case_id)
    assert clerk_screen.refunds.liability_button.isHidden()
    screen = case_screen(qtbot, desk, staff.front_desk, case_id)
    screen.tabs.setCurrentIndex(1)
    assert screen.refunds.liability_button.isVisible()
    screen.refunds.liability_button.click()
    dialog = screen.refunds.liability_button.dialog
    assert isinstance(dialog, LiabilityDialog)
    assert "¥20.00" in dialog.compensation.currentText()
    dialog.person(0).setCurrentIndex(dialog.person(0).findData(people["周红"]))
    type_text(qtbot, dialog.field(0, 1), "70")
    type_text(qtbot, dialog.field(0, 2), "20")
    dialog.person(1).setCurrentIndex(dialog.person(1).findData(people["马超"]))
    type_text(qtbot, dialog.field(1, 1), "40")
    dialog.on_save_clicked()
    assert "合计 110% 超过 100%" in dialog.error.text()
    dialog.field(1, 1).clear()
    type_text(qtbot, dialog.field(1, 1), "30")
    with qtbot.waitSignal(screen.refunds.liability_button.recorded):
        dialog.on_save_clicked()
    lines = desk.liabilities.lines(staff.front_desk)
    assert [(line.staff, line.amount, line.penalty) for line in lines] == [
        ("周红", Decimal("14.00"), Decimal("20.00")), ("马超", Decimal("6.00"), Decimal("0.00"))]
    again = LiabilityDialog(desk, staff.front_desk, case_id)
    qtbot.addWidget(again)
    assert again.held.rowCount() == 2 and "已分担 100%" in again.compensation.currentText()


def test_a_case_without_a_service_compensation_has_nothing_to_share(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    case_id = a_worked_case(desk, staff)
    dialog = LiabilityDialog(desk, staff.boss, case_id)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert "没有已批准的服务赔偿" in dialog.error.text()
