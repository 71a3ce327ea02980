"""The staff liability ledger's rules: shares in percent (at most 100 together), the amounts to
the fen, who may settle, waive or cancel in which state, and the monthly statement's totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.liability import (
    LiabilityAction,
    LiabilityLine,
    LiabilityStatus,
    ShareDraft,
    action_refusal,
    amounts_of,
    parse_percent,
    statement_totals,
    statements,
    validate_settlement,
    validate_shares,
)
from desktop_app.domain.report_figures import Month
from desktop_app.domain.roles import Role

OCTOBER = Month(2026, 10)
PENDING, SETTLED = LiabilityStatus.PENDING, LiabilityStatus.SETTLED
WAIVED, CANCELLED = LiabilityStatus.WAIVED, LiabilityStatus.CANCELLED


@pytest.mark.parametrize(
    ("text", "value"),
    [("50", 50), ("５０％", 50), (" 100% ", 100), ("1", 1), ("0", None), ("101", None),
     ("33.3", None), ("", None), ("²", None), ("五十", None)],
)
def test_a_share_is_a_whole_percent_from_1_to_100(text: str, value: int | None) -> None:
    assert parse_percent(text) == value


def test_shares_name_someone_from_the_list_once_and_stay_within_100() -> None:
    shares = validate_shares([ShareDraft(3, "60", "20", " 书面警告 "), ShareDraft(4, "40")], 0)
    assert [(s.staff_id, s.percent, s.penalty, s.penalty_note) for s in shares] == [
        (3, 60, Decimal("20"), "书面警告"), (4, 40, Decimal("0.00"), "")]
    with pytest.raises(ValidationError, match="合计 110% 超过 100%"):
        validate_shares([ShareDraft(3, "60"), ShareDraft(4, "50")], 0)
    with pytest.raises(ValidationError, match="已有 50%"):
        validate_shares([ShareDraft(3, "60")], 50)
    with pytest.raises(ValidationError, match="只能列一次"):
        validate_shares([ShareDraft(3, "30"), ShareDraft(3, "30")], 0)
    with pytest.raises(ValidationError, match="第 1 行:请从员工名单中选择责任人"):
        validate_shares([ShareDraft(None, "30")], 0)
    with pytest.raises(ValidationError, match="罚款金额格式"):
        validate_shares([ShareDraft(3, "30", "二十")], 0)
    with pytest.raises(ValidationError, match="至少"):
        validate_shares([ShareDraft(None, " ", "")], 0)


def test_exactly_100_percent_bears_the_whole_compensation() -> None:
    assert amounts_of(2000, 0, 0, [60, 40]) == [1200, 800]
    assert amounts_of(1000, 0, 0, [34, 33, 33]) == [340, 330, 330]
    assert amounts_of(1001, 0, 0, [50, 50]) == [501, 500]


def test_what_no_one_bears_stays_with_the_store() -> None:
    assert amounts_of(2000, 0, 0, [30]) == [600]
    # A second person added later shares what the first did not take.
    assert amounts_of(2000, 600, 30, [70]) == [1400]


@given(st.integers(0, 10**8), st.lists(st.integers(1, 100), min_size=1, max_size=6),
       st.integers(0, 99))
def test_the_parts_never_exceed_the_compensation(
    compensation: int, percents: list[int], earlier: int
) -> None:
    if earlier + sum(percents) > 100:
        return
    earlier_fen = amounts_of(compensation, 0, 0, [earlier])[0] if earlier else 0
    parts = amounts_of(compensation, earlier_fen, earlier, percents)
    assert earlier_fen + sum(parts) <= compensation
    if earlier + sum(percents) == 100:
        assert earlier_fen + sum(parts) == compensation
    for part, percent in zip(parts, percents, strict=True):
        assert abs(part - compensation * percent / 100) <= 1 + (1 if earlier else 0)


ALLOWED = {
    (Role.FRONT_DESK_MANAGER, LiabilityAction.SETTLE, PENDING),
    (Role.DEPUTY_STORE_MANAGER, LiabilityAction.SETTLE, PENDING),
    (Role.STORE_MANAGER, LiabilityAction.SETTLE, PENDING),
    (Role.STORE_MANAGER, LiabilityAction.WAIVE, PENDING),
    (Role.STORE_MANAGER, LiabilityAction.CANCEL, PENDING),
    (Role.STORE_MANAGER, LiabilityAction.CANCEL, SETTLED),
    (Role.STORE_MANAGER, LiabilityAction.CANCEL, WAIVED),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(LiabilityAction))
@pytest.mark.parametrize("status", list(LiabilityStatus))
def test_each_action_is_open_to_exactly_the_right_roles_and_states(
    role: Role, action: LiabilityAction, status: LiabilityStatus
) -> None:
    assert (action_refusal(role, status, action) is None) is ((role, action, status) in ALLOWED)


def test_a_settlement_is_dated_between_the_record_and_today() -> None:
    recorded, today = date(2026, 10, 10), date(2026, 11, 24)
    assert validate_settlement(" 2026年10月工资 ", today, recorded, today).reference == (
        "2026年10月工资")
    for bad in (date(2026, 10, 9), date(2026, 11, 25), None):
        with pytest.raises(ValidationError) as caught:
            validate_settlement("工资", bad, recorded, today)
        assert "settled_on" in caught.value.field_errors


def a_line(line_id: int, status: LiabilityStatus = PENDING, amount: str = "12.00",
           penalty: str = "20.00", staff_id: int = 3, staff: str = "周红",
           at: datetime = datetime(2026, 10, 10, 15, 0)) -> LiabilityLine:
    return LiabilityLine(
        line_id=line_id, refund_id=line_id, case_no=f"TS-202610-{line_id:04d}",
        staff_id=staff_id, staff=staff, department="收银部", recorded_at=at,
        compensation=Decimal("20.00"), percent=60, amount=Decimal(amount),
        penalty=Decimal(penalty), penalty_note="罚款", status=status,
    )


def test_a_statement_counts_what_is_borne_and_lists_waivers_apart() -> None:
    lines = [a_line(1), a_line(2, SETTLED, "8.00", "0.00"), a_line(3, WAIVED, "5.00", "10.00"),
             a_line(4, CANCELLED, "99.00", "99.00")]
    totals = statement_totals(lines)
    assert (totals.shares, totals.penalties, totals.owed) == (
        Decimal("20.00"), Decimal("20.00"), Decimal("40.00"))
    assert (totals.settled, totals.pending, totals.waived) == (
        Decimal("8.00"), Decimal("32.00"), Decimal("15.00"))


def test_statements_are_per_person_and_month_without_cancelled_lines() -> None:
    lines = [
        a_line(1), a_line(2, staff_id=5, staff="马超"),
        a_line(3, CANCELLED), a_line(4, at=datetime(2026, 11, 1)),
        a_line(5, at=datetime(2026, 9, 30, 23, 59, 59)),
    ]
    first, second = statements(OCTOBER, lines)
    assert (first.staff, [line.line_id for line in first.lines]) == ("周红", [1])
    assert (second.staff, [line.line_id for line in second.lines]) == ("马超", [2])
