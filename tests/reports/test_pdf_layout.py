"""The table report every monthly document is built on: title and header block, a header row on
every page, totals, "第 x 页 / 共 y 页", signature lines, the embedded font, any text at all."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.money import format_yuan
from desktop_app.reports.pdf_fonts import MISSING, plain
from desktop_app.reports.table_report import (
    SIGNATURES,
    Column,
    Section,
    TableReport,
    bare_table,
    write_bare_table,
    write_table_report,
)
from desktop_app.reports.text_block import break_lines, text_width
from tests.reports.pdf_reading import (
    PAGE_LABEL,
    body_text,
    fonts_without_embedded_file,
    page_texts,
    pdffonts_rows,
)

COLUMNS = (
    Column("日期", 14), Column("案件编号", 26), Column("商品", 34), Column("数量", 10, right=True),
    Column("金额", 18, right=True),
)
HEADER = [column.title for column in COLUMNS]
HOSTILE = "顾客😡说\x00\x07:'); DROP TABLE case;-- <b>加粗</b> & \t其他"


def a_row(index: int) -> list[str]:
    return [f"10-{index % 28 + 1:02d}", f"TS-202610-{index:05d}", f"海天生抽{index}号",
            str(index % 3 + 1), format_yuan(Decimal(index) / 4)]


def a_report(rows: int = 5, **changes: object) -> TableReport:
    fields: dict[str, object] = {
        "title": "顾客退换货月报表", "store_name": "惠民生活超市(演示门店)", "period": "2026年10月",
        "printed_on": "2026-11-01", "columns": COLUMNS,
        "rows": [a_row(index) for index in range(1, rows + 1)], "wide": False,
    }
    fields.update(changes)
    return TableReport(**fields)  # type: ignore[arg-type]


def printed(report: TableReport, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    write_table_report(report, path)
    return page_texts(path)


def test_the_report_carries_its_title_store_month_date_and_every_row(tmp_path: Path) -> None:
    report = a_report(rows=40, total_rows=[["", "", "本月合计:40 笔", "80", "¥205.00"]])
    text = "\n".join(printed(report, tmp_path))
    for expected in ("《顾客退换货月报表》", "惠民生活超市(演示门店)", "2026年10月", "2026-11-01",
                     "本月合计:40 笔", "¥205.00", *HEADER):
        assert expected in text, expected
    lines = set(text.split("\n"))
    for row in report.rows:
        assert set(row) <= lines, row


def test_a_long_table_numbers_every_page_out_of_the_right_total(tmp_path: Path) -> None:
    pages = printed(a_report(rows=300), tmp_path)
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
        assert len(PAGE_LABEL.findall(text)) == 1


def test_the_header_row_repeats_at_the_top_of_every_page(tmp_path: Path) -> None:
    pages = printed(a_report(rows=300), tmp_path)
    for text in pages[1:]:
        lines = text.split("\n")
        assert lines[: len(HEADER)] == HEADER
        assert "《顾客退换货月报表》" not in text  # the title is printed once, on page 1


def test_rows_continue_across_pages_without_loss_or_repetition(tmp_path: Path) -> None:
    pages = printed(a_report(rows=300), tmp_path)
    case_numbers = [line for text in pages for line in text.split("\n")
                    if line.startswith("TS-202610-")]
    assert case_numbers == [f"TS-202610-{index:05d}" for index in range(1, 301)]


def test_sections_print_their_heading_rows_and_subtotals_in_order(tmp_path: Path) -> None:
    report = a_report(
        rows=0,
        sections=[
            Section("供应商:伊利乳业", [a_row(1), a_row(2)], [["", "", "小计:2 笔", "5", "¥0.75"]]),
            Section("供应商:海天味业", [a_row(3)], [["", "", "小计:1 笔", "1", "¥0.75"]]),
        ],
        total_rows=[["", "", "本月合计:3 笔", "6", "¥1.50"]],
    )
    lines = printed(report, tmp_path)[0].split("\n")
    order = [lines.index(text) for text in (
        "供应商:伊利乳业", "TS-202610-00001", "TS-202610-00002", "小计:2 笔",
        "供应商:海天味业", "TS-202610-00003", "小计:1 笔", "本月合计:3 笔",
    )]
    assert order == sorted(order)


def test_subtotal_and_total_rows_are_drawn_bold(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_table_report(a_report(rows=3), path)
    plain_page = PdfReader(path).pages[0].get_contents().get_data()
    write_table_report(a_report(rows=3, bold_rows={1}, total_rows=[["", "", "合计", "", ""]]),
                       path)
    bold_page = PdfReader(path).pages[0].get_contents().get_data()
    # Fill-then-stroke text (render mode 2) is how the one-weight font prints bold.
    assert bold_page.count(b"2 Tr") > plain_page.count(b"2 Tr")


def test_the_signature_lines_default_to_the_three_roles_and_can_be_changed(
    tmp_path: Path
) -> None:
    default = printed(a_report(), tmp_path)[-1]
    assert all(f"{role}:" in default for role in SIGNATURES)
    chosen = printed(a_report(signatures=("审核人", "集团主管营运副总")), tmp_path)[-1]
    assert "审核人:" in chosen and "集团主管营运副总:" in chosen
    assert "制表人" not in chosen
    assert "制表人" not in printed(a_report(signatures=()), tmp_path)[-1]


def test_notes_print_under_the_table(tmp_path: Path) -> None:
    text = printed(a_report(notes=["按类型:退货 3 笔 ¥1.50"]), tmp_path)[-1]
    lines = text.split("\n")
    assert lines.index("按类型:退货 3 笔 ¥1.50") > lines.index("TS-202610-00005")


def test_the_font_is_embedded_and_no_other_font_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_table_report(a_report(rows=100), path)
    assert fonts_without_embedded_file(path) == []
    rows = pdffonts_rows(path)
    if rows is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    assert rows, "pdffonts lists no font"
    for row in rows:
        assert "WenQuanYiMicroHei" in row and " yes yes yes " in row, row


def test_wide_reports_are_landscape_and_others_portrait(tmp_path: Path) -> None:
    for wide, landscape in ((True, True), (False, False)):
        path = tmp_path / f"{wide}.pdf"
        write_table_report(a_report(wide=wide), path)
        box = PdfReader(path).pages[0].mediabox
        assert (box.width > box.height) is landscape


def test_a_report_can_be_written_to_a_file_object(tmp_path: Path) -> None:
    target = io.BytesIO()
    write_table_report(a_report(), target)
    assert target.getvalue().startswith(b"%PDF")
    assert "第 1 页 / 共 1 页" in page_texts(target.getvalue())[0]


def test_progress_counts_rows_laid_out_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    write_table_report(a_report(rows=300), io.BytesIO(), progress=lambda *call: calls.append(call))
    assert len(calls) > 3
    assert calls[-1] == (300, 300)
    done = [call[0] for call in calls]
    assert done == sorted(set(done))
    assert {call[1] for call in calls} == {300}


def test_hostile_text_prints_as_typed_without_control_characters(tmp_path: Path) -> None:
    rows = [["10-01", HOSTILE, "很" * 10_000, "1", "¥1.00"], a_row(2)]
    pages = printed(a_report(rows=0, total_rows=rows), tmp_path)
    assert len(pages) > 1
    text = body_text(pages)
    assert "DROP TABLE case;--" in text
    assert "<b>加粗</b> &" in text
    assert f"顾客{MISSING}说" in text
    assert not any(char in text for char in "\x00\x07\t😡")
    assert text.count("很") == 10_000
    assert "TS-202610-00002" in text


@pytest.mark.parametrize("rows", range(38, 60))
def test_the_signatures_never_stand_alone_on_the_last_page(tmp_path: Path, rows: int) -> None:
    """Found: reports whose last page held only 制表人 / 前台经理 / 店长, apart from every
    figure they sign for."""
    pages = printed(a_report(rows, notes=["合计:以上各笔均已核对"]), tmp_path)
    assert "店长:" in pages[-1]
    assert "合计:以上各笔均已核对" in pages[-1]


def test_header_notes_and_signatures_longer_than_a_page_still_print(tmp_path: Path) -> None:
    huge = "店" * 10_000
    report = a_report(title=huge, store_name=huge, period=HOSTILE, notes=[huge],
                      signatures=[huge, "店长"])
    pages = printed(report, tmp_path)
    assert len(pages) > 3
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]
    assert "店长:" in "".join(pages)


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="row 2 has 2 cells"):
        write_table_report(a_report(rows=1, total_rows=[["合计", "¥1.00"]]), io.BytesIO())


def test_an_empty_month_prints_the_header_row_and_signatures(tmp_path: Path) -> None:
    text = printed(a_report(rows=0), tmp_path)[0]
    assert all(title in text for title in HEADER)
    assert "制表人:" in text and "第 1 页 / 共 1 页" in text


@pytest.mark.slow
def test_ten_thousand_rows_print_with_every_page_numbered(tmp_path: Path) -> None:
    path = tmp_path / "month.pdf"
    started = time.perf_counter()
    write_table_report(a_report(rows=10_000), path)
    elapsed = time.perf_counter() - started
    pages = page_texts(path)
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]
    assert "TS-202610-00001" in pages[0] and "TS-202610-10000" in pages[-1]
    assert all(text.startswith("日期\n案件编号") for text in pages[1:])
    # ≈3 s on a 2-core VM; the bound only catches a return to quadratic layout (≈6 s+).
    assert elapsed < 30


def test_the_bare_table_uses_the_same_font_and_repeats_its_header(tmp_path: Path) -> None:
    rows = [HEADER, *(a_row(index) for index in range(1, 201))]
    assert bare_table(rows).repeatRows == 1
    path = tmp_path / "bare.pdf"
    write_bare_table(rows, path)
    pages = page_texts(path)
    assert len(pages) > 1 and pages[1].startswith("日期")
    assert fonts_without_embedded_file(path) == []


def test_plain_drops_controls_and_marks_characters_the_font_lacks() -> None:
    assert plain("a\x00b\x07c\u200dd\ufeff") == "abcd"
    assert plain("一\r\n二\r三\t四") == "一\n二\n三 四"
    assert plain("😡\ufe0f👍") == MISSING * 2
    assert plain("'); DROP TABLE case;-- <b>&") == "'); DROP TABLE case;-- <b>&"


def test_lines_fit_their_width_and_punctuation_never_starts_a_line() -> None:
    closing = ",\uff0c\u3002\uff1b\u201d"  # , ， 。 ； ”
    text = "顾客反映,牛奶\uff0c有异味\u3002再来\uff1b他说\u201c好的\u3002\u201d" * 40
    text += "\n" + "x" * 300
    text += " barcode 6901234567892"
    for width in (80.0, 97.0, 120.0):
        lines = break_lines(text, width, 9)
        assert all(text_width(line, 9) <= width for line in lines)
        assert not any(line[:1] and line[0] in closing for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
        assert any("6901234567892" in line for line in lines)  # a number that fits is not cut
