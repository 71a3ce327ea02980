"""The one-page 汇总 at the front of the month-end package, for the store manager (主管店长):
each report's totals, the statistics' headline figures, and the register's chain head."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from desktop_app.domain.report_package import (
    MonthFigures,
    summary_lines,
)
from desktop_app.reports.kinds import REPORT_KINDS, TITLES, Progress, kind
from desktop_app.reports.pdf_layout import (
    Target,
    build_pdf,
    content_width,
    monthly_opening,
    signature_lines,
)
from desktop_app.reports.table_report import Column, Section, paged_table, table_lines
from desktop_app.reports.text_block import TextBlock

COLUMNS = (Column("项目", 95), Column("本月", 75, right=True))
SIGNATURES = ("制表人", "前台经理", "主管店长")


def summary_sections(data: MonthFigures) -> list[Section]:
    sections: dict[str, list[list[str]]] = {}
    for line in summary_lines(data, TITLES):
        sections.setdefault(line.report, []).append([line.label, line.value])
    return [Section(heading=f"《{title}》", rows=rows) for title, rows in sections.items()]


def write_summary(
    data: MonthFigures, target: Target, printed_at: datetime, progress: Progress | None = None
) -> None:
    title = kind("summary").title
    width = content_width(False)
    lines = table_lines(title, COLUMNS, (), set(), summary_sections(data), ())
    package = "、".join(f"《{entry.title}》" for entry in REPORT_KINDS if entry.key != "summary")
    story = monthly_opening(title, ["呈主管店长 · 集团营运部"], data.store_name,
                            data.month.label, data.cutoff_note, printed_at, width)
    story += [
        TextBlock(f"随附:{package}。笔 = 退款笔数,件 = 商品件数。", 8.5),
        Spacer(1, 2 * mm),
        paged_table(COLUMNS, lines, width, False),
        Spacer(1, 4 * mm),
        # The signatures go with the register's head they sign for, never alone on a page.
        KeepTogether([
            TextBlock(data.chain_label, 11, bold=True),
            TextBlock(
                "登记簿校验码是打印时登记簿最后一条记录的编号和它的校验值(前 16 位),本月各报表"
                "页脚印有同一校验码。日后可与服务台电脑上登记簿该编号的记录核对:不符即说明登记簿"
                "在打印之后被改动过。", 8.5),
            Spacer(1, 8 * mm),
            signature_lines(SIGNATURES, width),
        ]),
    ]
    build_pdf(target, story, title=title, wide=False,
              footer_left=f"{data.store_name}  {title}  {data.month.label}",
              footer_note=data.chain_label)
    if progress is not None:
        progress(1, 1)
