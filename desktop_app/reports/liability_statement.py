"""《员工赔偿责任月结单》: one staff member, one month. Each service compensation they were made to
share (case, the whole compensation, their percent and amount) and the penalty of step 8; 合计 is
what they bear for the month (executed and still to execute); waived lines are listed and not
counted. For the person's signature and the store manager's; managers only."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop_app.domain.liability import LiabilityLine, LiabilityStatus, StaffStatement
from desktop_app.domain.money import format_yuan
from desktop_app.domain.report_package import printed_line, store_line, waived_heading
from desktop_app.reports.charge_back_notice import (
    build_monthly_paper,
    safe_file_part,
    signed_closing,
)
from desktop_app.reports.pdf_layout import (
    Target,
    content_width,
    header_block,
    title_block,
)
from desktop_app.reports.table_report import Column, SummaryTable, summary_flowables
from desktop_app.reports.text_block import TextBlock

TITLE = "员工赔偿责任月结单"
COLUMNS = (
    Column("序号", 9), Column("登记日期", 19), Column("案件编号", 27),
    Column("赔偿金额", 20, right=True), Column("承担比例", 17, right=True),
    Column("承担金额", 20, right=True), Column("罚款", 18, right=True),
    Column("处罚说明", 34), Column("小计", 20, right=True), Column("状态", 30),
)
LABEL_SPAN = 5  # 序号 … 承担比例
SIGNERS = ("本人签字", "部门负责人", "店长")
CONFIDENTIAL = "内部资料,仅限店长、副店长、前台经理及本人查阅。"


def statement_file_name(statement: StaffStatement) -> str:
    return (f"{statement.month.key}-{TITLE}-{safe_file_part(statement.staff)}"
            f"-{statement.staff_id}.pdf")


def write_statement(
    statement: StaffStatement,
    target: Target,
    store_name: str,
    printed_at: datetime,
    chain_head: str,
) -> None:
    width = content_width(False)
    totals = statement.totals
    counted = [line for line in statement.lines if line.status is not LiabilityStatus.WAIVED]
    waived = [line for line in statement.lines if line.status is LiabilityStatus.WAIVED]
    who = statement.staff + (f"({statement.department})" if statement.department else "")
    story: list[Flowable] = [
        *title_block(f"《{TITLE}》", [CONFIDENTIAL]),
        header_block(store_line(store_name), f"月份:{statement.month.label}",
                     printed_line(printed_at), width),
        TextBlock(f"员工:{who}", 10, bold=True),
        Spacer(1, 1.5 * mm),
        TextBlock("服务原因造成的顾客赔偿由当事责任人按比例承担(第 8 步“责任与处罚”);"
                  "罚款为处理时决定的处罚。", 9),
        *summary_flowables(SummaryTable(
            "本月责任明细", COLUMNS,
            [_row(index, line) for index, line in enumerate(counted, 1)],
            [_total(f"合计(应承担):{len(counted)} 条", totals.shares, totals.penalties,
                    totals.owed),
             _total(f"其中已执行 {format_yuan(totals.settled)},待执行 "
                    f"{format_yuan(totals.pending)}", None, None, None)],
            LABEL_SPAN,
        ), width, False),
    ]
    if waived:
        story += summary_flowables(SummaryTable(
            waived_heading(totals.waived), COLUMNS,
            [_row(index, line) for index, line in enumerate(waived, 1)], (), LABEL_SPAN,
        ), width, False)
    responsibility = [line for line in counted if line.responsibility]
    if responsibility:
        story.append(Spacer(1, 2 * mm))
        story += [TextBlock(f"{line.case_no} 责任与处罚:{line.responsibility}", 8.5)
                  for line in responsibility]
    story.append(signed_closing(
        f"本月应承担合计 {format_yuan(totals.owed)}。本人已知悉以上内容。", SIGNERS, width
    ))
    build_monthly_paper(target, story, TITLE, statement.staff, statement.month.label,
                        store_name, chain_head)


def _row(index: int, line: LiabilityLine) -> list[str]:
    return [str(index), f"{line.recorded_at:%Y-%m-%d}", line.case_no,
            format_yuan(line.compensation), f"{line.percent}%", format_yuan(line.amount),
            format_yuan(line.penalty), line.penalty_note, format_yuan(line.total),
            line.status_text]


def _total(label: str, shares: Decimal | None, penalties: Decimal | None,
           owed: Decimal | None) -> list[str]:
    row = [""] * len(COLUMNS)
    row[0] = label
    for column, amount in ((5, shares), (6, penalties), (8, owed)):
        if amount is not None:
            row[column] = format_yuan(amount)
    return row
