"""Registering and working cases against a real database file, audit trail included."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from peewee import IntegrityError

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from desktop_app.store.connection import database
from tests.builders import MILK_BARCODE, Staff, a_draft
from tests.conftest import FakeClock

Step = rules.Step
Status = rules.CaseStatus


def case_count() -> int:
    return int(database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0])


def test_registration_stores_every_field_and_numbers_the_case(desk: Desk, staff: Staff) -> None:
    saved = desk.cases.register(staff.clerk, a_draft(amount_paid="１２３．５"))
    case = desk.cases.case(saved.case_id)
    assert saved.case_no == "TS-202611-0001"
    assert case.customer_name == "张女士"
    assert case.customer_phone == "13812345678"
    assert str(case.amount_paid) == "123.50"
    assert case.clerk_name == "刘洋"
    assert case.status is Status.REGISTERED
    assert case.offered_steps == [Step.NATURE, Step.VOID]


def test_case_numbers_run_on_within_a_month_and_restart_in_the_next(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    first = desk.cases.register(staff.clerk, a_draft())
    second = desk.cases.register(staff.clerk, a_draft())
    clock.now = clock.now.replace(month=12, day=1)
    december = desk.cases.register(
        staff.clerk, a_draft(received_at=clock.now.replace(hour=9))
    )
    assert (first.case_no, second.case_no, december.case_no) == (
        "TS-202611-0001", "TS-202611-0002", "TS-202612-0001",
    )


def test_a_scanned_barcode_brings_its_department_and_supplier(desk: Desk, staff: Staff) -> None:
    saved = desk.cases.register(staff.clerk, a_draft(product_barcode=MILK_BARCODE, product_name=""))
    case = desk.cases.case(saved.case_id)
    assert (case.product_name, case.department_name, case.supplier_name) == (
        "伊利纯牛奶 250ml", "食品部", "伊利乳业",
    )


def test_an_invalid_form_saves_nothing(desk: Desk, staff: Staff) -> None:
    with pytest.raises(ValidationError) as raised:
        desk.cases.register(staff.clerk, a_draft(customer_phone="123", account=""))
    assert set(raised.value.field_errors) == {"customer_phone", "account"}
    assert case_count() == 0


def test_an_unknown_department_is_refused_and_nothing_is_saved(desk: Desk, staff: Staff) -> None:
    with pytest.raises(ValidationError) as raised:
        desk.cases.register(staff.clerk, a_draft(department_name="不存在的部门"))
    assert "department_name" in raised.value.field_errors
    assert case_count() == 0
    # The failed attempt did not use up a case number either.
    assert desk.cases.register(staff.clerk, a_draft()).case_no == "TS-202611-0001"


HOSTILE = [
    "'); DROP TABLE \"case\";--",
    "Robert'); DELETE FROM audit_entry; --",
    "顾客😡很生气🥛",
    "line\x00with\x07controls\x1b[31m",
    "%_\\' OR 1=1 --",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_typed_without_controls(
    desk: Desk, staff: Staff, text: str
) -> None:
    saved = desk.cases.register(staff.clerk, a_draft(account=text, customer_name=text[:30]))
    case = desk.cases.case(saved.case_id)
    assert "\x00" not in case.account and "\x07" not in case.account
    assert case.account == "".join(ch for ch in text if ch.isprintable())
    assert desk.register.verify().ok
    assert case_count() == 1


def test_a_ten_thousand_character_account_is_refused_cleanly(desk: Desk, staff: Staff) -> None:
    with pytest.raises(ValidationError) as raised:
        desk.cases.register(staff.clerk, a_draft(account="很" * 10_000))
    assert "10000" in raised.value.field_errors["account"]
    assert case_count() == 0


def work_to_follow_up(desk: Desk, staff: Staff, case_id: int) -> None:
    actor = staff.clerk
    desk.cases.record_step(actor, case_id, Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(actor, case_id, Step.DEPARTMENT, StepAnswer(department_name="食品部"))
    desk.cases.record_step(
        actor, case_id, Step.CONFIRMATION, StepAnswer(leader_name="李班长", text="确属变质")
    )
    desk.cases.record_step(actor, case_id, Step.CAUSE, StepAnswer(text="冷柜温度过高"))
    desk.cases.record_step(actor, case_id, Step.SOLUTION, StepAnswer(text="退货并赠送一箱"))
    desk.cases.record_step(actor, case_id, Step.NOTIFY, StepAnswer(text="电话告知,顾客同意"))
    desk.cases.record_step(
        actor, case_id, Step.RESPONSIBILITY,
        StepAnswer(responsible="供应商", text="损失由供应商承担"),
    )
    desk.cases.record_step(actor, case_id, Step.IMPROVEMENT, StepAnswer(text="每日两次巡检冷柜"))


def test_a_quality_case_walks_all_ten_steps_to_closed(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    work_to_follow_up(desk, staff, case_id)
    desk.cases.record_step(
        staff.clerk, case_id, Step.FOLLOW_UP, StepAnswer(satisfaction=5, text="满意")
    )
    case = desk.cases.record_step(staff.clerk, case_id, Step.CLOSE, StepAnswer())
    assert case.status is Status.CLOSED
    assert case.workflow["confirmation"]["leader"] == "李班长"
    assert case.workflow["follow_up"]["satisfaction"] == 5
    assert case.offered_steps == [Step.VOID]
    assert desk.register.verify().ok


def test_a_complaint_that_does_not_stand_is_answered_and_closed(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    with pytest.raises(ValidationError):
        desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(upheld=False))
    case = desk.cases.record_step(
        staff.clerk, case_id, Step.NATURE, StepAnswer(upheld=False, text="已过保质期后食用")
    )
    assert case.status is Status.NOT_UPHELD
    assert not rules.is_open(case.status)


def test_a_step_out_of_order_is_refused_and_changes_nothing(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    with pytest.raises(ConflictError):
        desk.cases.record_step(staff.clerk, case_id, Step.CLOSE, StepAnswer())
    assert desk.cases.case(case_id).status is Status.REGISTERED
    assert len(desk.cases.history(case_id)) == 1


def accept_and_assign(desk: Desk, staff: Staff) -> int:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer())
    desk.cases.record_step(
        staff.clerk, case_id, Step.DEPARTMENT, StepAnswer(department_name="食品部")
    )
    return case_id


def test_assigning_a_quality_case_starts_the_confirmation_deadline(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case = desk.cases.case(accept_and_assign(desk, staff))
    assert case.status is Status.AWAITING_CONFIRMATION
    assert case.confirmation_deadline == clock.now + timedelta(minutes=15)
    assert not case.desk_decides


def test_before_the_deadline_only_the_department_may_confirm(
    desk: Desk, staff: Staff
) -> None:
    case_id = accept_and_assign(desk, staff)
    with pytest.raises(ValidationError) as raised:
        desk.cases.record_step(staff.clerk, case_id, Step.CONFIRMATION, StepAnswer(text="前台定"))
    assert "leader_name" in raised.value.field_errors
    assert desk.cases.case(case_id).status is Status.AWAITING_CONFIRMATION


def test_after_the_deadline_the_desk_decides_and_the_department_cannot_change_it(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = accept_and_assign(desk, staff)
    clock.now += timedelta(minutes=15, seconds=1)
    assert desk.cases.case(case_id).desk_decides
    with pytest.raises(ConflictError, match="时限已过"):
        desk.cases.record_step(
            staff.clerk, case_id, Step.CONFIRMATION, StepAnswer(leader_name="李班长", text="不是")
        )
    decided = desk.cases.record_step(
        staff.clerk, case_id, Step.CONFIRMATION, StepAnswer(text="前台判定为质量问题")
    )
    assert decided.workflow["confirmation"]["by"] == "desk"
    with pytest.raises(ConflictError, match="部门无权改变"):
        desk.cases.record_step(
            staff.clerk, case_id, Step.CONFIRMATION, StepAnswer(leader_name="李班长", text="不是")
        )
    assert desk.cases.case(case_id).workflow["confirmation"]["text"] == "前台判定为质量问题"


def test_the_deadline_follows_the_store_setting(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    desk.settings.update(staff.boss, "测试店", 30)
    case = desk.cases.case(accept_and_assign(desk, staff))
    assert case.confirmation_deadline == clock.now + timedelta(minutes=30)


def test_a_service_complaint_needs_no_department_confirmation(desk: Desk, staff: Staff) -> None:
    draft = a_draft(
        subject=rules.Subject.SERVICE, category=rules.Category.SERVICE_ATTITUDE,
        product_name="", department_name="收银部", staff_name="收银员小王",
    )
    case_id = desk.cases.register(staff.clerk, draft).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer())
    case = desk.cases.record_step(
        staff.clerk, case_id, Step.DEPARTMENT, StepAnswer(department_name="收银部")
    )
    assert case.status is Status.IN_PROGRESS


def test_voiding_needs_a_reason_keeps_the_case_and_ends_the_workflow(
    desk: Desk, staff: Staff
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    with pytest.raises(ValidationError):
        desk.cases.void(staff.clerk, case_id, "  ")
    case = desk.cases.void(staff.clerk, case_id, "重复登记,见 TS-202611-0002")
    assert case.status is Status.VOIDED
    assert case.offered_steps == []
    assert case_count() == 1
    with pytest.raises(ConflictError, match="作废"):
        desk.cases.void(staff.clerk, case_id, "再次作废")


def test_every_change_is_in_the_history_with_who_and_old_value(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.other_clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    history = desk.cases.history(case_id)
    assert history[0].action == "register"
    assert history[0].actor == "刘洋"
    status_change = next(line for line in history if line.field == "status")
    assert (status_change.actor, status_change.old_value, status_change.new_value) == (
        "陈静", "registered", "accepted",
    )


def test_a_case_cannot_be_deleted_even_with_sql(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    with pytest.raises(IntegrityError, match="voided, never deleted"):
        database.execute_sql('DELETE FROM "case" WHERE id = ?', (case_id,))
    assert case_count() == 1


def test_major_complaints_wait_for_a_manager_to_acknowledge_them(
    desk: Desk, staff: Staff
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft(is_major=True)).case_id
    desk.cases.register(staff.clerk, a_draft())
    assert desk.cases.unacknowledged_major(staff.clerk) == []
    waiting = desk.cases.unacknowledged_major(staff.front_desk)
    assert [major.case_id for major in waiting] == [case_id]
    with pytest.raises(PermissionDeniedError):
        desk.cases.acknowledge_major(staff.clerk, case_id)
    desk.cases.acknowledge_major(staff.boss, case_id)
    assert desk.cases.unacknowledged_major(staff.front_desk) == []
    assert desk.cases.case(case_id).major_acknowledged_by == "王店长"
    assert desk.register.verify().ok


def test_an_unknown_case_is_not_found(desk: Desk, staff: Staff) -> None:
    with pytest.raises(NotFoundError):
        desk.cases.case(999)


def test_the_history_survives_json_round_trip(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft(account="含\"引号\"与\n换行")).case_id
    registered = json.loads(desk.cases.history(case_id)[0].new_value)
    assert registered["account"] == "含\"引号\"与\n换行"


def test_the_frozen_open_case_condition_matches_the_domain() -> None:
    from desktop_app.services.cases import OPEN_STATUS_VALUES
    from desktop_app.store.migrations import OPEN_CASE_CONDITION

    frozen = OPEN_CASE_CONDITION.removeprefix("status IN (").removesuffix(")")
    assert tuple(value.strip(" '") for value in frozen.split(",")) == OPEN_STATUS_VALUES


def test_a_correction_keeps_the_old_value_who_when_and_why(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    clock.now += timedelta(minutes=30)
    corrected = desk.cases.correct(
        staff.other_clerk, case_id, a_draft(customer_phone="13900001111"), "顾客留错了号码"
    )
    assert corrected.customer_phone == "13900001111"
    lines = [line for line in desk.cases.history(case_id) if line.action == "correct"]
    assert [(line.field, line.old_value, line.new_value, line.actor) for line in lines] == [
        ("customer_phone", "13812345678", "13900001111", "陈静"),
        ("correction_reason", "", "顾客留错了号码", "陈静"),
    ]
    assert desk.register.verify().ok


def test_a_correction_needs_a_reason_and_a_change(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    with pytest.raises(ValidationError, match="原因"):
        desk.cases.correct(staff.clerk, case_id, a_draft(customer_name="李女士"), " ")
    with pytest.raises(ValidationError, match="没有改动"):
        desk.cases.correct(staff.clerk, case_id, a_draft(), "核对")
    with pytest.raises(ValidationError):
        desk.cases.correct(staff.clerk, case_id, a_draft(customer_phone="123"), "核对")
    assert desk.cases.case(case_id).customer_name == "张女士"


def test_a_voided_case_cannot_be_corrected(desk: Desk, staff: Staff) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.void(staff.clerk, case_id, "重复登记")
    with pytest.raises(ConflictError):
        desk.cases.correct(staff.clerk, case_id, a_draft(customer_name="李女士"), "核对")
