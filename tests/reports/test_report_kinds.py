"""The registry of month-end reports and each report it names, printed from figures built in
the domain (no database): titles, file names, the chain head and cut-off on every page, the
statistics' table and charts, the one-page 汇总, headings that never end a page."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.app import build_parser
from desktop_app.domain.cases import CaseStatus, Category, Channel, Kind
from desktop_app.domain.complaint_stats import CaseFacts, MonthCount, complaint_stats
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import Month, ReturnLine, refund_figures
from desktop_app.domain.report_package import MonthFigures
from desktop_app.reports.kinds import KINDS_BY_KEY, REPORT_KINDS, kind, workbook_name
from desktop_app.reports.table_report import (
    Column,
    Section,
    TableReport,
    write_bare_table,
    write_table_report,
)
from tests.reports.pdf_reading import PAGE_LABEL, body_text, fonts_without_embedded_file, page_texts

OCTOBER = Month(2026, 10)
PRINTED = datetime(2026, 11, 2, 9, 0)
HEAD = "4711:0123456789abcdef"


def a_month(cutoff: datetime | None = None, lines: int = 6) -> MonthFigures:
    returns = [
        ReturnLine(
            refund_id=index // 2, approved_at=OCTOBER.start + timedelta(days=index % 28, hours=9),
            # The last line's refund was asked for without a receipt.
            case_no=f"TS-202610-{index // 2:04d}",
            receipt_no=f"R{index:04d}" if index < lines - 1 else "",
            product_name="伊利纯牛奶 250ml", barcode="6900000000017", quantity=2,
            amount=Decimal("3.50"), kind="退货", category="商品质量", department="食品部",
            level="前台经理/助理", approver="张丽", clerk="刘洋", is_quality=index % 3 == 0,
            supplier="伊利乳业",
            charge_back=ChargeBack.WAIVED if index == 0 else ChargeBack.PENDING,
            charge_back_note="样品,免扣" if index == 0 else "",
        )
        for index in range(lines)
    ]
    cases = [
        CaseFacts(case_no=f"C{index}", received_at=OCTOBER.start + timedelta(days=index),
                  kind=Kind.COMPLAINT, category=Category.FOOD_SAFETY, department="生鲜部",
                  channel=Channel.PHONE, is_major=index == 1, status=CaseStatus.IN_PROGRESS)
        for index in range(3)
    ]
    counts = [MonthCount(OCTOBER.key, Kind.COMPLAINT, False, 3),
              MonthCount(OCTOBER.shifted(-5).key, Kind.OPINION, False, 7)]
    now = cutoff or datetime(2026, 11, 2)
    return MonthFigures(
        month=OCTOBER, store_name="惠民生活超市", refunds=refund_figures(OCTOBER, returns),
        stats=complaint_stats(OCTOBER, cases, counts, now), chain_head=HEAD, cutoff=cutoff,
    )


def printed(key: str, data: MonthFigures, tmp_path: Path) -> Path:
    path = tmp_path / kind(key).file_name(data.month)
    kind(key).write_pdf(data, path, PRINTED, None)
    return path


def test_the_registry_names_each_report_once_with_the_summary_first() -> None:
    keys = [entry.key for entry in REPORT_KINDS]
    assert keys[0] == "summary"
    assert len(set(keys)) == len(keys) == len(KINDS_BY_KEY)
    assert len({entry.title for entry in REPORT_KINDS}) == len(keys)
    names = [entry.file_name(OCTOBER) for entry in REPORT_KINDS]
    assert names == sorted(names)  # a folder sorted by name shows the package in order
    assert all(name.startswith("2026-10-") and name.endswith(".pdf") for name in names)
    assert workbook_name(OCTOBER) not in names
    assert all(len(entry.sheet_name) <= 31 for entry in REPORT_KINDS)
    with pytest.raises(KeyError, match="known"):
        kind("nonsense")


def test_the_command_line_offers_exactly_the_registered_reports() -> None:
    parser = build_parser()
    for entry in REPORT_KINDS:
        assert parser.parse_args(["report", entry.key, "--out", "x"]).which == entry.key
    assert parser.parse_args(["report", "all", "--out", "x"]).which == "all"
    with pytest.raises(SystemExit):
        parser.parse_args(["report", "nonsense", "--out", "x"])


@pytest.mark.parametrize("key", [entry.key for entry in REPORT_KINDS])
def test_every_report_prints_its_title_and_the_chain_head_on_every_page(
    key: str, tmp_path: Path
) -> None:
    path = printed(key, a_month(lines=400), tmp_path)
    pages = page_texts(path)
    assert f"《{kind(key).title}》" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"登记簿校验码:{HEAD}" in page
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
    assert fonts_without_embedded_file(path) == []


@pytest.mark.parametrize("key", [entry.key for entry in REPORT_KINDS])
def test_a_month_not_yet_over_is_marked_on_every_report(key: str, tmp_path: Path) -> None:
    cutoff = datetime(2026, 10, 20, 15, 30)
    text = body_text(page_texts(printed(key, a_month(cutoff=cutoff), tmp_path)))
    assert "本月未结束,数据截至 2026-10-20 15:30" in text


def test_the_summary_is_one_page_with_each_reports_totals(tmp_path: Path) -> None:
    data = a_month()
    pages = page_texts(printed("summary", data, tmp_path))
    assert len(pages) == 1
    text = pages[0]
    for entry in REPORT_KINDS[1:]:
        assert f"《{entry.title}》" in text
    assert "3 笔 / 12 件 / ¥21.00" in text  # 6 lines of 2 items in 3 refunds
    assert "主管店长" in text and f"登记簿校验码:{HEAD}" in text


def test_the_statistics_table_and_charts_print(tmp_path: Path) -> None:
    text = "\n".join(page_texts(printed("stats", a_month(), tmp_path)))
    lines = text.split("\n")
    at = lines.index("本月受理(不含作废)")
    assert lines[at + 1: at + 4] == ["3", "0", "+3"]
    assert "投诉类别:本月与上月" in text and "近 12 个月受理趋势(不含作废)" in text
    assert "26/10" in text and "25/11" in text  # the trend's first and last month
    assert "本月 2026年10月" in text and "受理合计" in text  # the legends


def test_waivers_print_with_their_reason(tmp_path: Path) -> None:
    text = body_text(page_texts(printed("quality", a_month(), tmp_path))).replace(" ", "")
    assert "已免除:样品,免扣" in text
    assert "TS-202610-0000¥3.50:样品,免扣" in text


def test_a_refund_without_a_receipt_says_so_as_every_other_list_does(tmp_path: Path) -> None:
    text = body_text(page_texts(printed("returns", a_month(), tmp_path)))
    assert "(无小票)" in text


def test_a_section_heading_never_ends_a_page(tmp_path: Path) -> None:
    columns = (Column("编号", 30), Column("内容", 80))
    sections = [
        Section(f"组{group:03d}",
                [[f"行{group:03d}-{row}", "内容"] for row in range(group % 7 + 1)])
        for group in range(120)
    ]
    path = tmp_path / "sections.pdf"
    write_table_report(TableReport(title="分组", store_name="店", period="2026年10月",
                                   printed_on="2026-11-01", columns=columns,
                                   sections=sections, wide=False), path)
    pages = page_texts(path)
    assert len(pages) > 5
    for page in pages[:-1]:
        body = [line for line in page.split("\n")
                if line.startswith(("组", "行")) and not PAGE_LABEL.search(line)]
        assert body[-1].startswith("行"), body[-3:]


def test_the_bare_baseline_in_chunks_repeats_its_header_and_keeps_every_row() -> None:
    rows = [["编号", "内容"], *[[f"R{index:05d}", "退货"] for index in range(1200)]]
    target = io.BytesIO()
    write_bare_table(rows, target, chunk=500)
    pages = page_texts(target.getvalue())
    assert all(page.startswith("编号") for page in pages)
    found = [line.split(" ")[0] for page in pages for line in page.split("\n")
             if line.startswith("R")]
    assert found == [f"R{index:05d}" for index in range(1200)]
