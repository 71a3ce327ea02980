"""The services behind a day at the desk: who may set 接待时间, the navigation's counts, the
timeline's next step — on a real database file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import PermissionDeniedError, ValidationError
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.case_timeline import State, next_step, timeline
from desktop_app.services.desk import Desk
from desktop_app.services.desk_counts import DeskCountService
from desktop_app.services.history_text import history_rows
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.conftest import FakeClock

Step = rules.Step


def test_a_manager_sets_the_received_time_with_a_reason_in_the_audit_trail(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    yesterday = clock.now - timedelta(days=1)
    saved = desk.cases.register(
        staff.front_desk, a_draft(received_at=yesterday, channel=rules.Channel.LETTER),
        received_at_reason="顾客来信昨日送达",
    )
    assert desk.cases.case(saved.case_id).received_at == yesterday
    [reason] = [line for line in desk.cases.history(saved.case_id)
                if line.field == "received_at_reason"]
    assert (reason.action, reason.new_value) == ("set_received_at", "顾客来信昨日送达")
    assert reason.actor == "赵经理"
    assert "接待时间修改原因" in [row.field for row in history_rows([reason])]
    assert desk.register.verify().ok


def test_a_clerk_cannot_give_a_reason_nor_back_date_more_than_an_hour(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    with pytest.raises(PermissionDeniedError):
        desk.cases.register(staff.clerk, a_draft(), received_at_reason="补登")
    with pytest.raises(ValidationError) as refused:
        desk.cases.register(staff.clerk, a_draft(received_at=clock.now - timedelta(hours=2)))
    assert "经理" in refused.value.field_errors["received_at"]
    # A registration that took a while (started 50 minutes ago) is still the clerk's own.
    desk.cases.register(staff.clerk, a_draft(received_at=clock.now - timedelta(minutes=50)))


def test_counts_follow_refunds_overdue_replies_and_major_complaints(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    counts = DeskCountService(desk.db, desk.clock)
    assert counts.counts(staff.clerk).pending_refunds == 0
    small = a_worked_case(desk, staff, amount_paid="5000", receipt_no="R0001")
    large = a_worked_case(desk, staff, amount_paid="5000", receipt_no="R0002")
    desk.refunds.request(staff.clerk, small, a_refund("10.00", receipt_no="R0001"))
    desk.refunds.request(staff.clerk, large, a_refund("300.00", receipt_no="R0002"))
    major = desk.cases.register(staff.clerk, a_draft(is_major=True)).case_id
    desk.cases.register(staff.clerk, a_draft(promised_reply_date="2026-11-24"))
    clock.now += timedelta(days=1)
    for_deputy = counts.counts(staff.deputy)
    assert (for_deputy.pending_refunds, for_deputy.pending_refunds_mine) == (2, 1)
    assert for_deputy.overdue_replies == 1
    assert for_deputy.major_unacknowledged == 1 and for_deputy.must_acknowledge
    assert counts.counts(staff.boss).pending_refunds_mine == 2
    assert not counts.counts(staff.clerk).must_acknowledge
    desk.cases.acknowledge_major(staff.deputy, major)
    assert counts.counts(staff.deputy).major_unacknowledged == 0


@pytest.mark.sqlite_only
def test_the_waiting_major_complaints_are_counted_from_their_own_index(
    desk: Desk, staff: Staff
) -> None:
    """The navigation counts them every 15 s: through case_major the count read every major
    case ever received (49 ms and 31 MiB of page cache at 1,000,000 cases)."""
    from desktop_app.store.connection import database

    acknowledged = desk.cases.register(staff.clerk, a_draft(is_major=True)).case_id
    desk.cases.acknowledge_major(staff.deputy, acknowledged)
    waiting = desk.cases.register(staff.clerk, a_draft(is_major=True)).case_id
    desk.cases.register(staff.clerk, a_draft())
    indexed = database.execute_sql(
        'SELECT id FROM "case" INDEXED BY case_major_waiting '
        "WHERE is_major = 1 AND major_acknowledged_at IS NULL").fetchall()
    assert indexed == [(waiting,)]
    assert DeskCountService(desk.db, desk.clock).counts(staff.deputy).major_unacknowledged == 1


@pytest.mark.sqlite_only
def test_new_cases_stay_out_of_the_indexes_of_promised_and_closed_cases(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    """Every new case sat in the open-promised and the closed-with-personal-data indexes under
    a NULL date it is never looked up by: a page of each written at every save."""
    from desktop_app.store.connection import database

    desk.cases.register(staff.clerk, a_draft())
    desk.cases.register(staff.clerk, a_draft(promised_reply_date="2026-11-24"))
    desk.cases.register(staff.clerk, a_draft(promised_reply_date="2026-11-30"))
    clock.now += timedelta(days=1)
    assert DeskCountService(desk.db, desk.clock).counts(staff.clerk).overdue_replies == 1
    for index in ("case_open_promised", "case_personal_closed"):
        entries = database.execute_sql(
            "SELECT sum(ncell) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (index,)
        ).fetchone()[0]
        assert entries == (2 if index == "case_open_promised" else 0), index


@pytest.mark.sqlite_only
@pytest.mark.parametrize("open_only", [False, True])
def test_cases_without_a_department_stay_out_of_the_department_indexes(
    desk: Desk, staff: Staff, open_only: bool
) -> None:
    """A case is registered before step 3 names its department: each new case sat under a NULL
    department in both indexes (pages split there at every save). The queue's department
    filter still reads them."""
    from desktop_app.store import queue
    from desktop_app.store.catalog import department_ids
    from desktop_app.store.connection import database

    placed = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, placed, Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(staff.clerk, placed, Step.DEPARTMENT,
                           StepAnswer(department_name="食品部"))
    desk.cases.register(staff.clerk, a_draft())
    for index in ("case_department_received", "case_open_department"):
        entries = database.execute_sql(
            "SELECT sum(ncell) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (index,)
        ).fetchone()[0]
        assert entries == 1, index
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        chosen = queue.QueueFilter(department_id=department_ids()["食品部"], open_only=open_only)
        rows = queue.queue_page(chosen, 0, 50)
    finally:
        connection.set_trace_callback(None)
    assert [row[0] for row in rows] == [placed]
    [page] = [sql for sql in statements if "c.department_id =" in sql and "LIMIT" in sql]
    plan = " ".join(str(row) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {page}"))
    wanted = "case_open_department" if open_only else "case_department_received"
    assert f"USING INDEX {wanted}" in plan, plan


def test_the_signer_of_a_refund_is_known_once_it_is_signed(desk: Desk, staff: Staff) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="5000")
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund("10.00"))
    counts = DeskCountService(desk.db, desk.clock)
    assert counts.signer_id(refund_id) is None
    desk.refunds.decide(refund_id, "front", "pass123", True, "")
    assert counts.signer_id(refund_id) == staff.front_desk.id


def test_the_timeline_shows_who_did_what_and_what_comes_next(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(staff.clerk, case_id, Step.DEPARTMENT,
                           StepAnswer(department_name="食品部"))
    case = desk.cases.case(case_id)
    entries = timeline(case, clock.now + timedelta(minutes=5))
    states = {entry.title: entry.state for entry in entries}
    assert [entry.state for entry in entries[:4]] == [State.DONE] * 4
    assert entries[2].who == "刘洋" and entries[2].when == "2026-11-24 10:00:00"
    assert states[Step.CONFIRMATION.label] is State.NEXT
    assert states[Step.CAUSE.label] is State.LATER
    confirmation = next(e for e in entries if e.state is State.NEXT)
    assert "还剩 10 分 00 秒" in confirmation.detail


def test_the_next_step_moves_past_the_one_just_recorded_and_never_repeats(
    desk: Desk, staff: Staff
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft(category=rules.Category.OTHER)).case_id
    for step, answer in ((Step.NATURE, StepAnswer(text="成立")),
                         (Step.DEPARTMENT, StepAnswer(department_name="食品部")),
                         (Step.CAUSE, StepAnswer(text="原因")),
                         (Step.SOLUTION, StepAnswer(text="办法")),
                         (Step.RESPONSIBILITY, StepAnswer(text="批评"))):
        desk.cases.record_step(staff.clerk, case_id, step, answer)
    case = desk.cases.case(case_id)
    assert next_step(case, after=Step.RESPONSIBILITY) is Step.IMPROVEMENT
    assert next_step(case) is Step.NOTIFY
    improved = replace(case, workflow={**case.workflow, "improvement": {}})
    assert next_step(improved, after=Step.IMPROVEMENT) is Step.NOTIFY
    voided = desk.cases.void(staff.clerk, case_id, "重复")
    assert next_step(voided) is None
