"""Every item model the screens show passes Qt's own model tester (qtmodeltester), the lazy
queue model while it fetches page after page as well."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.ui.accounts_page import AccountsPage
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.case_queue_page import HEADERS, CaseQueuePage, queue_cell
from desktop_app.ui.lazy_table import LazyTableModel
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.major_complaints import MajorComplaintsDialog
from desktop_app.ui.refund_queue_page import RefundQueuePage
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.conftest import FakeClock
from tests.ui.typing import show


def rows(count: int) -> list[tuple[int, str]]:
    return [(number, f"第 {number} 行") for number in range(count)]


def simple_cell(row: tuple[int, str], column: int, role: int) -> Any:
    return row[column] if role == 0 else None


def test_the_lazy_model_passes_while_it_fetches_every_page(
    qtmodeltester: ModelTester,
) -> None:
    data = rows(450)
    fetched: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> list[tuple[int, str]]:
        fetched.append((offset, limit))
        return data[offset:offset + limit]

    model = LazyTableModel(("编号", "内容"), simple_cell, page_size=200)
    model.reload(fetch)
    qtmodeltester.check(model)  # the tester itself calls fetchMore
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model)
    assert model.rowCount() == 450
    assert fetched[:3] == [(0, 200), (200, 200), (400, 200)]
    model.reload(lambda offset, limit: data[:10][offset:offset + limit])
    qtmodeltester.check(model)
    assert model.rowCount() == 10 and not model.canFetchMore()


def test_the_lazy_model_with_an_empty_result(qtmodeltester: ModelTester) -> None:
    model = LazyTableModel(("编号",), simple_cell)
    qtmodeltester.check(model)
    model.reload(lambda _offset, _limit: [])
    qtmodeltester.check(model)


def test_the_queue_model_on_real_cases_fetching_more(
    qtbot: QtBot, qtmodeltester: ModelTester, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    for number in range(7):
        desk.cases.register(staff.clerk, a_draft(received_at=clock.now,
                                                  is_major=number == 3,
                                                  promised_reply_date="2026-11-24"))
        clock.now += timedelta(minutes=1)
    clock.now += timedelta(days=1)
    queue = CaseQueuePage(desk, staff.clerk)
    model = LazyTableModel(HEADERS, queue_cell, page_size=3)
    queue.table.setModel(model)
    queue.model = model
    queue.refresh()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
        qtmodeltester.check(model)
    assert model.rowCount() == 7


def test_the_widgets_models_of_every_screen(
    qtbot: QtBot, qtmodeltester: ModelTester, desk: Desk, staff: Staff
) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="5000", is_major=True)
    desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    window = MainWindow(desk, staff.boss)
    show(qtbot, window)
    qtmodeltester.check(window.navigation.model())
    # The refund queue's QTreeWidget is left out: Qt's own QTreeModel answers hasChildren() for
    # every column of a group row and fails Qt's own tester (error test #3), whatever the page
    # puts in it. Its rows are checked through the page in test_refund_dialogs.
    assert RefundQueuePage(desk, staff.boss).tree.topLevelItemCount() == 1
    accounts = AccountsPage(desk, staff.boss)
    qtbot.addWidget(accounts)
    qtmodeltester.check(accounts.model)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.history.model())
    qtmodeltester.check(dialog.refunds.table.model())
    majors = MajorComplaintsDialog(desk, staff.boss, desk.cases.unacknowledged_major(staff.boss))
    qtbot.addWidget(majors)
    qtmodeltester.check(majors.cases.model())


def step_nature() -> tuple[Any, StepAnswer]:
    from desktop_app.domain.cases import Step

    return Step.NATURE, StepAnswer(text="成立")
