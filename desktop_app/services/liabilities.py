"""The staff liability ledger's use cases: name who bears a service compensation and their
share, with the penalty step 8 decided; settle, waive or cancel a line; the monthly statement per
person. Managers only, reading included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain import liability as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import CaseStatus, Step
from desktop_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.liability import (
    LiabilityAction,
    LiabilityLine,
    LiabilityStatus,
    ShareDraft,
    StaffStatement,
)
from desktop_app.domain.money import from_fen, to_fen
from desktop_app.domain.refunds import RefundKind, RefundStatus
from desktop_app.domain.register import canonical
from desktop_app.domain.report_figures import Month
from desktop_app.services import register
from desktop_app.services.case_views import workflow_of
from desktop_app.services.ledger_papers import LedgerPapers
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import cases as case_store
from desktop_app.store import ledgers as store
from desktop_app.store import refunds as refund_store

NEED_STEP_8 = "请先在第 8 步“责任与处罚”记录责任与处罚,再登记责任人分担"


@dataclass(frozen=True)
class Compensation:
    """A service compensation of a case, with what its responsible staff already bear."""

    refund_id: int
    amount: Decimal
    approved_at: datetime
    reason: str
    percent_held: int
    lines: tuple[LiabilityLine, ...]


class LiabilityService(LedgerPapers):
    """The staff liability ledger and its monthly statements."""

    @staticmethod
    def may_see(actor: Account) -> bool:
        return rules.may_see(actor.role)

    # --- naming who bears it ------------------------------------------------------------------

    def compensations(self, actor: Account, case_id: int) -> list[Compensation]:
        _check_sees(actor)
        with UnitOfWork(self._db):
            rows = store.service_compensations(case_id)
            lines = {int(row[0]): [_line(found) for found in
                                   store.liability_lines(refund_id=int(row[0]))]
                     for row in rows}
        return [
            Compensation(int(refund_id), from_fen(int(amount_fen)),
                         datetime.fromisoformat(str(decided_at)), str(reason), int(held),
                         tuple(lines[int(refund_id)]))
            for refund_id, amount_fen, decided_at, reason, held in rows
        ]

    def staff_choices(self, actor: Account) -> list[tuple[int, str]]:
        """(staff id, "姓名(部门)") of the active staff list."""
        _check_sees(actor)
        with UnitOfWork(self._db):
            rows = store.staff_choices()
        return [(staff_id, f"{name}({department})" if department else name)
                for staff_id, name, department in rows]

    def record(self, actor: Account, refund_id: int, drafts: Sequence[ShareDraft]) -> list[int]:
        """One line per person: their share of the compensation (exact to the fen, what no one
        bears stays with the store) and their penalty. All or nothing."""
        _check_sees(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            refund = self._compensation_row(refund_id)
            held_percent, held_fen, held_by = store.held_on_refund(refund_id)
            shares = rules.validate_shares(drafts, held_percent)
            for share in shares:
                active = store.staff_active(share.staff_id)
                if not active:
                    raise ValidationError({"shares": "责任人须是员工名单中在职的员工"})
                if share.staff_id in held_by:
                    raise ValidationError({"shares": (
                        "这位员工已登记过这笔赔偿的责任,如需更改请先撤销")})
            amounts = rules.amounts_of(int(refund["amount_fen"]), held_fen, held_percent,
                                       [share.percent for share in shares])
            created = [
                register.create("liability", {
                    "refund_id": refund_id, "staff_id": share.staff_id,
                    "share_pct": share.percent, "amount_fen": amount,
                    "penalty_fen": to_fen(share.penalty), "penalty_note": share.penalty_note,
                    "status": LiabilityStatus.PENDING.value, "settle_ref": "",
                    "settled_on": None, "reason": "", "recorded_by_id": actor.id,
                    "recorded_at": now, "decided_by_id": None, "decided_at": None,
                }, actor, "liability:record", now)
                for share, amount in zip(shares, amounts, strict=True)
            ]
            uow.commit()
        return created

    @staticmethod
    def _compensation_row(refund_id: int) -> dict[str, Any]:
        refund = refund_store.refund_columns(refund_id)
        if refund is None:
            raise NotFoundError("没有这笔赔偿")
        if refund["kind"] != RefundKind.COMPENSATION.value or refund["is_quality"]:
            raise ConflictError("只有服务原因的赔偿(非商品质量)由员工分担")
        if refund["status"] != RefundStatus.APPROVED.value:
            raise ConflictError("赔偿批准后才能登记责任人分担")
        case = case_store.case_columns(int(refund["case_id"]))
        assert case is not None
        if case["status"] == CaseStatus.VOIDED.value:
            raise ConflictError("案件已作废,不能登记责任人")
        workflow = workflow_of(case)
        if Step.RESPONSIBILITY.value not in workflow:
            raise ConflictError(NEED_STEP_8)
        return refund

    # --- what happens to a line ---------------------------------------------------------------

    def settle(
        self, actor: Account, line_id: int, reference: str, settled_on: date | None
    ) -> None:
        """Executed: deducted from pay (or paid in), with the reference and the date."""
        _check_permission(actor, LiabilityAction.SETTLE)
        row = self._read_row(line_id)
        recorded_on = datetime.fromisoformat(str(row["recorded_at"])).date()
        settlement = rules.validate_settlement(reference, settled_on, recorded_on,
                                               self.now().date())
        self._change(actor, line_id, LiabilityAction.SETTLE, "liability:settled", {
            "status": LiabilityStatus.SETTLED.value, "settle_ref": settlement.reference,
            "settled_on": settlement.settled_on,
        })

    def waive(self, actor: Account, line_id: int, reason: str) -> None:
        _check_permission(actor, LiabilityAction.WAIVE)
        why = _reason(reason, "免除原因")
        self._change(actor, line_id, LiabilityAction.WAIVE, "liability:waived",
                     {"status": LiabilityStatus.WAIVED.value, "reason": why})

    def cancel(self, actor: Account, line_id: int, reason: str) -> None:
        """A line entered by mistake: it no longer holds its share, which may be given again."""
        _check_permission(actor, LiabilityAction.CANCEL)
        why = _reason(reason, "撤销原因")
        self._change(actor, line_id, LiabilityAction.CANCEL, "liability:cancelled",
                     {"status": LiabilityStatus.CANCELLED.value, "reason": why})

    def _read_row(self, line_id: int) -> dict[str, Any]:
        with UnitOfWork(self._db):
            row = store.liability_columns(line_id)
        if row is None:
            raise NotFoundError("没有这条员工责任")
        return row

    def _change(self, actor: Account, line_id: int, action: LiabilityAction, entry_action: str,
                changes: dict[str, Any]) -> None:
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = store.liability_columns(line_id)
            if row is None:
                raise NotFoundError("没有这条员工责任")
            refusal = rules.state_refusal(LiabilityStatus.of(row["status"]), action)
            if refusal is not None:
                raise ConflictError(refusal)
            register.change("liability", line_id,
                            {**changes, "decided_by_id": actor.id, "decided_at": now},
                            actor, entry_action, now, before=row)
            uow.commit()

    # --- reading: lines and statements --------------------------------------------------------

    def lines(
        self, actor: Account, month: Month | None = None, staff_id: int | None = None
    ) -> list[LiabilityLine]:
        _check_sees(actor)
        start = None if month is None else canonical(month.start)
        end = None if month is None else canonical(month.end)
        with UnitOfWork(self._db):
            rows = store.liability_lines(start, end, staff_id=staff_id)
        return [_line(row) for row in rows]

    def statements(self, actor: Account, month: Month) -> list[StaffStatement]:
        return rules.statements(month, self.lines(actor, month))

    def export_statements(
        self,
        actor: Account,
        month: Month,
        folder: Path,
        printed_at: datetime,
        staff_id: int | None = None,
    ) -> list[Path]:
        """《员工赔偿责任月结单》: one PDF per person with lines that month (or only one)."""
        from desktop_app.reports.liability_statement import statement_file_name, write_statement

        _check_sees(actor)
        with UnitOfWork(self._db):  # the head printed is the one the lines were read under
            head = self._chain_head()
            found = [statement for statement in self.statements(actor, month)
                     if staff_id is None or statement.staff_id == staff_id]
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for statement in found:
            path = folder / statement_file_name(statement)
            write_statement(statement, path, self._store_name(), printed_at, head)
            written.append(path)
        return written


def _check_sees(actor: Account) -> None:
    if not rules.may_see(actor.role):
        raise PermissionDeniedError(rules.HIDDEN)


def _check_permission(actor: Account, action: LiabilityAction) -> None:
    refusal = rules.permission_refusal(actor.role, action)
    if refusal is not None:
        raise PermissionDeniedError(refusal)


def _reason(text: str, label: str) -> str:
    from desktop_app.domain.charge_backs import validate_reason

    return validate_reason(text, label)


def _line(row: Sequence[Any]) -> LiabilityLine:
    (line_id, refund_id, case_no, staff_id, staff, department, recorded_at, compensation_fen,
     percent, amount_fen, penalty_fen, penalty_note, status, settle_ref, settled_on, reason,
     responsibility) = row
    return LiabilityLine(
        line_id=int(line_id), refund_id=int(refund_id), case_no=str(case_no),
        staff_id=int(staff_id), staff=str(staff), department=str(department),
        recorded_at=datetime.fromisoformat(str(recorded_at)),
        compensation=from_fen(int(compensation_fen)), percent=int(percent),
        amount=from_fen(int(amount_fen)), penalty=from_fen(int(penalty_fen)),
        penalty_note=str(penalty_note), status=LiabilityStatus.of(str(status)),
        settle_ref=str(settle_ref),
        settled_on=None if settled_on is None else date.fromisoformat(str(settled_on)[:10]),
        reason=str(reason), responsibility=str(responsibility),
    )
