"""Printed documents of one case: the register sheet the customer signs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.domain.money import format_yuan
from desktop_app.services.case_text import registration_fields, workflow_lines
from desktop_app.services.cases import CaseService
from desktop_app.services.refunds import RefundService
from desktop_app.services.settings import SettingsService

if TYPE_CHECKING:
    # reportlab costs ~80 ms to import: it is loaded when something is printed, not at start-up.
    from desktop_app.reports.case_sheet import CaseSheet
    from desktop_app.reports.pdf_layout import Target


def case_sheet(
    cases: CaseService, refunds: RefundService, settings: SettingsService, case_id: int,
    printed_at: datetime, chain_head: str = "",
) -> CaseSheet:
    from desktop_app.reports.case_sheet import CaseSheet

    case = cases.case(case_id)
    refund_lines = [
        f"{line.kind.label} {format_yuan(line.amount)} 小票 {line.receipt_no or '无'} "
        f"{line.status.label}({line.level.label}) 申请人 {line.requested_by}"
        + (f" 审批人 {line.decided_by}" if line.decided_by else "")
        for line in refunds.refunds_of_case(case_id)
    ]
    return CaseSheet(
        store_name=settings.store_label(), case_no=case.case_no,
        printed_at=f"{printed_at:%Y-%m-%d %H:%M}", fields=registration_fields(case),
        account=case.account, workflow=workflow_lines(case), refunds=refund_lines,
        chain_head=chain_head,
    )


def print_case_sheet(
    cases: CaseService, refunds: RefundService, settings: SettingsService, case_id: int,
    target: Target, printed_at: datetime, chain_head: str = "",
) -> None:
    from desktop_app.reports.case_sheet import write_case_sheet

    sheet = case_sheet(cases, refunds, settings, case_id, printed_at, chain_head)
    write_case_sheet(sheet, target)


def pdf_self_test() -> bool:
    """Render a one-line Chinese table in memory: a packaged build that lacks reportlab's pieces
    or the font fails its smoke test, not the store's month end."""
    import io

    from desktop_app.reports.table_report import Column, TableReport, write_table_report

    target = io.BytesIO()
    report = TableReport(
        title="自检", store_name="自检", period="自检", printed_on="", columns=[Column("列", 20)],
        rows=[["中文"]],
    )
    write_table_report(report, target)
    return target.getvalue().startswith(b"%PDF")
