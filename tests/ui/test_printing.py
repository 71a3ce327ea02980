"""The register sheet goes to a printer through Qt's print preview; PDF export stays; a file the
PC cannot open says so in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.reports.table_report import Column, TableReport, write_table_report
from desktop_app.services.desk import Desk
from desktop_app.ui import case_dialog, pdf_output, pdf_printing
from desktop_app.ui.case_dialog import CaseDialog
from tests.builders import Staff, a_draft
from tests.ui.boxes import BoxAnswers, when_modal
from tests.ui.typing import show

Answers = Callable[[QMessageBox.StandardButton | None], BoxAnswers]


def a_report(path: Path, rows: int) -> Path:
    report = TableReport(
        title="顾客退换货月报表", store_name="测试店", period="2026-10", printed_on="2026-11-01",
        columns=[Column("案件编号", 40), Column("商品", 60)],
        rows=[[f"TS-202610-{n:04d}", "伊利纯牛奶"] for n in range(rows)],
    )
    write_table_report(report, path)
    return path


def ink_on(path: Path, page: int) -> float:
    """The share of dark pixels on a page: a blank page has none."""
    document = pypdfium2.PdfDocument(str(path))
    image = pdf_printing.page_image(document, page, 40)
    dark = sum(
        1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() < 128
    )
    return dark / ((image.height() // 2) * (image.width() // 2))


def test_every_page_of_a_pdf_is_painted_on_the_printer(qtbot: QtBot, tmp_path: Path) -> None:
    source = a_report(tmp_path / "report.pdf", 120)
    document = pdf_printing.open_pdf(source)
    assert len(document) >= 2
    printer = pdf_printing.printer_for(document, source.name)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert pdf_printing.paint_pdf(document, printer) == len(document)
    assert len(pypdfium2.PdfDocument(str(printed))) == len(document)
    assert ink_on(printed, 0) > 0.005
    landscape = pypdfium2.PdfDocument(str(source))[0].get_size()
    assert pypdfium2.PdfDocument(str(printed))[0].get_size() == pytest.approx(landscape, abs=2)


def test_a_page_range_prints_only_those_pages(qtbot: QtBot, tmp_path: Path) -> None:
    document = pdf_printing.open_pdf(a_report(tmp_path / "report.pdf", 120))
    printer = pdf_printing.printer_for(document, "report.pdf")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setFromTo(2, 2)
    assert pdf_printing.paint_pdf(document, printer) == 1


def test_ctrl_p_shows_the_register_sheet_in_the_print_preview(
    qtbot: QtBot, desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    previewed: list[int] = []
    painted = tmp_path / "painted.pdf"

    def look_and_close(preview: QDialog) -> None:
        assert isinstance(preview, QPrintPreviewDialog)
        assert "顾客接待登记表-TS-202611-0001.pdf" in preview.windowTitle()
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(painted))
        preview.paintRequested.emit(printer)  # what the preview paints, painted once more
        previewed.append(len(pypdfium2.PdfDocument(str(painted))))
        preview.reject()

    when_modal(look_and_close)
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert previewed == [1]  # the one-page sheet
    assert ink_on(painted, 0) > 0.005


def test_the_printed_file_is_the_register_sheet(
    qtbot: QtBot, desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    seen: list[bytes] = []

    def fake_print(path: Path, _parent: object) -> bool:
        seen.append(path.read_bytes())
        return True

    monkeypatch.setattr(case_dialog, "print_pdf", fake_print)
    dialog = CaseDialog(desk, staff.clerk, case_id)
    show(qtbot, dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [sheet] = seen
    assert sheet.startswith(b"%PDF")
    text = "".join(page.get_textpage().get_text_range()
                   for page in pypdfium2.PdfDocument(sheet))
    assert "TS-202611-0001" in text and "顾客接待登记表" in text


def test_a_pdf_that_cannot_be_read_is_not_printed_and_says_why(
    qtbot: QtBot, tmp_path: Path, answer_boxes: Answers
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    answers = answer_boxes(QMessageBox.StandardButton.Ok)
    assert pdf_printing.print_pdf(broken, None) is False
    assert answers.texts and "无法读取" in answers.texts[0]


def test_a_file_without_a_viewer_says_so_in_chinese(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_boxes: Answers
) -> None:
    sheet = tmp_path / "登记表.pdf"
    sheet.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    answers = answer_boxes(QMessageBox.StandardButton.Ok)
    assert pdf_output.open_file(sheet) is False
    assert pdf_output.open_file(tmp_path) is False
    assert "没有PDF 阅读器" in answers.texts[0]
    assert "文件夹" in answers.texts[1]
