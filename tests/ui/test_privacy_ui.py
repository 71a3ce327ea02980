"""Customers' personal data on screen: the case screen's erase-on-request action (managers),
the masked phone in a clerk's queue, the retention setting, the start-of-day erasure beside the
window, and the record of a printed sheet and an export."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.domain.register import ERASED
from desktop_app.services.desk import Desk
from desktop_app.store import backup
from desktop_app.ui import case_dialog, reports_page
from desktop_app.ui.case_dialog import CaseDialog
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.integrity_watch import IntegrityWatch
from desktop_app.ui.privacy_dialog import ErasePersonDialog
from desktop_app.ui.reports_page import ReportsPage
from desktop_app.ui.settings_page import SettingsPage
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock
from tests.integration.privacy_scenario import (
    LATER,
    NAME,
    PHONE,
    closed_case,
    open_case,
    traces,
)
from tests.ui.typing import show, type_text


@pytest.fixture
def informed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def information(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", information)
    return shown


def entries_with_action(db_path: Path, action: str) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        return list(connection.execute(
            "SELECT actor, payload FROM register_entry WHERE action = ? ORDER BY seq", (action,)
        ))


def test_only_managers_see_the_erase_action_on_the_case_screen(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = closed_case(desk, staff, clock)
    for actor, offered in ((staff.clerk, False), (staff.front_desk, True), (staff.boss, True)):
        dialog = CaseDialog(desk, actor, case_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.erase_button.isVisible() is offered


def test_a_manager_erases_a_customer_on_request_from_the_case_screen(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    case_id = closed_case(desk, staff, clock)
    still_open = open_case(desk, staff, clock, NAME, PHONE)
    made = backup.make_backup(db_path, clock.now)
    dialog = CaseDialog(desk, staff.front_desk, case_id)
    show(qtbot, dialog)
    assert dialog.facts.values["顾客姓名"].text() == NAME

    dialog.erase_button.click()
    erase = dialog.erase_button.dialog
    assert isinstance(erase, ErasePersonDialog)
    qtbot.waitExposed(erase)
    assert desk.cases.case(case_id).case_no in erase.covers.text()
    assert desk.cases.case(still_open).case_no in erase.still_open.text()
    erase.erase_button.click()
    error = erase.findChild(QLabel, "error_reason")
    assert error is not None and "删除原因" in error.text()
    assert desk.cases.case(case_id).customer_name == NAME

    type_text(qtbot, erase.reason, "顾客书面申请,编号 2024-007")
    with qtbot.waitSignal(dialog.changed, timeout=5_000):
        erase.erase_button.click()
    assert "已删除 1 个案件" in erase.outcome.text()
    assert "尚未结案" in erase.outcome.text()
    assert erase.backup_scrub is not None
    erase.backup_scrub.join(30)
    with contextlib.closing(sqlite3.connect(made)) as connection:
        rows = dict(connection.execute('SELECT id, customer_name FROM "case"').fetchall())
    # The backup keeps the open case (still being handled), not the erased one.
    assert (rows[case_id], rows[still_open]) == (ERASED, NAME)
    assert dialog.facts.values["顾客姓名"].text() == ERASED
    assert dialog.windowTitle().endswith(ERASED)
    assert desk.register.verify().ok


def test_a_clerks_queue_masks_the_phone_and_a_managers_shows_it(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    open_case(desk, staff, clock, NAME, PHONE, moment=clock.now)
    for actor, shown in ((staff.clerk, "139****4321"), (staff.deputy, PHONE)):
        queue = CaseQueuePage(desk, actor)
        qtbot.addWidget(queue)
        queue.show()  # the rows are read when the page is shown
        assert queue.model.index(0, 3).data() == shown
        assert queue.model.index(0, 2).data() == NAME


def test_the_retention_period_is_set_on_the_settings_page(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock, informed: list[str]
) -> None:
    closed_case(desk, staff, clock, moment=datetime(2025, 6, 1, 10, 0))
    clock.now = datetime(2026, 7, 2, 9, 0)
    page = SettingsPage(desk, staff.boss)
    show(qtbot, page)
    box = page.retention
    assert box.months.value() == 24 and box.shelf_life.value() == 24
    assert box.due.text() == "目前到期待删除:0 个案件"
    box.months.setValue(13)
    box.shelf_life.setValue(0)
    box.save_button.click()
    assert desk.privacy.policy().months == 13
    assert box.due.text() == "目前到期待删除:1 个案件"
    assert "结案后保留 13 个月" in informed[-1]


def test_the_days_erasure_runs_beside_the_window_before_the_backup(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    case_id = closed_case(desk, staff, clock)
    earlier = backup.make_backup(db_path, datetime(2026, 7, 1, 8, 0))
    clock.now = LATER
    watch = IntegrityWatch(db_path, LATER, backup=True, pages_checked=True)
    watch.privacy = desk.privacy
    with (qtbot.waitSignal(watch.finished, timeout=30_000),
          qtbot.waitSignal(watch.backup_made, timeout=30_000) as made):
        watch.start()
    watch.stop()
    assert desk.cases.case(case_id).customer_name == ERASED
    todays = Path(made.args[0])
    assert traces(todays, NAME, PHONE) == set()
    assert traces(earlier, NAME, PHONE) == set()
    assert traces(db_path, NAME, PHONE) == set()
    assert desk.register.verify().ok


def test_printing_the_sheet_and_exporting_reports_leave_an_entry(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock, db_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = a_worked_case(desk, staff)
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("42.00"))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    sheet = tmp_path / "sheet.pdf"
    monkeypatch.setattr(case_dialog, "ask_pdf_path", lambda *_args: sheet)
    monkeypatch.setattr(case_dialog, "open_file", lambda _path, _parent=None: True)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    qtbot.addWidget(dialog)
    assert dialog.on_export_clicked() == sheet
    [(actor, payload)] = entries_with_action(db_path, "printed")
    assert actor == "刘洋" and sheet.name in payload
    printed: list[Path] = []
    monkeypatch.setattr(case_dialog, "print_pdf",
                        lambda path, _parent: printed.append(path) or True)
    assert dialog.on_print_clicked()
    assert len(printed) == 1 and len(entries_with_action(db_path, "printed")) == 2

    monkeypatch.setattr(reports_page, "open_file", lambda *_: True)
    page = ReportsPage(desk, staff.deputy,
                       settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(page.exported, timeout=60_000):
        page.export(["returns"], workbook=False)
    [(actor, payload)] = entries_with_action(db_path, "exported")
    assert actor == "孙副店长" and "月度报表" in payload
    assert desk.register.verify().ok
