"""A new store, from an empty file to the month's report, through the real widgets:
first run → set-up → import a small .xlsx → a quality complaint registered by scanning a
barcode → the department's confirmation → a refund → its approval → the month's report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.domain.refunds import RefundStatus
from desktop_app.domain.roles import Role
from desktop_app.domain.store_setup import SetupState, SetupStep
from desktop_app.services.database import open_desk_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store.connection import close_database
from desktop_app.ui.accounts_page import NewAccountDialog
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.first_run_dialog import FirstRunDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.master_data_page import MasterDataPage
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from desktop_app.ui.registration_page import RegistrationPage
from desktop_app.ui.reports_page import ReportsPage
from desktop_app.ui.setup_wizard import SetupWizard
from tests.conftest import FakeClock
from tests.ui.typing import focused, press_enter, show, type_here, type_text

MILK = "6901234567892"


@pytest.fixture
def empty_desk(db_path: Path, clock: FakeClock) -> Iterator[Desk]:
    assert not db_path.exists()
    opened = open_desk_database(db_path, clock())
    try:
        yield build_desk(opened.db, db_path, clock)
    finally:
        close_database()


def small_catalogue(path: Path) -> Path:
    """Three products as a POS exports them: a title line, then the header, barcodes as numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "商品资料"
    sheet.append(["惠民超市 商品资料导出"])
    sheet.append(["商品条码", "品名", "课别", "供货商", "零售价(元)"])
    sheet.append([int(MILK), "伊利纯牛奶 250ml×24", "食品部", "伊利乳业", 65])
    sheet.append([6901234567908, "海天金标生抽 500ml", "食品部", "海天味业", 9.9])
    sheet.append([6901234567915, "美的电水壶 1.7L", "家电部", "美的电器", 99])
    book.save(path)
    return path


def record_step(qtbot: QtBot, dialog: CaseDialog, step: rules.Step, text: str = "") -> None:
    dialog.step.setCurrentIndex(dialog.step.findData(step))
    if text:
        type_text(qtbot, dialog.text, text)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


# The team leaders' names pop up as the clerk types (a QCompleter popup); the offscreen platform
# cannot raise popups or grab the keyboard and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "does not support grabbing")
def test_a_new_store_sets_itself_up_and_reports_its_first_quality_refund(
    qtbot: QtBot, empty_desk: Desk, clock: FakeClock, tmp_path: Path
) -> None:
    desk = empty_desk
    assert desk.accounts.needs_first_run()

    # 1. First run: the store manager's own account.
    first = FirstRunDialog(desk.accounts)
    show(qtbot, first)
    type_text(qtbot, first.store_name, "惠民超市")
    type_text(qtbot, first.username, "wangjg")
    type_text(qtbot, first.display_name, "王建国")
    type_text(qtbot, first.password, "secret1")
    type_text(qtbot, first.confirm, "secret1")
    press_enter(qtbot, first.confirm)
    boss = first.account
    assert boss is not None and boss.role is Role.STORE_MANAGER

    # 2. The set-up opens at the departments (the store is named already) and imports the
    #    catalogue the store has.
    wizard = SetupWizard(desk, boss)
    show(qtbot, wizard)
    assert wizard.pages.currentIndex() == 1
    assert "还没有部门" in wizard.department_count.text()
    importing = wizard.on_import_clicked()
    with qtbot.waitSignal(importing.loaded, timeout=20_000):
        importing.load(small_catalogue(tmp_path / "商品资料.xlsx"))
    assert "新增 3 条" in importing.summary.text()
    assert "食品部、家电部" in importing.summary.text()
    with qtbot.waitSignal(importing.imported):
        importing.import_button.click()
    importing.close()
    assert wizard.department_count.text() == "已有 2 个部门"
    type_text(qtbot, wizard.department_name, "收银部")  # one that sells nothing, by hand
    press_enter(qtbot, wizard.department_name)  # on to the team leaders (none), the phone
    press_enter(qtbot, wizard.leaders)
    assert wizard.department_count.text() == "已有 2 个部门"
    press_enter(qtbot, wizard.phone)  # the last field: Enter adds
    assert wizard.department_count.text() == "已有 3 个部门"
    assert wizard.current_step() is SetupStep.DEPARTMENTS  # it does not move on
    assert wizard.focusWidget() is wizard.department_name  # ready for the next one
    wizard.next_button.click()
    assert wizard.current_step() is SetupStep.DEADLINE
    wizard.minutes.selectAll()
    qtbot.keyClicks(wizard.minutes, "20")
    wizard.next_button.click()
    assert wizard.result() == SetupWizard.DialogCode.Accepted
    assert desk.setup.facts().state is SetupState.DONE
    assert desk.settings.confirmation_minutes() == 20

    #    The team leaders who will confirm, filled in on the master-data page.
    window = MainWindow(desk, boss)
    show(qtbot, window)
    master = window.show_page("门店资料")
    assert isinstance(master, MasterDataPage)
    assert not master.setup_button.isVisible()
    tab = master.departments
    tab.select_row(0)
    editor = tab.on_edit_clicked()
    assert editor is not None and editor.findChild(type(tab.search), "name").text() == "食品部"
    leaders = editor.findChild(type(tab.search), "leaders")
    type_text(qtbot, leaders, "李明、王芳")
    editor.on_ok_clicked()
    assert tab.model.line_at(0).leaders == "李明、王芳"

    #    A clerk's account for the desk.
    new_account = NewAccountDialog(desk, boss)
    show(qtbot, new_account)
    type_text(qtbot, new_account.username, "liuyang")
    type_text(qtbot, new_account.display_name, "刘洋")
    new_account.role.setCurrentIndex(new_account.role.findData(Role.CLERK))
    type_text(qtbot, new_account.password, "pass123")
    type_text(qtbot, new_account.confirm, "pass123")
    new_account.on_ok_clicked()
    clerk = new_account.account
    assert clerk is not None

    # 3. The clerk registers a quality complaint by scanning the milk's barcode.
    desk_window = MainWindow(desk, clerk)
    show(qtbot, desk_window)
    assert "门店资料" not in desk_window.page_titles
    form = desk_window.show_page("登记投诉")
    assert isinstance(form, RegistrationPage)
    form.clear_form()
    type_here(qtbot, "张女士")
    press_enter(qtbot, focused())
    type_here(qtbot, "13812345678")
    press_enter(qtbot, focused())
    type_here(qtbot, "A20261124-0031")
    press_enter(qtbot, focused())
    type_here(qtbot, "2026-11-23")
    press_enter(qtbot, focused())
    type_here(qtbot, "65.00")
    type_text(qtbot, form.product_barcode, MILK)
    press_enter(qtbot, form.product_barcode)
    assert form.product_name.text() == "伊利纯牛奶 250ml×24"
    assert form.department_name.currentText() == "食品部"
    assert form.supplier_name.currentText() == "伊利乳业"
    assert form.category.currentData() is rules.Category.PRODUCT_QUALITY
    type_text(qtbot, form.account, "昨天买的牛奶,喝起来发酸,还没到保质期")
    with qtbot.waitSignal(form.registered) as saved:
        qtbot.keyClick(form.account, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    case_id = saved.args[0]

    # 4. The department is called and its team leader confirms at the desk.
    case = CaseDialog(desk, clerk, case_id)
    show(qtbot, case)
    record_step(qtbot, case, rules.Step.NATURE, "牛奶变酸属实")
    record_step(qtbot, case, rules.Step.DEPARTMENT)
    assert case.case.status is rules.CaseStatus.AWAITING_CONFIRMATION
    assert "李明、王芳" in case.deadline_line.text()
    clock.now += timedelta(minutes=8)
    case.load()
    case.step.setCurrentIndex(case.step.findData(rules.Step.CONFIRMATION))
    offered = case.leader_name.completer().model()
    assert [offered.index(row, 0).data() for row in range(offered.rowCount())] == ["李明", "王芳"]
    type_text(qtbot, case.leader_name, "李明")
    record_step(qtbot, case, rules.Step.CONFIRMATION, "班长到场确认变质")
    assert case.case.workflow["confirmation"]["leader"] == "李明"
    record_step(qtbot, case, rules.Step.CAUSE, "供应商该批次质量问题")
    record_step(qtbot, case, rules.Step.SOLUTION, "为顾客办理退货退款")

    # 5. The refund, asked for from the case; the supplier comes from the catalogue.
    request = RefundRequestDialog(desk, clerk, case.case)
    show(qtbot, request)
    assert request.is_quality.isChecked()
    assert request.supplier.currentText() == "伊利乳业"
    type_text(qtbot, request.amount, "65.00")
    type_text(qtbot, request.reason, "商品质量问题:牛奶变酸")
    qtbot.keyClick(request.amount, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert request.refund_id is not None

    # 6. The store manager approves it with their own password.
    clock.now += timedelta(minutes=10)
    approval = ApprovalDialog(desk, request.refund_id)
    show(qtbot, approval)
    type_text(qtbot, approval.username, "wangjg")
    type_text(qtbot, approval.password, "secret1")
    qtbot.keyClick(approval.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [line] = desk.refunds.refunds_of_case(case_id)
    assert line.status is RefundStatus.APPROVED

    # 7. The month's report holds it, in the returns and in the quality table per supplier.
    reports = ReportsPage(desk, boss)
    show(qtbot, reports)
    reports.month.setDate(QDate(clock.now.year, clock.now.month, 1))
    preview = reports.preview_text.toPlainText()
    assert "惠民超市" in preview
    assert "本月退换货合计:1 笔 / 1 件 / ¥65.00" in preview
    assert "商品质量退换货合计(质量退货标记):1 笔 / 1 件 / ¥65.00" in preview
    figures = desk.reports.figures(reports.selected_month())
    assert [group.supplier for group in figures.quality.suppliers] == ["伊利乳业"]
    [returned] = figures.returns.lines
    assert (returned.barcode, returned.department, returned.approver) == (MILK, "食品部", "王建国")
    assert clock.now.date() == datetime(2026, 11, 24).date()
