"""Cases and their refunds agree: one table of what a case's state allows.

- A refund is requested and signed only on an upheld case that is still being worked: never on
  a case not yet judged, voided, closed or not upheld (checked again at signing time).
- A product-quality case waits for its department's confirmation (or the desk's decision after
  the deadline) before any refund on it is requested or signed (003: 部门确认).
- Only a product-quality or food-safety case can carry a quality return charged to a supplier.
- 通知顾客 and 结案 wait until every refund is decided; voiding a case cancels its pending ones.
"""

from __future__ import annotations

from desktop_app.domain.cases import CaseStatus, Step

REFUNDABLE_STATUSES = frozenset({
    CaseStatus.ACCEPTED,
    CaseStatus.AWAITING_CONFIRMATION,
    CaseStatus.IN_PROGRESS,
    CaseStatus.CUSTOMER_NOTIFIED,
    CaseStatus.FOLLOWED_UP,
})
# Steps that tell the customer the outcome or end the case: every refund must be decided first.
STEPS_AFTER_REFUNDS = frozenset({Step.NOTIFY, Step.CLOSE})


def refund_refusal(
    status: CaseStatus,
    *,
    needs_confirmation: bool,
    confirmed: bool,
    is_quality: bool,
    signing: bool = False,
) -> str | None:
    """Why a refund cannot be requested (or, ``signing``, signed) on this case now."""
    doing = "审批" if signing else "申请"
    if status is CaseStatus.REGISTERED:
        return f"案件尚未判断是否成立(第3步),不能{doing}退款"
    if status not in REFUNDABLE_STATUSES:
        return f"案件{status.label},不能{doing}退款"
    if is_quality and not needs_confirmation:
        return "只有商品质量或食品安全类案件可以按商品质量退货(由供应商承担损失)"
    if needs_confirmation and not confirmed:
        return (
            f"商品质量问题须责任部门班长到前台确认(或确认时限已过由前台决定)后才能{doing}退款"
        )
    return None


def step_refusal(step: Step, pending_refunds: int) -> str | None:
    """Why ``step`` must wait for the case's refunds, or ``None``."""
    if step in STEPS_AFTER_REFUNDS and pending_refunds > 0:
        return f"这个案件还有 {pending_refunds} 笔退款待审批,审批后才能「{step.label}」"
    return None


def cancels_pending_refunds(step: Step) -> bool:
    return step is Step.VOID
