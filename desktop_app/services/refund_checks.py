"""The money controls a refund meets when requested and again when signed: the case's state
allows it, and refunds and exchanges never exceed what the receipt says was paid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_app.domain import case_refunds
from desktop_app.domain import refund_policy as policy
from desktop_app.domain.cases import CaseStatus, Step
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.money import from_fen
from desktop_app.domain.refunds import RefundKind, RefundRequest
from desktop_app.services.case_views import workflow_of
from desktop_app.store import receipts as receipt_store
from desktop_app.store.receipts import CountedRefund, StoredReceipt


def case_receipt(case: dict[str, Any]) -> StoredReceipt | None:
    receipt_id = case["receipt_id"]
    return None if receipt_id is None else receipt_store.by_id(int(receipt_id))


def refuse_on_case_state(case: dict[str, Any], is_quality: bool, signing: bool) -> None:
    workflow = workflow_of(case)
    refusal = case_refunds.refund_refusal(
        CaseStatus.of(case["status"]),
        needs_confirmation=bool(case["needs_confirmation"]),
        confirmed=Step.CONFIRMATION.value in workflow,
        is_quality=is_quality,
        signing=signing,
    )
    if refusal is not None:
        raise ConflictError(refusal)


def check_ceiling(
    receipt: StoredReceipt | None, earlier: Sequence[CountedRefund], request: RefundRequest
) -> None:
    """Refunds and exchanges never exceed what was paid on the receipt, across all its cases."""
    if receipt is None or request.kind is RefundKind.COMPENSATION:
        return
    if receipt.paid_fen is None:
        raise ValidationError({"receipt_paid": f"请填写小票 {receipt.key} 的实付金额"})
    policy.check_within_paid(
        from_fen(receipt.paid_fen),
        [from_fen(line.amount_fen) for line in earlier if line.kind != "compensation"],
        request.amount,
    )
