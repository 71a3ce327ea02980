"""``main.py privacy`` as a store runs it: what is due and what was erased, the scheduled
erasure, one customer's written request; exit 2 with a Chinese message when it cannot."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.services.database_file import IN_USE_MESSAGE, take_lock
from desktop_app.store import backup
from desktop_app.store.connection import close_database
from tests.builders import Staff, stock_catalogue
from tests.conftest import FakeClock
from tests.integration.privacy_scenario import NAME, PHONE, closed_case, open_case, traces

ROOT = Path(__file__).resolve().parents[2]
# Long enough ago that the cases are past their period whatever today's date is.
LONG_AGO = datetime(2015, 3, 2, 10, 0)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "privacy", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )


@pytest.fixture
def register(db_path: Path, clock: FakeClock) -> Path:
    """Two closed cases of long ago (one of them NAME's), one open case of NAME, one recent
    closed case; a backup of all of it. The database is closed, as when the app is."""
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk

    opened = open_desk_database(db_path, clock())
    desk = build_desk(opened.db, db_path, clock)
    stock_catalogue(desk)
    staff = Staff(desk)
    closed_case(desk, staff, clock, moment=LONG_AGO)
    closed_case(desk, staff, clock, name="李先生", phone="13600001111", moment=LONG_AGO)
    open_case(desk, staff, clock, NAME, PHONE, moment=datetime(2015, 4, 1, 10, 0))
    closed_case(desk, staff, clock, name="赵女士", phone="13700002222",
                moment=datetime.now().replace(microsecond=0))
    backup.make_backup(db_path, datetime.now())
    close_database()
    return db_path


def case_names(db_path: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        return list(connection.execute(
            'SELECT customer_name, customer_phone FROM "case" ORDER BY id'
        ))


def test_the_listing_names_what_is_due_and_then_what_was_erased(register: Path) -> None:
    listed = run("--db", str(register))
    assert listed.returncode == 0, listed.stderr
    assert "到期待删除:2 个案件" in listed.stdout
    assert "TS-201503-0001" in listed.stdout and "TS-201503-0002" in listed.stdout
    assert NAME not in listed.stdout and PHONE not in listed.stdout

    erased = run("--db", str(register), "--erase-due")
    assert erased.returncode == 0, erased.stderr
    assert "已删除 2 个案件的顾客姓名和电话" in erased.stdout
    assert "已清除备份" in erased.stdout
    assert case_names(register)[:2] == [("(已删除)", "(已删除)"), ("(已删除)", "(已删除)")]
    assert case_names(register)[3] == ("赵女士", "13700002222")

    listed = run("--db", str(register))
    assert "到期待删除:0 个案件" in listed.stdout
    assert "已删除:2 个案件" in listed.stdout and "保留期限已过" in listed.stdout
    [kept] = backup.list_backups(register)
    assert traces(kept, "李先生", "13600001111") == set()


def test_a_written_request_erases_the_customers_closed_cases_and_names_the_open_one(
    register: Path,
) -> None:
    result = run("--db", str(register), "--erase-phone", PHONE, "--reason", "书面申请 2026-015")
    assert result.returncode == 2
    assert "已删除 1 个案件" in result.stdout
    assert "尚未结案" in result.stdout and "TS-201504-0001" in result.stdout
    names = case_names(register)
    assert names[0] == ("(已删除)", "(已删除)")
    assert names[1] == ("李先生", "13600001111")
    assert names[2] == (NAME, PHONE)
    verified = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(register)],
        capture_output=True, text=True, check=False,
    )
    assert verified.returncode == 0, verified.stdout


def test_what_cannot_be_done_exits_2_with_a_chinese_message(register: Path, tmp_path: Path) -> None:
    missing = run("--db", str(tmp_path / "none.sqlite3"))
    assert (missing.returncode, "没有找到数据库" in missing.stderr) == (2, True)
    no_reason = run("--db", str(register), "--erase-phone", PHONE)
    assert (no_reason.returncode, "--reason" in no_reason.stderr) == (2, True)
    bad_phone = run("--db", str(register), "--erase-phone", "12", "--reason", "申请")
    assert (bad_phone.returncode, "电话号码不对" in bad_phone.stderr) == (2, True)
    unknown = run("--db", str(register), "--erase-phone", "13000000000", "--reason", "申请")
    assert (unknown.returncode, "没有电话为" in unknown.stderr) == (2, True)
    with take_lock(register, IN_USE_MESSAGE):
        busy = run("--db", str(register), "--erase-due")
    assert (busy.returncode, "请先退出程序" in busy.stderr) == (2, True)
    assert case_names(register)[0] == (NAME, PHONE)
