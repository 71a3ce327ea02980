"""The day's check of the search index, with the day's backup: a damaged index is built again
and the desk is told so in the status bar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.domain.roles import Role
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import build_desk
from desktop_app.store.connection import close_database
from desktop_app.ui import controller as controller_module
from tests.file_damage import damage_a_segment, index_is_sound

pytestmark = pytest.mark.sqlite_only


def test_a_damaged_search_index_is_rebuilt_and_the_desk_is_told(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=300, seed=5)
    damage_a_segment(path)
    opened = open_desk_database(path, datetime(2026, 11, 28, 8, 0), daily_backup=False,
                                check_pages=False)
    try:
        desk = build_desk(opened.db, path)
        session = controller_module.SessionController(desk)
        clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)
        window = session.open_window(clerk)
        qtbot.addWidget(window)
        controller_module._check_search_index(session)
        assert "搜索索引曾损坏" in window.statusBar().currentMessage()
        controller_module._check_search_index(session)  # sound now: nothing to say
    finally:
        close_database()
    assert index_is_sound(path)
