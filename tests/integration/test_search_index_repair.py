"""A search index damaged inside one of its segments (every page still well-formed, so the
page check passes) is found by FTS5's own check at the day's first opening and built again
from the case rows; until then searches silently missed cases."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.store.connection import close_database
from desktop_app.store.db_file import page_check

pytestmark = pytest.mark.sqlite_only


def damage_a_segment(path: Path) -> None:
    """Zero 300 bytes in the middle of the search index's largest segment, in the file."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (blob,) = raw.execute(
            "SELECT block FROM case_search_data ORDER BY length(block) DESC LIMIT 1"
        ).fetchone()
    raw.close()
    data = bytearray(path.read_bytes())
    piece = blob[len(blob) // 2:len(blob) // 2 + 48]
    at = data.find(piece)
    assert at > 0 and data.find(piece, at + 1) < 0, "the piece must be in the file once"
    data[at:at + 300] = bytes(300)
    path.write_bytes(bytes(data))


def index_is_sound(path: Path) -> bool:
    with sqlite3.connect(path) as raw:
        try:
            raw.execute("INSERT INTO case_search(case_search) VALUES ('integrity-check')")
        except sqlite3.DatabaseError:
            return False
    raw.close()
    return True


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
