"""The window opens at once; the page-by-page check reports damage from beside it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.ui.integrity_watch import IntegrityWatch
from tests.integration.test_database_file import corrupt_a_page


def test_damage_is_reported_through_the_signal(qtbot: QtBot, db_path: Path) -> None:
    corrupt_a_page(db_path)
    watch = IntegrityWatch(db_path)
    with qtbot.waitSignal(watch.damaged, timeout=10_000) as reported:
        watch.start()
    assert "数据库文件已损坏" in reported.args[0]


def test_a_sound_file_finishes_quietly(qtbot: QtBot, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "ok.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    watch = IntegrityWatch(path)
    damaged: list[str] = []
    watch.damaged.connect(damaged.append)
    with qtbot.waitSignal(watch.finished, timeout=10_000):
        watch.start()
    assert damaged == []
