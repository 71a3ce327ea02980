"""The month-end package: figures from three queries and one set of rules, rendered as the
registered reports (PDF) and one workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import complaint_stats as stats_rules
from desktop_app.domain import report_figures as report_rules
from desktop_app.domain.money import from_fen
from desktop_app.domain.privacy import mask_phones_in_text
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.domain.refunds import ChargeBack, RefundKind, SpecialReason
from desktop_app.domain.report_package import MonthFigures, WarningSummary
from desktop_app.domain.workflow import DECIDED_BY_DESK
from desktop_app.reports.kinds import KINDS_BY_KEY, REPORT_KINDS, ReportKind, workbook_name
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.services.warnings import month_warnings
from desktop_app.store import report_queries as store

Progress = Callable[[int, int], None]
Clock = Callable[[], datetime]
__all__ = ["REPORT_KINDS", "ReportKind", "ReportService", "render"]


class ReportService:
    """``chain_head`` returns the register's head as printed on every report ("N:HEX16"); it is
    called inside the service's read transaction, so the head matches the figures."""

    def __init__(self, db: Any, store_name: Callable[[], str], clock: Clock,
                 chain_head: Callable[[], str]) -> None:
        self._db = db
        self._store_name = store_name
        self._clock = clock
        self._chain_head = chain_head

    def figures(self, month: report_rules.Month) -> MonthFigures:
        now = self._clock().replace(microsecond=0)
        with UnitOfWork(self._db):
            line_rows = store.approved_lines(_text(month.start), _text(month.end))
            case_rows = store.cases_for_statistics(_text(month.previous.start),
                                                   _text(month.end))
            trend_start = month.shifted(1 - stats_rules.TREND_MONTHS).start
            count_rows = store.monthly_case_counts(_text(trend_start), _text(month.end))
            # A month not yet over: everything up to this second counts.
            warned = month_warnings(month.start, min(month.end, now + timedelta(seconds=1)))
            head = self._chain_head()
            changes = tuple(register.account_changes(month.start, month.end))
        lines = [_line(row) for row in line_rows]
        ledger_fen = {int(row[0]): int(row[-1]) for row in line_rows if row[-1] is not None}
        lines = report_rules.with_ledger_amounts([_line(row) for row in line_rows], ledger_fen)
        return MonthFigures(
            month=month, store_name=self._store_name(),
            refunds=report_rules.refund_figures(month, lines),
            stats=stats_rules.complaint_stats(
                month, [_case(row) for row in case_rows], [_count(row) for row in count_rows],
                now,
            ),
            chain_head=head, cutoff=report_rules.data_cutoff(month, now),
            account_changes=changes,
            warnings=WarningSummary(
                raised=warned.raised, closed=warned.closed,
                still_open=tuple(
                    (f"#{line.warning_id} {line.label}", f"{line.cases} 起 · {line.state}")
                    for line in warned.open_at_end
                ),
            ),
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
        """Write the chosen reports (and the workbook) into ``folder``; return the files."""
        return render(self.figures(month), kinds, folder, printed_at, progress, workbook)


def render(
    data: MonthFigures,
    kinds: Sequence[str],
    folder: Path,
    printed_at: datetime,
    progress: Progress | None = None,
    workbook: bool = True,
) -> list[Path]:
    """Render already computed figures in the package's order; touches no database, so it may
    run in a worker thread."""
    chosen = [entry for entry in REPORT_KINDS if entry.key in kinds]
    unknown = set(kinds) - set(KINDS_BY_KEY)
    if unknown:
        raise KeyError(f"unknown reports: {', '.join(sorted(unknown))}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    steps = len(chosen) + (1 if workbook else 0)
    for done, entry in enumerate(chosen):
        if progress is not None:
            progress(done, steps)
        path = folder / entry.file_name(data.month)
        entry.write_pdf(data, path, printed_at, None)
        written.append(path)
    if workbook:
        from desktop_app.reports.monthly_xlsx import write_workbook

        path = folder / workbook_name(data.month)
        write_workbook(data, path, printed_at)
        written.append(path)
    if progress is not None:
        progress(steps, steps)
    return written


def _text(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


def _moment(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _line(row: Sequence[Any]) -> report_rules.ReturnLine:
    (refund_id, decided_at, case_no, receipt_no, product, barcode, quantity, amount_fen, kind,
     category, department, level, approver, head_office, reference, signed_on, clerk,
     is_special, special_reason, special_detail, is_quality, supplier, defect, reason,
     confirmed_by, leader, confirmed_at, charge_back, charge_back_note, case_status,
     responsible, amount_note, _ledger_fen) = row
    refund_kind = RefundKind.of(kind)
    case_category = rules.Category.of(category)
    signer = f"{head_office}(店长{approver}录入)" if head_office else approver
    return report_rules.ReturnLine(
        refund_id=refund_id, approved_at=datetime.fromisoformat(str(decided_at)),
        case_no=case_no, receipt_no=receipt_no, product_name=product, barcode=barcode,
        quantity=quantity, amount=from_fen(amount_fen), kind=refund_kind.label,
        category=case_category.label, department=department,
        level=ApprovalLevel(level).label.split("(")[0], approver=signer, clerk=clerk,
        is_special=bool(is_special), special_reason=SpecialReason.of(special_reason).label,
        # Free text is printed and exported with any phone number in it masked (138****5678):
        # head office needs the facts, not how to call the customer.
        special_detail=mask_phones_in_text(special_detail), is_quality=bool(is_quality),
        supplier=supplier, defect=mask_phones_in_text(defect or reason),
        confirmation=_confirmation(confirmed_by, leader, confirmed_at),
        charge_back=ChargeBack.of(charge_back),
        charge_back_note=mask_phones_in_text(charge_back_note or ""),
        charge_back_cut_note=mask_phones_in_text(amount_note or ""),
        head_office=" ".join(part for part in (head_office, reference, signed_on or "") if part),
        case_voided=case_status == rules.CaseStatus.VOIDED.value,
        is_compensation=refund_kind is RefundKind.COMPENSATION,
        responsible=str(responsible or ""),
        category_is_quality=case_category is rules.Category.PRODUCT_QUALITY,
    )


def _confirmation(by: Any, leader: Any, at: Any) -> str:
    if not by:
        return "未确认"
    if by == DECIDED_BY_DESK:
        return "部门超时,前台决定"
    return f"{leader or ''} {str(at or '')[5:16]}".strip()


def _case(row: Sequence[Any]) -> stats_rules.CaseFacts:
    (case_no, received_at, kind, category, department, channel, is_major, status, promised,
     first_response, closed, reached, satisfaction) = row
    return stats_rules.CaseFacts(
        case_no=case_no, received_at=datetime.fromisoformat(str(received_at)),
        kind=rules.Kind.of(kind), category=rules.Category.of(category), department=department,
        channel=rules.Channel.of(channel), is_major=bool(is_major),
        status=rules.CaseStatus.of(status), promised_reply_date=_day(promised),
        first_response_at=_moment(first_response), closed_at=_moment(closed),
        follow_up_reached=None if reached is None else bool(reached),
        satisfaction=None if satisfaction is None else int(satisfaction),
    )


def _count(row: Sequence[Any]) -> stats_rules.MonthCount:
    month_key, kind, is_major, cases = row
    return stats_rules.MonthCount(month_key=str(month_key), kind=rules.Kind.of(kind),
                                  is_major=bool(is_major), cases=int(cases))
