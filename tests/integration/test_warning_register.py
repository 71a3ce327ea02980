"""Warnings are register records: a warning or its cases changed, added or deleted behind the
app's back is named by verify, and the triggers that refuse deletes are guarded too."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.warning_rules import WarningAction
from desktop_app.services.database import open_desk_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store import migrations
from desktop_app.store.connection import close_database
from desktop_app.store.migrations import protective_triggers
from tests.builders import Staff, a_draft
from tests.engines import RAW_INTEGRITY_ERRORS
from tests.tampering import raw_sql


@pytest.fixture
def warned(desk: Desk, staff: Staff) -> int:
    """A product warning raised by three complaints, acknowledged by the front-desk manager."""
    for n in range(3):
        desk.cases.register(staff.clerk, a_draft(customer_phone=f"1390000000{n}",
                                                 receipt_no=f"W{n:05d}", purchase_date=""))
    [warning] = desk.warnings.warnings()
    desk.warnings.acknowledge(staff.front_desk, warning.warning_id, WarningAction.SHELF_CHECK,
                              "下架检查")
    assert desk.register.verify().ok
    return warning.warning_id


def found(desk: Desk) -> str:
    report = desk.register.verify()
    assert not report.ok, "verify missed the change"
    return report.message


EDITS = [
    ("closed behind the app", "UPDATE warning SET status = 'closed'", ["预警 #1", "状态"]),
    ("its action changed", "UPDATE warning SET action = 'none'", ["处理措施", "none"]),
    ("its subject renamed", "UPDATE warning SET subject = '别的商品'", ["别的商品"]),
    ("a case moved to another number",
     "DROP TRIGGER warning_case_never_changed; UPDATE warning_case SET ordinal = 9 "
     "WHERE ordinal = 1", ["预警案件", "第几起"]),
]


@pytest.mark.parametrize(("what", "statement", "named"), EDITS, ids=[e[0] for e in EDITS])
def test_a_warning_edited_with_sql_is_named(
    desk: Desk, db_path: Path, warned: int, what: str, statement: str, named: list[str]
) -> None:
    raw_sql(db_path, *statement.split("; "))
    message = found(desk)
    for text in named:
        assert text in message, (what, message)


def test_a_warning_written_behind_the_app_is_found(desk: Desk, db_path: Path, warned: int) -> None:
    raw_sql(db_path, "INSERT INTO warning (rule, subject_key, subject, threshold, window_days, "
        "raised_at) VALUES ('product', 'b:1', 'x', 3, 7, '2026-11-24 10:00:00')")
    assert "不在登记簿中" in found(desk)


def test_a_case_added_to_a_warning_behind_the_app_is_found(
    desk: Desk, staff: Staff, db_path: Path, warned: int
) -> None:
    other = desk.cases.register(staff.clerk, a_draft(product_name="安慕希酸奶", purchase_date="",
                                                     customer_phone="13600000000",
                                                     receipt_no="W99999")).case_id
    raw_sql(db_path, "INSERT INTO warning_case (warning_id, case_id, ordinal, linked_at) "
        f"VALUES ({warned}, {other}, 99, '2026-11-24 10:00:00')")
    assert "预警案件" in found(desk)


@pytest.mark.parametrize(("table", "trigger"), [
    ("warning", "warning_never_deleted"), ("warning_case", "warning_case_never_deleted"),
])
def test_a_deleted_warning_record_is_refused_and_found_behind_a_dropped_trigger(
    desk: Desk, db_path: Path, warned: int, table: str, trigger: str
) -> None:
    with pytest.raises(RAW_INTEGRITY_ERRORS, match="never deleted"):
        raw_sql(db_path, f"DELETE FROM {table}")
    raw_sql(db_path, "PRAGMA foreign_keys = OFF", f"DROP TRIGGER {trigger}", f"DELETE FROM {table}")
    message = found(desk)
    assert trigger in message
    assert "删除" in message


def test_the_cases_of_a_warning_are_never_changed(db_path: Path, warned: int) -> None:
    with pytest.raises(RAW_INTEGRITY_ERRORS, match="never changed"):
        raw_sql(db_path, "UPDATE warning_case SET case_id = 2")


def test_the_warning_triggers_are_among_the_protected_ones() -> None:
    assert {"warning_never_deleted", "warning_case_never_deleted",
            "warning_case_never_changed"} <= set(protective_triggers())


def test_a_case_is_linked_to_a_warning_once(db_path: Path, warned: int) -> None:
    with pytest.raises(RAW_INTEGRITY_ERRORS, match=r"(?i)unique"):
        raw_sql(db_path, "INSERT INTO warning_case (warning_id, case_id, ordinal, linked_at) "
                f"VALUES ({warned}, 1, 99, '2026-11-24 10:00:00')")


LINKS = "SELECT id, warning_id, case_id, ordinal, linked_at FROM warning_case ORDER BY id"


@pytest.mark.sqlite_only
def test_the_links_of_a_register_keyed_by_warning_are_kept_when_rekeyed_by_case(
    desk: Desk, staff: Staff, db_path: Path, warned: int
) -> None:
    """Schema 18 copies warning_case whole to key it (case, warning): every link, its id, the
    guards and a clean verify stay; the (warning, case) index and its page per warning go."""
    desk.cases.register(staff.clerk, a_draft(customer_phone="13900000009",
                                             receipt_no="W00009", purchase_date=""))
    before = raw_rows(db_path, LINKS)
    assert len(before) == 4
    close_database()
    keyed_by_warning = [st for st in migrations.V_WARNINGS if "warning_case" in st]
    raw_sql(db_path, "DROP TABLE warning_case", *keyed_by_warning, *[
        f"INSERT INTO warning_case VALUES ({', '.join(repr(v) for v in row)})" for row in before],
        f"PRAGMA user_version = {migrations.SCHEMA_VERSION - 1}")
    assert raw_rows(db_path, "SELECT name FROM sqlite_master WHERE name = 'warning_case_case'")
    opened = open_desk_database(db_path, desk.clock(), daily_backup=False)
    again = build_desk(opened.db, db_path, desk.clock)
    assert raw_rows(db_path, LINKS) == before
    assert again.register.verify().ok
    indexes = raw_rows(db_path, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                "AND tbl_name = 'warning_case'")
    assert "warning_case_case" not in {name for name, _ in indexes}
    assert {name for name, sql in indexes if sql is None} == {"sqlite_autoindex_warning_case_1"}
    columns = raw_rows(db_path, "SELECT name FROM pragma_index_info("
                                "'sqlite_autoindex_warning_case_1') ORDER BY seqno")
    assert columns == [("case_id",), ("warning_id",)]
    with pytest.raises(RAW_INTEGRITY_ERRORS, match="never deleted"):
        raw_sql(db_path, "DELETE FROM warning_case")


def raw_rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()
