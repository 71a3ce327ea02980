"""The daily check looks only at what is new since the last clean check: the chain from the
head that check ended at, and every row the new entries are about. What it cannot see (an old
row changed since) the full check finds, and a full check that finds anything makes the next
daily check a full one again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.register import Anchor
from desktop_app.services.anchors import checked_mark_file, read_checked_mark
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.tampering import raw_sql

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checked(desk: Desk, staff: Staff) -> int:
    """Two cases and a refund, checked in full: the mark sits at the head."""
    first = a_worked_case(desk, staff, amount_paid="500.00")
    desk.cases.register(staff.clerk, a_draft(customer_name="李先生", receipt_no="B-0002"))
    desk.refunds.request(staff.clerk, first, a_refund("20.00"))
    report = desk.register.verify()
    assert report.ok, report.message
    head = desk.register.head()
    assert head is not None and read_checked_mark(desk.db_path) == head
    return head.seq


def test_only_the_new_entries_and_their_cases_are_checked(
    desk: Desk, staff: Staff, checked: int
) -> None:
    third = desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003")).case_id
    desk.cases.register(staff.clerk, a_draft(receipt_no="D-0004"))
    report = desk.register.verify_since_last()
    assert report.ok, report.message
    assert report.since == checked
    head = desk.register.head()
    assert head is not None and report.head == head
    assert report.entries == head.seq - checked
    assert report.cases == 2
    assert f"第 {checked} 条" in report.message
    assert read_checked_mark(desk.db_path) == head
    assert third  # the mark moved on: the next day starts here
    again = desk.register.verify_since_last()
    assert again.ok and again.entries == 0 and again.since == head.seq


def test_nothing_new_is_checked_in_no_time(desk: Desk, checked: int) -> None:
    report = desk.register.verify_since_last()
    assert report.ok and report.entries == 0 and report.cases == 0


def test_a_new_case_changed_behind_the_app_is_found(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    case = desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    raw_sql(db_path, f"UPDATE \"case\" SET product_name = '别的' WHERE id = {case.case_id}")
    report = desk.register.verify_since_last()
    assert not report.ok
    assert case.case_no in report.message and "别的" in report.message
    assert not checked_mark_file(db_path).exists()


def test_a_new_entry_edited_behind_the_triggers_is_found(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    raw_sql(db_path, "DROP TRIGGER register_entry_append_only",
            f"UPDATE register_entry SET actor = '别人' WHERE seq = {checked + 1}")
    report = desk.register.verify_since_last()
    assert not report.ok and f"第 {checked + 1} 条" in report.message


def test_a_case_inserted_behind_the_app_is_found(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    raw_sql(db_path,
            'INSERT INTO "case" (case_no, received_at, channel, clerk_id, subject, account, '
            "demand, category, kind, status, updated_at) VALUES ('TS-202611-9999', "
            "'2026-11-24 09:00:00', 'at_desk', 1, 'product', 'x', 'refund', 'other', "
            "'complaint', 'registered', '2026-11-24 09:00:00')")
    report = desk.register.verify_since_last()
    assert not report.ok and "TS-202611-9999" in report.message


def test_a_deleted_new_entry_and_a_cut_tail_are_found(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    desk.cases.register(staff.clerk, a_draft(receipt_no="D-0004"))
    head = desk.register.head()
    assert head is not None
    raw_sql(db_path, "DROP TRIGGER register_entry_never_deleted",
            f"DELETE FROM register_entry WHERE seq = {checked + 1}")
    assert f"第 {checked + 1} 条" in desk.register.verify_since_last().message
    cut = desk.register.verify_since_last([Anchor.parse(head.code, "报表上的校验码")])
    assert not cut.ok


def test_an_old_row_changed_since_is_left_to_the_full_check(
    desk: Desk, checked: int, db_path: Path
) -> None:
    """The documented limit: nothing new is about the old case, so the daily check does not
    read it. The full check does, and then the daily check is a full one until one is clean."""
    raw_sql(db_path, "UPDATE \"case\" SET product_name = '别的' WHERE case_no = 'TS-202611-0002'")
    assert desk.register.verify_since_last().ok
    full = desk.register.verify()
    assert not full.ok and "TS-202611-0002" in full.message
    assert read_checked_mark(db_path) is None
    daily = desk.register.verify_since_last()
    assert daily.since is None and not daily.ok


def test_a_restored_or_rewritten_chain_gets_the_full_check(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    raw_sql(db_path, "DROP TRIGGER register_entry_append_only",
            f"UPDATE register_entry SET entry_hash = 'x' WHERE seq = {checked}")
    report = desk.register.verify_since_last()
    assert report.since is None
    assert not report.ok


def test_an_old_anchor_is_still_held_against_the_file(
    desk: Desk, staff: Staff, checked: int
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    wrong = Anchor.parse(f"{checked - 1}:{'0' * 16}", "登记表上的校验码")
    report = desk.register.verify_since_last([wrong])
    assert not report.ok and "登记表上的校验码" in report.message


def test_the_counter_of_a_month_with_new_cases_is_checked(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    raw_sql(db_path, "UPDATE case_counter SET last_seq = 9")
    report = desk.register.verify_since_last()
    assert not report.ok and "计数器" in report.message


@pytest.mark.sqlite_only
def test_the_command_line_checks_since_the_last_clean_check(
    desk: Desk, staff: Staff, checked: int, db_path: Path
) -> None:
    desk.cases.register(staff.clerk, a_draft(receipt_no="C-0003"))
    desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--since-last", "--db", str(db_path)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert f"上次校验(第 {checked} 条)以来" in result.stdout


@pytest.mark.sqlite_only
def test_after_a_restore_verify_names_what_the_restore_lost(
    desk: Desk, staff: Staff, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup put back is an older chain: the day's anchor written after it is ahead of it,
    so verify says how many entries the register had and how many it has now."""
    from desktop_app.app import main as cli_main
    from desktop_app.store.backup import make_backup, restore_backup
    from desktop_app.store.connection import close_database

    desk.cases.register(staff.clerk, a_draft())
    now = desk.clock()
    backup = make_backup(db_path, now)
    restored_head = desk.register.head()
    desk.cases.register(staff.clerk, a_draft(customer_name="恢复后丢失"))
    assert desk.register.record_daily_anchor(now)
    lost_head = desk.register.head()
    assert restored_head is not None and lost_head is not None
    close_database()

    restore_backup(backup, db_path, now)

    assert cli_main(["verify", "--db", str(db_path)]) == 3
    out = capsys.readouterr()
    message = out.out + out.err
    assert f"已有第 {lost_head.seq} 条记录" in message
    assert f"现在只有 {restored_head.seq} 条" in message
