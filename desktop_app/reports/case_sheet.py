"""The printable 《顾客接待登记表》 of one case, for the customer to sign (顾客确认).

``CaseSheet`` takes the register's fields as (label, value) pairs in the paper form's order (the
case service decides the labels). Any text prints: markup characters as typed, control
characters dropped, characters the font lacks as □, and text longer than a page continues on
the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desktop_app.domain.report_package import chain_line, store_line
from desktop_app.reports.paged_table import MIN_CUT_HEIGHT
from desktop_app.reports.pdf_layout import (
    HEADER_FILL,
    Target,
    build_pdf,
    content_width,
    grid_style,
    header_block,
    signature_lines,
    title_block,
)
from desktop_app.reports.text_block import TextBlock

TITLE = "顾客接待登记表"
FONT_SIZE = 9
SIGNERS = ("顾客确认", "接待员签字")
CONFIRMATION = "以上登记内容已向顾客宣读(或由顾客阅读),顾客确认无误。"
CARE_NOTE = "本表须保持完好无损,严禁随意撕改;更正须另行登记并注明原因。"


@dataclass(frozen=True)
class CaseSheet:
    """One case as printed: the register's (label, value) pairs in the paper form's order."""

    store_name: str
    case_no: str
    printed_at: str
    fields: Sequence[tuple[str, str]]
    account: str  # the customer's account, in their words
    workflow: Sequence[tuple[str, str]]  # (step, what was recorded)
    refunds: Sequence[str] = ()
    # The register's head when printed (登记簿校验码 N:HEX16): the paper anchors the file.
    chain_head: str = ""


def write_case_sheet(sheet: CaseSheet, target: Target) -> None:
    """Print the register of one case on A4 portrait, to a file path or binary file object."""
    width = content_width(wide=False)
    story: list[Flowable] = [
        *title_block(f"《{TITLE}》", []),
        header_block(store_line(sheet.store_name), f"案件编号:{sheet.case_no}",
                     f"打印时间:{sheet.printed_at}", width),
        *([header_block("", "", chain_line(sheet.chain_head), width)]
          if sheet.chain_head else []),
        _fields_table(sheet.fields, width),
        Spacer(1, 3 * mm),
        _block("顾客陈述(顾客原话)", sheet.account, width),
        Spacer(1, 3 * mm),
        _steps_table("处理经过", sheet.workflow, width),
    ]
    if sheet.refunds:
        story += [Spacer(1, 3 * mm), _block("退换货与赔偿", "\n".join(sheet.refunds), width)]
    story.append(KeepTogether([
        Spacer(1, 5 * mm),
        TextBlock(CONFIRMATION, FONT_SIZE),
        signature_lines(SIGNERS, width, date_line=True),
        Spacer(1, 4 * mm),
        TextBlock(CARE_NOTE, 7.5),
    ]))
    build_pdf(target, story, title=f"{TITLE} {sheet.case_no}",
              footer_left=f"{TITLE}  {sheet.case_no}  打印时间:{sheet.printed_at}")


def _table(rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]]) -> Table:
    # No repeated header rows: a cell longer than the rest of the page is cut (splitInRow)
    # and continues on the next page, and a repeated header would then print above the cut.
    table = Table(rows, colWidths=widths, splitInRow=MIN_CUT_HEIGHT)
    table.setStyle(TableStyle([*grid_style(header_rows=0), *commands]))
    return table


def _fields_table(fields: Sequence[tuple[str, str]], width: float) -> Table:
    """The labelled fields, two to a line: label | value | label | value."""
    pairs = list(fields)
    if len(pairs) % 2:
        pairs.append(("", ""))
    rows = [
        [TextBlock(left[0], FONT_SIZE), TextBlock(left[1], FONT_SIZE),
         TextBlock(right[0], FONT_SIZE), TextBlock(right[1], FONT_SIZE)]
        for left, right in zip(pairs[0::2], pairs[1::2], strict=True)
    ]
    label, value = width * 0.15, width * 0.35
    return _table(rows or [["", "", "", ""]], [label, value, label, value], [
        ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
        ("BACKGROUND", (2, 0), (2, -1), HEADER_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])


def _block(title: str, text: str, width: float) -> Table:
    """A titled box of free text."""
    rows = [[TextBlock(title, FONT_SIZE + 1, bold=True)], [TextBlock(text or "(无)", FONT_SIZE)]]
    return _table(rows, [width], [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
    ])


def _steps_table(title: str, steps: Sequence[tuple[str, str]], width: float) -> Table:
    """The steps recorded so far (step | what was recorded), under a title across both columns."""
    rows: list[list[Any]] = [[TextBlock(title, FONT_SIZE + 1, bold=True), ""]]
    rows += [[TextBlock(step, FONT_SIZE), TextBlock(text, FONT_SIZE)] for step, text in steps]
    if not steps:
        rows.append([TextBlock("尚无处理记录", FONT_SIZE), ""])
    return _table(rows, [width * 0.18, width * 0.82], [
        ("SPAN", (0, 0), (1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        *([("SPAN", (0, 1), (1, 1))] if not steps else []),
    ])
