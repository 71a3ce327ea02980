"""《供应商质量扣款通知单》: one supplier, one month. The quality returns approved that month with
case number, receipt, products and amount; 合计 is what the supplier owes for the month (charged
and still pending); waived lines are listed with the store manager's reason and not counted; the
open improvement orders are recalled; ruled lines for the supplier's confirmation (签章) and the
store's signatures. Every page carries the register's head."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.domain.charge_backs import LedgerLine, SupplierNotice
from desktop_app.domain.legal_remedies import ART_40
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.report_package import chain_line, printed_line, store_line, waived_heading
from desktop_app.reports.pdf_layout import (
    Target,
    build_pdf,
    content_width,
    header_block,
    signature_lines,
    title_block,
)
from desktop_app.reports.report_words import WAIVE_REASON
from desktop_app.reports.table_report import (
    Column,
    SummaryTable,
    summary_flowables,
)
from desktop_app.reports.text_block import TextBlock

TITLE = "供应商质量扣款通知单"
LINE_COLUMNS = (
    Column("序号", 9), Column("批准日期", 19), Column("案件编号", 27),
    Column("小票号", 27), Column("商品", 48), Column("退款金额", 20, right=True),
    Column("扣款金额", 20, right=True), Column("状态", 30),
)
WAIVED_COLUMNS = (
    Column("案件编号", 27), Column("小票号", 27), Column("商品", 45),
    Column("金额", 20, right=True), Column(WAIVE_REASON, 81),
)
ORDER_COLUMNS = (
    Column("下达日期", 22), Column("整改期限", 22), Column("整改要求", 126), Column("状态", 30),
)
SIGNERS = ("供应商确认(签章)", "门店经办人", "店长")
LABEL_SPAN = 5  # 序号 … 商品
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def safe_file_part(text: str) -> str:
    """A name as part of a file name on Windows and Linux."""
    return _UNSAFE_IN_FILE_NAMES.sub("_", text).strip("._") or "_"


def notice_file_name(notice: SupplierNotice) -> str:
    return f"{notice.month.key}-{TITLE}-{safe_file_part(notice.supplier)}.pdf"


def write_notice(
    notice: SupplierNotice,
    target: Target,
    store_name: str,
    printed_at: datetime,
    chain_head: str,
) -> None:
    width = content_width(False)
    totals = notice.totals
    contact = "、".join(part for part in (notice.contact, notice.phone) if part)
    story: list[Flowable] = [
        *title_block(f"《{TITLE}》", []),
        header_block(store_line(store_name), f"扣款月份:{notice.month.label}",
                     printed_line(printed_at), width),
        TextBlock(f"致:{notice.supplier}" + (f"({contact})" if contact else ""), 10, bold=True),
        Spacer(1, 1.5 * mm),
        TextBlock(
            f"贵司供应的下列商品在本店发生质量问题,门店已先行向顾客退款或赔付"
            f"({ART_40.citation}:销售者赔偿后,属于生产者责任的,销售者有权追偿)。"
            f"以下为 {notice.month.label} 批准的质量退货,扣款金额由贵司承担,将从货款中扣除。",
            9,
        ),
        *summary_flowables(SummaryTable(
            "扣款明细", LINE_COLUMNS,
            [_row(index, line) for index, line in enumerate(notice.owed_lines, 1)],
            [_total(f"合计(应扣):{len(notice.owed_lines)} 笔", totals.owed),
             _total(f"其中已扣款 {format_yuan(totals.charged)},待扣款 "
                    f"{format_yuan(totals.pending)}", None)],
            LABEL_SPAN,
        ), width, False),
    ]
    changed = [line for line in notice.owed_lines if line.amount_changed]
    if changed:
        story.append(Spacer(1, 1.5 * mm))
        story += [TextBlock(
            f"金额调整:{line.case_no} 退款 {format_yuan(line.refunded)},扣款 "
            f"{format_yuan(line.amount)}:{line.amount_note}", 8.5) for line in changed]
    if notice.waived_lines:
        story += summary_flowables(SummaryTable(
            heading=waived_heading(totals.waived),
            columns=WAIVED_COLUMNS,
            rows=[[line.case_no, receipt_label(line.receipt_no), line.products,
                   format_yuan(line.amount), line.waive_reason] for line in notice.waived_lines],
        ), width, False)
    if notice.orders:
        story += summary_flowables(SummaryTable(
            heading="责令改善(请按期整改并书面回复)", columns=ORDER_COLUMNS,
            rows=[[f"{order.issued_on:%Y-%m-%d}", f"{order.due_on:%Y-%m-%d}",
                   order.requirement, order.state] for order in notice.orders],
        ), width, False)
    closing = (f"以上扣款合计 {format_yuan(totals.owed)}。请贵司核对,"
               "如无异议请签章确认并回传本店;如有异议,请于收到本通知单后七日内书面提出。")
    story.append(signed_closing(closing, SIGNERS, width))
    build_monthly_paper(target, story, TITLE, notice.supplier, notice.month.label, store_name,
                        chain_head)


def signed_closing(text: str, signers: Sequence[str], width: float) -> Flowable:
    """The closing sentence and the signature lines, never split across pages."""
    return KeepTogether([
        Spacer(1, 5 * mm),
        TextBlock(text, 9),
        signature_lines(signers, width, date_line=True),
    ])


def build_monthly_paper(
    target: Target, story: list[Flowable], title: str, party: str, month_label: str,
    store_name: str, chain_head: str,
) -> None:
    """One party's paper for one month (a supplier's notice, a person's statement): its title
    and every page's footer name the party and the month; the footer carries the chain head."""
    build_pdf(
        target, story, title=f"{title} {party} {month_label}",
        footer_left=f"{store_name}  {title}  {party}  {month_label}",
        footer_note=chain_line(chain_head),
    )


def _row(index: int, line: LedgerLine) -> list[str]:
    state = line.state_text
    if line.case_voided:
        state = f"{state};案件已作废"
    return [str(index), f"{line.approved_at:%Y-%m-%d}", line.case_no,
            receipt_label(line.receipt_no), line.products, format_yuan(line.refunded),
            format_yuan(line.amount), state]


def _total(label: str, amount: Decimal | None) -> list[str]:
    row = [""] * len(LINE_COLUMNS)
    row[0] = label
    if amount is not None:
        row[6] = format_yuan(amount)
    return row
