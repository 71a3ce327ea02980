"""The case screen at a glance: facts in a grid, the statement on top, the ten steps as a
timeline, refunds and history in tables whose cells show in full and in Chinese."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QToolTip
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.case_timeline import State
from desktop_app.services.desk import Desk
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.cell_tooltips import cut_text
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.ui.typing import show

Step = rules.Step


def worked_case(desk: Desk, staff: Staff) -> int:
    case_id = desk.cases.register(
        staff.clerk, a_draft(amount_paid="5000", account="牛奶打开后有异味,要求退货并赔偿")
    ).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(staff.clerk, case_id, Step.DEPARTMENT,
                           StepAnswer(department_name="食品部"))
    desk.cases.record_step(staff.clerk, case_id, Step.CONFIRMATION,
                           StepAnswer(leader_name="李班长", text="确认变质"))
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    desk.refunds.decide(refund_id, "front", "pass123", True, "同意退货")
    return case_id


def open_dialog(qtbot: QtBot, desk: Desk, staff: Staff, case_id: int) -> CaseDialog:
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    return dialog


def cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_facts_sit_in_a_labelled_grid_under_the_statement(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    dialog = open_dialog(qtbot, desk, staff, worked_case(desk, staff))
    assert dialog.facts.statement.toPlainText() == "牛奶打开后有异味,要求退货并赔偿"
    assert dialog.facts.statement.font().pointSizeF() > dialog.font().pointSizeF()
    assert dialog.facts.fact("顾客姓名") == "张女士"
    assert dialog.facts.fact("实付金额") == "¥5,000.00"
    assert dialog.facts.fact("承诺答复日期") == "—"
    statement_bottom = dialog.facts.statement.geometry().bottom()
    name_label = dialog.facts.values["顾客姓名"]
    assert name_label.mapTo(dialog.facts, QPoint(0, 0)).y() > statement_bottom


def test_the_timeline_shows_done_steps_with_who_and_when_and_the_next_one(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    dialog = open_dialog(qtbot, desk, staff, worked_case(desk, staff))
    entries = dialog.timeline.entries
    done = [entry.title for entry in entries if entry.state is State.DONE]
    assert done[:3] == ["1 安抚顾客、赔礼道歉", "2 登记投诉内容", Step.NATURE.label]
    nature = entries[2]
    assert (nature.who, nature.when) == ("刘洋", "2026-11-24 10:00:00")
    assert nature.detail.split("\n") == ["投诉成立", "判断说明:成立"]
    [upcoming] = [entry for entry in entries if entry.state is State.NEXT]
    # Judged, given to 食品部 and confirmed by its team leader before the refund: 5 is next.
    assert upcoming.title == Step.CAUSE.label == dialog.step.currentText()
    assert "下一步" in dialog.timeline.text()
    assert all(row.isVisible() for row in dialog.timeline.rows[: len(entries)])


def test_refund_cells_show_in_full(qtbot: QtBot, desk: Desk, staff: Staff) -> None:
    dialog = open_dialog(qtbot, desk, staff, worked_case(desk, staff))
    dialog.tabs.setCurrentWidget(dialog.refunds)
    table = dialog.refunds.table
    qtbot.waitUntil(table.isVisible)
    assert cells(table, 2) == ["¥40.00"]
    assert cells(table, 3) == ["A20261124-0031"]
    assert cells(table, 8) == ["赵经理"]
    model = table.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            assert cut_text(table, model.index(row, column)) == "", model.index(row, column).data()


def test_the_history_is_in_chinese_with_yuan_and_full_times(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    dialog = open_dialog(qtbot, desk, staff, worked_case(desk, staff))
    history = dialog.history
    assert set(cells(history, 0)) == {"2026-11-24 10:00:00"}
    assert cells(history, 2)[:3] == ["登记", Step.NATURE.label, Step.NATURE.label]
    text = "\n".join(cells(history, 3) + cells(history, 4) + cells(history, 5))
    for english in ("amount_fen", "decided_by_id", "amount_paid_fen", "{", "refund#"):
        assert english not in text
    assert "小票号:A20261124-0031" in text and "退货 ¥40.00" in text
    assert "第 1 笔退换货" in cells(history, 3)
    assert any(cell.startswith("退货 ¥40.00") for cell in cells(history, 5))
    assert "已批准;意见:同意退货;签批人 赵经理" in cells(history, 5)


def test_a_cut_off_queue_cell_shows_its_whole_text_as_a_tooltip(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    desk.cases.register(staff.clerk, a_draft(product_name="伊利纯牛奶 250ml 十二盒装礼盒特惠装"))
    queue = CaseQueuePage(desk, staff.clerk)
    show(qtbot, queue)
    product = queue.model.index(0, 8)
    status = queue.model.index(0, 0)
    queue.table.setColumnWidth(8, 60)
    assert cut_text(queue.table, product) == "伊利纯牛奶 250ml 十二盒装礼盒特惠装"
    assert cut_text(queue.table, status) == ""  # the case number fits: no tooltip

    def hover(index: QModelIndex) -> str:
        where = queue.table.visualRect(index).center()
        at = queue.table.viewport().mapToGlobal(where)
        QApplication.sendEvent(queue.table.viewport(), QHelpEvent(QEvent.Type.ToolTip, where, at))
        return QToolTip.text() if QToolTip.isVisible() else ""

    assert hover(status) == ""
    assert hover(product) == "伊利纯牛奶 250ml 十二盒装礼盒特惠装"
    QToolTip.hideText()


def test_the_refund_queue_never_cuts_case_numbers(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    from desktop_app.ui.refund_queue_page import RefundQueuePage

    case_id = a_worked_case(desk, staff, amount_paid="5000", receipt_no="R-2026112400000031")
    desk.refunds.request(staff.clerk, case_id, a_refund("10.00", receipt_no="R-2026112400000031"))
    page = RefundQueuePage(desk, staff.boss)
    show(qtbot, page)
    page.tree.setColumnWidth(0, 30)
    page.tree.setColumnWidth(1, 30)
    page.refresh()
    child = page.tree.topLevelItem(0).child(0)
    model = page.tree.model()
    group = model.index(0, 0)
    for column in (0, 1):
        assert cut_text(page.tree, model.index(0, column, group)) == "", child.text(column)


def test_a_receipt_number_too_wide_for_its_column_is_cut_in_the_middle_not_clipped(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    """Found on a real X server: "0101-20261124-004" showed with its last digit clipped (a
    number has no place to wrap) and nothing said it was cut."""
    case_id = desk.cases.register(
        staff.clerk, a_draft(receipt_no="0101-20261124-0042")).case_id
    dialog = open_dialog(qtbot, desk, staff, case_id)
    label = dialog.facts.values["小票号"]
    assert dialog.facts.fact("小票号") == "0101-20261124-0042"
    assert label.toolTip() == "0101-20261124-0042"
    needed = label.fontMetrics().horizontalAdvance("0101-20261124-0042")
    dialog.splitter.setSizes([350, 1000])  # the facts squeezed narrower than the number
    qtbot.waitUntil(lambda: 30 < label.contentsRect().width() < needed)
    qtbot.waitUntil(lambda: "…" in label.text())
    assert label.text().startswith("0") and label.text().endswith("2")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    dialog.splitter.setSizes([2000, 200])
    qtbot.waitUntil(lambda: label.text() == "0101-20261124-0042")


def test_a_long_chinese_product_name_wraps_whole_in_a_narrow_column(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    """Found in review: a name without spaces was cut like a receipt number, though a line
    may break between Chinese characters."""
    name = "蒙牛特仑苏有机纯牛奶礼盒装250ml×12盒"
    case_id = desk.cases.register(staff.clerk, a_draft(product_name=name)).case_id
    dialog = open_dialog(qtbot, desk, staff, case_id)
    label = dialog.facts.values["商品名称"]
    dialog.splitter.setSizes([350, 1000])
    qtbot.waitUntil(lambda: label.contentsRect().width()
                    < label.fontMetrics().horizontalAdvance(name))
    qtbot.wait(50)
    assert label.text() == name
