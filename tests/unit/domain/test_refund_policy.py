"""The 50 / 200 / 2000 yuan tiers, decided on the receipt's running total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.refund_policy import (
    ApprovalLevel,
    InvalidRefundAmountError,
    approval_level_for,
    check_within_paid,
    level_for_request,
    may_record_head_office_sign_off,
    may_sign,
    receipt_total,
    signers_for,
    who_may_sign,
)
from desktop_app.domain.roles import Role

Level = ApprovalLevel


@pytest.mark.parametrize(
    ("total", "level"),
    [
        ("0.01", Level.FRONT_DESK),
        ("49.99", Level.FRONT_DESK),
        ("50.00", Level.FRONT_DESK),
        ("50", Level.FRONT_DESK),
        ("50.01", Level.DEPUTY_STORE_MANAGER),
        ("199.99", Level.DEPUTY_STORE_MANAGER),
        ("200.00", Level.DEPUTY_STORE_MANAGER),
        ("200.01", Level.STORE_MANAGER),
        ("1999.99", Level.STORE_MANAGER),
        ("2000.00", Level.STORE_MANAGER),
        ("2000.01", Level.HEAD_OFFICE),
        ("99999.99", Level.HEAD_OFFICE),
        ("123456789012.34", Level.HEAD_OFFICE),
    ],
)
def test_tier_boundaries(total: str, level: ApprovalLevel) -> None:
    assert approval_level_for(Decimal(total)) is level


@pytest.mark.parametrize(
    "bad", ["0", "0.00", "-0.01", "-50", "0.001", "50.005", "NaN", "sNaN", "Infinity", "-Infinity"]
)
def test_bad_amounts_are_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(InvalidRefundAmountError) as raised:
        approval_level_for(Decimal(bad))
    assert raised.value.field_errors["amount"]


def test_a_float_is_refused() -> None:
    with pytest.raises(InvalidRefundAmountError):
        approval_level_for(49.99)  # type: ignore[arg-type]


def test_levels_are_ordered() -> None:
    assert Level.FRONT_DESK < Level.DEPUTY_STORE_MANAGER < Level.STORE_MANAGER < Level.HEAD_OFFICE


def test_two_forty_yuan_refunds_on_one_receipt_need_the_deputy() -> None:
    assert level_for_request([], Decimal("40")) is Level.FRONT_DESK
    assert level_for_request([Decimal("40")], Decimal("40")) is Level.DEPUTY_STORE_MANAGER


EXPECTED_SIGNERS = {
    Level.FRONT_DESK: {Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER},
    Level.DEPUTY_STORE_MANAGER: {Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER},
    Level.STORE_MANAGER: {Role.STORE_MANAGER},
    Level.HEAD_OFFICE: set(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("level", list(Level))
def test_who_may_sign_each_level(role: Role, level: ApprovalLevel) -> None:
    assert may_sign(role, level) == (role in EXPECTED_SIGNERS[level])


def test_clerks_and_administrators_sign_nothing() -> None:
    for level in Level:
        assert not may_sign(Role.CLERK, level)
        assert not may_sign(Role.ADMINISTRATOR, level)


def test_only_the_store_manager_records_head_office_sign_off() -> None:
    assert [role for role in Role if may_record_head_office_sign_off(role)] == [
        Role.STORE_MANAGER
    ]


def test_signers_are_listed_lowest_first_in_chinese() -> None:
    assert signers_for(Level.FRONT_DESK)[0] is Role.FRONT_DESK_MANAGER
    assert "前台经理" in who_may_sign(Level.FRONT_DESK)
    assert "集团" in who_may_sign(Level.HEAD_OFFICE)


def test_refunds_never_exceed_what_was_paid() -> None:
    check_within_paid(Decimal("100"), [Decimal("60")], Decimal("40"))
    with pytest.raises(InvalidRefundAmountError, match=r"最多还能退 ¥40\.00"):
        check_within_paid(Decimal("100"), [Decimal("60")], Decimal("40.01"))


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2)


@given(st.lists(amounts, min_size=1, max_size=12))
def test_no_sequence_of_partial_refunds_is_signed_below_its_running_total(
    refunds: list[Decimal],
) -> None:
    earlier: list[Decimal] = []
    previous = Level.FRONT_DESK
    for amount in refunds:
        level = level_for_request(earlier, amount)
        running = receipt_total(earlier, amount)
        assert level is approval_level_for(running)
        assert level >= approval_level_for(amount)  # splitting never lowers the tier
        assert level >= previous  # and the tier on a receipt only ever rises
        limit = level.limit
        assert limit is None or running <= limit
        earlier.append(amount)
        previous = level


@given(amounts)
def test_the_level_is_the_lowest_whose_limit_covers_the_total(total: Decimal) -> None:
    level = approval_level_for(total)
    limit = level.limit
    assert limit is None or total <= limit
    if level > Level.FRONT_DESK:
        below = ApprovalLevel(level - 1).limit
        assert below is not None and total > below


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("level", list(Level))
def test_where_head_office_is_connected_only_its_account_signs_above_the_store(
    role: Role, level: ApprovalLevel
) -> None:
    expected = (role is Role.HEAD_OFFICE) if level is Level.HEAD_OFFICE else (
        role in EXPECTED_SIGNERS[level])
    assert may_sign(role, level, head_office_connected=True) == expected


def test_head_office_is_outside_the_stores_ladder() -> None:
    for level in (Level.FRONT_DESK, Level.DEPUTY_STORE_MANAGER, Level.STORE_MANAGER):
        assert not may_sign(Role.HEAD_OFFICE, level, head_office_connected=True)
    assert not may_record_head_office_sign_off(Role.HEAD_OFFICE)
    assert "本人账户" in who_may_sign(Level.HEAD_OFFICE, head_office_connected=True)
    assert "店长录入" in who_may_sign(Level.HEAD_OFFICE)
