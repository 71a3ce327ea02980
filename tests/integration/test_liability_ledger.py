"""The staff liability ledger on a real register: a service compensation shared among the staff
responsible (from the staff list, after step 8), to the fen; settled, waived or cancelled; seen by
managers only; and each person's monthly statement read back from its PDF against the service
and the file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.domain.catalog import StaffDraft
from desktop_app.domain.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.liability import LiabilityStatus, ShareDraft
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refunds import ItemDraft, RefundKind
from desktop_app.domain.report_figures import Month
from desktop_app.domain.roles import Role
from desktop_app.reports.liability_statement import TITLE
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_refund, a_service_compensation, a_worked_case, cashiers
from tests.conftest import FakeClock
from tests.engines import raw_connect
from tests.reports.pdf_reading import body_text, page_texts

OCTOBER = Month(2026, 10)
PRINTED = datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def people(desk: Desk, staff: Staff) -> dict[str, int]:
    return cashiers(desk, staff, "周红", "马超", "林小燕")


def test_a_compensation_is_shared_to_the_fen_after_step_8(
    desk: Desk, staff: Staff, people: dict[str, int]
) -> None:
    case_id, refund_id = a_service_compensation(desk, staff, "20.01")
    [compensation] = desk.liabilities.compensations(staff.front_desk, case_id)
    assert (compensation.refund_id, compensation.amount, compensation.percent_held) == (
        refund_id, Decimal("20.01"), 0)
    desk.liabilities.record(staff.front_desk, refund_id, [
        ShareDraft(people["周红"], "50", "20", "罚款 20 元"), ShareDraft(people["马超"], "50")])
    lines = desk.liabilities.lines(staff.front_desk)
    assert [(line.staff, line.percent, line.amount, line.penalty) for line in lines] == [
        ("周红", 50, Decimal("10.01"), Decimal("20.00")),
        ("马超", 50, Decimal("10.00"), Decimal("0.00")),
    ]
    assert lines[0].responsibility.startswith("收银员周红态度恶劣")
    with pytest.raises(ValidationError, match="已有 100%"):
        desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["林小燕"], "1")])
    assert desk.register.verify().ok


def test_what_no_one_bears_stays_with_the_store_and_may_be_given_later(
    desk: Desk, staff: Staff, people: dict[str, int]
) -> None:
    _, refund_id = a_service_compensation(desk, staff, "30.00")
    desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["周红"], "30")])
    with pytest.raises(ValidationError, match="已登记过"):
        desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["周红"], "10")])
    desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["马超"], "70")])
    amounts = [line.amount for line in desk.liabilities.lines(staff.front_desk)]
    assert amounts == [Decimal("9.00"), Decimal("21.00")]


def test_only_an_approved_service_compensation_after_step_8_is_shared(
    desk: Desk, staff: Staff, people: dict[str, int]
) -> None:
    share = [ShareDraft(people["周红"], "100")]
    _, before_step_8 = a_service_compensation(desk, staff, step_8=False, receipt_no="S-001")
    with pytest.raises(ConflictError, match="第 8 步"):
        desk.liabilities.record(staff.front_desk, before_step_8, share)
    case_id = a_worked_case(desk, staff, receipt_no="Q-001")
    quality = desk.refunds.request(staff.clerk, case_id, a_refund(
        "10.00", receipt_no="Q-001", kind=RefundKind.COMPENSATION, is_quality=True,
        supplier_name="伊利乳业", items=(ItemDraft("赔偿", "", "1", "10.00"),)))
    desk.refunds.sign_as(staff.front_desk, quality, True, "同意")
    with pytest.raises(ConflictError, match="非商品质量"):
        desk.liabilities.record(staff.front_desk, quality, share)
    returned = desk.refunds.request(staff.clerk, case_id, a_refund("5.00", receipt_no="Q-001"))
    with pytest.raises(ConflictError, match="非商品质量"):
        desk.liabilities.record(staff.front_desk, returned, share)


def test_a_person_must_be_on_the_staff_list_and_still_working(
    desk: Desk, staff: Staff, people: dict[str, int]
) -> None:
    _, refund_id = a_service_compensation(desk, staff)
    desk.catalog.set_active(staff.boss, "staff", people["林小燕"], False)
    with pytest.raises(ValidationError, match="在职"):
        desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["林小燕"], "10")])
    with pytest.raises(ValidationError, match="请从员工名单中选择"):
        desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(None, "10")])
    assert people["林小燕"] not in [staff_id for staff_id, _ in
                                  desk.liabilities.staff_choices(staff.front_desk)]


def test_a_line_is_settled_waived_or_cancelled_by_the_right_people(
    desk: Desk, staff: Staff, people: dict[str, int], clock: FakeClock
) -> None:
    case_id, refund_id = a_service_compensation(desk, staff, "40.00")
    first, second, third = desk.liabilities.record(staff.front_desk, refund_id, [
        ShareDraft(people["周红"], "50", "20"), ShareDraft(people["马超"], "25"),
        ShareDraft(people["林小燕"], "25")])
    with pytest.raises(PermissionDeniedError, match="只有店长"):
        desk.liabilities.waive(staff.deputy, first, "初犯")
    with pytest.raises(ValidationError) as caught:
        desk.liabilities.settle(staff.front_desk, first, "", date(2026, 11, 25))
    assert set(caught.value.field_errors) == {"settle_ref", "settled_on"}
    desk.liabilities.settle(staff.front_desk, first, "2026年11月工资扣回", date(2026, 11, 24))
    with pytest.raises(ConflictError, match="已执行"):
        desk.liabilities.waive(staff.boss, first, "初犯")
    desk.liabilities.waive(staff.boss, second, "初犯,免予赔偿")
    desk.liabilities.cancel(staff.boss, third, "登记错人,应为当班的周红")
    with pytest.raises(ConflictError, match="已撤销"):
        desk.liabilities.cancel(staff.boss, third, "再撤")
    statuses = [line.status for line in desk.liabilities.lines(staff.boss)]
    assert statuses == [LiabilityStatus.SETTLED, LiabilityStatus.WAIVED,
                        LiabilityStatus.CANCELLED]
    # The cancelled share (25 %) may be given again; the waived one still holds its share.
    [compensation] = desk.liabilities.compensations(staff.boss, case_id)
    assert compensation.percent_held == 75
    desk.liabilities.record(staff.front_desk, refund_id, [ShareDraft(people["林小燕"], "25")])
    assert desk.register.verify().ok


def test_only_managers_see_the_staff_ledger(desk: Desk, staff: Staff,
                                            people: dict[str, int]) -> None:
    case_id, refund_id = a_service_compensation(desk, staff)
    for reading in (
        lambda: desk.liabilities.lines(staff.clerk),
        lambda: desk.liabilities.statements(staff.clerk, OCTOBER),
        lambda: desk.liabilities.compensations(staff.clerk, case_id),
        lambda: desk.liabilities.staff_choices(staff.clerk),
        lambda: desk.liabilities.record(staff.clerk, refund_id, [ShareDraft(people["周红"], "1")]),
    ):
        with pytest.raises(PermissionDeniedError, match="前台经理及以上"):
            reading()
    admin = desk.accounts.create_account(staff.boss, "admin", "管理员", Role.ADMINISTRATOR,
                                         "first12", "first12")
    with pytest.raises(PermissionDeniedError):
        desk.liabilities.lines(admin)


def statement_text(path: Path) -> str:
    return body_text(page_texts(path)).replace(" ", "")


def test_each_persons_monthly_statement_totals_what_they_bear(
    desk: Desk, staff: Staff, people: dict[str, int], clock: FakeClock, db_path: Path,
    tmp_path: Path,
) -> None:
    desk.catalog.add_staff(staff.boss, StaffDraft("周红", "食品部"))  # a namesake elsewhere
    made = []
    for moment, amount, receipt in (
        (datetime(2026, 9, 30, 23, 0), "10.00", "S-SEP"),
        (datetime(2026, 10, 3, 10, 0), "20.00", "S-001"),
        (datetime(2026, 10, 15, 10, 0), "30.00", "S-002"),
        (datetime(2026, 10, 31, 23, 0), "40.00", "S-003"),
        (datetime(2026, 11, 1, 9, 0), "50.00", "S-NOV"),
    ):
        clock.now = moment
        _, refund_id = a_service_compensation(desk, staff, amount, receipt_no=receipt,
                                              received_at=moment,
                                              purchase_date=f"{moment:%Y-%m-%d}")
        made.append(desk.liabilities.record(staff.front_desk, refund_id, [
            ShareDraft(people["周红"], "60", "20", "罚款"),
            ShareDraft(people["马超"], "40")]))
    clock.now = datetime(2026, 11, 5, 9, 0)
    desk.liabilities.settle(staff.front_desk, made[1][0], "2026年10月工资扣回",
                            date(2026, 11, 5))
    desk.liabilities.waive(staff.boss, made[2][0], "初犯,店长免予追究")
    desk.liabilities.cancel(staff.boss, made[3][1], "马超当天休息,登记有误")
    clock.now = PRINTED

    statements = desk.liabilities.statements(staff.boss, OCTOBER)
    assert [statement.staff for statement in statements] == ["周红", "马超"]
    zhou, ma = statements
    # 周红: 12.00 + 20 fine (settled), 18.00 + 20 waived, 24.00 + 20 pending.
    assert (zhou.totals.owed, zhou.totals.settled, zhou.totals.pending, zhou.totals.waived) == (
        Decimal("76.00"), Decimal("32.00"), Decimal("44.00"), Decimal("38.00"))
    # 马超: 8.00 and 12.00; the 16.00 of the 31st was cancelled.
    assert ma.totals.owed == Decimal("20.00")

    written = desk.liabilities.export_statements(staff.boss, OCTOBER, tmp_path, PRINTED)
    assert [path.name for path in written] == [
        f"2026-10-{TITLE}-周红-{zhou.staff_id}.pdf", f"2026-10-{TITLE}-马超-{ma.staff_id}.pdf"]
    head = desk.register.head_code()
    with raw_connect(db_path) as raw:
        for statement, path in zip(statements, written, strict=True):
            text = statement_text(path)
            counted = [line for line in statement.lines
                       if line.status is not LiabilityStatus.WAIVED]
            assert (f"合计(应承担):{len(counted)}条{format_yuan(statement.totals.shares)}"
                    f"{format_yuan(statement.totals.penalties)}"
                    f"{format_yuan(statement.totals.owed)}") in text
            (fen,) = raw.execute(
                "SELECT SUM(amount_fen + penalty_fen) FROM liability WHERE staff_id = ? "
                "AND status IN ('pending', 'settled') AND recorded_at >= '2026-10-01 00:00:00' "
                "AND recorded_at < '2026-11-01 00:00:00'", (statement.staff_id,)).fetchone()
            assert statement.totals.owed == Decimal(fen) / 100
            assert f"登记簿校验码:{head}" in "".join(page_texts(path)).replace(" ", "")
            assert "S-SEP" not in text and "TS-202611" not in text
    zhou_text = statement_text(written[0])
    assert "已免除(不计入合计,共¥38.00)" in zhou_text and "初犯,店长免予追究" in zhou_text
    assert "其中已执行¥32.00,待执行¥44.00" in zhou_text
    assert "本人签字" in zhou_text
    assert "马超当天休息" not in statement_text(written[1])
    only = desk.liabilities.export_statements(staff.boss, OCTOBER, tmp_path / "one", PRINTED,
                                              staff_id=ma.staff_id)
    assert [path.name for path in only] == [written[1].name]
