"""A change made to the database behind the app's back is found by "verify register"."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft, a_refund, stock_catalogue


@pytest.fixture
def three_cases(desk: Desk) -> list[int]:
    stock_catalogue(desk)
    staff = Staff(desk)
    ids = [desk.cases.register(staff.clerk, a_draft()).case_id for _ in range(3)]
    desk.cases.record_step(staff.clerk, ids[1], rules.Step.NATURE, StepAnswer(text="成立"))
    return ids


@pytest.fixture
def sql(db_path: Path, three_cases: list[int]) -> Callable[..., None]:
    """Another program writing to the file directly, as a tamperer would."""

    def run(statement: str, *params: object) -> None:
        with sqlite3.connect(db_path) as raw:
            raw.execute(statement, params)
        raw.close()

    return run


def test_an_untouched_register_verifies(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    report = desk.cases.verify_register()
    assert report.ok, report.message
    assert report.cases == 3
    assert "3 个案件" in report.message


def test_a_case_field_edited_with_sql_is_named(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql('UPDATE "case" SET customer_phone = ? WHERE id = ?', "13999999999", three_cases[1])
    report = desk.cases.verify_register()
    assert not report.ok
    assert "TS-202611-0002" in report.message
    assert "customer_phone" in report.message
    assert "13999999999" in report.message


def test_a_status_edited_with_sql_is_named(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql('UPDATE "case" SET status = ? WHERE id = ?', "closed", three_cases[2])
    report = desk.cases.verify_register()
    assert not report.ok
    assert "TS-202611-0003" in report.message


def test_an_audit_entry_edited_behind_the_triggers_is_named(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql("DROP TRIGGER audit_entry_append_only_update")
    sql("UPDATE audit_entry SET new_value = ? WHERE seq = ?", "tampered", 2)
    report = desk.cases.verify_register()
    assert not report.ok
    assert "第 2 条" in report.message


def test_a_removed_audit_entry_is_named(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql("DROP TRIGGER audit_entry_append_only_delete")
    sql("DELETE FROM audit_entry WHERE seq = ?", 2)
    report = desk.cases.verify_register()
    assert not report.ok
    assert "第 2 条" in report.message


def test_a_deleted_case_is_found(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql("DROP TRIGGER case_never_deleted")
    sql('DELETE FROM "case" WHERE id = ?', three_cases[2])
    report = desk.cases.verify_register()
    assert not report.ok
    assert "删除" in report.message


def test_a_case_inserted_with_sql_is_found(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    sql(
        'INSERT INTO "case" (case_no, received_at, channel, clerk_id, subject, account, demand, '
        "category, kind, status, updated_at, customer_name, customer_phone, product_barcode, "
        "product_name, staff_name, receipt_no, is_major, needs_confirmation, workflow) "
        "VALUES ('TS-202611-9999', '2026-11-24 09:00:00', 'at_desk', 1, 'product', 'x', "
        "'refund', 'other', 'complaint', 'registered', '2026-11-24 09:00:00', '', '', '', '', "
        "'', '', 0, 0, '{}')"
    )
    report = desk.cases.verify_register()
    assert not report.ok
    assert "TS-202611-9999" in report.message


@pytest.fixture
def with_refund(desk: Desk, three_cases: list[int]) -> int:
    boss = desk.accounts.authenticate("boss", "secret1")
    clerk = next(a for a in desk.accounts.list_accounts() if a.username == "clerk")
    refund_id = desk.refunds.request(clerk, three_cases[0], a_refund("40.00"))
    desk.refunds.sign_as(boss, refund_id, True, "同意")
    return refund_id


def test_refunds_verify_when_untouched(desk: Desk, with_refund: int) -> None:
    assert desk.cases.verify_register().ok


def test_a_refund_amount_edited_with_sql_is_named(
    desk: Desk, with_refund: int, sql: Callable[..., None]
) -> None:
    sql("UPDATE refund SET amount_fen = 400000 WHERE id = ?", with_refund)
    report = desk.cases.verify_register()
    assert not report.ok
    assert "amount_fen" in report.message and "400000" in report.message


def test_a_refund_approved_behind_the_app_is_named(
    desk: Desk, three_cases: list[int], sql: Callable[..., None]
) -> None:
    clerk = next(a for a in desk.accounts.list_accounts() if a.username == "clerk")
    refund_id = desk.refunds.request(clerk, three_cases[0], a_refund("300.00"))
    sql("UPDATE refund SET status = 'approved' WHERE id = ?", refund_id)
    report = desk.cases.verify_register()
    assert not report.ok
    assert "status" in report.message
