"""The one registry of the month-end reports: key, title, which figures, PDF builder, sheet
builder and file name. The command line, the reports page, the 汇总 and the file names all read
it, so a report's title is typed once.

The builders are imported when a report is printed, not when this registry is read: reportlab
and openpyxl stay out of the window's start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line reads this registry at every start: only names here
    from desktop_app.domain.report_figures import Month
    from desktop_app.domain.report_package import MonthFigures

Progress = Callable[[int, int], None]
PdfWriter = Callable[["MonthFigures", Any, datetime, "Progress | None"], None]
SheetWriter = Callable[[Any, "MonthFigures", datetime], None]


def _lazy(module: str, function: str) -> Callable[..., None]:
    def call(*args: Any) -> None:
        getattr(importlib.import_module(f"desktop_app.reports.{module}"), function)(*args)

    return call


@dataclass(frozen=True)
class ReportKind:
    key: str  # on the command line: report returns
    title: str  # printed as 《title》
    button: str  # the reports page's export button
    sheet_name: str  # the workbook's sheet (Excel allows 31 characters)
    figures: Callable[[MonthFigures], object]  # this report's part of the month's figures
    write_pdf: PdfWriter  # (figures, path or file object, printed at, progress)
    write_sheet: SheetWriter  # (openpyxl workbook, figures, printed at)
    number: int  # place in the package: the 汇总 comes first

    def file_name(self, month: Month) -> str:
        return f"{month.key}-{self.number}-{self.title}.pdf"


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        key="summary", title="月度报表汇总", button="汇总(主管店长)", sheet_name="汇总",
        figures=lambda data: data, number=1,
        write_pdf=_lazy("summary_pdf", "write_summary"),
        write_sheet=_lazy("monthly_xlsx", "summary_sheet"),
    ),
    ReportKind(
        key="returns", title="顾客退换货月报表", button="退换货月报表", sheet_name="退换货月报",
        figures=lambda data: data.returns, number=2,
        write_pdf=_lazy("monthly_pdf", "write_returns"),
        write_sheet=_lazy("monthly_xlsx", "returns_sheet"),
    ),
    ReportKind(
        key="special", title="特殊情况退换货详情统计表", button="特殊情况统计表",
        sheet_name="特殊情况", figures=lambda data: data.special, number=3,
        write_pdf=_lazy("monthly_pdf", "write_special"),
        write_sheet=_lazy("monthly_xlsx", "special_sheet"),
    ),
    ReportKind(
        key="quality", title="商品质量退换货详情统计表", button="商品质量统计表",
        sheet_name="商品质量", figures=lambda data: data.quality, number=4,
        write_pdf=_lazy("monthly_pdf", "write_quality"),
        write_sheet=_lazy("monthly_xlsx", "quality_sheet"),
    ),
    ReportKind(
        key="stats", title="顾客投诉月度统计表", button="投诉月度统计表", sheet_name="投诉统计",
        figures=lambda data: data.stats, number=5,
        write_pdf=_lazy("stats_pdf", "write_stats"),
        write_sheet=_lazy("monthly_xlsx", "stats_sheet"),
    ),
)
KINDS_BY_KEY: dict[str, ReportKind] = {kind.key: kind for kind in REPORT_KINDS}
TITLES: dict[str, str] = {kind.key: kind.title for kind in REPORT_KINDS}


def kind(key: str) -> ReportKind:
    """The registered report ``key``; ``KeyError`` names the known ones."""
    try:
        return KINDS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown report {key!r}; known: {', '.join(KINDS_BY_KEY)}") from None


def workbook_name(month: Month) -> str:
    return f"{month.key}-月度报表.xlsx"
