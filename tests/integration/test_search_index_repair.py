"""A search index damaged inside one of its segments (every page still well-formed, so the
page check passes) is found by FTS5's own check, which the desk runs with the day's backup,
and built again from the case rows; until then searches silently missed cases."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.services.case_views import QueueQuery
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import build_desk
from desktop_app.store.connection import close_database
from desktop_app.store.db_file import page_check
from tests.file_damage import damage_a_segment, index_is_sound

pytestmark = pytest.mark.sqlite_only


def test_a_damaged_search_index_is_built_again_by_the_days_check(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=300, seed=5)
    damage_a_segment(path)
    assert page_check(path) == []  # the pages themselves are sound
    assert not index_is_sound(path)
    opened = open_desk_database(path, datetime(2026, 11, 28, 8, 0), daily_backup=False)
    try:
        desk = build_desk(opened.db, path)
        assert desk.cases.repair_search_index()
        assert not desk.cases.repair_search_index()  # sound now: nothing to do
    finally:
        close_database()
    assert index_is_sound(path)


def test_a_case_deleted_from_the_search_index_by_hand_is_found_again(tmp_path: Path) -> None:
    """Found in review: one statement of FTS5's 'delete' command hid a case from every search
    (FTS5's quick check and the page check pass); the day's check compares the number of
    cases the index holds with the case table, and rebuilds it."""
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=300, seed=5)
    raw = sqlite3.connect(path)
    with raw:
        case_no, phone = raw.execute(
            'SELECT case_no, customer_phone FROM "case" WHERE id = 1').fetchone()
        raw.execute("INSERT INTO case_search(case_search, rowid, body) "
                    "SELECT 'delete', id, body FROM case_search_text WHERE id = 1")
    raw.close()
    opened = open_desk_database(path, datetime(2026, 11, 28, 8, 0), daily_backup=False)
    try:
        desk = build_desk(opened.db, path)

        def found(text: str) -> list[str]:
            rows = desk.cases.queue_page(QueueQuery(search=text), date(2026, 11, 28), 0, 50)
            return [row.case_no for row in rows]

        assert found(case_no) == []  # hidden from every search
        assert case_no not in found(phone)
        assert desk.cases.repair_search_index()
        assert found(case_no) == [case_no]
        assert case_no in found(phone)
        assert not desk.cases.repair_search_index()
    finally:
        close_database()
