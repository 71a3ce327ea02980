"""The printable 《顾客接待登记表》 of one case, for the customer to sign (顾客确认)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop_app.reports.pdf_fonts import printable, style
from desktop_app.reports.pdf_layout import (
    MARGIN,
    Target,
    build_pdf,
    cjk_cells,
    grid_style,
    title_block,
)

TITLE = "顾客接待登记表"


@dataclass(frozen=True)
class CaseSheet:
    store_name: str
    case_no: str
    printed_at: str
    fields: Sequence[tuple[str, str]]  # (label, value) in the paper form's order
    account: str
    workflow: Sequence[tuple[str, str]]  # (step, what was recorded)
    refunds: Sequence[str] = ()


def write_case_sheet(sheet: CaseSheet, target: Target) -> None:
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = title_block(
        f"《{TITLE}》", [f"{sheet.store_name}    案件编号:{sheet.case_no}"]
    )
    story.append(_fields_table(sheet.fields, width))
    story.append(Spacer(1, 3 * mm))
    story.append(_block("顾客陈述", sheet.account, width))
    if sheet.workflow:
        story.append(Spacer(1, 3 * mm))
        story.append(_rows_table("处理经过", sheet.workflow, width))
    if sheet.refunds:
        story.append(Spacer(1, 3 * mm))
        story.append(_block("退换货与赔偿", "\n".join(sheet.refunds), width))
    story.append(KeepTogether([Spacer(1, 8 * mm), _signatures(width)]))
    build_pdf(target, story, title=f"{TITLE} {sheet.case_no}",
              footer_left=f"{sheet.case_no}  打印时间:{sheet.printed_at}")


def _cell(text: str, bold: bool = False) -> Paragraph:
    return Paragraph(printable(text), style(9, bold=bold))


def _fields_table(fields: Sequence[tuple[str, str]], width: float) -> Table:
    label, value = width * 0.14, width * 0.36
    rows = []
    pairs = list(fields)
    for index in range(0, len(pairs), 2):
        left = pairs[index]
        right = pairs[index + 1] if index + 1 < len(pairs) else ("", "")
        rows.append([_cell(left[0]), _cell(left[1]), _cell(right[0]), _cell(right[1])])
    table = Table(rows, colWidths=[label, value, label, value])
    commands = grid_style(header_rows=0)
    commands += [("BACKGROUND", (0, 0), (0, -1), "#eeeeee"),
                 ("BACKGROUND", (2, 0), (2, -1), "#eeeeee")]
    table.setStyle(TableStyle(commands))
    return table


def _block(title: str, text: str, width: float) -> Table:
    table = Table([[_cell(title)], [_cell(text or "—")]], colWidths=[width])
    table.setStyle(TableStyle(grid_style(header_rows=1)))
    return table


def _rows_table(title: str, rows: Sequence[tuple[str, str]], width: float) -> Table:
    data = [[_cell(title), _cell("")]]
    data += [[_cell(step), _cell(text)] for step, text in rows]
    table = Table(data, colWidths=[width * 0.22, width * 0.78], repeatRows=1)
    commands = [*grid_style(header_rows=1), ("SPAN", (0, 0), (1, 0))]
    table.setStyle(TableStyle(commands))
    return table


def _signatures(width: float) -> Table:
    line = "_" * 18
    rows = [
        [_cell(f"顾客确认:{line}"), _cell(f"日期:{'_' * 12}")],
        [_cell(f"接待员签字:{line}"), _cell(f"日期:{'_' * 12}")],
    ]
    table = Table(rows, colWidths=[width * 0.6, width * 0.4])
    table.setStyle(TableStyle([*cjk_cells(), ("TOPPADDING", (0, 0), (-1, -1), 12)]))
    return table
