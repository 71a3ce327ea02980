"""Improvement orders: where an order stands on each day around its due date, and what issuing,
following up (an extension) and closing need."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.improvement import (
    FollowUpState,
    OrderDraft,
    OrderStatus,
    OrderTarget,
    follow_up_state,
    validate_completion,
    validate_follow_up,
    validate_order,
)

DUE = date(2026, 11, 30)
OPEN, DONE = OrderStatus.OPEN, OrderStatus.DONE


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (DUE - timedelta(days=4), FollowUpState.OPEN),
        (DUE - timedelta(days=3), FollowUpState.DUE_SOON),
        (DUE - timedelta(days=1), FollowUpState.DUE_SOON),
        (DUE, FollowUpState.DUE_TODAY),
        (DUE + timedelta(days=1), FollowUpState.OVERDUE),
        (DUE + timedelta(days=90), FollowUpState.OVERDUE),
    ],
)
def test_an_open_order_comes_due_and_then_is_overdue(today: date, state: FollowUpState) -> None:
    assert follow_up_state(OPEN, DUE, today) is state


def test_a_done_order_is_never_overdue() -> None:
    assert follow_up_state(DONE, DUE, DUE + timedelta(days=30)) is FollowUpState.DONE


TODAY = date(2026, 11, 24)


def test_an_order_names_its_target_requirement_and_a_due_date_not_past() -> None:
    order = validate_order(OrderDraft(OrderTarget.SUPPLIER, " 伊利乳业 ", " 批次抽检 ", TODAY,
                                      " ts-202611-0001 "), TODAY)
    assert (order.target_name, order.requirement, order.case_no) == (
        "伊利乳业", "批次抽检", "TS-202611-0001")
    with pytest.raises(ValidationError) as caught:
        validate_order(OrderDraft(OrderTarget.DEPARTMENT, "", "", TODAY - timedelta(days=1)),
                       TODAY)
    assert set(caught.value.field_errors) == {"target_name", "requirement", "due_on"}
    with pytest.raises(ValidationError) as caught:
        validate_order(OrderDraft(OrderTarget.DEPARTMENT, "收银部", "培训", None), TODAY)
    assert "due_on" in caught.value.field_errors


def test_a_follow_up_is_a_note_and_may_extend_to_a_later_date() -> None:
    assert validate_follow_up(OPEN, " 已电话催促 ", None, DUE, TODAY).note == "已电话催促"
    extended = validate_follow_up(OPEN, "供应商申请延期", DUE + timedelta(days=1), DUE, TODAY)
    assert extended.new_due_on == DUE + timedelta(days=1)
    for new_due in (DUE, DUE - timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            validate_follow_up(OPEN, "延期", new_due, DUE, TODAY)
        assert "new_due_on" in caught.value.field_errors
    # An overdue order extended: the new date must not be in the past either.
    with pytest.raises(ValidationError, match="不能早于今天"):
        validate_follow_up(OPEN, "延期", date(2026, 11, 20), date(2026, 11, 10), TODAY)
    with pytest.raises(ValidationError, match="跟进情况"):
        validate_follow_up(OPEN, " ", None, DUE, TODAY)


def test_a_done_order_takes_no_more_follow_ups_nor_a_second_completion() -> None:
    with pytest.raises(ConflictError):
        validate_follow_up(DONE, "再催", None, DUE, TODAY)
    with pytest.raises(ConflictError):
        validate_completion(DONE, "完成", TODAY, TODAY, TODAY)


@pytest.mark.parametrize(
    ("done_on", "accepted"),
    [(date(2026, 11, 9), False), (date(2026, 11, 10), True), (TODAY, True),
     (TODAY + timedelta(days=1), False), (None, False)],
)
def test_an_order_is_checked_done_between_its_issue_and_today(
    done_on: date | None, accepted: bool
) -> None:
    issued = date(2026, 11, 10)
    if accepted:
        assert validate_completion(OPEN, "已整改", done_on, issued, TODAY).done_on == done_on
    else:
        with pytest.raises(ValidationError) as caught:
            validate_completion(OPEN, "已整改", done_on, issued, TODAY)
        assert "done_on" in caught.value.field_errors
