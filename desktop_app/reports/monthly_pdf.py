"""The three month-end refund reports for the store manager and head office, as table reports.

笔 counts refunds and 件 counts items everywhere: in the total rows, the subtotals and the
summary tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import (
    ChargeBackTotals,
    QualityMeaning,
    ReturnLine,
    Subtotal,
    Totals,
    totals,
)
from desktop_app.domain.report_package import MonthFigures, counted
from desktop_app.reports.kinds import Progress, kind
from desktop_app.reports.pdf_layout import Target
from desktop_app.reports.report_words import (
    BY_CATEGORY,
    BY_SPECIAL_REASON,
    CHARGE_BACK_STATUS,
    CUT,
    ITEMS_COUNTED,
    NO_REASON,
    OWED,
    REFUNDS_COUNTED,
    SUPPLIER_TOTALS,
    VOIDED,
    WAIVE_REASON,
    cut_text,
    reasons_text,
)
from desktop_app.reports.table_report import (
    Column,
    Section,
    SummaryTable,
    TableReport,
    write_table_report,
)

RETURNS_COLUMNS = (
    Column("日期", 17.5), Column("案件编号", 23), Column("小票号", 23), Column("商品", 28),
    Column("条码", 22), Column("数量", 8, right=True), Column("金额", 17, right=True),
    Column("类型", 9), Column("原因类别", 14), Column("部门", 13), Column("审批级别", 19),
    Column("审批人", 18), Column("经办人", 11), Column("备注", 26),
)
SPECIAL_COLUMNS = (
    Column("日期", 17), Column("案件编号", 23), Column("小票号", 23), Column("商品", 30),
    Column("数量", 8, right=True), Column("金额", 17, right=True), Column("特殊情况", 20),
    Column("特批说明", 42), Column("审批人", 20), Column("备注", 28),
)
QUALITY_COLUMNS = (
    Column("日期", 16), Column("案件编号", 23), Column("小票号", 23), Column("商品", 27),
    Column("条码", 22), Column("问题描述", 30), Column("数量", 8, right=True),
    Column("金额", 17, right=True), Column("部门确认", 26), Column("扣款金额", 17, right=True),
    Column("扣款状态", 28),
)
COUNT_COLUMNS = (
    Column("项目", 60), Column(REFUNDS_COUNTED, 20, right=True),
    Column(ITEMS_COUNTED, 20, right=True), Column("金额", 30, right=True),
)
PRODUCT_COLUMNS = (
    Column("供应商", 45), Column("商品", 55), Column("笔", 14, right=True),
    Column("件", 14, right=True), Column("金额", 24, right=True),
    Column("应扣", 24, right=True),
)
SUPPLIER_COLUMNS = (
    Column("供应商", 40), Column("笔", 10, right=True), Column("件", 10, right=True),
    Column("退换金额", 22, right=True), Column(OWED, 24, right=True),
    Column("已扣", 20, right=True), Column("待扣", 20, right=True),
    Column("已免除", 20, right=True), Column(WAIVE_REASON, 70),
)


def _date(line: ReturnLine) -> str:
    return f"{line.approved_at:%m-%d %H:%M}"


def _refunds_items(total: Totals | Subtotal) -> str:
    return f"{total.refunds} 笔 {total.items} 件"


def _report(
    data: MonthFigures, key: str, printed_at: datetime, columns: Sequence[Column], *,
    rows: Sequence[Sequence[str]] = (), sections: Sequence[Section] = (),
    total_rows: Sequence[Sequence[str]] = (), header_lines: Sequence[str] = (),
    notes: Sequence[str] = (), summaries: Sequence[SummaryTable] = (), label_span: int = 1,
) -> TableReport:
    """A month-end table report with what every one prints around its table: the month not
    yet over, and the register's chain head on every page."""
    return TableReport(
        title=kind(key).title, store_name=data.store_name, period=data.month.label,
        printed_on=f"{printed_at:%Y-%m-%d}", columns=columns, rows=rows, sections=sections,
        total_rows=total_rows, header_lines=header_lines, notes=notes, summaries=summaries,
        alerts=[data.cutoff_note] if data.cutoff_note else [], footer_note=data.chain_label,
        label_span=label_span,
    )


def _remarks(line: ReturnLine, *, with_quality: bool = True) -> str:
    """The flags a head-office reader must see on a line."""
    parts = []
    if line.case_voided:
        parts.append(VOIDED)
    if line.head_office:
        parts.append(f"集团签批:{line.head_office}")
    if line.is_service_compensation:
        parts.append(f"服务赔偿,责任人:{line.responsible or '(未记录)'}")
    if with_quality and line.is_quality:
        parts.append(f"质量退货({line.supplier})")
    return ";".join(parts)


def _count_table(heading: str, groups: Sequence[Subtotal], total: Totals) -> SummaryTable:
    return SummaryTable(
        heading=heading, columns=COUNT_COLUMNS,
        rows=[[group.key, str(group.refunds), str(group.items), format_yuan(group.amount)]
              for group in groups],
        total_rows=[["合计", str(total.refunds), str(total.items), format_yuan(total.amount)]],
    )


def _meaning_lines(meaning: QualityMeaning, here: str) -> list[str]:
    category, flagged, both = meaning.category, meaning.flagged, meaning.both
    if here == "returns":
        return [
            "“原因类别”是登记投诉时选择的案件类别。其中类别为“商品质量”的退换货 "
            f"{counted(category)};这不是“质量退货”(退款申请上标记、由供应商承担损失)的数字,"
            f"后者本月 {counted(flagged)},见《{kind('quality').title}》。"
        ]
    return [
        "本表的“商品质量”指退款申请上标记的“质量退货”(由供应商承担损失),与案件登记的投诉类别"
        f"无关:本月质量退货 {counted(flagged)};案件类别为“商品质量”的退换货 {counted(category)}"
        f"(见《{kind('returns').title}》按原因类别),两者皆是的 {counted(both)}。"
    ]


# --- 顾客退换货月报表 ---------------------------------------------------------------------------


def returns_report(data: MonthFigures, printed_at: datetime) -> TableReport:
    report = data.returns
    rows = [
        [_date(line), line.case_no, receipt_label(line.receipt_no), line.product_name,
         line.barcode, str(line.quantity), format_yuan(line.amount), line.kind, line.category,
         line.department, line.level, line.approver, line.clerk, _remarks(line)]
        for line in report.lines
    ]
    total_rows = [_total_row(f"本月合计:{_refunds_items(report.total)}", report.total)]
    if report.voided.refunds:
        total_rows.append(_total_row(
            f"其中{VOIDED}的退款(款已付出,照计):{_refunds_items(report.voided)}", report.voided
        ))
    summaries = [
        _count_table("按类型", report.by_kind, report.total),
        _count_table(BY_CATEGORY, report.by_category, report.total),
        _count_table("按部门", report.by_department, report.total),
    ]
    if report.by_responsible:
        service = [line for line in report.lines if line.is_service_compensation]
        summaries.append(_count_table(
            "服务赔偿按责任人(第 8 步“责任与处罚”所记;由责任人承担)", report.by_responsible,
            totals(service),
        ))
    return _report(
        data, "returns", printed_at, RETURNS_COLUMNS, rows=rows, total_rows=total_rows,
        label_span=RETURNS_LABEL_SPAN,
        header_lines=[
            "笔 = 退款笔数(一次审批为一笔),件 = 商品件数;一笔退款可含多件商品。",
            *_meaning_lines(data.refunds.meaning, "returns"),
        ],
        notes=[f"本月退换货合计 {counted(report.total)};其中集团签批 "
               f"{counted(report.head_office)}。"],
        summaries=summaries,
    )


RETURNS_LABEL_SPAN = 5  # 日期 … 条码
SPECIAL_LABEL_SPAN = 4  # 日期 … 商品
QUALITY_LABEL_SPAN = 6  # 日期 … 问题描述


def _total_row(label: str, total: Totals) -> list[str]:
    row = [""] * len(RETURNS_COLUMNS)
    row[0] = label
    row[5] = str(total.items)
    row[6] = format_yuan(total.amount)
    return row


# --- 特殊情况退换货详情统计表 -------------------------------------------------------------------


def special_report(data: MonthFigures, printed_at: datetime) -> TableReport:
    report = data.special
    sections = []
    for group in report.by_reason:
        lines = [line for line in report.lines if (line.special_reason or "(未填)") == group.key]
        sections.append(Section(
            heading=f"特殊情况:{group.key}",
            rows=[[_date(line), line.case_no, receipt_label(line.receipt_no), line.product_name,
                   str(line.quantity), format_yuan(line.amount), line.special_reason,
                   line.special_detail, line.approver, _remarks(line)] for line in lines],
            subtotals=[_special_total(f"小计 · {group.key}:{_refunds_items(group)}", group)],
        ))
    return _report(
        data, "special", printed_at, SPECIAL_COLUMNS, sections=sections,
        label_span=SPECIAL_LABEL_SPAN,
        total_rows=[_special_total(f"本月合计:{_refunds_items(report.total)}", report.total)],
        header_lines=["笔 = 退款笔数,件 = 商品件数。按特殊情况类别分组,每组后为小计。"],
        summaries=[_count_table(BY_SPECIAL_REASON, report.by_reason, report.total)],
    )


def _special_total(label: str, total: Totals | Subtotal) -> list[str]:
    row = [""] * len(SPECIAL_COLUMNS)
    row[0] = label
    row[4] = str(total.items)
    row[5] = format_yuan(total.amount)
    return row


# --- 商品质量退换货详情统计表 -------------------------------------------------------------------


def quality_report(data: MonthFigures, printed_at: datetime) -> TableReport:
    report = data.quality
    sections = [
        Section(
            heading=f"供应商:{group.supplier}",
            rows=[_quality_row(line) for line in group.lines],
            subtotals=[_quality_total(
                f"小计 · {group.supplier}:{_refunds_items(group.total)}", group.total,
                group.charge_back,
            )],
        )
        for group in report.suppliers
    ]
    return _report(
        data, "quality", printed_at, QUALITY_COLUMNS, sections=sections,
        label_span=QUALITY_LABEL_SPAN,
        total_rows=[_quality_total(f"本月合计:{_refunds_items(report.total)}", report.total,
                                   report.charge_back)],
        header_lines=[
            *_meaning_lines(data.refunds.meaning, "quality"),
            "商品质量问题造成的损失由供应商承担(《消费者权益保护法》)。应扣 = 已扣 + 待扣;"
            "店长免除的扣款列出原因,不计入应扣。",
        ],
        summaries=[_supplier_table(data), _product_table(data)],
    )


def _quality_row(line: ReturnLine) -> list[str]:
    status = CHARGE_BACK_STATUS[line.charge_back]
    if line.charge_back is ChargeBack.WAIVED:
        status = f"{status}:{line.charge_back_note or NO_REASON}"
    if line.charge_back_cut:
        status = f"{status}({CUT} {format_yuan(line.charge_back_cut)})"
    if line.case_voided:
        status = f"{status};{VOIDED}"
    return [_date(line), line.case_no, receipt_label(line.receipt_no), line.product_name,
            line.barcode, line.defect, str(line.quantity), format_yuan(line.amount),
            line.confirmation, format_yuan(line.charge_back_amount), status]


def _quality_total(label: str, total: Totals, charge: ChargeBackTotals) -> list[str]:
    row = [""] * len(QUALITY_COLUMNS)
    row[0] = label
    row[6] = str(total.items)
    row[7] = format_yuan(total.amount)
    row[9] = format_yuan(charge.chargeable)
    row[10] = (f"已扣 {format_yuan(charge.charged)},待扣 {format_yuan(charge.pending)};"
               f"已免除 {format_yuan(charge.waived)}{cut_text(charge, format_yuan)}")
    return row


def _supplier_table(data: MonthFigures) -> SummaryTable:
    report = data.quality

    def row(name: str, total: Totals, charge: ChargeBackTotals) -> list[str]:
        return [name, str(total.refunds), str(total.items), format_yuan(total.amount),
                format_yuan(charge.chargeable), format_yuan(charge.charged),
                format_yuan(charge.pending), format_yuan(charge.waived),
                reasons_text(charge, format_yuan)]

    return SummaryTable(
        heading=SUPPLIER_TOTALS, columns=SUPPLIER_COLUMNS,
        rows=[row(group.supplier, group.total, group.charge_back) for group in report.suppliers],
        total_rows=[row("合计", report.total, report.charge_back)],
    )


def _product_table(data: MonthFigures) -> SummaryTable:
    report = data.quality
    return SummaryTable(
        heading="按商品(一笔退款含几种商品时,每种商品各计一笔,故各行笔数之和可大于合计)",
        columns=PRODUCT_COLUMNS,
        rows=[[item.supplier, item.product, str(item.refunds), str(item.items),
               format_yuan(item.amount), format_yuan(item.chargeable)]
              for item in report.by_product],
        total_rows=[["合计", "", str(report.total.refunds), str(report.total.items),
                     format_yuan(report.total.amount),
                     format_yuan(report.charge_back.chargeable)]],
    )


# --- the registry's builders ----------------------------------------------------------------


def write_returns(data: MonthFigures, target: Target, printed_at: datetime,
                  progress: Progress | None = None) -> None:
    write_table_report(returns_report(data, printed_at), target, progress)


def write_special(data: MonthFigures, target: Target, printed_at: datetime,
                  progress: Progress | None = None) -> None:
    write_table_report(special_report(data, printed_at), target, progress)


def write_quality(data: MonthFigures, target: Target, printed_at: datetime,
                  progress: Progress | None = None) -> None:
    write_table_report(quality_report(data, printed_at), target, progress)

