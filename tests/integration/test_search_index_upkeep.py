"""The search index over time: brought to an existing register by its migration, rebuilt once
after a bulk load (also one cut short by a crash), and merged outside the saves."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.services.cases import QueueQuery
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store import migrations, search_index
from desktop_app.store.connection import close_database, database
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock
from tests.integration.search_index_check import assert_index_matches_cases

# The FTS5 index's own upkeep (segments, merges); PostgreSQL keeps its GIN index itself.
pytestmark = pytest.mark.sqlite_only

NOW = datetime(2026, 11, 24, 10, 0, 0)


def version_adding_substring_search() -> int:
    """The schema version the substring-search migration brings a file to, wherever the list
    of migrations puts it."""
    db = SqliteDatabase(":memory:")
    db.connect()
    try:
        for version, step in enumerate(migrations.MIGRATIONS, start=1):
            step(db)
            sql = "SELECT 1 FROM sqlite_master WHERE name = 'case_search_text'"
            if db.execute_sql(sql).fetchone() is not None:
                return version
    finally:
        db.close()
    raise AssertionError("no migration adds the substring search")


OLD_CASE = (
    'INSERT INTO "case" (case_no, received_at, channel, clerk_id, customer_name, customer_phone,'
    " subject, receipt_no, product_name, account, demand, category, kind, status, updated_at)"
    " VALUES (?, '2026-10-01 09:00:00', 'at_desk', 1, ?, ?, 'product', ?, ?, ?, 'refund',"
    " 'product_quality', 'complaint', 'registered', '2026-10-01 09:00:00')"
)


def test_a_register_from_the_previous_version_is_indexed_by_the_migration(
    db_path: Path, clock: FakeClock
) -> None:
    previous = version_adding_substring_search() - 1
    db_path.parent.mkdir(parents=True)
    old = SqliteDatabase(str(db_path), pragmas={"foreign_keys": 1})
    old.connect()
    migrations.migrate(old, target=previous)
    old.execute_sql(
        'INSERT INTO "user" (username, display_name, role, password_hash, created_at) '
        "VALUES ('old', '老账户', 'clerk', 'x', '2025-01-01 08:00:00')"
    )
    old.execute_sql(OLD_CASE, ("TS-202610-0001", "王美丽", "13911112222", "20261001123456",
                               "纯牛奶", "打开发现已经变质"))
    old.execute_sql(OLD_CASE, ("TS-202610-0002", "张先生", "13655556666", "", "香蕉",
                               "收银员态度生硬"))
    # The previous version's index answered only three or more characters.
    assert old.execute_sql(
        "SELECT count(*) FROM case_search WHERE case_search MATCH '\"美丽\"'"
    ).fetchone()[0] == 0
    old.close()

    opened = open_desk_database(db_path, NOW)
    try:
        desk = build_desk(opened.db, db_path, clock)
        today = NOW.date()

        def found(text: str) -> list[str]:
            rows = desk.cases.queue_page(QueueQuery(search=text), today, 0, 50)
            return [row.case_no for row in rows]

        assert found("美丽") == ["TS-202610-0001"]
        assert found("先生") == ["TS-202610-0002"]
        assert found("3456") == ["TS-202610-0001"]
        assert found("变质") == ["TS-202610-0001"]
        assert_index_matches_cases()
        assert search_index.segment_count() == 1
    finally:
        close_database()


def test_saves_never_merge_and_idle_steps_bring_the_segments_back_down(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    start = search_index.segment_count()
    for _ in range(12):
        clock.now += timedelta(minutes=1)
        desk.cases.register(staff.clerk, a_draft(received_at=clock.now, customer_name="王美丽"))
    # Every save added a segment of its own and merged nothing.
    assert search_index.segment_count() == start + 12
    steps = 0
    while desk.cases.tidy_search_index():
        steps += 1
        assert steps < 100, "merging never ends"
    assert search_index.segment_count() < 4
    assert len(desk.cases.queue_page(QueueQuery(search="美丽"), NOW.date(), 0, 100)) == 12
    assert_index_matches_cases()


def test_a_crisis_merge_still_bounds_the_segments_of_an_app_never_idle(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    for _ in range(140):
        clock.now += timedelta(minutes=1)
        desk.cases.register(staff.clerk, a_draft(received_at=clock.now))
    assert search_index.segment_count() <= 3 * 16


def test_closing_the_database_finishes_the_merging(
    db_path: Path, clock: FakeClock
) -> None:
    opened = open_desk_database(db_path, NOW)
    desk = build_desk(opened.db, db_path, clock)
    staff = Staff(desk)
    for _ in range(20):
        desk.cases.register(staff.clerk, a_draft())
    close_database()
    open_desk_database(db_path, NOW)
    try:
        assert search_index.segment_count() < 4
        with database.atomic():
            assert not search_index.merge_step()
    finally:
        close_database()


def test_a_bulk_load_is_indexed_once_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "bulk.sqlite3"
    fill_demo_database(path, cases=300, seed=4, step_by_step_limit=0)
    open_desk_database(path, NOW, daily_backup=False)
    try:
        assert_index_matches_cases()
        assert search_index.segment_count() == 1
        sql = "SELECT count(*) FROM sqlite_master WHERE name = 'case_search_insert'"
        assert database.execute_sql(sql).fetchone()[0] == 1
        # The planner's statistics were gathered after the load, not before it.
        rows = database.execute_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'case'")
        assert any(int(stat.split()[0]) >= 300 for (stat,) in rows.fetchall())
    finally:
        close_database()


def test_rows_written_while_indexing_is_suspended_are_indexed_even_after_an_error(
    desk: Desk, staff: Staff
) -> None:
    with pytest.raises(RuntimeError), search_index.suspended_indexing():
        desk.cases.register(staff.clerk, a_draft(customer_name="欧阳美丽"))
        raise RuntimeError("the loader failed half way")
    rows = desk.cases.queue_page(QueueQuery(search="阳美"), NOW.date(), 0, 10)
    assert [row.customer_name for row in rows] == ["欧阳美丽"]
    assert_index_matches_cases()


def test_a_bulk_load_cut_short_by_a_crash_is_indexed_at_the_next_start(
    db_path: Path, clock: FakeClock
) -> None:
    opened = open_desk_database(db_path, NOW)
    desk = build_desk(opened.db, db_path, clock)
    staff = Staff(desk)
    desk.cases.register(staff.clerk, a_draft(customer_name="王美丽"))
    # What a process killed inside ``suspended_indexing`` leaves on disk: no insert trigger,
    # cases that were never indexed.
    database.execute_sql(f"DROP TRIGGER {search_index.INSERT_TRIGGER}")
    desk.cases.register(staff.clerk, a_draft(customer_name="司马先生"))
    close_database()

    reopened = open_desk_database(db_path, NOW)
    try:
        desk = build_desk(reopened.db, db_path, clock)
        rows = desk.cases.queue_page(QueueQuery(search="马先"), NOW.date(), 0, 10)
        assert [row.customer_name for row in rows] == ["司马先生"]
        assert_index_matches_cases()
        desk.cases.register(staff.clerk, a_draft(customer_name="诸葛先生"))
        assert_index_matches_cases()
    finally:
        close_database()
