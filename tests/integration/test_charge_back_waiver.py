"""Waiving a supplier charge-back: only the store manager, only with a reason, kept on the ledger
line and on the refund, and in the register; the refund's column arrives on an existing register
by migration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.domain.errors import PermissionDeniedError, ValidationError
from desktop_app.services.desk import Desk
from desktop_app.store import migrations
from tests.builders import Staff, a_refund, a_worked_case
from tests.engines import raw_connect


@pytest.fixture
def quality_refund(desk: Desk, staff: Staff) -> int:
    case_id = a_worked_case(desk, staff)
    refund_id = desk.refunds.request(
        staff.clerk, case_id, a_refund("10.00", is_quality=True, supplier_name="伊利乳业")
    )
    desk.refunds.sign_as(staff.front_desk, refund_id, True, "同意")
    return refund_id


@pytest.fixture
def line_id(desk: Desk, quality_refund: int) -> int:
    line = desk.charge_backs.line_of_refund(quality_refund)
    assert line is not None
    return line.line_id


def stored(db_path: Path, refund_id: int) -> tuple[str, str]:
    with raw_connect(db_path) as connection:
        row = connection.execute(
            "SELECT charge_back_status, charge_back_note FROM refund WHERE id = ?", (refund_id,)
        ).fetchone()
    return row[0], row[1]


def test_only_the_store_manager_may_waive(desk: Desk, staff: Staff, line_id: int) -> None:
    for manager in (staff.front_desk, staff.deputy):
        with pytest.raises(PermissionDeniedError, match="只有店长"):
            desk.charge_backs.waive(manager, line_id, "样品")


@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_a_waiver_needs_a_reason(desk: Desk, staff: Staff, line_id: int, note: str) -> None:
    with pytest.raises(ValidationError, match="请写明免除原因") as caught:
        desk.charge_backs.waive(staff.boss, line_id, note)
    assert "waive_reason" in caught.value.field_errors


def test_the_waiver_and_its_reason_are_kept_and_recorded(
    desk: Desk, staff: Staff, quality_refund: int, line_id: int, db_path: Path
) -> None:
    desk.charge_backs.waive(staff.boss, line_id, "  供应商已上门换货  ")
    assert stored(db_path, quality_refund) == ("waived", "供应商已上门换货")
    assert desk.charge_backs.line(line_id).waive_reason == "供应商已上门换货"
    assert desk.register.verify().ok
    # Charging it after all (the store manager undoes the waiver first) clears the reason, and
    # the register still matches both rows.
    desk.charge_backs.reopen(staff.boss, line_id, "供应商同意照扣")
    desk.charge_backs.record_deduction(staff.front_desk, line_id, "KK-2026-11-01",
                                       date(2026, 11, 24))
    assert stored(db_path, quality_refund) == ("charged", "")
    assert desk.charge_backs.line(line_id).waive_reason == ""
    assert desk.register.verify().ok


def test_a_reason_longer_than_a_paragraph_is_refused(desk: Desk, staff: Staff,
                                                     line_id: int) -> None:
    with pytest.raises(ValidationError, match="太长"):
        desk.charge_backs.waive(staff.boss, line_id, "免" * 501)


def test_an_older_register_gets_the_column_with_an_empty_reason(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path))
    db.connect()

    def note_column() -> tuple[str, int, str] | None:
        rows = db.execute_sql("PRAGMA table_info(refund)").fetchall()
        return next(((row[2], row[3], row[4]) for row in rows
                     if row[1] == "charge_back_note"), None)

    seen = []
    for version in range(1, migrations.SCHEMA_VERSION + 1):
        migrations.migrate(db, target=version)
        seen.append(note_column() is not None)
    assert note_column() == ("TEXT", 1, "''")  # NOT NULL DEFAULT '': old refunds read ''
    db.close()
    arrived = seen.index(True)
    assert arrived > 0 and all(seen[arrived:])  # added by one later step, kept after it
