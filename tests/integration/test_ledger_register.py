"""Who pays is part of the register: every ledger row (charge-backs, improvement orders and their
follow-ups, staff liabilities) verifies against the chain, and each change made behind the app's
back is named. Quality returns approved before the ledger existed arrive as its first lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.domain import register as rules
from desktop_app.domain.improvement import OrderDraft, OrderTarget
from desktop_app.domain.liability import ShareDraft
from desktop_app.services import charge_backs, register
from desktop_app.services.desk import Desk
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import migrations
from desktop_app.store.ledger_backfill import ACTION, open_earlier_charge_backs
from tests.builders import Staff, a_refund, a_service_compensation, a_worked_case, cashiers
from tests.engines import RAW_INTEGRITY_ERRORS, raw_connect

Sql = Callable[..., None]


@pytest.fixture
def ledgers(desk: Desk, staff: Staff) -> dict[str, int]:
    """One row of each ledger table: a charge-back, an order with a follow-up, two liabilities."""
    case_id = a_worked_case(desk, staff)
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
        "10.00", is_quality=True, supplier_name="伊利乳业"))
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    order_id = desk.improvements.issue(staff.front_desk, OrderDraft(
        OrderTarget.SUPPLIER, "伊利乳业", "批次抽检", date(2026, 12, 1), ""))
    desk.improvements.follow_up(staff.front_desk, order_id, "已电话通知")
    people = cashiers(desk, staff, "周红", "马超")
    _, compensation = a_service_compensation(desk, staff)
    desk.liabilities.record(staff.front_desk, compensation, [
        ShareDraft(people["周红"], "60", "20"), ShareDraft(people["马超"], "40")])
    assert desk.register.verify().ok
    return {"refund": refund_id, "order": order_id, "staff": people["马超"]}


@pytest.fixture
def sql(db_path: Path, ledgers: dict[str, int]) -> Sql:
    def run(statement: str) -> None:
        raw = raw_connect(db_path)
        try:
            with raw:
                for part in statement.split("; "):
                    raw.execute(part)
        finally:
            raw.close()

    return run


def found(desk: Desk) -> str:
    report = desk.register.verify()
    assert not report.ok, "verify missed the change"
    return report.message


EDITS = [
    ("a charge-back's amount", "UPDATE charge_back SET amount_fen = 1", ["供应商扣款", "金额"]),
    ("a charge-back marked charged", "UPDATE charge_back SET status = 'charged'",
     ["供应商扣款", "状态", "charged"]),
    ("a deduction slip", "UPDATE charge_back SET deduction_ref = 'KK-X'", ["扣款单号", "KK-X"]),
    ("a waiver's reason", "UPDATE charge_back SET waive_reason = '样品'", ["免除原因"]),
    ("an order's due date", "UPDATE improvement_order SET due_on = '2027-06-01'",
     ["整改通知", "整改期限"]),
    ("an order closed", "UPDATE improvement_order SET status = 'done'", ["整改通知", "状态"]),
    ("a follow-up's note", "DROP TRIGGER improvement_follow_up_never_changed; "
     "UPDATE improvement_follow_up SET note = '已整改'", ["整改跟进", "说明"]),
    ("a share", "UPDATE liability SET share_pct = 1 WHERE share_pct = 60",
     ["员工赔偿责任", "承担比例"]),
    ("the person responsible", "UPDATE liability SET staff_id = 1 WHERE share_pct = 40",
     ["员工赔偿责任", "责任人"]),
    ("a fine", "UPDATE liability SET penalty_fen = 0", ["罚款"]),
    ("a liability settled", "UPDATE liability SET status = 'settled'", ["状态"]),
]


@pytest.mark.parametrize(("what", "statement", "named"), EDITS, ids=[e[0] for e in EDITS])
def test_a_ledger_row_edited_with_sql_is_named(
    desk: Desk, sql: Sql, what: str, statement: str, named: list[str]
) -> None:
    sql(statement)
    message = found(desk)
    for text in named:
        assert text in message, (what, message)


@pytest.mark.parametrize(
    "table", ["charge_back", "improvement_order", "improvement_follow_up", "liability"]
)
def test_a_ledger_row_deleted_behind_a_dropped_trigger_is_found(
    desk: Desk, sql: Sql, table: str
) -> None:
    with pytest.raises(RAW_INTEGRITY_ERRORS, match="never deleted"):
        sql(f"DELETE FROM {table}")
    sql(f"PRAGMA foreign_keys = OFF; DROP TRIGGER {table}_never_deleted; DELETE FROM {table}")
    message = found(desk)
    assert "删除" in message and f"{table}_never_deleted" in message


def test_a_line_written_behind_the_app_is_found(desk: Desk, sql: Sql) -> None:
    sql("INSERT INTO liability (refund_id, staff_id, share_pct, amount_fen, recorded_by_id, "
        "recorded_at) SELECT refund_id, staff_id, 10, 100, 1, '2026-11-24 10:00:00' "
        "FROM liability LIMIT 1")
    assert "员工赔偿责任" in found(desk) and "不在登记簿中" in found(desk)


def test_the_ledger_triggers_are_protected(desk: Desk, sql: Sql) -> None:
    protected = migrations.protective_triggers()
    for name in ("charge_back_never_deleted", "liability_never_deleted",
                 "improvement_order_never_deleted", "improvement_follow_up_never_deleted",
                 "improvement_follow_up_never_changed"):
        assert name in protected
    sql("DROP TRIGGER improvement_follow_up_never_changed")
    assert "improvement_follow_up_never_changed" in found(desk)


# --- the ledger arriving on an older register --------------------------------------------------


def test_quality_returns_approved_before_the_ledger_become_its_first_lines(
    desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the app stood before the ledger: approvals open no line, the refund row carries the
    charge-back; then the migration's step opens one line each, in that state."""
    monkeypatch.setattr(charge_backs, "open_for_approved_refund", lambda *args: None)
    made = {}
    for name, receipt in (("pending", "P-001"), ("charged", "C-001"), ("waived", "W-001"),
                          ("rejected", "X-001")):
        case_id = a_worked_case(desk, staff, receipt_no=receipt)
        made[name] = desk.refunds.request(staff.clerk, case_id, a_refund(
            "10.00", receipt_no=receipt, is_quality=True, supplier_name="伊利乳业"))
        desk.refunds.sign_as(staff.front_desk, made[name], name != "rejected", "意见")
    now = desk.clock()
    with UnitOfWork(desk.db) as uow:
        register.change("refund", made["charged"], {"charge_back_status": "charged"},
                        staff.front_desk, "refund:charge_back", now)
        register.change("refund", made["waived"], {"charge_back_status": "waived",
                                                   "charge_back_note": "样品"},
                        staff.boss, "refund:charge_back", now)
        uow.commit()
    monkeypatch.undo()

    with UnitOfWork(desk.db) as uow:
        assert open_earlier_charge_backs(desk.db, datetime(2026, 11, 25, 8, 0)) == 3
        uow.commit()
    states = {name: desk.charge_backs.line_of_refund(refund_id)
              for name, refund_id in made.items()}
    assert states["rejected"] is None
    pending, charged, waived = states["pending"], states["charged"], states["waived"]
    assert pending is not None and charged is not None and waived is not None
    assert (pending.state.value, charged.state.value, waived.state.value) == (
        "pending", "charged", "waived")
    assert charged.deduction_ref.startswith("(启用扣款台账前已扣")
    assert waived.waive_reason == "样品"
    assert pending.amount == pending.refunded
    assert desk.register.verify().ok
    with UnitOfWork(desk.db) as uow:
        assert open_earlier_charge_backs(desk.db, datetime(2026, 11, 25, 8, 0)) == 0
        uow.commit()


def test_the_migration_step_carries_the_charge_backs_over(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path))
    db.connect()
    migrations.migrate(db, target=migrations.LEDGER_VERSION - 1)
    for statement in (
        'INSERT INTO "user" (id, username, display_name, role, password_hash, created_at) '
        "VALUES (1, 'boss', '王店长', 'store_manager', 'x', '2026-01-01 08:00:00')",
        "INSERT INTO supplier (id, name) VALUES (1, '伊利乳业')",
        'INSERT INTO "case" (id, case_no, received_at, channel, clerk_id, subject, account, '
        "demand, category, kind, status, updated_at) VALUES (1, 'TS-202610-0001', "
        "'2026-10-03 10:00:00', 'at_desk', 1, 'product', 'x', 'refund', 'product_quality', "
        "'complaint', 'in_progress', '2026-10-03 10:00:00')",
        "INSERT INTO refund (id, case_id, kind, amount_fen, reason, is_quality, supplier_id, "
        "charge_back_status, charge_back_note, status, level_required, requested_by_id, "
        "requested_at, decided_at) VALUES (1, 1, 'return', 1950, '变质', 1, 1, 'waived', '样品', "
        "'approved', 1, 1, '2026-10-03 10:00:00', '2026-10-03 10:20:00')",
    ):
        db.execute_sql(statement)
    migrations.migrate(db)
    line = db.execute_sql(
        "SELECT id, refund_id, supplier_id, amount_fen, status, waive_reason, created_at "
        "FROM charge_back").fetchall()
    assert line == [(1, 1, 1, 1950, "waived", "样品", "2026-10-03 10:20:00")]
    [(seq, at, actor, entity, entity_id, action, payload, entry_hash)] = db.execute_sql(
        "SELECT seq, at, actor, entity, entity_id, action, payload, entry_hash "
        "FROM register_entry").fetchall()
    assert (entity, entity_id, action, actor) == ("charge_back", 1, ACTION, "系统")
    assert json.loads(payload)["amount_fen"] == "1950"
    assert entry_hash == rules.entry_hash(rules.GENESIS_HASH, seq, at, None, actor, entity,
                                          entity_id, action, payload)
    db.close()
