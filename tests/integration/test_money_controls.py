"""Each way money leaked when the first version was tried adversarially (issue: money controls
without loopholes) is attempted here and must fail to get money out."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import CaseStatus, Category, Step
from desktop_app.domain.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.refund_policy import ApprovalLevel, approval_level_for
from desktop_app.domain.refunds import RefundStatus, SpecialReason
from desktop_app.domain.roles import Role
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft, a_refund, a_worked_case, server_url
from tests.conftest import FakeClock

PASSWORD = "pass123"
PRICE = Category.PRICE_BILLING
VARIANTS = ["00123", "００１２３", "001 23", "00\u3000123", "00\u200b123", " 0 0 1 2 3 "]


def worked(desk: Desk, staff: Staff, receipt: str, paid: str = "", **changes: object) -> int:
    return a_worked_case(desk, staff, receipt_no=receipt, amount_paid=paid,
                         category=changes.pop("category", PRICE), **changes)


# 1. receipt numbers typed differently -------------------------------------------------------


def test_receipt_number_variants_are_one_receipt_with_one_running_total(
    desk: Desk, staff: Staff
) -> None:
    """Found: 40 refunds of 50.00 on one receipt, each typed differently, all signed by a
    front-desk manager (1,900 yuan that needed the store manager)."""
    levels = []
    for index in range(40):
        variant = VARIANTS[index % len(VARIANTS)]
        case = worked(desk, staff, variant, "5000.00" if index == 0 else "")
        refund = desk.refunds.request(staff.clerk, case, a_refund("50.00", receipt_no=""))
        levels.append(desk.refunds.approval_context(refund).level)
    assert levels[0] is ApprovalLevel.FRONT_DESK
    assert levels[1:4] == [ApprovalLevel.DEPUTY_STORE_MANAGER] * 3
    assert levels[4] is ApprovalLevel.STORE_MANAGER
    assert levels[-1] is ApprovalLevel.STORE_MANAGER
    assert levels.count(ApprovalLevel.FRONT_DESK) == 1


def test_dash_variants_of_a_receipt_number_are_the_same_receipt(
    desk: Desk, staff: Staff
) -> None:
    first = worked(desk, staff, "A2026-0031", "100.00")
    second = worked(desk, staff, "a2026－0031")
    desk.refunds.request(staff.clerk, first, a_refund("40.00", receipt_no=""))
    refund = desk.refunds.request(staff.clerk, second, a_refund("40.00", receipt_no="A2026‐0031"))
    assert desk.refunds.approval_context(refund).receipt_total == Decimal("80.00")


def test_a_receipt_number_with_its_dashes_moved_or_left_out_is_the_same_receipt(
    desk: Desk, staff: Staff
) -> None:
    """Found: one paper receipt (paid 59.90) on four cases as A20261124-0031, A202611240031,
    A2026-1124-0031 and A20261124--0031-: four receipts, four ceilings, 200.00 refunded, every
    refund signed by the front-desk manager."""
    spellings = ["A20261124-0031", "A202611240031", "A2026-1124-0031", "A20261124--0031-",
                 "a2026/1124/0031"]
    cases = [worked(desk, staff, spelling, "59.90" if index == 0 else "")
             for index, spelling in enumerate(spellings)]
    first = desk.refunds.request(staff.clerk, cases[0], a_refund("30.00", receipt_no=""))
    second = desk.refunds.request(staff.clerk, cases[1], a_refund("25.00", receipt_no=""))
    assert desk.refunds.approval_context(second).receipt_total == Decimal("55.00")
    assert desk.refunds.approval_context(second).level is ApprovalLevel.DEPUTY_STORE_MANAGER
    for case in cases[2:]:
        with pytest.raises(ValidationError, match="最多还能退"):
            desk.refunds.request(staff.clerk, case, a_refund("5.00", receipt_no=""))
    # A refund may name its case's receipt however it is typed; what is left is still 4.90.
    last = desk.refunds.request(staff.clerk, cases[3],
                                a_refund("4.90", receipt_no="A2026-11240031"))
    assert desk.refunds.approval_context(last).receipt_total == Decimal("59.90")
    assert {desk.refunds.approval_context(r).receipt_total for r in (first, second)} == {
        Decimal("30.00"), Decimal("55.00")}


def test_a_receipt_kept_twice_before_the_identity_counts_once(desk: Desk, staff: Staff) -> None:
    """A register from before keeps A2026-0031 and A20260031 as two receipts, a refund on each:
    what was refunded against either counts, and is listed, for both."""
    from desktop_app.services import register
    from desktop_app.services.unit_of_work import UnitOfWork

    first = worked(desk, staff, "A2026-0031", "100.00")
    with UnitOfWork(desk.db) as uow:
        twin = register.create("receipt", {"receipt_key": "A20260031", "paid_fen": 10000,
                                           "created_at": desk.clock()}, staff.boss, "created",
                               desk.clock())
        uow.commit()
    earlier = desk.refunds.request(staff.clerk, first, a_refund("60.00", receipt_no=""))
    with UnitOfWork(desk.db) as uow:  # as the register from before recorded it: on the twin
        desk.db.execute_sql("UPDATE refund SET receipt_id = ? WHERE id = ?", (twin, earlier))
        uow.commit()
    second = worked(desk, staff, "A20260031")
    with pytest.raises(ValidationError, match="最多还能退"):
        desk.refunds.request(staff.clerk, second, a_refund("50.00", receipt_no=""))
    last = desk.refunds.request(staff.clerk, second, a_refund("40.00", receipt_no=""))
    context = desk.refunds.approval_context(last)
    assert context.receipt_total == Decimal("100.00")
    assert sorted(line.amount for line in context.on_receipt) == [
        Decimal("40.00"), Decimal("60.00")]


def test_a_refund_cannot_name_another_receipt_than_its_case(desk: Desk, staff: Staff) -> None:
    case = worked(desk, staff, "A2026-0031", "100.00")
    with pytest.raises(ValidationError, match="不一致"):
        desk.refunds.request(staff.clerk, case, a_refund("40.00", receipt_no="B999"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=40_000), min_size=1, max_size=6),
    variant_indexes=st.lists(st.integers(min_value=0, max_value=len(VARIANTS) - 1),
                             min_size=6, max_size=6),
)
def test_the_tier_is_never_below_the_running_total_whatever_the_spelling(
    tmp_path_factory: pytest.TempPathFactory, amounts: list[int], variant_indexes: list[int]
) -> None:
    from datetime import datetime

    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk
    from desktop_app.store.connection import close_database
    from tests.builders import stock_catalogue

    path = tmp_path_factory.mktemp("tier") / "desk.sqlite3"
    clock = FakeClock(datetime(2026, 11, 24, 10, 0, 0))
    opened = open_desk_database(path, clock(), daily_backup=False)
    try:
        desk = build_desk(opened.db, path, clock)
        stock_catalogue(desk)
        staff = Staff(desk)
        total = Decimal("0")
        for index, fen in enumerate(amounts):
            amount = Decimal(fen) / 100
            variant = VARIANTS[variant_indexes[index]]
            case = worked(desk, staff, variant, "1000000.00" if index == 0 else "")
            refund = desk.refunds.request(staff.clerk, case, a_refund(f"{amount:.2f}",
                                                                      receipt_no=""))
            total += amount
            assert desk.refunds.approval_context(refund).level >= approval_level_for(total)
    finally:
        close_database()


# 2. a "no receipt" special refund on a case that has one -------------------------------------


def no_receipt_refund(amount: str) -> object:
    return a_refund(amount, receipt_no="", is_special=True,
                    special_reason=SpecialReason.NO_RECEIPT, special_detail="小票遗失")


def test_a_no_receipt_refund_on_a_case_with_a_receipt_is_refused(
    desk: Desk, staff: Staff
) -> None:
    case = worked(desk, staff, "A2026-0031", "100.00")
    desk.refunds.request(staff.clerk, case, a_refund("40.00", receipt_no=""))
    with pytest.raises(ConflictError, match="无购物小票"):
        desk.refunds.request(staff.clerk, case, no_receipt_refund("40.00"))  # type: ignore[arg-type]


def test_refunds_without_receipt_count_per_customer_over_the_window(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    first = worked(desk, staff, "")
    second = worked(desk, staff, "", customer_name="张先生")
    one = desk.refunds.request(staff.clerk, first, no_receipt_refund("40.00"))  # type: ignore[arg-type]
    two = desk.refunds.request(staff.clerk, second, no_receipt_refund("40.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(one).level is ApprovalLevel.FRONT_DESK
    assert desk.refunds.approval_context(two).level is ApprovalLevel.DEPUTY_STORE_MANAGER
    desk.refunds.decide(one, "front", PASSWORD, approve=True, comment="")
    desk.refunds.decide(two, "deputy", PASSWORD, approve=True, comment="")
    clock.now += timedelta(days=31)
    third = worked(desk, staff, "", received_at=clock.now - timedelta(minutes=1))
    later = desk.refunds.request(staff.clerk, third, no_receipt_refund("40.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(later).level is ApprovalLevel.FRONT_DESK


def test_a_refund_without_receipt_left_waiting_counts_after_the_window(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    """Found by an attacking review: 45 yuan requested on 1 November and left waiting stopped
    counting on 2 December; the next 45 was tiered alone and the front-desk manager signed
    both the same day, 90 yuan to one customer."""
    first = worked(desk, staff, "")
    waiting = desk.refunds.request(staff.clerk, first, no_receipt_refund("45.00"))  # type: ignore[arg-type]
    clock.now += timedelta(days=31)
    second = worked(desk, staff, "", received_at=clock.now - timedelta(minutes=1))
    later = desk.refunds.request(staff.clerk, second, no_receipt_refund("45.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(later).receipt_total == Decimal("90.00")
    assert desk.refunds.approval_context(later).level is ApprovalLevel.DEPUTY_STORE_MANAGER
    desk.refunds.decide(waiting, "front", PASSWORD, approve=True, comment="")
    with pytest.raises(PermissionDeniedError):
        desk.refunds.decide(later, "front", PASSWORD, approve=True, comment="")


# 3. the paid ceiling -----------------------------------------------------------------------


def test_what_was_paid_is_recorded_once_and_caps_every_case_on_the_receipt(
    desk: Desk, staff: Staff
) -> None:
    first = worked(desk, staff, "00123", "30.00")
    second = worked(desk, staff, "００１２３")
    with pytest.raises(ValidationError, match="已登记实付"):
        desk.refunds.request(staff.clerk, second, a_refund("30.00", receipt_no="",
                                                            receipt_paid="60.00"))
    desk.refunds.request(staff.clerk, first, a_refund("30.00", receipt_no=""))
    with pytest.raises(ValidationError, match="最多还能退"):
        desk.refunds.request(staff.clerk, second, a_refund("30.00", receipt_no=""))


# 4. separated duties -----------------------------------------------------------------------


@pytest.fixture
def admin(desk: Desk, staff: Staff) -> object:
    created = desk.accounts.create_account(staff.boss, "admin", "管理员", Role.ADMINISTRATOR,
                                           "first12", "first12")
    return desk.accounts.change_own_password(created, "first12", "admin12", "admin12")


def test_the_administrator_cannot_raise_its_own_role(desk: Desk, admin: object) -> None:
    with pytest.raises(PermissionDeniedError, match="自己"):
        desk.accounts.change_role(admin, admin.id, Role.STORE_MANAGER)  # type: ignore[attr-defined,arg-type]


def test_the_administrator_cannot_create_a_signer(desk: Desk, admin: object) -> None:
    for role in (Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER,
                 Role.ADMINISTRATOR):
        with pytest.raises(PermissionDeniedError, match="店长"):
            desk.accounts.create_account(admin, f"x{role.value[:5]}", "某人", role,  # type: ignore[arg-type]
                                         "first12", "first12")
    desk.accounts.create_account(admin, "newclerk", "新接待", Role.CLERK, "first12", "first12")  # type: ignore[arg-type]


def test_the_administrator_cannot_touch_a_managers_account(
    desk: Desk, staff: Staff, admin: object
) -> None:
    with pytest.raises(PermissionDeniedError):
        desk.accounts.reset_password(admin, staff.deputy.id, "taken12", "taken12")  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError):
        desk.accounts.change_role(admin, staff.clerk.id, Role.DEPUTY_STORE_MANAGER)  # type: ignore[arg-type]


def test_the_administrator_never_signs(desk: Desk, staff: Staff, admin: object) -> None:
    case = worked(desk, staff, "R0001", "100.00")
    refund = desk.refunds.request(staff.clerk, case, a_refund("10.00", receipt_no=""))
    with pytest.raises(PermissionDeniedError):
        desk.refunds.decide(refund, "admin", "admin12", approve=True, comment="")


def test_a_password_set_by_someone_else_cannot_sign_until_its_owner_changes_it(
    desk: Desk, staff: Staff
) -> None:
    """Found: the store manager reset the deputy's password and signed their own request as
    the deputy."""
    case = worked(desk, staff, "R0001", "500.00")
    refund = desk.refunds.request(staff.boss, case, a_refund("150.00", receipt_no=""))
    desk.accounts.reset_password(staff.boss, staff.deputy.id, "known12", "known12")
    with pytest.raises(PermissionDeniedError, match="本人"):
        desk.refunds.decide(refund, "deputy", "known12", approve=True, comment="")
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING
    changes = [(c.username, c.change) for c in desk.accounts.account_changes(
        desk.clock() - timedelta(days=1), desk.clock() + timedelta(days=1))]
    assert ("deputy", "他人重置密码") in changes


def store_manager_made_by(desk: Desk, creator: Account, username: str, name: str) -> Account:
    """A store-manager account ``creator`` makes, its owner's password (mine123) chosen."""
    desk.accounts.create_account(creator, username, name, Role.STORE_MANAGER, "first12", "first12")
    made = desk.accounts.authenticate(username, "first12")
    return desk.accounts.change_own_password(made, "first12", "mine123", "mine123")


def signs_a_clerks_request(
    desk: Desk, staff: Staff, username: str, password: str, amount: str
) -> bool:
    """Whether ``username`` still signs what a clerk asks for (on a receipt of its own)."""
    case = worked(desk, staff, "R0009", "2000.00")
    refund = desk.refunds.request(staff.clerk, case, a_refund(amount, receipt_no="R0009"))
    desk.refunds.decide(refund, username, password, approve=True, comment="")
    return desk.refunds.refunds_of_case(case)[0].status is RefundStatus.APPROVED


def test_an_account_the_requester_created_does_not_sign_their_request(
    desk: Desk, staff: Staff
) -> None:
    """Found: the store manager made a second 店长 account with his own name and signed his own
    request with it."""
    case = worked(desk, staff, "R0001", "2000.00")
    refund = desk.refunds.request(staff.boss, case, a_refund("1500.00", receipt_no="R0001"))
    store_manager_made_by(desk, staff.boss, "wang2", "王店长")
    with pytest.raises(PermissionDeniedError, match="开立或重置"):
        desk.refunds.decide(refund, "wang2", "mine123", approve=True, comment="")
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING
    assert signs_a_clerks_request(desk, staff, "wang2", "mine123", "1500.00")


def test_an_account_whose_password_the_requester_reset_does_not_sign_their_request(
    desk: Desk, staff: Staff
) -> None:
    """Found: the store manager reset the deputy's password, made the owner's change himself
    with the password he had set, and signed his own request as the deputy."""
    case = worked(desk, staff, "R0001", "500.00")
    refund = desk.refunds.request(staff.boss, case, a_refund("150.00", receipt_no=""))
    desk.accounts.reset_password(staff.boss, staff.deputy.id, "known12", "known12")
    desk.accounts.change_own_password(staff.deputy, "known12", "chosen1", "chosen1")
    with pytest.raises(PermissionDeniedError, match="开立或重置"):
        desk.refunds.decide(refund, "deputy", "chosen1", approve=True, comment="")
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING
    assert signs_a_clerks_request(desk, staff, "deputy", "chosen1", "150.00")


def test_an_account_the_requester_made_does_not_record_head_offices_sign_off_either(
    desk: Desk, staff: Staff
) -> None:
    """Found: the store manager's second 店长 account, refused for signing his 1,500-yuan
    request, recorded head office's approval of his 5,000-yuan one."""
    second = store_manager_made_by(desk, staff.boss, "wang2", "王二")
    case = worked(desk, staff, "R0001", "6000.00")
    refund = desk.refunds.request(staff.boss, case, a_refund("5000.00", receipt_no="R0001"))
    with pytest.raises(PermissionDeniedError, match="开立或重置"):
        desk.refunds.record_head_office(refund, "wang2", "mine123", "张副总", "集团(2026)88号",
                                        desk.clock().date())
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING
    assert second.role is Role.STORE_MANAGER


def test_accounts_set_up_in_turn_by_the_requesters_accounts_do_not_sign_either(
    desk: Desk, staff: Staff
) -> None:
    """Found in review: the store manager made 王2, who made 王3, who signed his request."""
    case = worked(desk, staff, "R0001", "2000.00")
    refund = desk.refunds.request(staff.boss, case, a_refund("1500.00", receipt_no="R0001"))
    second = store_manager_made_by(desk, staff.boss, "wang2", "王二")
    store_manager_made_by(desk, second, "wang3", "王三")
    with pytest.raises(PermissionDeniedError, match="开立或重置"):
        desk.refunds.decide(refund, "wang3", "mine123", approve=True, comment="")
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING


def test_a_password_reset_by_the_requester_alone_keeps_that_account_from_signing(
    desk: Desk, staff: Staff
) -> None:
    """The reset, not the creation: the first store manager's account was made at set-up
    (by nobody); a second store manager he made resets it and asks for a refund."""
    second = store_manager_made_by(desk, staff.boss, "boss2", "李店长")
    case = worked(desk, staff, "R0001", "2000.00")
    refund = desk.refunds.request(second, case, a_refund("1500.00", receipt_no="R0001"))
    other = desk.refunds.request(second, worked(desk, staff, "R0002", "2000.00"),
                                 a_refund("100.00", receipt_no="R0002"))
    desk.refunds.decide(other, "boss", "secret1", approve=True, comment="")  # before the reset
    desk.accounts.reset_password(second, staff.boss.id, "known12", "known12")
    desk.accounts.change_own_password(staff.boss, "known12", "chosen1", "chosen1")
    with pytest.raises(PermissionDeniedError, match="开立或重置"):
        desk.refunds.decide(refund, "boss", "chosen1", approve=True, comment="")


def test_a_session_opened_before_the_account_was_disabled_or_demoted_acts_as_it_is_now(
    desk: Desk, staff: Staff
) -> None:
    """Found by an attacking review: services trusted the account as it was at login, so a
    disabled store manager's open session (another desk on the server) made a deputy whose
    password he chose, and a demoted manager's corrected what a receipt was paid."""
    second = store_manager_made_by(desk, staff.boss, "wang2", "王二")  # logged in elsewhere
    desk.accounts.set_active(staff.boss, second.id, False)
    with pytest.raises(PermissionDeniedError, match="已停用"):
        desk.accounts.create_account(second, "dep9", "赵副店长", Role.DEPUTY_STORE_MANAGER,
                                     "first12", "first12")
    case = worked(desk, staff, "R0001", "100.00")
    desk.accounts.change_role(staff.boss, staff.front_desk.id, Role.CLERK)
    with pytest.raises(PermissionDeniedError, match="前台经理及以上"):
        desk.receipts.correct_paid(staff.front_desk, "R0001", "5000.00", "顾客补交小票")
    desk.accounts.set_active(staff.boss, staff.other_clerk.id, False)
    with pytest.raises(PermissionDeniedError, match="已停用"):
        desk.refunds.request(staff.other_clerk, case, a_refund("10.00", receipt_no="R0001"))
    assert desk.refunds.refunds_of_case(case) == []


def test_nobody_resets_their_own_password(desk: Desk, staff: Staff) -> None:
    """Found: at the store manager's open session, 重置密码 on his own row set a password
    without the old one, which then signed up to 2000 yuan as his."""
    case = worked(desk, staff, "R0001", "2000.00")
    refund = desk.refunds.request(staff.clerk, case, a_refund("1800.00", receipt_no="R0001"))
    with pytest.raises(PermissionDeniedError, match="修改密码"):
        desk.accounts.reset_password(staff.boss, staff.boss.id, "chosen1", "chosen1")
    with pytest.raises(AuthenticationError):
        desk.refunds.decide(refund, "boss", "chosen1", approve=True, comment="")
    assert desk.refunds.refunds_of_case(case)[0].status is RefundStatus.PENDING
    # Changing one's own password takes the old one.
    desk.accounts.change_own_password(staff.boss, "secret1", "chosen1", "chosen1")
    desk.refunds.decide(refund, "boss", "chosen1", approve=True, comment="")


def test_every_account_change_is_in_the_register(desk: Desk, staff: Staff) -> None:
    desk.accounts.change_role(staff.boss, staff.clerk.id, Role.FRONT_DESK_MANAGER)
    desk.accounts.set_active(staff.boss, staff.other_clerk.id, False)
    desk.accounts.unlock(staff.boss, staff.deputy.id)
    changes = [c.change for c in desk.accounts.account_changes(
        desk.clock() - timedelta(days=1), desk.clock() + timedelta(days=1))]
    for expected in ("新建账户", "更改角色", "停用", "解锁", "本人修改密码"):
        assert expected in changes
    assert desk.register.verify().ok


# 5. refunds follow the case -------------------------------------------------------------------


def registered(desk: Desk, staff: Staff, **changes: object) -> int:
    return desk.cases.register(staff.clerk, a_draft(amount_paid="500.00", **changes)).case_id  # type: ignore[arg-type]


def test_no_refund_before_the_complaint_is_judged(desk: Desk, staff: Staff) -> None:
    case = registered(desk, staff, category=PRICE)
    with pytest.raises(ConflictError, match="第3步"):
        desk.refunds.request(staff.clerk, case, a_refund("10.00"))


def test_no_refund_on_a_case_not_upheld(desk: Desk, staff: Staff) -> None:
    case = registered(desk, staff, category=PRICE)
    desk.cases.record_step(staff.clerk, case, Step.NATURE, StepAnswer(upheld=False, text="不成立"))
    with pytest.raises(ConflictError, match="不成立"):
        desk.refunds.request(staff.clerk, case, a_refund("10.00"))


def test_no_refund_on_a_voided_case(desk: Desk, staff: Staff) -> None:
    case = worked(desk, staff, "A20261124-0031", "500.00")
    desk.cases.void(staff.clerk, case, "重复登记")
    with pytest.raises(ConflictError, match="作废"):
        desk.refunds.request(staff.clerk, case, a_refund("10.00"))


def test_voiding_a_case_cancels_its_pending_refunds_on_the_record(
    desk: Desk, staff: Staff
) -> None:
    case = worked(desk, staff, "A20261124-0031", "500.00")
    refund = desk.refunds.request(staff.clerk, case, a_refund("10.00"))
    desk.cases.void(staff.clerk, case, "登记错了")
    [line] = desk.refunds.refunds_of_case(case)
    assert line.status is RefundStatus.CANCELLED
    with pytest.raises(ConflictError):
        desk.refunds.decide(refund, "front", PASSWORD, approve=True, comment="")
    assert "refund:cancel" in [line.action for line in desk.cases.history(case)]
    assert desk.register.verify().ok
    later = worked(desk, staff, "A20261124-0031")
    again = desk.refunds.request(staff.clerk, later, a_refund("40.00", receipt_no=""))
    assert desk.refunds.approval_context(again).receipt_total == Decimal("40.00")


def test_a_quality_refund_waits_for_the_department(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case = registered(desk, staff)
    desk.cases.record_step(staff.clerk, case, Step.NATURE, StepAnswer(upheld=True))
    desk.cases.record_step(staff.clerk, case, Step.DEPARTMENT,
                           StepAnswer(department_name="食品部"))
    quality = a_refund("10.00", is_quality=True, supplier_name="伊利乳业")
    with pytest.raises(ConflictError, match="部门"):
        desk.refunds.request(staff.clerk, case, quality)
    with pytest.raises(ConflictError, match="部门"):
        desk.refunds.request(staff.clerk, case, a_refund("10.00"))
    clock.now += timedelta(minutes=20)
    desk.cases.record_step(staff.clerk, case, Step.CONFIRMATION, StepAnswer(text="部门未到"))
    desk.refunds.request(staff.clerk, case, quality)


def test_only_a_quality_case_carries_a_quality_return(desk: Desk, staff: Staff) -> None:
    case = worked(desk, staff, "R0001", "100.00")
    with pytest.raises(ConflictError, match="质量"):
        desk.refunds.request(staff.clerk, case, a_refund(
            "10.00", receipt_no="", is_quality=True, supplier_name="伊利乳业"))


def test_the_customer_is_told_and_the_case_closed_only_after_every_refund_is_decided(
    desk: Desk, staff: Staff
) -> None:
    case = worked(desk, staff, "R0001", "100.00")
    for step, text in ((Step.CAUSE, "核实"), (Step.SOLUTION, "退款")):
        desk.cases.record_step(staff.clerk, case, step, StepAnswer(text=text))
    refund = desk.refunds.request(staff.clerk, case, a_refund("10.00", receipt_no=""))
    with pytest.raises(ConflictError, match="待审批"):
        desk.cases.record_step(staff.clerk, case, Step.NOTIFY, StepAnswer(text="电话通知"))
    desk.refunds.decide(refund, "front", PASSWORD, approve=True, comment="同意")
    detail = desk.cases.record_step(staff.clerk, case, Step.NOTIFY, StepAnswer(text="电话通知"))
    assert detail.status is CaseStatus.CUSTOMER_NOTIFIED
    late = desk.refunds.request(staff.clerk, case, a_refund("5.00", receipt_no=""))
    desk.cases.record_step(staff.clerk, case, Step.FOLLOW_UP,
                           StepAnswer(satisfaction=4, reached=True))
    with pytest.raises(ConflictError, match="待审批"):
        desk.cases.record_step(staff.clerk, case, Step.CLOSE, StepAnswer())
    desk.refunds.decide(late, "front", PASSWORD, approve=False, comment="重复")
    desk.cases.record_step(staff.clerk, case, Step.CLOSE, StepAnswer())
    with pytest.raises(ConflictError, match="已结案"):
        desk.refunds.request(staff.clerk, case, a_refund("5.00", receipt_no=""))


# 8. item quantities typed oddly -----------------------------------------------------------------


@pytest.mark.parametrize("quantity", ["²", "①", "½", "0", "-1", "1.5", "10000", "一"])
def test_an_odd_quantity_is_a_message_not_a_traceback(
    desk: Desk, staff: Staff, quantity: str
) -> None:
    from desktop_app.domain.refunds import ItemDraft

    case = worked(desk, staff, "R0001", "100.00")
    draft = a_refund("10.00", receipt_no="", items=(ItemDraft("牛奶", "", quantity, "10.00"),))
    with pytest.raises(ValidationError, match="数量"):
        desk.refunds.request(staff.clerk, case, draft)


def test_full_width_quantities_are_accepted(desk: Desk, staff: Staff) -> None:
    from desktop_app.domain.refunds import ItemDraft

    case = worked(desk, staff, "R0001", "100.00")
    draft = a_refund("10.00", receipt_no="", items=(ItemDraft("牛奶", "", "２", "10.00"),))
    desk.refunds.request(staff.clerk, case, draft)


# 9. two windows on one file ---------------------------------------------------------------------


WRITER = textwrap.dedent('''
    import sys
    from datetime import datetime
    from pathlib import Path
    from desktop_app.domain import passwords
    passwords.SCRYPT_N = 2**4
    from desktop_app.domain.refunds import ItemDraft, RefundDraft, RefundKind
    from desktop_app.services.database import open_desk_database, open_desk_server
    from desktop_app.services.desk import build_desk
    from desktop_app.store.connection import close_database

    path, case_id, clerk_id = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    if sys.argv[4]:  # the same test on a PostgreSQL server (pytest --engine=postgresql)
        opened = open_desk_server(sys.argv[4], path, datetime(2026, 11, 24, 10))
    else:
        opened = open_desk_database(path, datetime(2026, 11, 24, 10), daily_backup=False)
    desk = build_desk(opened.db, path, lambda: datetime(2026, 11, 24, 10, 30))
    clerk = next(a for a in desk.accounts.list_accounts() if a.id == clerk_id)
    draft = RefundDraft(kind=RefundKind.RETURN, amount="10.00", reason="重复申请测试",
                        items=(ItemDraft("牛奶", "", "1", "10.00"),))
    for _ in range(15):
        desk.refunds.request(clerk, case_id, draft)
    close_database()
    print("ok")
''')


def test_two_processes_requesting_at_once_never_undercut_the_running_total(
    desk: Desk, staff: Staff, db_path: Path
) -> None:
    case = worked(desk, staff, "R0001", "5000.00")
    root = Path(__file__).resolve().parents[2]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), str(case), str(staff.clerk.id),
             server_url(desk)],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert out.strip() == "ok"
    lines = desk.refunds.refunds_of_case(case)
    assert len(lines) == 30
    totals = [line.receipt_total for line in lines]
    assert totals == [Decimal("10.00") * n for n in range(1, 31)]
    assert desk.register.verify().ok


def test_the_months_account_changes_are_listed_in_the_report_package(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from desktop_app.domain.report_figures import Month

    desk.accounts.reset_password(staff.boss, staff.deputy.id, "known12", "known12")
    november = Month(2026, 11)
    [summary] = desk.reports.export(november, ["summary"], tmp_path, desk.clock(),
                                    workbook=False)
    text = "".join(page.extract_text() for page in PdfReader(summary).pages)
    assert "账户变动" in text
    assert "王店长:deputy 他人重置密码" in text.replace("\n", "")
    assert "clerk 新建账户" in text.replace("\n", "")


# Found by a review on 2026-11-26 -------------------------------------------------------------


def test_a_cases_phone_is_not_corrected_once_a_refund_counts_on_it(
    desk: Desk, staff: Staff
) -> None:
    """Correcting the phone took the case's no-receipt refunds out of the customer's total,
    so each 50 yuan could be signed by the front-desk manager again and again."""
    first = worked(desk, staff, "")
    refund = desk.refunds.request(staff.clerk, first, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    desk.refunds.decide(refund, "front", PASSWORD, True, "同意")
    moved = a_draft(receipt_no="", amount_paid="", category=PRICE, customer_phone="13812345679")
    with pytest.raises(ValidationError, match="不能更改顾客电话"):
        desk.cases.correct(staff.clerk, first, moved, "电话登记错一位")
    second = worked(desk, staff, "")
    again = desk.refunds.request(staff.clerk, second, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(again).level is ApprovalLevel.DEPUTY_STORE_MANAGER


@pytest.mark.parametrize("typed", ["013812345678", "8613812345678", "+86 138-1234-5678"])
def test_one_mobile_typed_another_way_is_the_same_customer(
    desk: Desk, staff: Staff, typed: str
) -> None:
    first = worked(desk, staff, "")
    desk.refunds.request(staff.clerk, first, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    second = worked(desk, staff, "", customer_phone=typed)
    again = desk.refunds.request(staff.clerk, second, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(again).level is ApprovalLevel.DEPUTY_STORE_MANAGER


def test_the_category_is_not_corrected_around_a_refund_to_skip_the_department(
    desk: Desk, staff: Staff
) -> None:
    """A quality case was switched to 价格 for the request and back after the signature."""
    case_id = desk.cases.register(staff.clerk, a_draft(receipt_no="Q100",
                                                       amount_paid="59.90")).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(upheld=True))
    with pytest.raises(ConflictError):
        desk.refunds.request(staff.clerk, case_id, a_refund("40.00", receipt_no=""))
    as_price = a_draft(receipt_no="Q100", amount_paid="59.90", category=PRICE)
    desk.cases.correct(staff.clerk, case_id, as_price, "类别选错")
    desk.refunds.request(staff.clerk, case_id, a_refund("40.00", receipt_no=""))
    with pytest.raises(ValidationError, match="不能更改投诉类别"):
        desk.cases.correct(staff.clerk, case_id, a_draft(receipt_no="Q100", amount_paid="59.90"),
                           "类别改回")
    assert desk.cases.case(case_id).category is PRICE


def test_a_case_refunded_without_a_receipt_does_not_start_a_receipt_total_too(
    desk: Desk, staff: Staff
) -> None:
    case_id = worked(desk, staff, "")
    desk.refunds.request(staff.clerk, case_id, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match="无购物小票"):
        desk.refunds.request(staff.clerk, case_id,
                             a_refund("50.00", receipt_no="N-0001", receipt_paid="50.00"))
    assert desk.cases.case(case_id).receipt_no == ""


def test_erasing_a_phone_on_request_keeps_cases_still_counted_without_receipt(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    """Erasure on request would have reset the customer's no-receipt total inside the window;
    the case keeps its phone until the window has passed."""
    case_id = worked(desk, staff, "")
    refund = desk.refunds.request(staff.clerk, case_id, no_receipt_refund("200.00"))  # type: ignore[arg-type]
    desk.refunds.decide(refund, "deputy", PASSWORD, True, "同意")
    for step, answer in [
        (Step.CAUSE, StepAnswer(text="原因")), (Step.SOLUTION, StepAnswer(text="退款")),
        (Step.NOTIFY, StepAnswer(text="电话告知")),
        (Step.RESPONSIBILITY, StepAnswer(responsible="收银", text="x")),
        (Step.IMPROVEMENT, StepAnswer(text="改进")),
        (Step.FOLLOW_UP, StepAnswer(satisfaction=5, text="满意")), (Step.CLOSE, StepAnswer()),
    ]:
        desk.cases.record_step(staff.clerk, case_id, step, answer)
    result = desk.privacy.erase_phone(staff.boss, "13812345678", "顾客书面申请")
    assert result.erased == ()
    assert any("仍按顾客电话累计" in line for line in result.lines())
    later = worked(desk, staff, "")
    again = desk.refunds.request(staff.clerk, later, no_receipt_refund("50.00"))  # type: ignore[arg-type]
    assert desk.refunds.approval_context(again).level is ApprovalLevel.STORE_MANAGER
    clock.now += timedelta(days=31)
    assert desk.privacy.erase_phone(staff.boss, "13812345678", "顾客书面申请").erased
