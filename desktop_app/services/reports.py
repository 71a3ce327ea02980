"""The month-end reports: figures from one query and one set of rules, rendered as PDF and xlsx."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import report_figures as report_rules
from desktop_app.domain.money import from_fen
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.domain.refunds import ChargeBack, RefundKind, SpecialReason
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import refunds as store

Progress = Callable[[int, int], None]
REPORT_KINDS = ("returns", "special", "quality")
FILE_NAMES = {
    "returns": "顾客退换货月报表",
    "special": "特殊情况退换货详情统计表",
    "quality": "商品质量退换货详情统计表",
}


class ReportService:
    def __init__(self, db: Any, store_name: Callable[[], str]) -> None:
        self._db = db
        self._store_name = store_name

    def figures(self, month: report_rules.Month) -> report_rules.MonthFigures:
        with UnitOfWork(self._db):
            rows = store.approved_lines(_text(month.start), _text(month.end))
        lines = [_line(row) for row in rows]
        return report_rules.MonthFigures(
            month=month, store_name=self._store_name(),
            returns=report_rules.returns_report(month, lines),
            special=report_rules.special_report(month, lines),
            quality=report_rules.quality_report(month, lines),
        )

    def export(
        self,
        month: report_rules.Month,
        kinds: Sequence[str],
        folder: Path,
        printed_at: datetime,
        progress: Progress | None = None,
        workbook: bool = True,
    ) -> list[Path]:
        """Write the chosen PDFs (and the workbook) into ``folder``; return the files."""
        return render(self.figures(month), kinds, folder, printed_at, progress, workbook)


def render(
    data: report_rules.MonthFigures,
    kinds: Sequence[str],
    folder: Path,
    printed_at: datetime,
    progress: Progress | None = None,
    workbook: bool = True,
) -> list[Path]:
    """Render already computed figures; touches no database, so it may run in a worker thread."""
    from desktop_app.reports.monthly_pdf import write_report
    from desktop_app.reports.monthly_xlsx import write_workbook

    month = data.month
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    steps = len(kinds) + (1 if workbook else 0)
    for done, kind in enumerate(kinds):
        if progress is not None:
            progress(done, steps)
        path = folder / f"{FILE_NAMES[kind]}-{month.key}.pdf"
        write_report(kind, data, path, printed_at)
        written.append(path)
    if workbook:
        path = folder / f"退换货月报-{month.key}.xlsx"
        write_workbook(data, path, printed_at)
        written.append(path)
    if progress is not None:
        progress(steps, steps)
    return written


def _text(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


def _line(row: Sequence[Any]) -> report_rules.ReturnLine:
    (decided_at, case_no, receipt_no, product, barcode, quantity, amount_fen, kind, category,
     department, level, approver, head_office, clerk, is_special, special_reason,
     special_detail, is_quality, supplier, defect, workflow, charge_back, reason) = row
    level_enum = ApprovalLevel(level)
    signer = f"{head_office}(店长{approver}录入)" if head_office else approver
    return report_rules.ReturnLine(
        approved_at=datetime.fromisoformat(str(decided_at)), case_no=case_no,
        receipt_no=receipt_no, product_name=product, barcode=barcode, quantity=quantity,
        amount=from_fen(amount_fen), kind=RefundKind.of(kind).label,
        category=rules.Category.of(category).label, department=department,
        level=level_enum.label.split("(")[0], approver=signer, clerk=clerk,
        is_special=bool(is_special), special_reason=SpecialReason.of(special_reason).label,
        special_detail=special_detail, is_quality=bool(is_quality), supplier=supplier,
        defect=defect or reason, confirmation=_confirmation(workflow),
        charge_back=ChargeBack.of(charge_back).label,
    )


def _confirmation(workflow_text: str) -> str:
    try:
        confirmation = json.loads(workflow_text or "{}").get("confirmation")
    except (ValueError, AttributeError):
        return ""
    if not confirmation:
        return "未确认"
    if confirmation.get("by") == "desk":
        return "部门超时,前台决定"
    return f"{confirmation.get('leader', '')} {str(confirmation.get('at', ''))[5:16]}"
