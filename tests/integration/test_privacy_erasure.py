"""Erasing customers' personal data from the register: past the retention period and on the
customer's request. Afterwards verify passes, search cannot find the person, and no byte of the
name or phone is left in the file, its WAL or the search index."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.register import ERASED
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.desk import Desk, build_desk
from desktop_app.services.privacy import COMMAND_LINE, REQUEST, RETENTION
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import migrations
from desktop_app.store import privacy as privacy_store
from desktop_app.store.connection import close_database, database, open_database
from tests.builders import Staff, a_draft, stock_catalogue
from tests.conftest import FakeClock
from tests.engines import raw_connect
from tests.integration.privacy_scenario import (
    LATER,
    NAME,
    PHONE,
    REGISTERED,
    closed_case,
    found_by_search,
    index_matches_a_rebuilt_one,
    open_case,
    traces,
)


def row_of(db_path: Path, case_id: int) -> tuple[str, str, str]:
    with contextlib.closing(raw_connect(db_path)) as connection:
        found = connection.execute(
            'SELECT customer_name, customer_phone, personal_salt FROM "case" WHERE id = ?',
            (case_id,),
        ).fetchone()
    return str(found[0]), str(found[1]), str(found[2])


def entries_of(db_path: Path, case_id: int) -> list[tuple[str, str, str]]:
    with contextlib.closing(raw_connect(db_path)) as connection:
        return list(connection.execute(
            "SELECT action, payload, personal FROM register_entry "
            "WHERE entity = 'case' AND entity_id = ? ORDER BY seq", (case_id,),
        ))


# --- past the retention period -----------------------------------------------------------------


def test_cases_past_their_period_are_erased_and_the_register_still_verifies(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    gone = closed_case(desk, staff, clock)
    other = closed_case(desk, staff, clock, name="李先生", phone="13600001111")
    clock.now = LATER
    assert [case.case_id for case in desk.privacy.due()] == [gone, other]

    result = desk.privacy.erase_due()

    assert set(result.erased) == {desk.cases.case(gone).case_no, desk.cases.case(other).case_no}
    case = desk.cases.case(gone)
    assert (case.customer_name, case.customer_phone) == (ERASED, ERASED)
    assert row_of(db_path, gone) == (ERASED, ERASED, "")
    report = desk.register.verify()
    assert report.ok, report.findings
    assert desk.privacy.due() == []
    assert desk.privacy.erase_due().erased == ()


def test_the_erasure_is_a_chain_entry_with_the_marker_the_basis_and_the_reason(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    case_id = closed_case(desk, staff, clock)
    clock.now = LATER
    desk.privacy.erase_due()

    entries = entries_of(db_path, case_id)
    action, payload, personal = entries[-1]
    assert action == "erase" and personal == ""
    assert json.loads(payload) == {
        "customer_name": ERASED, "customer_phone": ERASED, "_basis": RETENTION,
        "_reason": "个人信息保护法第十九条、第四十七条:结案后保留期限已过",
    }
    # The plain text kept beside every earlier entry is gone; the chain never held it.
    assert all(personal == "" for _, _, personal in entries)
    assert all(NAME not in payload and PHONE not in payload for _, payload, _ in entries)
    [erased] = desk.privacy.erased()
    assert (erased.case_no, erased.actor, erased.basis) == (
        desk.cases.case(case_id).case_no, "系统", RETENTION
    )
    history = desk.cases.history(case_id)
    assert [line.new_value for line in history if line.field == "customer_name"][-1] == ERASED
    assert NAME not in repr(history) and PHONE not in repr(history)


def test_open_cases_and_cases_within_their_period_keep_their_customer(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    still_open = open_case(desk, staff, clock, "赵女士", "13700002222")
    # A service complaint is kept 24 months, a product complaint 30 (it may be food).
    service = closed_case(desk, staff, clock, name="钱先生", phone="13500003333",
                          moment=datetime(2024, 6, 1, 10, 0), subject=rules.Subject.SERVICE,
                          category=rules.Category.SERVICE_ATTITUDE, product_name="",
                          staff_name="李娜")
    product = closed_case(desk, staff, clock, name="孙女士", phone="13500004444",
                          moment=datetime(2024, 6, 1, 10, 0))
    clock.now = datetime(2026, 6, 1, 9, 0)
    assert [case.case_id for case in desk.privacy.due()] == [service]
    desk.privacy.erase_due()
    assert desk.cases.case(service).customer_name == ERASED
    assert desk.cases.case(product).customer_name == "孙女士"
    assert desk.cases.case(still_open).customer_name == "赵女士"
    clock.now = datetime(2026, 12, 1, 9, 0)
    assert [case.case_id for case in desk.privacy.due()] == [product]


def test_the_period_follows_the_store_setting_and_only_administrators_set_it(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = closed_case(desk, staff, clock, subject=rules.Subject.SERVICE,
                          category=rules.Category.SERVICE_ATTITUDE, product_name="",
                          staff_name="李娜")
    clock.now = datetime(2025, 2, 10, 9, 0)
    assert desk.privacy.due() == []
    with pytest.raises(PermissionDeniedError):
        desk.privacy.update_policy(staff.deputy, 13, 12)
    with pytest.raises(ValidationError):
        desk.privacy.update_policy(staff.boss, 12, 12)
    desk.privacy.update_policy(staff.boss, 13, 12)
    assert [case.case_id for case in desk.privacy.due()] == [case_id]
    assert desk.register.verify().ok


# --- on the customer's request -----------------------------------------------------------------


def test_a_manager_erases_every_closed_case_of_the_customer_on_request(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    first = closed_case(desk, staff, clock)
    second = closed_case(desk, staff, clock, moment=datetime(2024, 3, 1, 10, 0))
    still_open = open_case(desk, staff, clock, NAME, PHONE, moment=datetime(2024, 4, 1, 10, 0))
    stranger = closed_case(desk, staff, clock, name="李先生", phone="13600001111")
    clock.now = datetime(2024, 5, 1, 9, 0)

    preview = desk.privacy.request_preview(second)
    assert [case_id for case_id, _ in preview.closed] == [first, second]
    assert preview.still_open == (desk.cases.case(still_open).case_no,)
    with pytest.raises(PermissionDeniedError):
        desk.privacy.erase_on_request(staff.clerk, second, "顾客申请")
    with pytest.raises(ValidationError):
        desk.privacy.erase_on_request(staff.front_desk, second, "  ")

    result = desk.privacy.erase_on_request(staff.front_desk, second, "顾客书面申请 2024-007")

    assert len(result.erased) == 2
    assert "尚未结案" in result.not_erased[0]
    assert desk.cases.case(first).customer_phone == ERASED
    assert desk.cases.case(still_open).customer_phone == PHONE
    assert desk.cases.case(stranger).customer_name == "李先生"
    assert desk.register.verify().ok
    [erased, _] = desk.privacy.erased()
    assert (erased.actor, erased.basis) == ("赵经理", REQUEST)
    assert erased.reason == "顾客书面申请 2024-007"


def test_a_request_by_phone_from_the_command_line_and_its_refusals(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = closed_case(desk, staff, clock)
    with pytest.raises(ValidationError):
        desk.privacy.erase_phone(COMMAND_LINE, "123", "申请")
    with pytest.raises(NotFoundError):
        desk.privacy.erase_phone(COMMAND_LINE, "13000000000", "申请")
    result = desk.privacy.erase_phone(COMMAND_LINE, "139-8765-4321", "书面申请")
    assert result.erased == (desk.cases.case(case_id).case_no,)
    with pytest.raises(NotFoundError):
        desk.privacy.erase_phone(COMMAND_LINE, PHONE, "书面申请")
    assert desk.privacy.erased()[0].actor == "命令行"


def test_free_text_that_names_the_customer_is_reported_not_silently_kept(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = closed_case(desk, staff, clock, account=f"请回电 {PHONE},牛奶有异味")
    clock.now = LATER
    result = desk.privacy.erase_due()
    assert result.free_text == (desk.cases.case(case_id).case_no,)
    assert "未被删除" in result.lines()[-1]


def test_an_erased_case_cannot_be_corrected_back_into_holding_a_person(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    case_id = closed_case(desk, staff, clock)
    clock.now = LATER
    desk.privacy.erase_due()
    draft = a_draft(customer_name=NAME, customer_phone=PHONE, received_at=REGISTERED,
                    receipt_no="", amount_paid="", purchase_date="2024-01-09")
    with pytest.raises(ConflictError):
        desk.cases.correct(staff.boss, case_id, draft, "补录")


# --- no copy left behind ------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_search_no_longer_finds_the_person_and_the_index_keeps_nothing_of_them(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path, tmp_path: Path
) -> None:
    gone = closed_case(desk, staff, clock)
    kept = open_case(desk, staff, clock, "李先生", "13600001111")
    for text in (NAME, "娜娜", "欧阳", PHONE, "4321", "98765"):
        assert gone in found_by_search(desk, staff, text), text
    clock.now = LATER

    desk.privacy.erase_due()

    for text in (NAME, "娜娜", "欧阳", PHONE, "4321", "98765"):
        assert found_by_search(desk, staff, text) == [], text
    assert found_by_search(desk, staff, "李先生") == [kept]
    assert gone in found_by_search(desk, staff, "已删除")
    assert index_matches_a_rebuilt_one(db_path, tmp_path)


@pytest.mark.sqlite_only
def test_an_index_left_unmerged_would_still_hold_the_erased_terms(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check above can fail: without the merge the old segments keep the person's terms
    (search hides them, the file still has them)."""
    closed_case(desk, staff, clock)
    open_case(desk, staff, clock, "李先生", "13600001111")
    clock.now = LATER
    monkeypatch.setattr(type(desk.privacy), "forget_traces", lambda _self: True)
    desk.privacy.erase_due()
    assert found_by_search(desk, staff, NAME) == []
    assert not index_matches_a_rebuilt_one(db_path, tmp_path)


@pytest.mark.sqlite_only
def test_no_byte_of_the_name_or_phone_is_left_in_the_file_or_its_wal(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    case_id = closed_case(desk, staff, clock)
    # The case's life rewrites its row many times; every old version must be gone too.
    desk.cases.record_step(staff.clerk, case_id, rules.Step.VOID, StepAnswer(text="重复登记"))
    closed_case(desk, staff, clock, name="李先生", phone="13600001111")
    clock.now = LATER
    with UnitOfWork(desk.db):
        assert privacy_store.secure_delete()
    assert traces(db_path, NAME, PHONE) == {NAME, PHONE}

    desk.privacy.erase_due()

    assert traces(db_path, NAME, PHONE) == set()
    close_database()
    assert traces(db_path, NAME, PHONE) == set()


@pytest.fixture
def register_from_before(db_path: Path, clock: FakeClock) -> tuple[Desk, Staff, int]:
    """A register that lived under the previous version on a SQLite that does not zero what it
    deletes (Python's on Windows): free space keeps earlier versions of its case rows."""
    db_path.parent.mkdir(parents=True)
    db = open_database(db_path)
    migrations.migrate(db, target=migrations.PRIVACY_VERSION - 1)
    database.execute_sql("PRAGMA secure_delete = 0")
    desk = build_desk(db, db_path, clock)
    stock_catalogue(desk)
    staff = Staff(desk)
    case_id = closed_case(desk, staff, clock)
    for number in range(30):
        open_case(desk, staff, clock, f"顾客{number:02d}", f"136000{number:05d}")
    database.execute_sql("PRAGMA secure_delete = 1")
    migrations.migrate(db)
    return desk, staff, case_id


def test_a_register_from_before_is_rewritten_once_so_no_old_row_version_remains(
    register_from_before: tuple[Desk, Staff, int], clock: FakeClock, db_path: Path
) -> None:
    desk, _staff, _case_id = register_from_before
    clock.now = LATER
    try:
        assert desk.privacy.free_space_cleanup_due()
        desk.privacy.erase_due()
        # Erasing the row alone is not enough here: older versions lie in free space.
        assert traces(db_path, NAME, PHONE) == {NAME, PHONE}
        desk.privacy.daily_job()
        assert not desk.privacy.free_space_cleanup_due()
        assert traces(db_path, NAME, PHONE) == set()
        assert desk.register.verify().ok
    finally:
        close_database()
    assert traces(db_path, NAME, PHONE) == set()


def test_a_new_register_never_needs_the_clean_up(desk: Desk, staff: Staff) -> None:
    assert not desk.privacy.free_space_cleanup_due()
    assert not desk.privacy.clean_free_space()


# --- who printed or exported personal data ------------------------------------------------------


def test_printing_the_sheet_and_exporting_reports_are_recorded_in_the_register(
    desk: Desk, staff: Staff, clock: FakeClock, db_path: Path
) -> None:
    case_id = closed_case(desk, staff, clock)
    clock.now = datetime(2024, 1, 11, 9, 30)
    desk.privacy.record_print(staff.clerk, case_id, "顾客接待登记表", "顾客接待登记表-X.pdf")
    desk.privacy.record_export(staff.boss, "月度报表 2024年1月", [Path("/tmp/a.pdf")])

    with contextlib.closing(raw_connect(db_path)) as connection:
        rows = list(connection.execute(
            "SELECT at, actor, entity, action, payload FROM register_entry "
            "WHERE action IN ('printed', 'exported') ORDER BY seq"
        ))
    assert [(at, actor, entity, action) for at, actor, entity, action, _ in rows] == [
        ("2024-01-11 09:30:00", "刘洋", "case", "printed"),
        ("2024-01-11 09:30:00", "王店长", "setting", "exported"),
    ]
    assert json.loads(rows[1][4])["_files"] == ["a.pdf"]
    printed = [line for line in desk.cases.history(case_id) if line.action == "printed"]
    assert {line.new_value for line in printed} == {"顾客接待登记表", "顾客接待登记表-X.pdf"}
    assert desk.register.verify().ok


# --- the schema ----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_daily_question_is_answered_from_its_index(desk: Desk, staff: Staff) -> None:
    with UnitOfWork(desk.db):
        plan = " ".join(
            str(row[-1]) for row in database.execute_sql(
                'EXPLAIN QUERY PLAN SELECT id FROM "case" '
                "WHERE personal_salt <> '' AND closed_at IS NOT NULL AND closed_at < ?",
                ("2026-01-01",),
            )
        )
        erasures = " ".join(
            str(row[-1]) for row in database.execute_sql(
                "EXPLAIN QUERY PLAN SELECT seq FROM register_entry WHERE action = 'erase' "
                "ORDER BY seq"
            )
        )
    assert "case_personal_closed" in plan
    assert "register_entry_erasures" in erasures


def test_only_a_file_that_held_cases_before_is_marked_for_the_clean_up(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Path
) -> None:
    assert not desk.privacy.free_space_cleanup_due()
    closed_case(desk, staff, clock)
    with UnitOfWork(desk.db) as uow:
        database.execute_sql("DROP TABLE privacy_upkeep")
        for statement in migrations.V_PRIVACY:
            if not statement.startswith("CREATE INDEX"):
                database.execute_sql(statement)
        uow.commit()
    assert desk.privacy.free_space_cleanup_due()
    assert desk.privacy.clean_free_space()
    assert not desk.privacy.free_space_cleanup_due()
