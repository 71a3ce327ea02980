"""Backups and erased customers: every backup that still holds an erased person is scrubbed the
way the register was (and still verifies on its own); backups older than the retention period
are removed; a file that cannot take the erasure goes rather than keep the person."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.services.desk import Desk, build_desk
from desktop_app.store import backup, migrations
from desktop_app.store.connection import close_database, database, open_database
from tests.builders import Staff, stock_catalogue
from tests.conftest import FakeClock
from tests.integration.privacy_scenario import (
    LATER,
    NAME,
    PHONE,
    closed_case,
    open_case,
    traces,
)

# The app's backups are copies of the SQLite file (a server is backed up by its administrator).
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]


def verify_file(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(path)],
        capture_output=True, text=True, check=False,
    )


def erase_actions(path: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return list(connection.execute(
            "SELECT at, actor FROM register_entry WHERE action = 'erase' ORDER BY seq"
        ))


def test_backups_holding_the_person_are_scrubbed_and_still_verify(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    closed_case(desk, staff, clock)
    open_case(desk, staff, clock, "李先生", "13600001111")
    clock.now = datetime(2026, 7, 1, 8, 0)
    older = backup.make_backup(db_path, clock.now)
    clock.now = datetime(2026, 7, 19, 8, 0)
    newer = backup.make_backup(db_path, clock.now)
    assert traces(older, NAME, PHONE) == traces(newer, NAME, PHONE) == {NAME, PHONE}
    clock.now = LATER
    desk.privacy.erase_due()

    care = desk.privacy.care_for_backups()

    assert care.scrubbed == [(older, 1), (newer, 1)]
    assert care.removed == [] and care.problems == []
    for path in (older, newer):
        assert traces(path, NAME, PHONE) == set()
        assert not Path(f"{path}-journal").exists()
        assert erase_actions(path) == [("2026-07-20 09:00:00", "系统")]
        checked = verify_file(path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        with contextlib.closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            names = {row[0] for row in connection.execute('SELECT customer_name FROM "case"')}
        assert "李先生" in names
    assert desk.privacy.care_for_backups().scrubbed == []


def test_the_erasure_is_replayed_only_into_backups_that_hold_the_case(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    clock.now = datetime(2023, 12, 1, 8, 0)
    open_case(desk, staff, clock, "李先生", "13600001111", moment=clock.now)
    before_the_case = backup.make_backup(db_path, datetime(2024, 1, 5, 8, 0))
    closed_case(desk, staff, clock)
    clock.now = LATER
    desk.privacy.erase_due()
    care = desk.privacy.care_for_backups()
    assert care.scrubbed == []
    assert erase_actions(before_the_case) == []
    assert before_the_case.exists()


def test_backups_older_than_the_period_are_removed_but_never_the_newest(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    closed_case(desk, staff, clock)
    stale = backup.make_backup(db_path, datetime(2024, 2, 1, 8, 0))
    stale_restore = backup.make_backup(db_path, datetime(2024, 3, 1, 8, 0), "before-restore")
    recent = backup.make_backup(db_path, datetime(2026, 7, 1, 8, 0))
    clock.now = LATER
    care = desk.privacy.care_for_backups()
    assert care.removed == [stale, stale_restore]
    assert backup.list_backups(db_path) == [recent]

    for path in backup.list_backups(db_path):
        path.unlink()
    only = backup.make_backup(db_path, datetime(2024, 2, 1, 8, 0))
    assert desk.privacy.care_for_backups().removed == []
    assert backup.list_backups(db_path) == [only]


def test_a_backup_in_an_older_format_goes_with_the_person_it_holds(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    closed_case(desk, staff, clock)
    old_format = backup.make_backup(db_path, datetime(2026, 7, 1, 8, 0), "before-v5")
    with contextlib.closing(sqlite3.connect(old_format)) as connection:
        connection.execute("PRAGMA user_version = 4")
    clock.now = LATER
    assert desk.privacy.care_for_backups().removed == []  # nobody erased yet
    desk.privacy.erase_due()
    care = desk.privacy.care_for_backups()
    assert care.removed == [old_format]
    assert not old_format.exists()


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    closed_case(desk, staff, clock)
    kept = backup.make_backup(db_path, datetime(2026, 7, 1, 8, 0))
    damaged = backup.backup_target(db_path, datetime(2026, 7, 2, 8, 0), "before-restore")
    damaged.write_bytes(b"\0" * 4096)
    clock.now = LATER
    desk.privacy.erase_due()
    care = desk.privacy.care_for_backups()
    assert care.scrubbed == [(kept, 1)]
    assert [path for path, _ in care.problems] == [damaged]
    assert damaged.read_bytes() == b"\0" * 4096


@pytest.fixture
def backup_from_before(db_path: Path, clock: FakeClock) -> tuple[Desk, Path]:
    """A backup of a register that lived under the previous version on a SQLite that does not
    zero deleted content: its free space holds old versions of the case rows."""
    db_path.parent.mkdir(parents=True)
    db = open_database(db_path)
    migrations.migrate(db, target=migrations.PRIVACY_VERSION - 1)
    database.execute_sql("PRAGMA secure_delete = 0")
    desk = build_desk(db, db_path, clock)
    stock_catalogue(desk)
    staff = Staff(desk)
    closed_case(desk, staff, clock)
    for number in range(30):
        open_case(desk, staff, clock, f"顾客{number:02d}", f"136000{number:05d}")
    made = backup.make_backup(db_path, datetime(2026, 7, 1, 8, 0))
    database.execute_sql("PRAGMA secure_delete = 1")
    migrations.migrate(db)
    return desk, made


def test_a_backup_from_before_is_rewritten_when_scrubbed_so_no_old_version_remains(
    backup_from_before: tuple[Desk, Path], clock: FakeClock
) -> None:
    desk, made = backup_from_before
    clock.now = LATER
    try:
        desk.privacy.erase_due()
        assert desk.privacy.care_for_backups().scrubbed == [(made, 1)]
    finally:
        close_database()
    assert traces(made, NAME, PHONE) == set()
    with contextlib.closing(sqlite3.connect(made)) as connection:
        assert connection.execute("PRAGMA freelist_count").fetchone() == (0,)
