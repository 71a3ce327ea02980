"""Phones are shown in full only where they are needed: the queue masks them for everyone but
managers, the monthly reports and the workbook mask any phone in free text, the register sheet
the customer signs shows it whole. Reports hold nothing of an erased customer."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from desktop_app.domain.cases import Step
from desktop_app.domain.refunds import SpecialReason
from desktop_app.domain.register import ERASED
from desktop_app.domain.report_figures import Month
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.cases import QueueQuery
from desktop_app.services.desk import Desk
from desktop_app.services.printing import print_case_sheet
from desktop_app.services.reports import REPORT_KINDS
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock
from tests.integration.privacy_scenario import NAME, PHONE

MASKED = "139****4321"
NOVEMBER = Month(2026, 11)


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, without any white space (cells wrap lines)."""
    result = subprocess.run(["pdftotext", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return "".join(result.stdout.split())


def workbook_text(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )


def customer_with_a_special_refund(desk: Desk, staff: Staff) -> int:
    """A case of NAME whose approved special-case refund mentions her phone in its detail."""
    case_id = a_worked_case(desk, staff, customer_name=NAME, customer_phone=PHONE)
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
        "30.00", is_special=True, special_reason=SpecialReason.PAST_PERIOD,
        special_detail=f"顾客来电 {PHONE} 说明情况,超过七天,店长特批",
    ))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    return case_id


def export_all(desk: Desk, folder: Path) -> tuple[dict[str, str], str]:
    """Each report's text by its key, and the workbook's cells."""
    keys = [kind.key for kind in REPORT_KINDS]
    written = desk.reports.export(NOVEMBER, keys, folder, desk.clock())
    pdfs = {key: pdf_text(path) for key, path in zip(keys, written, strict=False)}
    [book] = [path for path in written if path.suffix == ".xlsx"]
    return pdfs, workbook_text(book)


def test_the_queue_masks_phones_for_clerks_and_shows_them_to_managers(
    desk: Desk, staff: Staff
) -> None:
    a_worked_case(desk, staff, customer_name=NAME, customer_phone=PHONE)
    today = desk.clock().date()

    def phones(viewer: object) -> list[str]:
        rows = desk.cases.queue_page(QueueQuery(), today, 0, 50, viewer=viewer)  # type: ignore[arg-type]
        return [row.customer_phone for row in rows]

    assert phones(staff.clerk) == [MASKED]
    assert phones(None) == [MASKED]
    for manager in (staff.front_desk, staff.deputy, staff.boss):
        assert phones(manager) == [PHONE]
    # Searching by the whole number still finds the case; the row stays masked for a clerk.
    rows = desk.cases.queue_page(QueueQuery(search=PHONE), today, 0, 50, viewer=staff.clerk)
    assert [(row.customer_name, row.customer_phone) for row in rows] == [(NAME, MASKED)]


def test_monthly_reports_and_the_workbook_mask_phones_in_free_text(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    customer_with_a_special_refund(desk, staff)
    pdfs, book = export_all(desk, tmp_path / "reports")
    assert f"顾客来电{MASKED}说明情况,超过七天" in pdfs["special"]
    for text in (*pdfs.values(), book):
        assert PHONE not in text
        assert NAME not in text
    assert MASKED in book


def test_the_register_sheet_the_customer_signs_shows_name_and_phone_in_full(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    case_id = a_worked_case(desk, staff, customer_name=NAME, customer_phone=PHONE)
    path = tmp_path / "sheet.pdf"
    print_case_sheet(desk.cases, desk.refunds, desk.settings, case_id, path, desk.clock())
    text = pdf_text(path)
    assert NAME in text and PHONE in text and MASKED not in text


def test_after_erasure_no_report_or_sheet_holds_the_customer(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Path
) -> None:
    case_id = customer_with_a_special_refund(desk, staff)
    desk.cases.record_step(staff.boss, case_id, Step.VOID, StepAnswer(text="顾客撤回投诉"))
    clock.now = datetime(2026, 11, 25, 9, 0)
    desk.privacy.erase_on_request(staff.boss, case_id, "顾客书面申请")

    pdfs, book = export_all(desk, tmp_path / "after")
    sheet = tmp_path / "sheet.pdf"
    print_case_sheet(desk.cases, desk.refunds, desk.settings, case_id, sheet, desk.clock())
    for text in (*pdfs.values(), book, pdf_text(sheet)):
        assert NAME not in text
        assert PHONE not in text
    assert ERASED in pdf_text(sheet)
    assert "案件已作废" in pdfs["special"]
