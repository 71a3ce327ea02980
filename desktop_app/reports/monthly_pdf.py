"""The three month-end reports for the store manager and head office, as table reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desktop_app.domain.money import format_yuan
from desktop_app.domain.report_figures import MonthFigures, ReturnLine, Subtotal, Totals
from desktop_app.reports.pdf_layout import Target
from desktop_app.reports.table_report import Column, Progress, TableReport, write_table_report

RETURNS_TITLE = "顾客退换货月报表"
SPECIAL_TITLE = "特殊情况退换货详情统计表"
QUALITY_TITLE = "商品质量退换货详情统计表"

RETURNS_COLUMNS = (
    Column("日期", 17), Column("案件编号", 24), Column("小票号", 24), Column("商品", 30),
    Column("条码", 24), Column("数量", 9, right=True), Column("金额", 18, right=True),
    Column("类型", 10), Column("原因类别", 16), Column("部门", 14), Column("审批级别", 18),
    Column("审批人", 22), Column("经办人", 12),
)
SPECIAL_COLUMNS = (
    Column("日期", 17), Column("案件编号", 24), Column("小票号", 24), Column("商品", 30),
    Column("数量", 9, right=True), Column("金额", 18, right=True), Column("特殊情况", 20),
    Column("特批说明", 45), Column("审批人", 22),
)
QUALITY_COLUMNS = (
    Column("供应商", 28), Column("商品", 30), Column("条码", 24), Column("问题描述", 40),
    Column("数量", 9, right=True), Column("金额", 18, right=True), Column("日期", 17),
    Column("部门确认", 24), Column("供应商扣款", 20),
)


def _date(line: ReturnLine) -> str:
    return f"{line.approved_at:%m-%d %H:%M}"


def _money(total: Totals | Subtotal) -> str:
    return format_yuan(total.amount)


class _Builder:
    """Rows with their bold (subtotal/total) rows remembered."""

    def __init__(self, width: int) -> None:
        self.rows: list[list[str]] = []
        self.bold: set[int] = set()
        self._width = width

    def add(self, row: list[str]) -> None:
        self.rows.append(row)

    def add_total(
        self, label: str, total: Totals | Subtotal, quantity_at: int, amount_at: int,
        label_at: int,
    ) -> None:
        row = [""] * self._width
        row[label_at] = label
        row[quantity_at] = str(total.quantity)
        row[amount_at] = _money(total)
        self.bold.add(len(self.rows))
        self.rows.append(row)


def returns_report(data: MonthFigures, printed_on: str) -> TableReport:
    report = data.returns
    rows = _Builder(len(RETURNS_COLUMNS))
    for line in report.lines:
        rows.add([
            _date(line), line.case_no, line.receipt_no, line.product_name, line.barcode,
            str(line.quantity), format_yuan(line.amount), line.kind, line.category,
            line.department, line.level, line.approver, line.clerk,
        ])
    rows.add_total(f"本月合计:{report.total.count} 笔", report.total, 5, 6, label_at=3)
    notes = [
        f"本月退换货合计 {report.total.count} 笔,{report.total.quantity} 件,"
        f"金额 {_money(report.total)}。",
        _summary("按类型", report.by_kind),
        _summary("按原因类别", report.by_category),
        _summary("按部门", report.by_department),
    ]
    return TableReport(
        title=RETURNS_TITLE, store_name=data.store_name, period=data.month.label,
        printed_on=printed_on, columns=RETURNS_COLUMNS, rows=rows.rows, bold_rows=rows.bold,
        notes=notes,
    )


def special_report(data: MonthFigures, printed_on: str) -> TableReport:
    report = data.special
    rows = _Builder(len(SPECIAL_COLUMNS))
    for line in report.lines:
        rows.add([
            _date(line), line.case_no, line.receipt_no or "(无小票)", line.product_name,
            str(line.quantity), format_yuan(line.amount), line.special_reason,
            line.special_detail, line.approver,
        ])
    for subtotal in report.by_reason:
        rows.add_total(f"小计 · {subtotal.key}:{subtotal.count} 笔", subtotal, 4, 5, 7)
    rows.add_total(f"本月合计:{report.total.count} 笔", report.total, 4, 5, label_at=7)
    return TableReport(
        title=SPECIAL_TITLE, store_name=data.store_name, period=data.month.label,
        printed_on=printed_on, columns=SPECIAL_COLUMNS, rows=rows.rows, bold_rows=rows.bold,
        notes=[_summary("按特殊情况", report.by_reason)],
    )


def quality_report(data: MonthFigures, printed_on: str) -> TableReport:
    report = data.quality
    rows = _Builder(len(QUALITY_COLUMNS))
    for group in report.suppliers:
        for line in group.lines:
            rows.add([
                group.supplier, line.product_name, line.barcode, line.defect, str(line.quantity),
                format_yuan(line.amount), _date(line), line.confirmation, line.charge_back,
            ])
        rows.add_total(f"小计 · {group.supplier}:{group.total.count} 笔", group.total, 4, 5, 3)
    rows.add_total(f"本月合计:{report.total.count} 笔", report.total, 4, 5, label_at=3)
    return TableReport(
        title=QUALITY_TITLE, store_name=data.store_name, period=data.month.label,
        printed_on=printed_on, columns=QUALITY_COLUMNS, rows=rows.rows, bold_rows=rows.bold,
        notes=[
            "商品质量问题造成的退换损失由供应商承担(《消费者权益保护法》),请按“供应商扣款”列跟进。",
            _summary("按商品", report.by_product[:20]),
        ],
    )


def _summary(title: str, subtotals: list[Subtotal]) -> str:
    parts = [f"{item.key} {item.count} 笔 {_money(item)}" for item in subtotals]
    return f"{title}:" + (";".join(parts) if parts else "无")


BUILDERS: dict[str, Callable[[MonthFigures, str], TableReport]] = {
    "returns": returns_report,
    "special": special_report,
    "quality": quality_report,
}


def write_report(
    kind: str, data: MonthFigures, target: Target, printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    write_table_report(BUILDERS[kind](data, f"{printed_at:%Y-%m-%d}"), target, progress)
