"""Durability pragmas, integrity check, daily backups and restore on real files."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.app import main as cli_main
from desktop_app.services.database import DatabaseDamagedError, damage_found, open_desk_database
from desktop_app.store.backup import (
    KEEP_BACKUPS,
    BackupUnusableError,
    backup_daily,
    backup_now,
    list_backups,
    restore_backup,
)
from desktop_app.store.connection import close_database

NOW = datetime(2026, 11, 24, 10, 0, 0)


def pragma(db: object, name: str) -> object:
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # type: ignore[attr-defined]


def test_a_new_database_is_created_with_durable_settings(db_path: Path) -> None:
    opened = open_desk_database(db_path, NOW)
    try:
        assert db_path.exists()
        assert pragma(opened.db, "journal_mode") == "wal"
        assert pragma(opened.db, "synchronous") == 2  # FULL
        assert pragma(opened.db, "foreign_keys") == 1
        assert pragma(opened.db, "busy_timeout") == 5000
    finally:
        close_database()


def test_a_damaged_file_is_refused_with_a_chinese_message(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(DatabaseDamagedError, match="数据库文件已损坏"):
        open_desk_database(db_path, NOW)


def corrupt_a_page(db_path: Path) -> None:
    open_desk_database(db_path, NOW)
    close_database()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA journal_mode=delete")
        connection.execute("CREATE TABLE filler (x TEXT)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(db_path.read_bytes())
    page_size = 4096
    for offset in range(page_size * 3, page_size * 3 + 200):
        data[offset] = 0x55
    db_path.write_bytes(bytes(data))


def test_a_corrupted_page_is_caught_by_the_integrity_check(db_path: Path) -> None:
    corrupt_a_page(db_path)
    with pytest.raises(DatabaseDamagedError):
        open_desk_database(db_path, NOW)


def test_the_background_check_finds_the_same_damage(db_path: Path) -> None:
    corrupt_a_page(db_path)
    error = damage_found(db_path)
    assert error is not None
    assert "数据库文件已损坏" in str(error)


def test_the_background_check_passes_a_sound_file_in_use(db_path: Path) -> None:
    open_desk_database(db_path, NOW, check_pages=False)
    try:
        assert damage_found(db_path) is None
    finally:
        close_database()


def test_one_backup_a_day_is_made_at_start_up(db_path: Path) -> None:
    open_desk_database(db_path, NOW)
    close_database()
    opened = open_desk_database(db_path, NOW + timedelta(hours=1))
    close_database()
    assert opened.backup_made is not None
    reopened = open_desk_database(db_path, NOW + timedelta(hours=2))
    close_database()
    assert reopened.backup_made is None
    next_day = open_desk_database(db_path, NOW + timedelta(days=1))
    close_database()
    assert next_day.backup_made is not None
    assert len(list_backups(db_path)) == 2


def test_only_the_newest_thirty_backups_are_kept(db_path: Path) -> None:
    opened = open_desk_database(db_path, NOW)
    try:
        for day in range(KEEP_BACKUPS + 5):
            backup_daily(opened.db, db_path, NOW + timedelta(days=day))
    finally:
        close_database()
    kept = list_backups(db_path)
    assert len(kept) == KEEP_BACKUPS
    assert kept[0].name.startswith(f"desk-{NOW + timedelta(days=5):%Y%m%d}")


def test_a_backup_restores_the_data_and_keeps_the_replaced_file(db_path: Path) -> None:
    opened = open_desk_database(db_path, NOW)
    opened.db.execute_sql("INSERT INTO setting VALUES ('store_name', '备份前')")
    backup = backup_now(opened.db, db_path, NOW)
    opened.db.execute_sql("UPDATE setting SET value = '备份后' WHERE key = 'store_name'")
    close_database()

    safety = restore_backup(backup, db_path, NOW + timedelta(minutes=1))

    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT value FROM setting").fetchone() == ("备份前",)
    assert safety is not None
    with sqlite3.connect(safety) as connection:
        assert connection.execute("SELECT value FROM setting").fetchone() == ("备份后",)


def test_restoring_from_a_broken_backup_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    open_desk_database(db_path, NOW)
    close_database()
    before = db_path.read_bytes()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all")
    with pytest.raises(BackupUnusableError):
        restore_backup(broken, db_path, NOW)
    assert db_path.read_bytes() == before


def test_the_restore_command_restores_a_listed_backup(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = open_desk_database(db_path, NOW)
    backup = backup_now(opened.db, db_path, NOW)
    close_database()
    assert cli_main(["backups", "--db", str(db_path)]) == 0
    assert str(backup) in capsys.readouterr().out
    assert cli_main(["restore", "--db", str(db_path), "--from", str(backup)]) == 0
    assert "已用" in capsys.readouterr().out
