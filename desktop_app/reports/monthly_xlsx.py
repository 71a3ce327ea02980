"""The same three tables as an Excel workbook, for head office staff who re-key figures.
Amounts are numbers (yuan, two decimals), not text, so they sum in Excel."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.domain.report_figures import MonthFigures, ReturnLine
from desktop_app.reports.monthly_pdf import QUALITY_TITLE, RETURNS_TITLE, SPECIAL_TITLE

MONEY_FORMAT = "#,##0.00"


def write_workbook(data: MonthFigures, path: Path, printed_at: datetime) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    heading = f"{data.store_name}  {data.month.label}  打印日期 {printed_at:%Y-%m-%d}"
    _sheet(book.create_sheet("退换货月报"), RETURNS_TITLE, heading,
           ["日期", "案件编号", "小票号", "商品", "条码", "数量", "金额", "类型", "原因类别",
            "部门", "审批级别", "审批人", "经办人"],
           [[line.approved_at, line.case_no, line.receipt_no, line.product_name, line.barcode,
             line.quantity, line.amount, line.kind, line.category, line.department, line.level,
             line.approver, line.clerk] for line in data.returns.lines],
           data.returns.total.amount)
    _sheet(book.create_sheet("特殊情况"), SPECIAL_TITLE, heading,
           ["日期", "案件编号", "小票号", "商品", "数量", "金额", "特殊情况", "特批说明", "审批人"],
           [[line.approved_at, line.case_no, line.receipt_no, line.product_name, line.quantity,
             line.amount, line.special_reason, line.special_detail, line.approver]
            for line in data.special.lines],
           data.special.total.amount)
    quality_lines: list[ReturnLine] = [
        line for group in data.quality.suppliers for line in group.lines
    ]
    _sheet(book.create_sheet("商品质量"), QUALITY_TITLE, heading,
           ["供应商", "商品", "条码", "问题描述", "数量", "金额", "日期", "部门确认", "供应商扣款"],
           [[line.supplier, line.product_name, line.barcode, line.defect, line.quantity,
             line.amount, line.approved_at, line.confirmation, line.charge_back]
            for line in quality_lines],
           data.quality.total.amount)
    book.save(path)


def _sheet(
    sheet: Worksheet, title: str, heading: str, header: list[str], rows: list[list[object]],
    total: Decimal,
) -> None:
    sheet.append([title])
    sheet.append([heading])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    amount_column = header.index("金额") + 1
    sheet.append(["合计"] + [None] * (amount_column - 2) + [float(total)])
    for (cell,) in sheet.iter_rows(min_row=4, min_col=amount_column, max_col=amount_column):
        cell.number_format = MONEY_FORMAT
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.freeze_panes = "A4"
