"""The supplier charge-back ledger's rules: who may do what in which state, what a deduction and
an amount change need, what a supplier owes (waived lines apart), and each month's notices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.charge_backs import (
    LedgerAction,
    LedgerLine,
    action_refusal,
    available_actions,
    ledger_totals,
    notices,
    supplier_balances,
    validate_deduction,
    validate_new_amount,
    validate_reason,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import Month
from desktop_app.domain.roles import Role

OCTOBER = Month(2026, 10)
PENDING, CHARGED, WAIVED = ChargeBack.PENDING, ChargeBack.CHARGED, ChargeBack.WAIVED


def a_line(line_id: int = 1, amount: str = "10.00", state: ChargeBack = PENDING,
           at: datetime = datetime(2026, 10, 5, 10, 0), supplier_id: int | None = 1,
           supplier: str = "伊利乳业", **changes: object) -> LedgerLine:
    values: dict[str, object] = {
        "line_id": line_id, "refund_id": line_id, "case_no": f"TS-202610-{line_id:04d}",
        "receipt_no": f"R{line_id}", "supplier_id": supplier_id, "supplier": supplier,
        "products": "伊利纯牛奶 250ml ×1", "approved_at": at, "refunded": Decimal(amount),
        "amount": Decimal(amount), "state": state,
    }
    values.update(changes)
    return LedgerLine(**values)  # type: ignore[arg-type]


# --- who may do what, in which state --------------------------------------------------------------

ALLOWED = {
    # (role, action, state)
    (Role.FRONT_DESK_MANAGER, LedgerAction.AMOUNT, PENDING),
    (Role.FRONT_DESK_MANAGER, LedgerAction.CHARGE, PENDING),
    (Role.DEPUTY_STORE_MANAGER, LedgerAction.AMOUNT, PENDING),
    (Role.DEPUTY_STORE_MANAGER, LedgerAction.CHARGE, PENDING),
    (Role.STORE_MANAGER, LedgerAction.AMOUNT, PENDING),
    (Role.STORE_MANAGER, LedgerAction.CHARGE, PENDING),
    (Role.STORE_MANAGER, LedgerAction.WAIVE, PENDING),
    (Role.STORE_MANAGER, LedgerAction.REOPEN, CHARGED),
    (Role.STORE_MANAGER, LedgerAction.REOPEN, WAIVED),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(LedgerAction))
@pytest.mark.parametrize("state", [PENDING, CHARGED, WAIVED])
def test_each_action_is_open_to_exactly_the_right_roles_and_states(
    role: Role, action: LedgerAction, state: ChargeBack
) -> None:
    allowed = action_refusal(role, state, action) is None
    assert allowed is ((role, action, state) in ALLOWED)


def test_the_refusals_say_why() -> None:
    assert "店长" in (action_refusal(Role.FRONT_DESK_MANAGER, PENDING, LedgerAction.WAIVE) or "")
    assert "前台经理" in (action_refusal(Role.CLERK, PENDING, LedgerAction.CHARGE) or "")
    assert "前台经理" in (action_refusal(Role.ADMINISTRATOR, PENDING, LedgerAction.CHARGE) or "")
    refusal = action_refusal(Role.STORE_MANAGER, CHARGED, LedgerAction.WAIVE) or ""
    assert "已扣款" in refusal and "撤销" in refusal
    assert available_actions(Role.STORE_MANAGER, WAIVED) == [LedgerAction.REOPEN]


# --- what is typed --------------------------------------------------------------------------------

APPROVED = date(2026, 10, 5)
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("on", "accepted"),
    [(date(2026, 10, 4), False), (APPROVED, True), (TODAY, True), (date(2026, 11, 25), False)],
)
def test_a_deduction_is_dated_between_the_approval_and_today(on: date, accepted: bool) -> None:
    if accepted:
        assert validate_deduction(" KK-1 ", on, APPROVED, TODAY).reference == "KK-1"
    else:
        with pytest.raises(ValidationError) as caught:
            validate_deduction("KK-1", on, APPROVED, TODAY)
        assert "deducted_on" in caught.value.field_errors


def test_a_deduction_needs_its_reference_and_date() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_deduction("  ", None, APPROVED, TODAY)
    assert set(caught.value.field_errors) == {"deduction_ref", "deducted_on"}
    with pytest.raises(ValidationError, match="太长"):
        validate_deduction("K" * 41, TODAY, APPROVED, TODAY)


@pytest.mark.parametrize(
    ("text", "field"),
    [("0", "amount"), ("0.00", "amount"), ("10.00", "amount"), ("abc", "amount"),
     ("1.234", "amount"), ("8.00", "")],
)
def test_a_new_amount_is_positive_different_and_explained(text: str, field: str) -> None:
    if not field:
        amount, why = validate_new_amount("８.00", Decimal("10.00"), " 只扣进价 ")
        assert (amount, why) == (Decimal("8.00"), "只扣进价")
        return
    with pytest.raises(ValidationError) as caught:
        validate_new_amount(text, Decimal("10.00"), "原因")
    assert field in caught.value.field_errors


def test_an_amount_change_needs_its_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_new_amount("8.00", Decimal("10.00"), " \n ")
    assert "amount_note" in caught.value.field_errors


def test_a_reason_is_cleaned_and_required() -> None:
    assert validate_reason("  样品\r\n  ", "免除原因") == "样品"
    with pytest.raises(ValidationError, match="请写明免除原因"):
        validate_reason("\t", "免除原因")


# --- what is owed -------------------------------------------------------------------------------


def test_owed_is_charged_plus_pending_and_waived_stands_apart() -> None:
    lines = [a_line(1, "19.50", CHARGED), a_line(2, "70.00", WAIVED), a_line(3, "45.00")]
    totals = ledger_totals(lines)
    assert (totals.owed, totals.charged, totals.pending, totals.waived) == (
        Decimal("64.50"), Decimal("19.50"), Decimal("45.00"), Decimal("70.00"))
    assert (totals.lines, totals.pending_lines, totals.waived_lines) == (3, 1, 1)
    assert [line.owed for line in lines] == [Decimal("19.50"), Decimal("0.00"), Decimal("45.00")]


states = st.sampled_from([PENDING, CHARGED, WAIVED])
amounts = st.integers(1, 10**7).map(lambda fen: Decimal(fen) / 100)


@given(st.lists(st.tuples(amounts, states), max_size=30))
def test_the_totals_always_add_up(rows: list[tuple[Decimal, ChargeBack]]) -> None:
    lines = [a_line(index, str(amount), state) for index, (amount, state) in enumerate(rows)]
    totals = ledger_totals(lines)
    assert totals.owed == totals.charged + totals.pending == sum(
        (line.owed for line in lines), Decimal("0"))
    assert totals.owed + totals.waived == sum((line.amount for line in lines), Decimal("0"))


def test_each_supplier_has_its_balance_largest_first() -> None:
    lines = [
        a_line(1, "10.00", at=datetime(2026, 9, 2)),
        a_line(2, "30.00", CHARGED),
        a_line(3, "25.00", supplier_id=2, supplier="鲜丰农产品有限公司",
               at=datetime(2026, 10, 9)),
        a_line(4, "5.00", WAIVED, supplier_id=2, supplier="鲜丰农产品有限公司"),
    ]
    fresh, yili = supplier_balances(lines)
    assert (fresh.supplier, fresh.balance, fresh.totals.waived) == (
        "鲜丰农产品有限公司", Decimal("25.00"), Decimal("5.00"))
    assert (yili.balance, yili.totals.charged, yili.oldest_pending) == (
        Decimal("10.00"), Decimal("30.00"), datetime(2026, 9, 2))


@pytest.mark.parametrize(
    ("moment", "inside"),
    [(datetime(2026, 9, 30, 23, 59, 59), False), (datetime(2026, 10, 1), True),
     (datetime(2026, 10, 31, 23, 59, 59), True), (datetime(2026, 11, 1), False)],
)
def test_a_notice_holds_the_lines_approved_in_its_month(moment: datetime, inside: bool) -> None:
    found = notices(OCTOBER, [a_line(1, at=moment)])
    assert bool(found) is inside


def test_a_notice_per_supplier_counts_owed_lines_and_lists_waived_ones() -> None:
    lines = [
        a_line(2, "45.00", at=datetime(2026, 10, 8)),
        a_line(1, "19.50", CHARGED, at=datetime(2026, 10, 3), deduction_ref="KK-1"),
        a_line(3, "70.00", WAIVED, waive_reason="样品"),
        a_line(4, "12.00", supplier_id=2, supplier="蒙牛乳业"),
        a_line(5, "9.00", supplier_id=None, supplier="(未填供应商)"),
    ]
    yili, mengniu = notices(OCTOBER, lines, contacts={1: ("马经理", "0471-3350000")})
    assert (yili.supplier, yili.contact, mengniu.supplier) == ("伊利乳业", "马经理", "蒙牛乳业")
    assert [line.line_id for line in yili.lines] == [1, 3, 2]  # by approval time
    assert [line.line_id for line in yili.owed_lines] == [1, 2]
    assert [line.line_id for line in yili.waived_lines] == [3]
    assert yili.totals.owed == Decimal("64.50")
    assert yili.totals.waived == Decimal("70.00")


def test_a_line_says_its_state() -> None:
    charged = a_line(state=CHARGED, deduction_ref="KK-9", deducted_on=date(2026, 11, 2))
    assert charged.state_text == "已扣款(KK-9 2026-11-02)"
    assert a_line(state=WAIVED, waive_reason="样品").state_text == "已免除:样品"
    assert a_line().state_text == "待扣款"
    assert a_line(amount="10.00", refunded=Decimal("12.00")).amount_changed
