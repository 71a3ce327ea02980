"""The reports page: last month by default, a preview, export in the background."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.services.desk import Desk
from desktop_app.ui import reports_page
from desktop_app.ui.reports_page import ReportsPage
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


def test_last_month_is_previewed_and_exported_without_blocking(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(reports_page, "open_file", opened.append)
    page = ReportsPage(desk, staff.clerk)
    show(qtbot, page)
    assert page.month.date() == QDate(2026, 10, 1)
    preview = page.preview_text.toPlainText()
    assert "2026年10月" in preview and "1 笔" in preview and "¥42.00" in preview
    page.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(page.exported, timeout=30_000) as done:
        export_all = page.findChild(QPushButton, "export_all")
        assert export_all is not None
        export_all.click()
    written = done.args[0]
    assert len(written) == 4
    assert all(path.exists() for path in written)
    assert opened == [tmp_path / "out"]
    assert "已生成" in page.status.text()


def test_another_month_previews_its_own_figures(
    qtbot: QtBot, desk: Desk, staff: Staff, october_refund: None
) -> None:
    page = ReportsPage(desk, staff.clerk)
    show(qtbot, page)
    page.month.setDate(QDate(2026, 9, 1))
    assert "0 笔" in page.preview_text.toPlainText()
