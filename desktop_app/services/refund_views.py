"""Refunds as the screens read them: a request's line, what the approval dialog shows, and
what signing a request being typed would need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop_app.domain import refund_policy as policy
from desktop_app.domain.money import from_fen
from desktop_app.domain.refunds import ChargeBack, RefundKind, RefundStatus


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
    # The receipt's running total the tier was decided on, as it stood at the request.
    receipt_total: Decimal | None = None
    decision_comment: str = ""


@dataclass(frozen=True)
class ApprovalContext:
    """What the approval dialog shows: the receipt's refunds, its total, the tier, who signs."""

    refund: RefundLine
    on_receipt: list[RefundLine]
    receipt_total: Decimal
    level: policy.ApprovalLevel
    who_may_sign: str
    # On a server head office reaches, a head-office account signs above 2000 yuan itself.
    head_office_signs_here: bool = False


@dataclass(frozen=True)
class RequestPreview:
    """What signing a request would need, shown live while the clerk types it."""

    receipt_total: Decimal
    level: policy.ApprovalLevel
    who_may_sign: str
    paid: Decimal | None
    refunded: Decimal


def refund_line(row: Sequence[Any]) -> RefundLine:
    (refund_id, case_no, receipt_no, kind, amount_fen, status, level, requested_at,
     requested_by, decided_by, _decided_at, reason, _special, quality, case_id,
     charge_back, total_fen, comment) = row
    return RefundLine(
        refund_id=refund_id, case_no=case_no, receipt_no=receipt_no, kind=RefundKind.of(kind),
        amount=from_fen(amount_fen), status=RefundStatus.of(status),
        level=policy.ApprovalLevel(level), requested_at=str(requested_at),
        requested_by=requested_by, decided_by=decided_by, reason=reason, case_id=case_id,
        is_quality=bool(quality), charge_back=ChargeBack.of(charge_back),
        receipt_total=None if total_fen is None else from_fen(total_fen),
        decision_comment=comment or "",
    )
