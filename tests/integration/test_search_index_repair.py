"""A search index damaged inside one of its segments (every page still well-formed, so the
page check passes) is found by FTS5's own check at the day's first opening and built again
from the case rows; until then searches silently missed cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.store.connection import close_database
from desktop_app.store.db_file import page_check
from tests.file_damage import damage_a_segment, index_is_sound

pytestmark = pytest.mark.sqlite_only


def test_a_damaged_search_index_is_built_again_at_the_days_first_opening(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=300, seed=5)
    damage_a_segment(path)
    assert page_check(path) == []  # the pages themselves are sound
    assert not index_is_sound(path)
    later = datetime(2026, 11, 25, 8, 0) + timedelta(days=3)
    opened = open_desk_database(path, later)
    close_database()
    assert opened.backup_made is not None and opened.search_rebuilt
    assert index_is_sound(path)
    again = open_desk_database(path, later + timedelta(hours=1))
    close_database()
    assert not again.search_rebuilt
