"""Refund use cases: request on a case, sign at the desk's PC, head-office sign-off, the queue.

The approver proves who they are at the moment of signing: their own user name and password,
checked (and counted towards lockout) like a login, while the clerk stays logged in.
Every request and decision is appended to the case's hash-chained audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import refund_policy as policy
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.money import from_fen, to_fen
from desktop_app.domain.refunds import (
    COUNTED_STATUSES,
    MAX_REASON,
    ChargeBack,
    HeadOfficeSignOff,
    RefundDraft,
    RefundKind,
    RefundStatus,
    validate_head_office,
    validate_refund,
)
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.text import checked_length, clean_block, raise_if_any
from desktop_app.services import case_audit
from desktop_app.services.accounts import AccountService
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import cases as case_store
from desktop_app.store import refunds as store

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class RefundLine:
    refund_id: int
    case_no: str
    receipt_no: str
    kind: RefundKind
    amount: Decimal
    status: RefundStatus
    level: policy.ApprovalLevel
    requested_at: str
    requested_by: str
    decided_by: str
    reason: str
    case_id: int
    is_quality: bool = False
    charge_back: ChargeBack = ChargeBack.NOT_APPLICABLE


@dataclass(frozen=True)
class ApprovalContext:
    """What the approval dialog shows: the receipt's refunds, its total, the tier, who signs."""

    refund: RefundLine
    on_receipt: list[RefundLine]
    receipt_total: Decimal
    level: policy.ApprovalLevel
    who_may_sign: str


class RefundService:
    def __init__(self, db: Any, clock: Clock, accounts: AccountService) -> None:
        self._db = db
        self._clock = clock
        self._accounts = accounts

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- requesting ---------------------------------------------------------------------------

    def receipt_paid(self, case_id: int) -> Decimal | None:
        with UnitOfWork(self._db):
            row = case_store.case_columns(case_id)
        fen = None if row is None else row["amount_paid_fen"]
        return None if fen is None else from_fen(fen)

    def request(self, actor: Account, case_id: int, draft: RefundDraft) -> int:
        """Validate, decide the tier on the receipt's running total, and record the request."""
        request = validate_refund(draft)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            if case_store.case_columns(case_id) is None:
                raise NotFoundError("没有这个案件")
            earlier = [
                line for line in self._on_receipt(request.receipt_no, case_id)
                if line.status in COUNTED_STATUSES
            ]
            level = policy.level_for_request([line.amount for line in earlier], request.amount)
            if request.kind is not RefundKind.COMPENSATION and request.receipt_paid is not None:
                policy.check_within_paid(
                    request.receipt_paid,
                    [line.amount for line in earlier if line.kind is not RefundKind.COMPENSATION],
                    request.amount,
                )
            supplier_id = None
            if request.is_quality:
                supplier_id = store.supplier_named(request.supplier_name)
                if supplier_id is None:
                    raise_unknown_supplier(request.supplier_name)
            values = {
                "case_id": case_id, "receipt_no": request.receipt_no, "kind": request.kind.value,
                "amount_fen": to_fen(request.amount), "reason": request.reason,
                "is_quality": request.is_quality, "supplier_id": supplier_id,
                "charge_back_status": request.charge_back.value,
                "is_special": request.is_special,
                "special_reason": request.special_reason.value,
                "special_detail": request.special_detail, "status": RefundStatus.PENDING.value,
                "level_required": int(level), "requested_by_id": actor.id,
                "requested_at": now,
            }
            items = [
                {"product_name": item.product_name, "barcode": item.barcode,
                 "quantity": item.quantity, "amount_fen": to_fen(item.amount),
                 "defect": item.defect}
                for item in request.items
            ]
            refund_id = store.insert_refund(values, items)
            self._audit(case_id, actor, now, "refund:request", refund_id, "", values)
            uow.commit()
        return refund_id

    # --- signing ----------------------------------------------------------------------------

    def approval_context(self, refund_id: int) -> ApprovalContext:
        with UnitOfWork(self._db):
            refund = self._line(refund_id)
            on_receipt = self._on_receipt(refund.receipt_no, refund.case_id)
        counted = [
            line.amount for line in on_receipt
            if line.status in COUNTED_STATUSES and line.refund_id <= refund_id
        ]
        total = sum(counted, Decimal("0"))
        return ApprovalContext(
            refund=refund, on_receipt=on_receipt, receipt_total=total, level=refund.level,
            who_may_sign=policy.who_may_sign(refund.level),
        )

    def decide(
        self, refund_id: int, username: str, password: str, approve: bool, comment: str
    ) -> Account:
        """The approver signs with their own password; approval and rejection are both final."""
        approver = self._accounts.authenticate(username, password, purpose="sign")
        self.sign_as(approver, refund_id, approve, comment)
        return approver

    def sign_as(self, approver: Account, refund_id: int, approve: bool, comment: str) -> None:
        """Record the decision of an approver whose identity the caller has just proved
        (``decide`` by password; demo data by construction). Authority is still checked."""
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._pending_row(refund_id)
            level = policy.ApprovalLevel(row["level_required"])
            self._check_signer(approver, row, level)
            changes = {
                "status": (RefundStatus.APPROVED if approve else RefundStatus.REJECTED).value,
                "decided_by_id": approver.id, "decided_at": now,
                "decision_comment": comment.strip(),
            }
            store.update_refund(refund_id, changes)
            action = "refund:approve" if approve else "refund:reject"
            self._audit(row["case_id"], approver, now, action, refund_id, "", changes)
            uow.commit()

    def record_head_office(
        self,
        refund_id: int,
        username: str,
        password: str,
        head_office_approver: str,
        reference: str,
        signed_on: date,
    ) -> Account:
        """Above 2000 yuan head office signs; the store manager enters that sign-off here."""
        sign_off = validate_head_office(
            head_office_approver, reference, signed_on, self._clock().date()
        )
        recorder = self._accounts.authenticate(username, password, purpose="sign")
        self.record_head_office_as(recorder, refund_id, sign_off)
        return recorder

    def record_head_office_as(
        self, recorder: Account, refund_id: int, sign_off: HeadOfficeSignOff
    ) -> None:
        """As ``record_head_office`` once the recorder's identity is proved."""
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._pending_row(refund_id)
            if policy.ApprovalLevel(row["level_required"]) is not policy.ApprovalLevel.HEAD_OFFICE:
                raise ConflictError("这笔退款不需要集团签批,请直接审批")
            if not policy.may_record_head_office_sign_off(recorder.role):
                raise PermissionDeniedError("集团签批信息只能由店长录入")
            if recorder.id == row["requested_by_id"]:
                raise PermissionDeniedError("申请人不能为自己的申请录入签批")
            changes = {
                "status": RefundStatus.APPROVED.value, "decided_by_id": recorder.id,
                "decided_at": now, "head_office_approver": sign_off.approver,
                "head_office_reference": sign_off.reference,
                "head_office_date": sign_off.signed_on,
                "decision_comment": f"集团签批:{sign_off.approver} {sign_off.reference}",
            }
            store.update_refund(refund_id, changes)
            self._audit(row["case_id"], recorder, now, "refund:head_office", refund_id, "", changes)
            uow.commit()

    @staticmethod
    def _check_signer(approver: Account, row: dict[str, Any], level: policy.ApprovalLevel) -> None:
        if approver.id == row["requested_by_id"]:
            raise PermissionDeniedError("申请人不能审批自己提出的退款")
        if level is policy.ApprovalLevel.HEAD_OFFICE:
            raise PermissionDeniedError(
                "超过 2000 元须集团主管营运副总签批,请店长录入集团签批信息"
            )
        if not policy.may_sign(approver.role, level):
            raise PermissionDeniedError(
                f"{approver.display_name}({approver.role.label})无权审批此笔退款,"
                f"须由{policy.who_may_sign(level)}审批"
            )

    def set_charge_back(
        self, actor: Account, refund_id: int, status: ChargeBack, note: str = ""
    ) -> None:
        """Follow a quality return's loss to the supplier: charged, or waived by the store
        manager with the reason (``note``) printed on the quality report."""
        if actor.role not in MANAGER_ROLES:
            raise PermissionDeniedError("只有前台经理及以上可以登记供应商扣款")
        if status is ChargeBack.WAIVED and actor.role is not Role.STORE_MANAGER:
            raise PermissionDeniedError("只有店长可以免除供应商扣款")
        errors: dict[str, str] = {}
        note = checked_length(clean_block(note), "charge_back_note", "免除原因", MAX_REASON, errors)
        if status is ChargeBack.WAIVED and not note:
            errors["charge_back_note"] = "免除供应商扣款须写明原因"
        raise_if_any(errors)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = store.refund_columns(refund_id)
            if row is None:
                raise NotFoundError("没有这笔退款")
            if not row["is_quality"] or status is ChargeBack.NOT_APPLICABLE:
                raise ConflictError("只有商品质量退货需要向供应商扣款")
            if row["status"] != RefundStatus.APPROVED.value:
                raise ConflictError("退款批准后才能登记供应商扣款")
            changes = {"charge_back_status": status.value,
                       "charge_back_note": note if status is ChargeBack.WAIVED else ""}
            store.update_refund(refund_id, changes)
            self._audit(row["case_id"], actor, now, "refund:charge_back", refund_id,
                        row["charge_back_status"], changes)
            uow.commit()

    # --- lists ------------------------------------------------------------------------------

    def refunds_of_case(self, case_id: int) -> list[RefundLine]:
        with UnitOfWork(self._db):
            return [_line(row) for row in store.refunds_of_case(case_id)]

    def pending_by_level(self) -> dict[policy.ApprovalLevel, list[RefundLine]]:
        """Refunds awaiting signature, highest level first, so a manager sees what is theirs."""
        with UnitOfWork(self._db):
            lines = [_line(row) for row in store.pending_refunds()]
        grouped: dict[policy.ApprovalLevel, list[RefundLine]] = {}
        for line in lines:
            grouped.setdefault(line.level, []).append(line)
        return grouped

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _on_receipt(receipt_no: str, case_id: int) -> list[RefundLine]:
        return [_line(row) for row in store.refunds_on_receipt(receipt_no, case_id)]

    @staticmethod
    def _line(refund_id: int) -> RefundLine:
        rows = store.refund_line(refund_id)
        if not rows:
            raise NotFoundError("没有这笔退款")
        return _line(rows[0])

    @staticmethod
    def _pending_row(refund_id: int) -> dict[str, Any]:
        row = store.refund_columns(refund_id)
        if row is None:
            raise NotFoundError("没有这笔退款")
        if row["status"] != RefundStatus.PENDING.value:
            status = RefundStatus.of(row["status"]).label
            raise ConflictError(f"这笔退款{status},审批结果不能更改")
        return row

    @staticmethod
    def _audit(
        case_id: int, actor: Account, at: datetime, action: str, refund_id: int, old: str,
        values: dict[str, Any],
    ) -> None:
        new = json.dumps(
            {key: case_audit.as_text(value) for key, value in values.items()},
            ensure_ascii=False, sort_keys=True,
        )
        case_audit.append(case_id, actor, at, action, f"refund#{refund_id}", old, new)


def raise_unknown_supplier(name: str) -> None:
    raise ValidationError({"supplier_name": f"没有名为“{name}”的供应商,请从列表中选择"})


def _line(row: Sequence[Any]) -> RefundLine:
    (refund_id, case_no, receipt_no, kind, amount_fen, status, level, requested_at,
     requested_by, decided_by, _decided_at, reason, _special, quality, case_id,
     charge_back) = row
    return RefundLine(
        refund_id=refund_id, case_no=case_no, receipt_no=receipt_no, kind=RefundKind.of(kind),
        amount=from_fen(amount_fen), status=RefundStatus.of(status),
        level=policy.ApprovalLevel(level), requested_at=str(requested_at),
        requested_by=requested_by, decided_by=decided_by, reason=reason, case_id=case_id,
        is_quality=bool(quality), charge_back=ChargeBack.of(charge_back),
    )
