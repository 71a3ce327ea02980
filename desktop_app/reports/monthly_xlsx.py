"""The month's reports as one Excel workbook, a sheet per report, for head office staff who
re-key or re-add figures: the same lines, subtotals, 笔/件 counts and totals as the PDFs.

Amounts are exact numbers (yuan, two decimals) and dates real dates, so they sum and sort in
Excel; receipt numbers and barcodes are text, or Excel would show 6.9E+12. Every sheet has its
header row frozen and repeated on each printed page, column widths, and A4 landscape set-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.domain.complaint_stats import comparison_rows
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import (
    ChargeBackTotals,
    ReturnLine,
    Subtotal,
    Totals,
    totals,
)
from desktop_app.domain.report_package import (
    MonthFigures,
    month_line,
    printed_line,
    store_line,
    summary_lines,
)
from desktop_app.reports.kinds import REPORT_KINDS, TITLES, kind
from desktop_app.reports.report_words import (
    BY_CATEGORY,
    BY_SPECIAL_REASON,
    CHARGE_BACK_STATUS,
    ITEMS_COUNTED,
    OWED,
    REFUNDS_COUNTED,
    SUPPLIER_TOTALS,
    VOIDED,
    WAIVE_REASON,
    cut_text,
    reasons_text,
)

MONEY = "#,##0.00"
COUNT = "0"
DATE_TIME = "yyyy-mm-dd hh:mm"
TEXT = "@"
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
TOTAL_FILL = PatternFill("solid", fgColor="F0F0F0")
HEADER_ROW = 4  # title, heading, note, then the column header


@dataclass(frozen=True)
class Col:
    title: str
    width: float  # Excel character widths
    format: str = TEXT


def write_workbook(data: MonthFigures, path: Path, printed_at: datetime) -> None:
    """Every registered report as a sheet, in the package's order."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for entry in REPORT_KINDS:
        entry.write_sheet(book, data, printed_at)
    book.save(path)


class _Sheet:
    """A report sheet: title, heading and note rows, the frozen header, then rows."""

    def __init__(self, book: Workbook, key: str, data: MonthFigures, printed_at: datetime,
                 columns: Sequence[Col], note: str = "") -> None:
        entry = kind(key)
        self.sheet: Worksheet = book.create_sheet(entry.sheet_name)
        self.columns = columns
        self._last_row = 0  # openpyxl's max_row looks at every cell: quadratic if asked per row
        sheet = self.sheet
        self._append([f"《{entry.title}》"])
        sheet["A1"].font = TITLE_FONT
        heading = [store_line(data.store_name), month_line(data.month.label),
                   printed_line(printed_at), data.chain_label]
        if data.cutoff_note:
            heading.insert(2, data.cutoff_note)
        self._append(["    ".join(heading)])
        self._append([note])
        self._header(columns)
        # As text: asking for the cell would create it, and the rows would start one lower.
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[_letter(index)].width = column.width
        setup = sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
        sheet.oddFooter.right.text = data.chain_label

    def _append(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """Append a row and return its cells."""
        self.sheet.append(list(values))
        self._last_row += 1
        return tuple(self.sheet.cell(row=self._last_row, column=index)
                     for index in range(1, len(values) + 1))

    def _header(self, columns: Sequence[Col]) -> None:
        for cell in self._append([column.title for column in columns]):
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)

    def row(self, values: Sequence[Any], bold: bool = False,
            columns: Sequence[Col] | None = None) -> None:
        formats = columns or self.columns
        cells = self._append([_cell_value(value) for value in values])
        for cell, column in zip(cells, formats, strict=False):
            # A string cell is text whatever its format; styling only numbers and dates
            # halves the time of a 10,000-line sheet.
            if column.format != TEXT and cell.value is not None:
                cell.number_format = column.format
            if bold:
                cell.font = BOLD
                cell.fill = TOTAL_FILL

    def heading(self, text: str) -> None:
        self._append([None])
        self._append([text])[0].font = BOLD

    def table(self, heading: str, columns: Sequence[Col], rows: Sequence[Sequence[Any]],
              total_rows: Sequence[Sequence[Any]] = ()) -> None:
        """A subtotal table under the main one, with its own header row."""
        self.heading(heading)
        self._header(columns)
        for values in rows:
            self.row(values, columns=columns)
        for values in total_rows:
            self.row(values, bold=True, columns=columns)


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else ""
    return value


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


COUNT_COLS = (Col("项目", 30), Col(REFUNDS_COUNTED, 10, COUNT), Col(ITEMS_COUNTED, 10, COUNT),
              Col("金额", 14, MONEY))


def _count_rows(groups: Sequence[Subtotal]) -> list[list[Any]]:
    return [[group.key, group.refunds, group.items, group.amount] for group in groups]


def _total(label: str, total: Totals) -> list[Any]:
    return [label, total.refunds, total.items, total.amount]


# --- 汇总 -------------------------------------------------------------------------------------


def summary_sheet(book: Workbook, data: MonthFigures, printed_at: datetime) -> None:
    columns = (Col("报表", 28), Col("项目", 40), Col("本月", 36))
    sheet = _Sheet(book, "summary", data, printed_at, columns,
                   note="笔 = 退款笔数,件 = 商品件数。")
    for line in summary_lines(data, TITLES):
        sheet.row([f"《{line.report}》", line.label, line.value])
    sheet.row(["登记簿", "登记簿校验码(最后一条记录的编号:校验值前 16 位)", data.chain_head],
              bold=True)


# --- 顾客退换货月报表 ---------------------------------------------------------------------------

RETURNS_COLS = (
    Col("审批时间", 17, DATE_TIME), Col("案件编号", 16), Col("小票号", 18), Col("商品", 24),
    Col("条码", 16), Col("数量(件)", 8, COUNT), Col("金额", 12, MONEY), Col("类型", 7),
    Col("原因类别(案件)", 12), Col("部门", 10), Col("审批级别", 13), Col("审批人", 16),
    Col("集团签批(签批人 文号 日期)", 30), Col("经办人", 9), Col(VOIDED, 9),
    Col("服务赔偿责任人", 14), Col("质量退货", 8), Col("退款号", 8, COUNT),
)


def returns_sheet(book: Workbook, data: MonthFigures, printed_at: datetime) -> None:
    report = data.returns
    meaning = data.refunds.meaning
    sheet = _Sheet(
        book, "returns", data, printed_at, RETURNS_COLS,
        note=("“原因类别”为登记时的案件类别;类别“商品质量” "
              f"{meaning.category.refunds} 笔 ≠ 质量退货(供应商承担)"
              f"{meaning.flagged.refunds} 笔,后者见“{kind('quality').sheet_name}”表。"),
    )
    for line in report.lines:
        sheet.row([
            line.approved_at, line.case_no, receipt_label(line.receipt_no), line.product_name,
            line.barcode, line.quantity, line.amount, line.kind, line.category, line.department,
            line.level, line.approver, line.head_office, line.clerk, line.case_voided,
            line.responsible if line.is_service_compensation else "", line.is_quality,
            line.refund_id,
        ])
    sheet.row(_line_total(f"本月合计 {report.total.refunds} 笔", report.total), bold=True)
    if report.voided.refunds:
        sheet.row(_line_total(f"其中{VOIDED}的退款 {report.voided.refunds} 笔", report.voided),
                  bold=True)
    sheet.table("按类型", COUNT_COLS, _count_rows(report.by_kind), [_total("合计", report.total)])
    sheet.table(BY_CATEGORY, COUNT_COLS, _count_rows(report.by_category),
                [_total("合计", report.total)])
    sheet.table("按部门", COUNT_COLS, _count_rows(report.by_department),
                [_total("合计", report.total)])
    if report.by_responsible:
        service = totals(line for line in report.lines if line.is_service_compensation)
        sheet.table("服务赔偿按责任人", COUNT_COLS, _count_rows(report.by_responsible),
                    [_total("合计", service)])


def _line_total(label: str, total: Totals) -> list[Any]:
    return [label, None, None, None, None, total.items, total.amount]


# --- 特殊情况退换货详情统计表 -------------------------------------------------------------------

SPECIAL_COLS = (
    Col("审批时间", 17, DATE_TIME), Col("案件编号", 16), Col("小票号", 18), Col("商品", 24),
    Col("数量(件)", 8, COUNT), Col("金额", 12, MONEY), Col("特殊情况", 14), Col("特批说明", 36),
    Col("审批人", 16), Col("集团签批", 26), Col(VOIDED, 9), Col("退款号", 8, COUNT),
)


def special_sheet(book: Workbook, data: MonthFigures, printed_at: datetime) -> None:
    report = data.special
    sheet = _Sheet(book, "special", data, printed_at, SPECIAL_COLS,
                   note="按特殊情况类别分组,每组后为小计(笔 = 退款笔数,件 = 商品件数)。")
    for group in report.by_reason:
        for line in report.lines:
            if (line.special_reason or "(未填)") != group.key:
                continue
            sheet.row([
                line.approved_at, line.case_no, receipt_label(line.receipt_no), line.product_name,
                line.quantity, line.amount, line.special_reason, line.special_detail,
                line.approver, line.head_office, line.case_voided, line.refund_id,
            ])
        sheet.row([f"小计 · {group.key} {group.refunds} 笔", None, None, None, group.items,
                   group.amount], bold=True)
    sheet.row([f"本月合计 {report.total.refunds} 笔", None, None, None, report.total.items,
               report.total.amount], bold=True)
    sheet.table(BY_SPECIAL_REASON, COUNT_COLS, _count_rows(report.by_reason),
                [_total("合计", report.total)])


# --- 商品质量退换货详情统计表 -------------------------------------------------------------------

QUALITY_COLS = (
    Col("供应商", 20), Col("审批时间", 17, DATE_TIME), Col("案件编号", 16), Col("小票号", 18),
    Col("商品", 24), Col("条码", 16), Col("问题描述", 26), Col("数量(件)", 8, COUNT),
    Col("金额", 12, MONEY), Col("部门确认", 18), Col("扣款金额", 12, MONEY),
    Col("扣款状态", 10), Col("免除原因", 30), Col(VOIDED, 9), Col("退款号", 8, COUNT),
)
CHARGE_COLS = (
    Col("供应商", 24), Col("笔", 8, COUNT), Col("件", 8, COUNT), Col("退换金额", 13, MONEY),
    Col(OWED, 15, MONEY), Col("已扣", 13, MONEY), Col("待扣", 13, MONEY),
    Col("已免除(不计入应扣)", 16, MONEY), Col(WAIVE_REASON, 40),
)
PRODUCT_COLS = (
    Col("供应商", 24), Col("商品", 28), Col("笔", 8, COUNT), Col("件", 8, COUNT),
    Col("金额", 13, MONEY), Col("应扣", 13, MONEY),
)


def quality_sheet(book: Workbook, data: MonthFigures, printed_at: datetime) -> None:
    report = data.quality
    meaning = data.refunds.meaning
    sheet = _Sheet(
        book, "quality", data, printed_at, QUALITY_COLS,
        note=(f"按退款申请上的“质量退货”标记统计(供应商承担),本月 {meaning.flagged.refunds} 笔;"
              f"与案件类别“商品质量”({meaning.category.refunds} 笔)不是同一口径。"
              "应扣 = 已扣 + 待扣,已免除不计入应扣;少扣:店长把应扣改得比退款少的差额。"),
    )
    for group in report.suppliers:
        for line in group.lines:
            sheet.row(_quality_row(group.supplier, line))
        sheet.row(_charge_total(f"小计 · {group.supplier} {group.total.refunds} 笔",
                                group.total, group.charge_back), bold=True)
    sheet.row(_charge_total(f"本月合计 {report.total.refunds} 笔", report.total,
                            report.charge_back), bold=True)
    sheet.table(
        SUPPLIER_TOTALS, CHARGE_COLS,
        [_charge_row(group.supplier, group.total, group.charge_back)
         for group in report.suppliers],
        [_charge_row("合计", report.total, report.charge_back)],
    )
    sheet.table(
        "按商品", PRODUCT_COLS,
        [[item.supplier, item.product, item.refunds, item.items, item.amount, item.chargeable]
         for item in report.by_product],
        [["合计", None, report.total.refunds, report.total.items, report.total.amount,
          report.charge_back.chargeable]],
    )


def _quality_row(supplier: str, line: ReturnLine) -> list[Any]:
    waived = line.charge_back is ChargeBack.WAIVED
    return [
        supplier, line.approved_at, line.case_no, receipt_label(line.receipt_no),
        line.product_name, line.barcode, line.defect, line.quantity, line.amount,
        line.confirmation, line.charge_back_amount, CHARGE_BACK_STATUS[line.charge_back],
        line.charge_back_note if waived else "", line.case_voided, line.refund_id,
    ]


def _charge_total(label: str, total: Totals, charge: ChargeBackTotals) -> list[Any]:
    return [label, None, None, None, None, None,
            f"已扣 {charge.charged} / 待扣 {charge.pending} / 已免除 {charge.waived}"
            f"{cut_text(charge, str)}",
            total.items, total.amount, None, charge.chargeable]


def _charge_row(name: str, total: Totals, charge: ChargeBackTotals) -> list[Any]:
    return [name, total.refunds, total.items, total.amount, charge.chargeable, charge.charged,
            charge.pending, charge.waived, reasons_text(charge, str)]


# --- 顾客投诉月度统计表 -------------------------------------------------------------------------

STATS_COLS = (
    Col("分类", 18), Col("项目", 26), Col("单位", 6), Col("本月", 10, "General"),
    Col("上月", 10, "General"), Col("增减", 10, "General"),
)
TREND_COLS = (Col("月份", 18), Col("受理合计", 26, COUNT), Col("其中投诉", 6, COUNT),
              Col("重大投诉", 10, COUNT))


def stats_sheet(book: Workbook, data: MonthFigures, printed_at: datetime) -> None:
    stats = data.stats
    sheet = _Sheet(book, "stats", data, printed_at, STATS_COLS,
                   note=f"本月与上月({stats.previous.month.label})对照;作废的登记不计。")
    for row in comparison_rows(stats):
        sheet.row([row.section, row.label, row.unit, row.current, row.previous, row.change])
    sheet.table("近 12 个月受理趋势(不含作废)", TREND_COLS,
                [[point.month.label, point.received, point.complaints, point.major]
                 for point in stats.trend])
