"""An improvement order (责令改善) followed up until done: issued to a supplier or a department
with a due date, coming due and overdue as the days pass, followed up and extended, closed with
its result; nothing after that; every step in the register."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop_app.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from desktop_app.domain.improvement import FollowUpState, OrderDraft, OrderStatus, OrderTarget
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_worked_case
from tests.conftest import FakeClock

DUE = date(2026, 12, 1)


def on(clock: FakeClock, day: date) -> None:
    clock.now = datetime.combine(day, datetime.min.time()).replace(hour=10)


def state_on(desk: Desk, clock: FakeClock, order_id: int, day: date) -> FollowUpState:
    on(clock, day)
    return desk.improvements.order(order_id).state


def test_an_order_is_followed_up_until_it_is_done(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = a_worked_case(desk, staff)
    case_no = desk.cases.case(case_id).case_no
    order_id = desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.SUPPLIER, "伊利乳业", "牛奶批次异味:全批抽检并提交整改报告", DUE,
        case_no.lower()))
    order = desk.improvements.order(order_id)
    assert (order.target_name, order.case_no, order.status, order.state) == (
        "伊利乳业", case_no, OrderStatus.OPEN, FollowUpState.OPEN)

    # The days pass: coming due, due today, overdue the day after.
    assert state_on(desk, clock, order_id, DUE - timedelta(days=4)) is FollowUpState.OPEN
    assert state_on(desk, clock, order_id, DUE - timedelta(days=3)) is FollowUpState.DUE_SOON
    assert state_on(desk, clock, order_id, DUE) is FollowUpState.DUE_TODAY
    assert state_on(desk, clock, order_id, DUE + timedelta(days=1)) is FollowUpState.OVERDUE
    overdue = [line.order_id for line in desk.improvements.orders(open_only=True)
               if line.state is FollowUpState.OVERDUE]
    assert overdue == [order_id]

    # Followed up while overdue; an extension must reach today at least.
    desk.improvements.follow_up(staff.deputy, order_id, "已电话催促,供应商称下周提交")
    on(clock, DUE + timedelta(days=5))
    with pytest.raises(ValidationError, match="不能早于今天"):
        desk.improvements.follow_up(staff.deputy, order_id, "延期", DUE + timedelta(days=2))
    desk.improvements.follow_up(staff.deputy, order_id, "供应商申请延期至 12 月 15 日,店长同意",
                                date(2026, 12, 15))
    order = desk.improvements.order(order_id)
    assert (order.due_on, order.state, order.follow_ups) == (
        date(2026, 12, 15), FollowUpState.OPEN, 2)
    assert [line.new_due_on for line in desk.improvements.follow_ups(order_id)] == [
        None, date(2026, 12, 15)]

    # Done: the result and the day it was checked; then nothing more.
    on(clock, date(2026, 12, 12))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        desk.improvements.complete(staff.front_desk, order_id, "已整改", date(2026, 12, 13))
    desk.improvements.complete(staff.front_desk, order_id,
                               "供应商提交整改报告,批次抽检合格,已恢复供货", date(2026, 12, 12))
    done = desk.improvements.order(order_id)
    assert (done.status, done.state, done.done_on, done.closed_by) == (
        OrderStatus.DONE, FollowUpState.DONE, date(2026, 12, 12), "赵经理")
    on(clock, date(2027, 3, 1))
    assert desk.improvements.order(order_id).state is FollowUpState.DONE
    assert desk.improvements.orders(open_only=True) == []
    with pytest.raises(ConflictError):
        desk.improvements.follow_up(staff.front_desk, order_id, "再看看")
    with pytest.raises(ConflictError):
        desk.improvements.complete(staff.front_desk, order_id, "再完成", date(2027, 3, 1))
    assert desk.register.verify().ok


def test_an_order_goes_to_a_department_of_the_list(desk: Desk, staff: Staff) -> None:
    order_id = desk.improvements.issue(staff.deputy, OrderDraft(
        OrderTarget.DEPARTMENT, "收银部", "收银员服务用语培训", DUE))
    order = desk.improvements.order(order_id)
    assert (order.target, order.target_name, order.department_id is not None) == (
        OrderTarget.DEPARTMENT, "收银部", True)
    with pytest.raises(ValidationError, match="没有名为“杂货部”的部门"):
        desk.improvements.issue(staff.deputy, OrderDraft(
            OrderTarget.DEPARTMENT, "杂货部", "整改", DUE))
    with pytest.raises(ValidationError, match="没有案件"):
        desk.improvements.issue(staff.deputy, OrderDraft(
            OrderTarget.DEPARTMENT, "收银部", "整改", DUE, "TS-209901-0001"))
    assert desk.improvements.target_names(OrderTarget.DEPARTMENT) == ["食品部", "生鲜部", "收银部"]


def test_only_managers_issue_and_follow_up(desk: Desk, staff: Staff) -> None:
    draft = OrderDraft(OrderTarget.SUPPLIER, "伊利乳业", "整改", DUE)
    with pytest.raises(PermissionDeniedError):
        desk.improvements.issue(staff.clerk, draft)
    order_id = desk.improvements.issue(staff.front_desk, draft)
    with pytest.raises(PermissionDeniedError):
        desk.improvements.follow_up(staff.clerk, order_id, "跟进")
    with pytest.raises(PermissionDeniedError):
        desk.improvements.complete(staff.clerk, order_id, "完成", date(2026, 11, 24))


def test_orders_list_open_ones_first_by_due_date(desk: Desk, staff: Staff) -> None:
    later = desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.SUPPLIER, "伊利乳业", "后到期", DUE + timedelta(days=10)))
    sooner = desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.SUPPLIER, "鲜丰农产品有限公司", "先到期", DUE))
    closed = desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.SUPPLIER, "伊利乳业", "已完成", date(2026, 11, 25)))
    desk.improvements.complete(staff.front_desk, closed, "完成", date(2026, 11, 24))
    assert [line.order_id for line in desk.improvements.orders()] == [sooner, later, closed]
    yili = desk.improvements.orders(supplier_id=1)
    assert {line.target_name for line in yili} == {"伊利乳业"}
