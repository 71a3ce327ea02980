"""The reports page: last month by default, a preview of the 汇总, export in the background, the
kinds from the registry, the output folder remembered, failures to open said in Chinese."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.domain.report_figures import Month
from desktop_app.reports.kinds import REPORT_KINDS, workbook_name
from desktop_app.services.desk import Desk
from desktop_app.ui import pdf_output, reports_page
from desktop_app.ui.reports_page import FOLDER_KEY, ReportsPage
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock
from tests.ui.typing import show


@pytest.fixture
def october_refund(desk: Desk, staff: Staff, clock: FakeClock) -> None:
    clock.now = datetime(2026, 10, 20, 10, 0)
    case_id = a_worked_case(desk, staff, received_at=clock.now, purchase_date="2026-10-19")
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("42.00"))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    clock.now = datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def warning(_parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def button(page: ReportsPage, name: str) -> QPushButton:
    found = page.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_last_month_is_previewed_and_exported_without_blocking(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, settings: QSettings, warnings: list[tuple[str, str]],
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(reports_page, "open_file", lambda path, *_: opened.append(path) or True)
    page = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, page)
    assert page.month.date() == QDate(2026, 10, 1)
    assert not page.files.isVisible()
    preview = page.preview_text.toPlainText()
    assert "2026年10月" in preview and "1 笔 / 1 件 / ¥42.00" in preview
    assert "登记簿校验码:" in preview
    page.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(page.exported, timeout=60_000) as done:
        button(page, "export_all").click()
    written = done.args[0]
    assert [path.name for path in written] == [
        *(entry.file_name(Month(2026, 10)) for entry in REPORT_KINDS),
        workbook_name(Month(2026, 10)),
    ]
    assert all(path.exists() for path in written)
    assert opened == [tmp_path / "out"]
    assert page.files.count() == len(written) and page.files.isVisible()
    assert warnings == []


def test_every_registered_report_has_its_button(
    qtbot: QtBot, desk: Desk, staff: Staff, settings: QSettings
) -> None:
    page = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, page)
    for entry in REPORT_KINDS:
        assert button(page, f"export_{entry.key}").text() == entry.button


def test_one_report_is_exported_alone_and_the_folder_is_remembered(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, settings: QSettings,
) -> None:
    monkeypatch.setattr(reports_page, "open_file", lambda *_: True)
    page = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, page)
    chosen = tmp_path / "每月报表"
    page.folder.setText(str(chosen))
    with qtbot.waitSignal(page.exported, timeout=60_000) as done:
        button(page, "export_stats").click()
    [written] = done.args[0]
    assert written.parent == chosen and "顾客投诉月度统计表" in written.name
    assert settings.value(FOLDER_KEY) == str(chosen)
    again = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, again)
    assert again.folder.text() == str(chosen)


def test_a_file_that_cannot_be_opened_is_said_in_chinese(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, settings: QSettings, warnings: list[tuple[str, str]],
) -> None:
    # A PC without a program for the file or the folder: said once, in Chinese (found on a
    # real X server: two warnings in a row said it).
    monkeypatch.setattr(pdf_output.QDesktopServices, "openUrl", lambda _url: False)
    page = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, page)
    page.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(page.exported, timeout=60_000):
        button(page, "export_returns").click()
    assert [title for title, _ in warnings] == ["无法打开"]
    assert "这台电脑" in warnings[0][1] and str(tmp_path / "out") in warnings[0][1]
    page.files.itemActivated.emit(page.files.item(0))
    assert len(warnings) == 2 and "顾客退换货月报表" in warnings[1][1]


def test_another_month_previews_its_own_figures(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None, settings: QSettings
) -> None:
    page = ReportsPage(desk, staff.clerk, settings=settings)
    show(qtbot, page)
    page.month.setDate(QDate(2026, 9, 1))
    assert "0 笔 / 0 件 / ¥0.00" in page.preview_text.toPlainText()
    page.month.setDate(QDate(2026, 11, 1))
    assert "本月未结束,数据截至 2026-11-24 10:00" in page.preview_text.toPlainText()
