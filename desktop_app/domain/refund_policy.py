"""Who signs a refund: the 50 / 200 / 2000 yuan tiers of 履行退货审批权限 (以单张水单为标准).

The amount that decides the tier is everything refunded against ONE sales receipt, counting
refunds already approved or still pending on it, so splitting a receipt into small refunds never
lowers the tier. A higher role may sign anything a lower one may; above 2000 yuan only head
office (集团主管营运副总) signs, and the store manager records that sign-off at the desk.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from decimal import Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import CENT, format_yuan
from desktop_app.domain.roles import Role

FRONT_DESK_LIMIT = Decimal("50.00")
DEPUTY_STORE_MANAGER_LIMIT = Decimal("200.00")
STORE_MANAGER_LIMIT = Decimal("2000.00")


class ApprovalLevel(enum.IntEnum):
    """Ordered: a larger level needs more authority."""

    FRONT_DESK = 1
    DEPUTY_STORE_MANAGER = 2
    STORE_MANAGER = 3
    HEAD_OFFICE = 4

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def limit(self) -> Decimal | None:
        """The largest receipt total this level may sign; ``None`` for head office."""
        return LEVEL_LIMITS.get(self)


def _yuan(amount: Decimal) -> str:
    """``50``, ``50.01``, ``2000``: a tier's bound as the policy writes it."""
    return f"{amount.normalize():f}"


LEVEL_LABELS = {
    ApprovalLevel.FRONT_DESK: f"前台经理/助理({_yuan(FRONT_DESK_LIMIT)}元及以下)",
    ApprovalLevel.DEPUTY_STORE_MANAGER:
        f"主管副店长({_yuan(FRONT_DESK_LIMIT + CENT)}–{_yuan(DEPUTY_STORE_MANAGER_LIMIT)}元)",
    ApprovalLevel.STORE_MANAGER:
        f"店长({_yuan(DEPUTY_STORE_MANAGER_LIMIT + CENT)}–{_yuan(STORE_MANAGER_LIMIT)}元)",
    ApprovalLevel.HEAD_OFFICE: f"集团主管营运副总({_yuan(STORE_MANAGER_LIMIT)}元以上)",
}
# What needs head office's signature, in the words of the refusal and the monthly summary.
ABOVE_STORE_MANAGER = f"超过 {_yuan(STORE_MANAGER_LIMIT)} 元"
# Head office neither registers, corrects nor works cases, nor asks for refunds: it would sign
# its own requests, or void a case and with it the store's pending refunds.
NOT_AT_THE_DESK = f"集团账户只签批{ABOVE_STORE_MANAGER}的退款,不在服务台登记、处理案件或申请退款"
LEVEL_LIMITS = {
    ApprovalLevel.FRONT_DESK: FRONT_DESK_LIMIT,
    ApprovalLevel.DEPUTY_STORE_MANAGER: DEPUTY_STORE_MANAGER_LIMIT,
    ApprovalLevel.STORE_MANAGER: STORE_MANAGER_LIMIT,
}

# The lowest role whose signature covers each level at this PC.
SIGNING_ROLE: dict[ApprovalLevel, Role] = {
    ApprovalLevel.FRONT_DESK: Role.FRONT_DESK_MANAGER,
    ApprovalLevel.DEPUTY_STORE_MANAGER: Role.DEPUTY_STORE_MANAGER,
    ApprovalLevel.STORE_MANAGER: Role.STORE_MANAGER,
}
# Head office signs elsewhere; this role enters its sign-off.
HEAD_OFFICE_RECORDER = Role.STORE_MANAGER


# Whoever created an account or last reset its password knew a password that signs with it
# (a second account of their own, a deputy whose "own" new password they chose after the reset),
# and so, in turn, for the accounts that account set up: none of them signs their requests.
SET_UP_BY_REQUESTER = (
    "此账户由申请人(或申请人开立的账户)开立或重置过密码,不能审批申请人提出的退款;"
    "店长本人的退款请由服务台接待员申请"
)


def set_up_by_requester(requested_by: int, set_up_by: Collection[int]) -> bool:
    """True when the one who asked for the refund is among those who set the signing account
    up (created it or last reset its password, directly or through accounts they set up)."""
    return requested_by in set_up_by


class InvalidRefundAmountError(ValidationError):
    """A refund amount no rule can be applied to."""

    def __init__(self, message: str, field: str = "amount") -> None:
        super().__init__({field: message})


def check_refund_amount(amount: Decimal, label: str = "退款金额") -> Decimal:
    """A positive amount in whole fen, or ``InvalidRefundAmountError``."""
    if not isinstance(amount, Decimal):
        raise InvalidRefundAmountError(f"{label}必须是精确金额")
    if not amount.is_finite():
        raise InvalidRefundAmountError(f"{label}不是有效数字")
    if amount <= 0:
        raise InvalidRefundAmountError(f"{label}必须大于 0")
    if amount != amount.quantize(CENT):
        raise InvalidRefundAmountError(f"{label}最多两位小数(精确到分)")
    return amount


def approval_level_for(receipt_total: Decimal) -> ApprovalLevel:
    """The level that must sign when ``receipt_total`` in all is refunded against one receipt."""
    total = check_refund_amount(receipt_total, "水单退款合计")
    for level in (
        ApprovalLevel.FRONT_DESK,
        ApprovalLevel.DEPUTY_STORE_MANAGER,
        ApprovalLevel.STORE_MANAGER,
    ):
        if total <= LEVEL_LIMITS[level]:
            return level
    return ApprovalLevel.HEAD_OFFICE


def receipt_total(counted_earlier: Iterable[Decimal], requested: Decimal) -> Decimal:
    """What the tier is decided on: refunds approved or pending on the receipt plus this one."""
    total = check_refund_amount(requested)
    for earlier in counted_earlier:
        total += check_refund_amount(earlier, "已退金额")
    return total


def level_for_request(counted_earlier: Iterable[Decimal], requested: Decimal) -> ApprovalLevel:
    return approval_level_for(receipt_total(counted_earlier, requested))


def may_sign(role: Role, level: ApprovalLevel, head_office_connected: bool = False) -> bool:
    """True when ``role`` may approve or reject at ``level`` with its own password.

    Head office's level is signed by a head-office account only where head office is connected
    (the store on a server head office reaches); in the single-PC store nobody signs it there:
    the store manager records head office's sign-off (``may_record_head_office_sign_off``)."""
    if level is ApprovalLevel.HEAD_OFFICE:
        return head_office_connected and role is Role.HEAD_OFFICE
    required = SIGNING_ROLE.get(level)
    return required is not None and role.covers(required)


def may_decide(role: Role, level: ApprovalLevel, head_office_connected: bool = False) -> bool:
    """True when ``role`` decides a refund at ``level``: signs it with its own password, or,
    for head office's level where head office is not connected, records its sign-off."""
    if level is ApprovalLevel.HEAD_OFFICE and not head_office_connected:
        return may_record_head_office_sign_off(role)
    return may_sign(role, level, head_office_connected)


def decided_within_authority(role: Role | None, level: ApprovalLevel) -> bool:
    """Whether an account of ``role`` could have decided a refund at ``level`` in any store
    (single PC or connected to head office): what verify holds every decision to."""
    return role is not None and (may_decide(role, level, False) or may_decide(role, level, True))


def may_record_head_office_sign_off(role: Role) -> bool:
    return role.covers(HEAD_OFFICE_RECORDER) and role is not Role.ADMINISTRATOR


def signers_for(level: ApprovalLevel) -> list[Role]:
    """Every role that may sign ``level`` here, lowest first."""
    return sorted(
        (role for role in Role if may_sign(role, level)), key=lambda role: role.rank
    )


def who_may_sign(level: ApprovalLevel, head_office_connected: bool = False) -> str:
    if level is ApprovalLevel.HEAD_OFFICE:
        if head_office_connected:
            return "集团主管营运副总用本人账户签批"
        return "集团主管营运副总签批,由店长录入签批信息"
    return "、".join(role.label for role in signers_for(level))


def check_within_paid(
    paid: Decimal, refunded_earlier: Iterable[Decimal], requested: Decimal
) -> None:
    """Refunds and exchanges on a receipt never exceed what was paid on it; anything beyond
    is a compensation, requested and approved as such."""
    earlier = sum(refunded_earlier, Decimal("0"))
    if earlier + requested > paid:
        room = max(paid - earlier, Decimal("0"))
        raise InvalidRefundAmountError(
            f"这张水单实付 {format_yuan(paid)},已退 {format_yuan(earlier)},最多还能退 "
            f"{format_yuan(room)};超出部分请按“赔偿”另行申请"
        )
