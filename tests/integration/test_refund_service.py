"""Requesting and signing refunds on a real database: tiers per receipt, who may sign."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.cases import Category
from desktop_app.domain.errors import (
    AccountLockedError,
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.domain.refunds import (
    ChargeBack,
    ItemDraft,
    RefundKind,
    RefundStatus,
    SpecialReason,
)
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_refund, a_worked_case
from tests.conftest import FakeClock

PASSWORD = "pass123"
PRICE = Category.PRICE_BILLING


@pytest.fixture
def case_id(desk: Desk, staff: Staff) -> int:
    """A price complaint (no department confirmation needed) on a receipt of 5,000 yuan."""
    return a_worked_case(desk, staff, amount_paid="5000.00", category=PRICE)


def level_of(desk: Desk, refund_id: int) -> ApprovalLevel:
    return desk.refunds.approval_context(refund_id).level


@pytest.mark.parametrize(
    ("amount", "level"),
    [
        ("0.01", ApprovalLevel.FRONT_DESK), ("50.00", ApprovalLevel.FRONT_DESK),
        ("50.01", ApprovalLevel.DEPUTY_STORE_MANAGER),
        ("200.00", ApprovalLevel.DEPUTY_STORE_MANAGER),
        ("200.01", ApprovalLevel.STORE_MANAGER), ("2000.00", ApprovalLevel.STORE_MANAGER),
        ("2000.01", ApprovalLevel.HEAD_OFFICE),
    ],
)
def test_the_tier_of_a_single_refund(
    desk: Desk, staff: Staff, case_id: int, amount: str, level: ApprovalLevel
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(amount))
    assert level_of(desk, refund_id) is level


def test_two_forty_yuan_refunds_on_one_receipt_need_the_deputy(
    desk: Desk, staff: Staff, case_id: int
) -> None:
    first = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    other_case = a_worked_case(desk, staff, amount_paid="", category=PRICE)
    second = desk.refunds.request(staff.other_clerk, other_case, a_refund("40.00"))
    assert level_of(desk, first) is ApprovalLevel.FRONT_DESK
    context = desk.refunds.approval_context(second)
    assert context.level is ApprovalLevel.DEPUTY_STORE_MANAGER
    assert context.receipt_total == Decimal("80.00")
    assert [line.refund_id for line in context.on_receipt] == [first, second]


def test_a_rejected_refund_no_longer_counts(desk: Desk, staff: Staff, case_id: int) -> None:
    first = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    desk.refunds.decide(first, "front", PASSWORD, approve=False, comment="不符合规定")
    second = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    assert level_of(desk, second) is ApprovalLevel.FRONT_DESK


def test_the_approval_screen_shows_the_total_the_tier_was_decided_on(
    desk: Desk, staff: Staff, case_id: int
) -> None:
    """Request 40 + 40, reject the first, open the second: 累计 80 beside the deputy's tier."""
    first = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    second = desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    desk.refunds.decide(first, "front", PASSWORD, approve=False, comment="重复申请")
    context = desk.refunds.approval_context(second)
    assert context.receipt_total == Decimal("80.00")
    assert context.level is ApprovalLevel.DEPUTY_STORE_MANAGER
    assert context.refund.receipt_total == Decimal("80.00")


def test_the_front_desk_manager_approves_up_to_fifty(
    desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("50.00"))
    signer = desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="同意")
    assert signer == staff.front_desk
    [line] = desk.refunds.refunds_of_case(case_id)
    assert line.status is RefundStatus.APPROVED
    assert line.decided_by == "赵经理"


def test_a_role_below_the_tier_is_refused_and_nothing_changes(
    desk: Desk, staff: Staff, case_id: int
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("50.01"))
    with pytest.raises(PermissionDeniedError, match="主管副店长"):
        desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.PENDING
    desk.refunds.decide(refund_id, "boss", "secret1", approve=True, comment="店长可签")
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.APPROVED


def test_nobody_approves_their_own_request(desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.front_desk, case_id, a_refund("10.00"))
    with pytest.raises(PermissionDeniedError, match="申请人"):
        desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")


def test_a_wrong_password_is_refused_and_counts_towards_lockout(
    desk: Desk, staff: Staff, case_id: int, clock: FakeClock
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            desk.refunds.decide(refund_id, "front", "wrong", approve=True, comment="")
    with pytest.raises(AccountLockedError):
        desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")
    clock.now += timedelta(minutes=6)
    desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")


def test_a_disabled_account_cannot_sign(desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    desk.accounts.set_active(staff.boss, staff.front_desk.id, False)
    with pytest.raises(AuthenticationError, match="停用"):
        desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")


def test_decisions_are_final(desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    desk.refunds.decide(refund_id, "front", PASSWORD, approve=False, comment="不符合")
    with pytest.raises(ConflictError, match="已驳回"):
        desk.refunds.decide(refund_id, "boss", "secret1", approve=True, comment="")


def test_a_rejection_needs_a_reason(desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    with pytest.raises(ValidationError, match="理由"):
        desk.refunds.decide(refund_id, "front", PASSWORD, approve=False, comment="  ")
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.PENDING


def test_above_two_thousand_needs_the_head_office_sign_off(
    desk: Desk, staff: Staff, case_id: int, clock: FakeClock
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    with pytest.raises(PermissionDeniedError, match="集团"):
        desk.refunds.decide(refund_id, "boss", "secret1", approve=True, comment="")
    with pytest.raises(PermissionDeniedError, match="店长"):
        desk.refunds.record_head_office(
            refund_id, "deputy", PASSWORD, "周副总", "集团批〔2026〕18号", clock.now.date()
        )
    with pytest.raises(ValidationError):
        desk.refunds.record_head_office(refund_id, "boss", "secret1", "", "", date(2026, 12, 1))
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.PENDING
    desk.refunds.record_head_office(
        refund_id, "boss", "secret1", "周副总", "集团批〔2026〕18号", clock.now.date()
    )
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.APPROVED


def test_a_head_office_sign_off_dated_before_the_request_is_refused(
    desk: Desk, staff: Staff, case_id: int, clock: FakeClock
) -> None:
    """Found: a sign-off dated 2001 was recorded for a request made in 2026."""
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    with pytest.raises(ValidationError, match="早于退款申请日期") as caught:
        desk.refunds.record_head_office(
            refund_id, "boss", "secret1", "周副总", "集团批〔2001〕1号", date(2001, 1, 1)
        )
    assert set(caught.value.field_errors) == {"head_office_date"}
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.PENDING
    desk.refunds.record_head_office(
        refund_id, "boss", "secret1", "周副总", "集团批〔2026〕18号", clock.now.date()
    )
    assert desk.refunds.refunds_of_case(case_id)[0].status is RefundStatus.APPROVED


def test_head_office_can_reject_and_later_refunds_are_not_stuck_behind_it(
    desk: Desk, staff: Staff, case_id: int, clock: FakeClock
) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("2500.00"))
    with pytest.raises(ValidationError, match="理由"):
        desk.refunds.record_head_office(
            refund_id, "boss", "secret1", "周副总", "集团驳〔2026〕3号", clock.now.date(),
            approve=False,
        )
    desk.refunds.record_head_office(
        refund_id, "boss", "secret1", "周副总", "集团驳〔2026〕3号", clock.now.date(),
        approve=False, comment="超出退货期限",
    )
    [line] = desk.refunds.refunds_of_case(case_id)
    assert line.status is RefundStatus.REJECTED
    assert "集团驳回" in line.decision_comment
    later = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    assert level_of(desk, later) is ApprovalLevel.FRONT_DESK
    assert desk.register.verify().ok


def test_refunds_never_exceed_what_was_paid_on_the_receipt(
    desk: Desk, staff: Staff
) -> None:
    case = a_worked_case(desk, staff, amount_paid="59.90", category=PRICE)
    desk.refunds.request(staff.clerk, case, a_refund("30.00"))
    with pytest.raises(ValidationError, match="最多还能退"):
        desk.refunds.request(staff.clerk, case, a_refund("30.00"))
    desk.refunds.request(staff.clerk, case, a_refund("30.00", kind=RefundKind.COMPENSATION))


def test_the_paid_ceiling_holds_across_cases_on_one_receipt(desk: Desk, staff: Staff) -> None:
    """Found: 60.00 refunded against 30.00 paid by typing a new 小票实付 on a second case."""
    first = a_worked_case(desk, staff, amount_paid="30.00", category=PRICE)
    with pytest.raises(ValidationError, match="已登记实付"):
        a_worked_case(desk, staff, amount_paid="60.00", category=PRICE)
    second = a_worked_case(desk, staff, amount_paid="", category=PRICE)
    with pytest.raises(ValidationError, match="已登记实付"):
        desk.refunds.request(staff.clerk, second, a_refund("30.00", receipt_paid="60.00"))
    desk.refunds.request(staff.clerk, first, a_refund("30.00"))
    with pytest.raises(ValidationError, match="最多还能退"):
        desk.refunds.request(staff.clerk, second, a_refund("30.00"))
    assert desk.refunds.receipt_paid(second) == Decimal("30.00")


def test_a_manager_corrects_what_was_paid_with_a_reason(desk: Desk, staff: Staff) -> None:
    case = a_worked_case(desk, staff, amount_paid="30.00", category=PRICE)
    with pytest.raises(PermissionDeniedError):
        desk.receipts.correct_paid(staff.clerk, "A20261124-0031", "60.00", "录错了")
    with pytest.raises(ValidationError, match="原因"):
        desk.receipts.correct_paid(staff.front_desk, "A20261124-0031", "60.00", "")
    desk.receipts.correct_paid(staff.front_desk, "a2026 1124－0031", "60.00", "收银小票核对")
    assert desk.refunds.receipt_paid(case) == Decimal("60.00")
    assert desk.register.verify().ok


def test_a_quality_return_names_its_supplier_for_the_charge_back(
    desk: Desk, staff: Staff
) -> None:
    case = a_worked_case(desk, staff, amount_paid="100.00")
    with pytest.raises(ValidationError, match="供应商"):
        desk.refunds.request(staff.clerk, case, a_refund(is_quality=True))
    with pytest.raises(ValidationError, match="没有名为"):
        desk.refunds.request(staff.clerk, case, a_refund(is_quality=True, supplier_name="不存在"))
    desk.refunds.request(staff.clerk, case, a_refund(is_quality=True, supplier_name="伊利乳业"))


def test_a_special_case_without_receipt_states_its_reason(desk: Desk, staff: Staff) -> None:
    case = a_worked_case(desk, staff, receipt_no="", amount_paid="", category=PRICE)
    with pytest.raises(ValidationError) as raised:
        desk.refunds.request(staff.clerk, case, a_refund(receipt_no=""))
    assert "receipt_no" in raised.value.field_errors
    special = a_refund(
        receipt_no="", is_special=True,
        special_reason=SpecialReason.NO_RECEIPT, special_detail="顾客小票遗失,会员记录可查",
    )
    desk.refunds.request(staff.clerk, case, special)


def test_items_must_add_up_to_the_amount(desk: Desk, staff: Staff, case_id: int) -> None:
    draft = a_refund("40.00", items=(ItemDraft("牛奶", "", "2", "30.00"),))
    with pytest.raises(ValidationError, match="不一致"):
        desk.refunds.request(staff.clerk, case_id, draft)


def test_the_pending_queue_is_grouped_by_level(desk: Desk, staff: Staff) -> None:
    small_case = a_worked_case(desk, staff, receipt_no="R0001", amount_paid="500",
                               category=PRICE)
    large_case = a_worked_case(desk, staff, receipt_no="R0002", amount_paid="500",
                               category=PRICE)
    small = desk.refunds.request(staff.clerk, small_case, a_refund("10.00", receipt_no="R0001"))
    large = desk.refunds.request(staff.clerk, large_case, a_refund("300.00", receipt_no="R0002"))
    grouped = desk.refunds.pending_by_level()
    assert [line.refund_id for line in grouped[ApprovalLevel.FRONT_DESK]] == [small]
    assert [line.refund_id for line in grouped[ApprovalLevel.STORE_MANAGER]] == [large]


def test_requests_and_decisions_are_in_the_register(desk: Desk, staff: Staff, case_id: int) -> None:
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="同意")
    actions = [line.action for line in desk.cases.history(case_id)]
    assert actions[-2:] == ["refund:request", "refund:approve"]
    assert desk.register.verify().ok


def test_the_supplier_charge_back_is_followed_after_approval(desk: Desk, staff: Staff) -> None:
    """The ledger opens a line at approval, not before; its state shows on the refund."""
    case = a_worked_case(desk, staff, amount_paid="100.00")
    refund_id = desk.refunds.request(
        staff.clerk, case, a_refund("10.00", is_quality=True, supplier_name="伊利乳业")
    )
    assert desk.charge_backs.line_of_refund(refund_id) is None
    desk.refunds.decide(refund_id, "front", PASSWORD, approve=True, comment="")
    ledger = desk.charge_backs.line_of_refund(refund_id)
    assert ledger is not None and ledger.amount == Decimal("10.00")
    with pytest.raises(PermissionDeniedError):
        desk.charge_backs.record_deduction(staff.clerk, ledger.line_id, "KK-001",
                                           date(2026, 11, 24))
    desk.charge_backs.record_deduction(staff.front_desk, ledger.line_id, "KK-001",
                                       date(2026, 11, 24))
    [line] = desk.refunds.refunds_of_case(case)
    assert line.charge_back is ChargeBack.CHARGED
    assert desk.cases.history(case)[-1].action == "refund:charge_back"
    plain = desk.refunds.request(staff.clerk, case, a_refund("5.00"))
    desk.refunds.decide(plain, "front", PASSWORD, approve=True, comment="")
    assert desk.charge_backs.line_of_refund(plain) is None
    assert desk.register.verify().ok
