"""Early warning through the services: each rule's triggering sequence raises a warning in the
save's own transaction, later cases join it, a manager acknowledges it with an action and
closes it, and every step is in the register."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from itertools import count
from typing import Any

import pytest

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from desktop_app.domain.warning_rules import (
    Threshold,
    WarningAction,
    WarningRule,
    WarningSettings,
    WarningStatus,
)
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services import catalogue_records as catalog
from desktop_app.services.desk import Desk
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.services.warnings import WarningLine
from desktop_app.store.connection import database
from tests.builders import MILK_BARCODE, Staff, a_draft
from tests.conftest import FakeClock
from tests.engines import db_arg

_numbers = count(1)


def someone(**changes: Any) -> Any:
    """A draft from a different customer with a receipt of their own, so only the rule a
    test is about can fire."""
    n = next(_numbers)
    fields = {"customer_phone": f"139{n:08d}", "receipt_no": f"R{n:06d}",
              "customer_name": f"顾客{n}", "purchase_date": ""}
    return a_draft(**{**fields, **changes})


def register(desk: Desk, staff: Staff, **changes: Any) -> int:
    """Earlier days are entered as a manager does it: with a reason for the reception time."""
    if "received_at" in changes:
        return desk.cases.register(staff.front_desk, someone(**changes),
                                   received_at_reason="补登纸质登记表").case_id
    return desk.cases.register(staff.clerk, someone(**changes)).case_id


def open_of(desk: Desk, rule: WarningRule) -> list[WarningLine]:
    return [line for line in desk.warnings.warnings() if line.rule is rule]


def texts(desk: Desk, case_id: int) -> list[str]:
    return [notice.text for notice in desk.warnings.notices(case_id)]


def test_the_third_complaint_on_one_product_in_seven_days_raises_a_warning(
    desk: Desk, staff: Staff
) -> None:
    first = register(desk, staff, received_at=datetime(2026, 11, 18, 9, 0))
    second = register(desk, staff, product_barcode=MILK_BARCODE, product_name="",
                      received_at=datetime(2026, 11, 21, 15, 0))
    assert open_of(desk, WarningRule.PRODUCT) == []
    assert texts(desk, second) == []
    third = register(desk, staff)
    [warning] = open_of(desk, WarningRule.PRODUCT)
    assert warning.cases == 3
    assert warning.status is WarningStatus.RAISED
    assert [case.case_id for case in desk.warnings.cases(warning.warning_id)] == [
        first, second, third]
    assert "第 3 起:伊利纯牛奶 250ml,7 天内" in texts(desk, third)
    fourth = register(desk, staff)
    assert "第 4 起:伊利纯牛奶 250ml,7 天内" in texts(desk, fourth)
    assert len(open_of(desk, WarningRule.PRODUCT)) == 1
    assert desk.register.verify().ok


def test_a_product_named_by_name_alone_counts_with_its_barcode(desk: Desk, staff: Staff) -> None:
    """Without a barcode the name decides, blanks and ASCII case aside ("250ML" = "250ml")."""
    register(desk, staff, product_name="伊利纯牛奶250ML")
    register(desk, staff, product_name="伊利 纯牛奶 250ml")
    assert open_of(desk, WarningRule.PRODUCT) == []
    third = register(desk, staff, product_name="伊利纯牛奶 250ml")
    assert any(text.startswith("第 3 起") for text in texts(desk, third))


def test_complaints_older_than_the_window_or_voided_do_not_count(
    desk: Desk, staff: Staff
) -> None:
    register(desk, staff, received_at=datetime(2026, 11, 16, 9, 0))  # 8 days before
    voided = register(desk, staff)
    desk.cases.void(staff.clerk, voided, "重复登记")
    register(desk, staff)
    register(desk, staff)
    assert open_of(desk, WarningRule.PRODUCT) == []
    register(desk, staff)
    assert len(open_of(desk, WarningRule.PRODUCT)) == 1


def test_any_food_safety_complaint_warns_at_once(desk: Desk, staff: Staff) -> None:
    case_id = register(desk, staff, category=rules.Category.FOOD_SAFETY)
    [warning] = open_of(desk, WarningRule.FOOD_SAFETY)
    assert warning.cases == 1
    assert texts(desk, case_id)[0] == "第 1 起:伊利纯牛奶 250ml,1 天内"


def test_a_staff_member_named_twice_in_a_month_in_service_complaints(
    desk: Desk, staff: Staff
) -> None:
    service = {"subject": rules.Subject.SERVICE, "product_name": "", "staff_name": "周红",
               "department_name": "收银部", "category": rules.Category.SERVICE_ATTITUDE,
               "account": "收银员态度生硬"}
    register(desk, staff, **service, received_at=datetime(2026, 10, 30, 9, 0))
    register(desk, staff, **{**service, "staff_name": "吴丽"})
    assert open_of(desk, WarningRule.STAFF) == []
    second = register(desk, staff, **service)
    [warning] = open_of(desk, WarningRule.STAFF)
    assert warning.subject == "周红"
    assert "第 2 起:周红,30 天内" in texts(desk, second)


def lowered(desk: Desk, staff: Staff, **thresholds: Threshold) -> None:
    desk.warnings.update_settings(staff.boss, WarningSettings(**thresholds))


def test_supplier_department_and_category_rules_count_across_products(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    with UnitOfWork(desk.db) as uow:
        ids = catalog.add_departments(["食品部"], None, clock())
        suppliers = catalog.add_suppliers(["伊利乳业"], None, clock())
        catalog.add_products([
            ("6900000000024", "安慕希酸奶", ids["食品部"], suppliers["伊利乳业"], 590),
            ("6900000000031", "金典纯牛奶", ids["食品部"], suppliers["伊利乳业"], 690),
        ], None, clock())
        uow.commit()
    lowered(desk, staff, supplier=Threshold(3, 7), department=Threshold(3, 7),
            category=Threshold(3, 7), product=Threshold(9, 7))
    for barcode in (MILK_BARCODE, "6900000000024"):
        register(desk, staff, product_barcode=barcode, product_name="")
    assert desk.warnings.warnings() == []
    third = register(desk, staff, product_barcode="6900000000031", product_name="")
    raised = {line.rule: line for line in desk.warnings.warnings()}
    assert set(raised) == {WarningRule.SUPPLIER, WarningRule.DEPARTMENT, WarningRule.CATEGORY}
    assert raised[WarningRule.SUPPLIER].subject == "伊利乳业"
    assert raised[WarningRule.DEPARTMENT].subject == "食品部"
    assert raised[WarningRule.CATEGORY].subject == "商品质量"
    assert "第 3 起:伊利乳业,7 天内" in texts(desk, third)


def test_the_same_phone_or_receipt_claiming_again(desk: Desk, staff: Staff) -> None:
    other = {"product_name": "", "subject": rules.Subject.SERVICE,
             "department_name": "收银部", "category": rules.Category.OTHER}
    phone = {"customer_phone": "13700001111", "customer_name": "王先生"}
    register(desk, staff, **phone, **other, received_at=datetime(2026, 9, 1, 10, 0))
    register(desk, staff, **phone, **other)
    assert open_of(desk, WarningRule.REPEAT_PHONE) == []
    third = register(desk, staff, **phone, **other)
    [warning] = open_of(desk, WarningRule.REPEAT_PHONE)
    assert warning.subject == "顾客 王先生 13700001111"
    assert "第 3 起:顾客 王先生 13700001111,90 天内" in texts(desk, third)
    # The phone number never enters the register's chain.
    payloads = database.execute_sql(
        "SELECT payload FROM register_entry WHERE entity = 'warning'").fetchall()
    assert payloads and all("13700001111" not in payload for (payload,) in payloads)

    receipt = {"receipt_no": "X2026-777", **other}
    for _ in range(2):
        register(desk, staff, **receipt)
    assert open_of(desk, WarningRule.REPEAT_RECEIPT) == []
    last = register(desk, staff, receipt_no="x2026－777", **other)  # the same receipt
    [warning] = open_of(desk, WarningRule.REPEAT_RECEIPT)
    assert warning.subject == "小票 X2026-777"
    assert any("小票 X2026-777" in text for text in texts(desk, last))


def product_warning(desk: Desk, staff: Staff) -> WarningLine:
    for _ in range(3):
        register(desk, staff)
    [warning] = open_of(desk, WarningRule.PRODUCT)
    return warning


def test_a_manager_acknowledges_with_an_action_and_closes_when_done(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    warning = product_warning(desk, staff)
    with pytest.raises(PermissionDeniedError):
        desk.warnings.acknowledge(staff.clerk, warning.warning_id, WarningAction.SHELF_CHECK, "")
    with pytest.raises(ConflictError, match="先确认"):
        desk.warnings.close(staff.front_desk, warning.warning_id, "已下架")
    clock.now += timedelta(minutes=20)
    acknowledged = desk.warnings.acknowledge(
        staff.front_desk, warning.warning_id, WarningAction.SHELF_CHECK, "通知食品部下架检查同批次")
    assert acknowledged.status is WarningStatus.ACKNOWLEDGED
    assert acknowledged.action is WarningAction.SHELF_CHECK
    assert acknowledged.acknowledged_by == "赵经理"
    with pytest.raises(ConflictError):
        desk.warnings.acknowledge(staff.deputy, warning.warning_id, WarningAction.NONE, "x")
    # Still open: a new case joins it.
    register(desk, staff)
    assert desk.warnings.warning(warning.warning_id).cases == 4
    with pytest.raises(ValidationError):
        desk.warnings.close(staff.deputy, warning.warning_id, "  ")
    clock.now += timedelta(days=1)
    closed = desk.warnings.close(staff.deputy, warning.warning_id, "同批次 48 箱已下架退供应商")
    assert closed.status is WarningStatus.CLOSED
    assert closed.closed_by == "孙副店长"
    assert closed.closed_at == clock.now
    assert open_of(desk, WarningRule.PRODUCT) == []
    # Only cases after the closing count towards the next warning.
    register(desk, staff, received_at=clock.now)
    register(desk, staff, received_at=clock.now)
    assert open_of(desk, WarningRule.PRODUCT) == []
    register(desk, staff, received_at=clock.now)
    assert len(open_of(desk, WarningRule.PRODUCT)) == 1
    actions = [action for (action,) in database.execute_sql(
        "SELECT action FROM register_entry WHERE entity = 'warning' AND entity_id = ? "
        "ORDER BY seq", (warning.warning_id,))]
    assert actions == ["warning:raise", "warning:acknowledge", "warning:close"]
    assert desk.register.verify().ok


SERVICE = {"product_name": "", "subject": rules.Subject.SERVICE,
           "department_name": "收银部", "category": rules.Category.OTHER}


def phone_claims(desk: Desk, staff: Staff, phone: str, times: int, **changes: Any) -> list[int]:
    return [register(desk, staff, customer_phone=phone, customer_name="王先生", **SERVICE,
                     **changes) for _ in range(times)]


def phone_warning_ids(desk: Desk) -> list[int]:
    return sorted(line.warning_id for line in open_of(desk, WarningRule.REPEAT_PHONE))


def move_to_phone(desk: Desk, staff: Staff, case_id: int, phone: str) -> None:
    """The clerk typed the case under the wrong customer's phone and corrects it."""
    received = desk.cases.case(case_id).received_at
    desk.cases.correct(staff.clerk, case_id, replace(
        someone(customer_phone=phone, customer_name="王先生", **SERVICE), received_at=received),
        "电话登记错误")


def test_a_case_moved_to_another_phone_does_not_hide_that_phones_open_warning(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    """Found in review: its link to the first customer's closed warning made the second
    customer's next cases count afresh from that closing and raise a second warning."""
    wang, li = "13800000002", "13900000001"
    phone_claims(desk, staff, wang, 3)
    [wangs] = phone_warning_ids(desk)
    lis = phone_claims(desk, staff, li, 3)
    [li_warning] = [w for w in phone_warning_ids(desk) if w != wangs]
    clock.now += timedelta(minutes=5)
    desk.warnings.acknowledge(staff.front_desk, li_warning, WarningAction.NONE, "已回访")
    move_to_phone(desk, staff, lis[-1], wang)
    later = phone_claims(desk, staff, wang, 3)
    assert phone_warning_ids(desk) == [wangs]
    assert [c.case_id for c in desk.warnings.cases(wangs)][-3:] == later


def test_a_case_moved_to_another_phone_does_not_take_that_phones_cases_elsewhere(
    desk: Desk, staff: Staff
) -> None:
    wang, li = "13800000002", "13900000001"
    phone_claims(desk, staff, li, 3)
    [li_warning] = phone_warning_ids(desk)
    phone_claims(desk, staff, wang, 3)
    [wangs] = [w for w in phone_warning_ids(desk) if w != li_warning]
    [moved] = phone_claims(desk, staff, li, 1)
    move_to_phone(desk, staff, moved, wang)
    [later] = phone_claims(desk, staff, wang, 1)
    assert later in [c.case_id for c in desk.warnings.cases(wangs)]
    assert later not in [c.case_id for c in desk.warnings.cases(li_warning)]


def test_a_phones_next_warning_counts_after_the_last_one_closed_and_takes_its_cases(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    phone = "13700002222"
    first_cases = phone_claims(desk, staff, phone, 4)
    [first] = open_of(desk, WarningRule.REPEAT_PHONE)
    assert [c.case_id for c in desk.warnings.cases(first.warning_id)] == first_cases
    clock.now += timedelta(hours=1)
    desk.warnings.acknowledge(staff.front_desk, first.warning_id, WarningAction.NONE, "已回访")
    clock.now += timedelta(hours=1)
    later = phone_claims(desk, staff, phone, 2, received_at=clock.now)
    assert open_of(desk, WarningRule.REPEAT_PHONE) == []
    later += phone_claims(desk, staff, phone, 2, received_at=clock.now)
    [second] = open_of(desk, WarningRule.REPEAT_PHONE)
    assert second.warning_id != first.warning_id
    assert [c.case_id for c in desk.warnings.cases(second.warning_id)] == later
    assert desk.warnings.warning(first.warning_id).cases == 4
    assert desk.register.verify().ok


@pytest.mark.sqlite_only
def test_looking_for_a_phones_warning_does_not_read_all_its_cases(
    desk: Desk, staff: Staff
) -> None:
    """Every save of a phone read every case it ever had (1.5 ms at each save of a phone with
    1,600 cases): the work to find its warning must not grow with them."""
    from desktop_app.store.warnings import phone_warnings

    def steps_to_find(phone: str) -> int:
        counted = [0]

        def tick() -> int:
            counted[0] += 1
            return 0

        connection = database.connection()
        connection.set_progress_handler(tick, 10)
        try:
            assert phone_warnings(phone)[0] is not None
        finally:
            connection.set_progress_handler(None, 10)
        return counted[0]

    # Both phones have more warned cases than are read (store.warnings.PHONE_CASES_READ).
    phone_claims(desk, staff, "13700003333", 20)
    phone_claims(desk, staff, "13700004444", 150)
    few, many = steps_to_find("13700003333"), steps_to_find("13700004444")
    assert many <= few + 2, (few, many)


def test_nothing_to_do_needs_a_reason_and_closes_at_once(desk: Desk, staff: Staff) -> None:
    warning = product_warning(desk, staff)
    with pytest.raises(ValidationError):
        desk.warnings.acknowledge(staff.front_desk, warning.warning_id, WarningAction.NONE, "")
    done = desk.warnings.acknowledge(staff.front_desk, warning.warning_id, WarningAction.NONE,
                                     "三起均为顾客存放不当,不属质量问题")
    assert done.status is WarningStatus.CLOSED
    assert done.close_note == "三起均为顾客存放不当,不属质量问题"


def test_the_check_is_part_of_the_save_s_transaction(
    desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warning check that fails leaves no case behind: registration and its warnings are one
    transaction."""
    from desktop_app.store import warnings as warning_store

    def broken(*_: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(warning_store, "count_since", broken)
    with pytest.raises(RuntimeError):
        register(desk, staff)
    assert database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0] == 0


def test_the_rules_are_store_settings_in_the_register(desk: Desk, staff: Staff) -> None:
    assert desk.warnings.settings() == WarningSettings()
    with pytest.raises(PermissionDeniedError):
        desk.warnings.update_settings(staff.front_desk, WarningSettings())
    with pytest.raises(ValidationError) as refused:
        desk.warnings.update_settings(staff.boss, WarningSettings(product=Threshold(0, 7)))
    assert "warn_product_count" in refused.value.field_errors
    chosen = WarningSettings(product=Threshold(2, 3), food_safety=False)
    desk.warnings.update_settings(staff.boss, chosen)
    assert desk.warnings.settings() == chosen
    register(desk, staff, category=rules.Category.FOOD_SAFETY)
    assert open_of(desk, WarningRule.FOOD_SAFETY) == []
    assert len(open_of(desk, WarningRule.PRODUCT)) == 0
    register(desk, staff)
    assert len(open_of(desk, WarningRule.PRODUCT)) == 1
    assert desk.register.verify().ok


def test_a_case_worked_later_keeps_its_place_in_the_warning(desk: Desk, staff: Staff) -> None:
    warning = product_warning(desk, staff)
    case = desk.warnings.cases(warning.warning_id)[0]
    desk.cases.record_step(staff.clerk, case.case_id, rules.Step.NATURE, StepAnswer(upheld=True))
    assert [c.ordinal for c in desk.warnings.cases(warning.warning_id)] == [1, 2, 3]
    assert desk.warnings.cases(warning.warning_id)[0].status == "已受理"


def test_the_command_line_lists_open_warnings_one_a_line(desk: Desk, staff: Staff) -> None:
    product_warning(desk, staff)
    register(desk, staff, category=rules.Category.FOOD_SAFETY)
    lines = desk.warnings.open_lines()
    assert len(lines) == 2
    assert "同一商品:伊利纯牛奶 250ml,7 天内 4 起 [待处理]" in lines[0]
    assert lines[1].startswith("#")


def test_main_py_warnings_prints_one_line_each_and_exits_0(
    desk: Desk, staff: Staff, db_path: Any
) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def warnings_command() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(root / "main.py"), "warnings", "--db", db_arg(db_path)],
            capture_output=True, text=True, check=False, cwd=root,
        )

    none = warnings_command()
    assert none.returncode == 0, none.stderr
    assert none.stdout == ""
    product_warning(desk, staff)
    listed = warnings_command()
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == desk.warnings.open_lines()
    assert len(listed.stdout.splitlines()) == 1
    missing = subprocess.run(
        [sys.executable, str(root / "main.py"), "warnings", "--db", str(db_path) + ".x"],
        capture_output=True, text=True, check=False, cwd=root,
    )
    assert missing.returncode == 2


def test_the_month_end_summary_prints_a_repeat_claimant_by_the_masked_phone_alone(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Any
) -> None:
    """Head office receives the summary: no customer's name, and the phone masked, as
    everywhere else in the reports."""
    from desktop_app.domain.report_figures import Month
    from tests.reports.pdf_reading import page_texts

    other = {"product_name": "", "subject": rules.Subject.SERVICE,
             "department_name": "收银部", "category": rules.Category.OTHER}
    for _ in range(3):
        register(desk, staff, customer_phone="13905718866", customer_name="孙女士", **other)
    [warning] = open_of(desk, WarningRule.REPEAT_PHONE)
    figures = desk.reports.figures(Month(2026, 11))
    assert figures.warnings is not None
    assert figures.warnings.still_open == (
        (f"#{warning.warning_id} 同一顾客再次投诉:顾客 139****8866", "3 起 · 待处理"),
    )
    [pdf] = desk.reports.export(Month(2026, 11), ["summary"], tmp_path, clock(), workbook=False)
    text = "".join(page_texts(pdf))
    assert "139****8866" in text
    assert "13905718866" not in text and "孙女士" not in text


def test_the_month_end_summary_shows_each_warning_as_it_stood_at_the_end(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    """October's package does not change with the day it is printed: a warning closed in
    November, with a case joined in November, is printed as it was on 31 October."""
    from desktop_app.domain.report_figures import Month

    clock.now = datetime(2026, 10, 30, 10, 0)
    for _ in range(3):
        register(desk, staff, received_at=clock.now)
    [warning] = open_of(desk, WarningRule.PRODUCT)
    clock.now = datetime(2026, 11, 2, 10, 0)
    register(desk, staff, received_at=clock.now)
    desk.warnings.acknowledge(staff.front_desk, warning.warning_id, WarningAction.SHELF_CHECK,
                              "已下架检查")
    desk.warnings.close(staff.front_desk, warning.warning_id, "已处理")
    october = desk.reports.figures(Month(2026, 10))
    assert october.warnings is not None
    assert october.warnings.still_open == (
        (f"#{warning.warning_id} 同一商品:伊利纯牛奶 250ml", "3 起 · 待处理"),
    )


def test_the_month_end_summary_lists_the_warnings_still_open(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Any
) -> None:
    from desktop_app.domain.report_figures import Month
    from desktop_app.domain.report_package import summary_lines
    from desktop_app.reports.kinds import TITLES
    from tests.reports.pdf_reading import page_texts

    warning = product_warning(desk, staff)
    food = register(desk, staff, category=rules.Category.FOOD_SAFETY)
    [food_warning] = [w for w in desk.warnings.warnings() if w.rule is WarningRule.FOOD_SAFETY]
    desk.warnings.acknowledge(staff.front_desk, food_warning.warning_id,
                              WarningAction.NONE, "顾客误食过期自带食品")
    del food
    figures = desk.reports.figures(Month(2026, 11))
    lines = {(line.report, line.label): line.value for line in summary_lines(figures, TITLES)}
    assert lines[("预警", "本月提出 / 本月关闭")] == "2 / 1 条"
    assert lines[("预警", "月末未关闭(本月未结束时为截至打印时)")] == "1 条"
    assert lines[("预警", f"#{warning.warning_id} 同一商品:伊利纯牛奶 250ml")] == "4 起 · 待处理"
    # October had none: a warning raised in November is not open at October's end.
    october = desk.reports.figures(Month(2026, 10))
    assert october.warnings is not None and october.warnings.still_open == ()
    [pdf] = desk.reports.export(Month(2026, 11), ["summary"], tmp_path, clock(), workbook=False)
    text = "".join(page_texts(pdf))
    assert "同一商品:伊利纯牛奶 250ml" in text
    assert "4 起 · 待处理" in text
