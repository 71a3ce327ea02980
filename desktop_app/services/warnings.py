"""Early warning (预警): checking each saved case against the store's rules, in the save's own
transaction, and working the warnings that result. Every write is a register entry.

``check_new_case`` is called by ``CaseService.register`` inside its unit of work; the rest is
``WarningService``, for the 预警 page, the registration form, the approval dialog, the monthly
summary and ``main.py warnings``. The checks are in ``warning_checks``, what the screens read
in ``warning_views``; both are offered here under their old names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import warning_rules as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import CaseStatus, Category
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError
from desktop_app.domain.money import from_fen
from desktop_app.domain.receipts import receipt_key_or_none
from desktop_app.domain.refunds import NO_SUCH_REFUND, RefundKind
from desktop_app.domain.roles import MANAGER_ROLES, may_administer
from desktop_app.domain.warning_rules import (
    WarningAction,
    WarningRule,
    WarningSettings,
    WarningStatus,
)
from desktop_app.services import register
from desktop_app.services.case_views import EarlierCase, earlier_case
from desktop_app.services.stored_values import as_datetime
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.services.warning_checks import (
    RAISED_WITH_AT_MOST,
    check_new_case,
    current_settings,
)
from desktop_app.services.warning_views import (
    ClaimantRecord,
    ClaimantRefund,
    MonthWarnings,
    Notice,
    WarningCase,
    WarningLine,
    month_warnings,
    shown_subject,
    warning_line,
)
from desktop_app.store import warnings as store

Clock = Callable[[], datetime]

__all__ = [
    "RAISED_WITH_AT_MOST", "ClaimantRecord", "ClaimantRefund", "EarlierCase", "MonthWarnings",
    "Notice", "WarningCase", "WarningLine", "WarningService", "check_new_case", "month_warnings",
]


class WarningService:
    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- the rules ------------------------------------------------------------------------------

    def settings(self) -> WarningSettings:
        with UnitOfWork(self._db):
            return current_settings()

    def update_settings(self, actor: Account, settings: WarningSettings) -> None:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以修改预警规则")
        rules.validate_settings(settings)
        with UnitOfWork(self._db) as uow:
            register.write_settings(rules.settings_values(settings), actor, self.now())
            uow.commit()

    # --- reading --------------------------------------------------------------------------------

    @staticmethod
    def may_work(actor: Account) -> bool:
        return actor.role in MANAGER_ROLES

    def warnings(self, statuses: tuple[WarningStatus, ...] | None = None) -> list[WarningLine]:
        """Newest first; by default every open warning."""
        chosen = statuses or (WarningStatus.RAISED, WarningStatus.ACKNOWLEDGED)
        with UnitOfWork(self._db):
            rows = store.warnings(tuple(status.value for status in chosen))
        return [warning_line(row) for row in rows]

    def warning(self, warning_id: int) -> WarningLine:
        with UnitOfWork(self._db):
            row = store.warning(warning_id)
        if row is None:
            raise NotFoundError("没有这个预警")
        return warning_line(row)

    def cases(self, warning_id: int) -> list[WarningCase]:
        with UnitOfWork(self._db):
            rows = store.cases_of(warning_id)
        return [
            WarningCase(
                ordinal=int(row[0]), case_id=int(row[1]), case_no=str(row[2]),
                received_at=as_datetime(row[3]), product_name=str(row[4]),
                customer_name=str(row[5]), category=Category.of(str(row[6])).label,
                status=CaseStatus.of(str(row[7])).label,
            )
            for row in rows
        ]

    def notices(self, case_id: int) -> list[Notice]:
        """The warnings a saved case raised or joined, as the clerk is told of them."""
        with UnitOfWork(self._db):
            rows = store.notices_of_case(case_id)
        notices = []
        for rule_value, subject, days, status, ordinal, first, this, customer in rows:
            rule = WarningRule.of(str(rule_value))
            shown = shown_subject(rule, str(subject), str(customer or ""))
            span = rules.span_days(as_datetime(first), as_datetime(this), int(days))
            notices.append(Notice(
                rule=rule, text=rules.notice_text(int(ordinal), shown, span),
                status=WarningStatus.of(str(status)),
            ))
        return notices

    # --- working a warning ----------------------------------------------------------------------

    def acknowledge(
        self, actor: Account, warning_id: int, action: WarningAction, note: str
    ) -> WarningLine:
        """A manager says what is being done; 无需处理 (with its reason) closes the warning."""
        self._check_may_work(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(warning_id)
            answer = rules.acknowledgement(WarningStatus.of(row["status"]), action, note)
            status = rules.status_after_acknowledgement(answer.action)
            changes: dict[str, Any] = {
                "status": status.value, "action": answer.action.value, "note": answer.note,
                "acknowledged_at": now, "acknowledged_by_id": actor.id,
            }
            if status is WarningStatus.CLOSED:
                changes.update(closed_at=now, closed_by_id=actor.id, close_note=answer.note)
            register.change("warning", warning_id, changes, actor, "warning:acknowledge", now,
                            before=row)
            uow.commit()
        return self.warning(warning_id)

    def close(self, actor: Account, warning_id: int, note: str) -> WarningLine:
        """The action is done: the warning closes; later cases start counting afresh."""
        self._check_may_work(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(warning_id)
            text = rules.closing_note(WarningStatus.of(row["status"]), note)
            register.change("warning", warning_id, {
                "status": WarningStatus.CLOSED.value, "closed_at": now,
                "closed_by_id": actor.id, "close_note": text,
            }, actor, "warning:close", now, before=row)
            uow.commit()
        return self.warning(warning_id)

    def _check_may_work(self, actor: Account) -> None:
        if not self.may_work(actor):
            raise PermissionDeniedError("只有前台经理、副店长或店长可以处理预警")

    @staticmethod
    def _row(warning_id: int) -> dict[str, Any]:
        row = store.warning_columns(warning_id)
        if row is None:
            raise NotFoundError("没有这个预警")
        return row

    # --- a customer claiming again ----------------------------------------------------------------

    def receipt_history(self, receipt_text: str) -> list[EarlierCase]:
        """Earlier cases citing the same receipt, however its number is typed."""
        key = receipt_key_or_none(receipt_text)
        if key is None:
            return []
        with UnitOfWork(self._db):
            rows = store.cases_of_receipt(key)
        return [earlier_case(*row[1:]) for row in rows]

    def claimant(self, refund_id: int) -> ClaimantRecord:
        """For the approval dialog: the customer's other cases (by phone and by receipt), their
        refunds approved this year with the total, and those still waiting."""
        now = self.now()
        start, end = date(now.year, 1, 1), date(now.year + 1, 1, 1)
        with UnitOfWork(self._db):
            subject = store.claim_subject(refund_id)
            if subject is None:
                raise NotFoundError(NO_SUCH_REFUND)
            case_id, phone, receipt_id, _name = subject
            by_phone = [row for row in store.cases_of_phone(phone) if row[0] != case_id] \
                if phone else []
            receipt = store.subject_names(int(case_id))[2]
            listed = {row[0] for row in by_phone} | {case_id}
            by_receipt = [
                row for row in store.cases_of_receipt(receipt) if row[0] not in listed
            ] if receipt_id is not None and receipt else []
            refunds = store.refunds_of_phone(phone, f"{start}", f"{end}") if phone else []
            claims = store.claim_warnings_of_case(int(case_id))
        lines = [
            ClaimantRefund(case_no=str(row[1]), at=as_datetime(row[2]),
                           kind=RefundKind.of(str(row[3])).label, amount=from_fen(int(row[4])),
                           pending=row[5] == "pending")
            for row in refunds
        ]
        approved = [line for line in lines if not line.pending]
        return ClaimantRecord(
            has_phone=bool(phone),
            earlier_cases=[earlier_case(*row[1:]) for row in by_phone],
            receipt_cases=[earlier_case(*row[1:]) for row in by_receipt],
            refunds=lines,
            approved_total=sum((line.amount for line in approved), Decimal("0.00")),
            approved_count=len(approved),
            year=now.year,
            warnings=[
                f"{WarningRule.of(str(rule)).label} 第 {ordinal} 起"
                f"({WarningStatus.of(str(status)).label})"
                for rule, status, ordinal in claims
            ],
        )

    # --- the month and the command line -----------------------------------------------------------

    def month(self, start: datetime, end: datetime) -> MonthWarnings:
        """Raised and closed in [start, end), and those still open at ``end``."""
        with UnitOfWork(self._db):
            return month_warnings(start, end)

    def open_lines(self) -> list[str]:
        """Every open warning, one line each, oldest first (``main.py warnings``)."""
        lines = self.warnings()
        return [
            f"#{line.warning_id} {line.raised_at:%Y-%m-%d %H:%M} {line.summary}"
            for line in reversed(lines)
        ]
