"""Each register belongs to a store: the code from the PC's settings file is given to a database
without one, printed beside the store's name, refused for another store's database, guarded by
the register like every setting; head office reads several stores, one line each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.report_figures import Month
from desktop_app.services.desk import Desk
from desktop_app.store.connection import close_database
from tests.builders import Staff, a_refund, a_worked_case, stock_catalogue
from tests.conftest import FakeClock
from tests.engines import raw_connect

ROOT = Path(__file__).resolve().parents[2]


def test_the_configured_code_is_given_once_and_printed_with_the_name(
    desk: Desk, staff: Staff
) -> None:
    assert desk.settings.store_label() == "测试店"
    desk.settings.claim_store_code("0101")
    assert desk.settings.store_code() == "0101"
    desk.settings.claim_store_code("0101")  # the same PC again: nothing to do
    desk.settings.claim_store_code("")  # a PC without a code reads any store
    assert desk.settings.store_label() == "测试店(门店编号 0101)"
    assert desk.reports.figures(Month(2026, 11)).store_name == "测试店(门店编号 0101)"
    assert desk.register.verify().ok


def test_another_stores_database_is_refused(desk: Desk, staff: Staff) -> None:
    desk.settings.claim_store_code("0101")
    with pytest.raises(ConflictError, match="属于门店 0101"):
        desk.settings.claim_store_code("0102")
    with pytest.raises(ValidationError):
        desk.settings.claim_store_code("门店")
    assert desk.settings.store_code() == "0101"


def test_a_code_changed_behind_the_app_is_named(
    desk: Desk, staff: Staff, db_path: Path
) -> None:
    desk.settings.claim_store_code("0101")
    with raw_connect(db_path) as raw:
        raw.execute("UPDATE setting SET value = '0102' WHERE key = 'store_code'")
    raw.close()
    report = desk.register.verify()
    assert not report.ok and "门店设置" in report.message


def a_store(path: Path, clock: FakeClock, name: str, code: str, refunds: int) -> None:
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk

    opened = open_desk_database(path, clock())
    desk = build_desk(opened.db, path, clock)
    stock_catalogue(desk)
    staff = Staff(desk)
    desk.settings.update(staff.boss, name, 15)
    desk.settings.claim_store_code(code)
    for index in range(refunds):
        receipt = f"A20261124-{index:04d}"
        case_id = a_worked_case(desk, staff, receipt_no=receipt, amount_paid="100.00")
        refund = desk.refunds.request(staff.clerk, case_id, a_refund("30.00", receipt_no=receipt))
        desk.refunds.sign_as(staff.front_desk, refund, True, "同意")
    close_database()


def test_head_office_reads_several_stores_one_line_each(
    tmp_path: Path, clock: FakeClock
) -> None:
    first, second = tmp_path / "a" / "desk.sqlite3", tmp_path / "b" / "desk.sqlite3"
    a_store(first, clock, "人民路店", "0101", refunds=2)
    a_store(second, clock, "解放路店", "0102", refunds=1)
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "stores", "--month", "2026-11",
         "--db", str(first), "--db", str(second)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = [line.split("\t") for line in done.stdout.splitlines()[2:]]
    assert [line[:3] for line in lines] == [
        ["0101", "人民路店", "2"], ["0102", "解放路店", "1"], ["合计", "2 个门店", "3"],
    ]
    assert [line[5:7] for line in lines] == [["2", "60.00"], ["1", "30.00"], ["3", "90.00"]]
    missing = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "stores", "--month", "2026-11",
         "--db", str(first), "--db", str(tmp_path / "none.sqlite3")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert missing.returncode == 2 and "没有找到数据库" in missing.stderr
