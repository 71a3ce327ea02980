"""The three monthly reports on a known month: totals, month boundary, pages, embedded font."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.domain.refunds import RefundKind, SpecialReason
from desktop_app.domain.report_figures import Month
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock

OCTOBER = Month(2026, 10)
ROOT = Path(__file__).resolve().parents[2]


def approve_at(
    desk: Desk, staff: Staff, clock: FakeClock, moment: datetime, amount: str, **changes: object
) -> int:
    clock.now = moment
    case_id = a_worked_case(
        desk, staff, received_at=moment, purchase_date=f"{moment:%Y-%m-%d}",
        receipt_no=f"R{moment:%m%d%H%M%S}", amount_paid="500.00",
    )
    draft = a_refund(amount, receipt_no="", **changes)
    refund_id = desk.refunds.request(staff.clerk, case_id, draft)
    signer = staff.boss if Decimal(amount) > 50 else staff.front_desk
    desk.refunds.sign_as(signer, refund_id, True, "同意")
    return refund_id


@pytest.fixture
def october(desk: Desk, staff: Staff, clock: FakeClock) -> Desk:
    """Five refunds in October (one at 23:59:59 on the last day), one on 1 November 00:00:00,
    one in September, one rejected and one still pending."""
    approve_at(desk, staff, clock, datetime(2026, 9, 30, 23, 59, 59), "11.00")
    approve_at(desk, staff, clock, datetime(2026, 10, 1, 0, 0, 0), "10.00")
    approve_at(desk, staff, clock, datetime(2026, 10, 12, 10, 0), "120.50",
               is_quality=True, supplier_name="伊利乳业")
    approve_at(desk, staff, clock, datetime(2026, 10, 20, 15, 30), "30.00",
               kind=RefundKind.EXCHANGE, is_special=True,
               special_reason=SpecialReason.PAST_PERIOD, special_detail="超过七天,店长特批")
    approve_at(desk, staff, clock, datetime(2026, 10, 25, 9, 0), "45.00",
               kind=RefundKind.COMPENSATION, is_quality=True, supplier_name="鲜丰农产品有限公司")
    approve_at(desk, staff, clock, datetime(2026, 10, 31, 23, 59, 59), "5.50")
    approve_at(desk, staff, clock, datetime(2026, 11, 1, 0, 0, 0), "99.00")
    clock.now = datetime(2026, 10, 15, 12, 0)
    for receipt, amount in (("R-REJ", "7.00"), ("R-PEND", "8.00")):
        case_id = a_worked_case(desk, staff, received_at=clock.now, purchase_date="2026-10-15",
                                receipt_no=receipt, amount_paid="100.00")
        refund = desk.refunds.request(staff.clerk, case_id, a_refund(amount, receipt_no=""))
        if receipt == "R-REJ":
            desk.refunds.sign_as(staff.front_desk, refund, False, "不符合")
    clock.now = datetime(2026, 11, 24, 10, 0)
    return desk


def test_the_figures_count_only_the_months_approved_refunds(october: Desk) -> None:
    figures = october.reports.figures(OCTOBER)
    assert figures.returns.total.count == 5
    assert figures.returns.total.amount == Decimal("211.00")
    assert {line.approved_at for line in figures.returns.lines} >= {
        datetime(2026, 10, 1, 0, 0, 0), datetime(2026, 10, 31, 23, 59, 59)
    }
    by_kind = {subtotal.key: subtotal.amount for subtotal in figures.returns.by_kind}
    assert by_kind == {
        "退货": Decimal("136.00"), "换货": Decimal("30.00"), "赔偿": Decimal("45.00")
    }
    assert figures.special.total.amount == Decimal("30.00")
    assert [s.key for s in figures.special.by_reason] == ["超过退换货期限"]
    assert figures.quality.total.amount == Decimal("165.50")
    suppliers = [group.supplier for group in figures.quality.suppliers]
    assert suppliers == ["伊利乳业", "鲜丰农产品有限公司"]
    assert figures.quality.suppliers[0].lines[0].confirmation == "李班长 10-12 10:00"


def test_november_gets_the_refund_signed_at_midnight(october: Desk) -> None:
    figures = october.reports.figures(Month(2026, 11))
    assert figures.returns.total.amount == Decimal("99.00")


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_each_pdf_prints_its_totals_page_numbers_and_signatures(
    october: Desk, tmp_path: Path
) -> None:
    files = october.reports.export(OCTOBER, ["returns", "special", "quality"], tmp_path,
                                   datetime(2026, 11, 1, 8, 0))
    returns, special, quality, workbook = files
    text = "\n".join(pdf_text(returns))
    for expected in ("顾客退换货月报表", "测试店", "2026年10月", "打印日期:2026-11-01",
                     "本月合计:5 笔", "¥211.00", "按类型:退货 3 笔 ¥136.00", "制表人", "前台经理",
                     "店长", "第 1 页 / 共 1 页"):
        assert expected in text, expected
    assert "¥11.00" not in text and "¥99.00" not in text and "¥7.00" not in text
    special_text = "\n".join(pdf_text(special))
    assert "超过七天,店长特批" in special_text and "¥30.00" in special_text
    quality_text = "\n".join(pdf_text(quality))
    assert "小计 · 伊利乳业:1 笔" in quality_text and "¥165.50" in quality_text
    assert workbook.suffix == ".xlsx"


def test_the_font_is_embedded_in_every_report(october: Desk, tmp_path: Path) -> None:
    for path in october.reports.export(OCTOBER, ["returns", "special", "quality"], tmp_path,
                                       datetime(2026, 11, 1), workbook=False):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing and all(" yes " in line for line in listing), listing


def test_the_workbook_has_the_same_totals(october: Desk, tmp_path: Path) -> None:
    path = october.reports.export(OCTOBER, ["returns"], tmp_path, datetime(2026, 11, 1))[-1]
    book = load_workbook(path)
    sheet = book["退换货月报"]
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "合计"
    assert last[6] == pytest.approx(211.00)
    assert sheet.max_row == 3 + 5 + 1


def test_a_long_month_repeats_the_header_and_numbers_every_page(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Path
) -> None:
    for day in range(1, 29):
        for hour in (9, 11, 14, 16):
            approve_at(desk, staff, clock, datetime(2026, 10, day, hour), "1.00")
    path = desk.reports.export(OCTOBER, ["returns"], tmp_path, datetime(2026, 11, 1),
                               workbook=False)[0]
    pages = pdf_text(path)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
        assert "案件编号" in text  # the header row on every page
    assert "本月合计:112 笔" in pages[-1]


def test_the_command_line_writes_all_reports(october: Desk, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "all", "--month", "2026-10",
         "--db", str(db_path), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.pdf"))) == 3
    assert len(list(out.glob("*.xlsx"))) == 1


def test_months_parse_and_default_to_last_month() -> None:
    assert Month.parse("2026-10") == Month(2026, 10)
    assert Month.parse("202610") == Month(2026, 10)
    assert Month.before(date(2026, 1, 5)) == Month(2025, 12)
    assert Month(2026, 12).end == datetime(2027, 1, 1)
