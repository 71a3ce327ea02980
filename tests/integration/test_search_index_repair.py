"""A search index damaged inside one of its segments (every page still well-formed, so the
page check passes) is found by FTS5's own check, which the desk runs with the day's backup,
and built again from the case rows; until then searches silently missed cases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

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
