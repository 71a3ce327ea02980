"""Schema migrations on a real SQLite file: from empty, and from every earlier version."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.domain.errors import DeskError
from desktop_app.services.database import open_desk_database
from desktop_app.store import migrations
from desktop_app.store.backup import list_backups
from desktop_app.store.connection import close_database
from desktop_app.store.records import ALL_RECORDS

NOW = datetime(2026, 11, 24, 10, 0, 0)


@pytest.fixture
def raw_db(db_path: Path) -> Iterator[SqliteDatabase]:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path), pragmas={"foreign_keys": 1})
    db.connect()
    yield db
    db.close()


def columns(db: SqliteDatabase, table: str) -> set[str]:
    return {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}


def test_an_empty_file_is_migrated_to_the_current_version(raw_db: SqliteDatabase) -> None:
    applied = migrations.migrate(raw_db)
    assert applied == list(range(1, migrations.SCHEMA_VERSION + 1))
    assert migrations.schema_version(raw_db) == migrations.SCHEMA_VERSION


def test_every_record_matches_the_migrated_tables(raw_db: SqliteDatabase) -> None:
    migrations.migrate(raw_db)
    for record in ALL_RECORDS:
        table = record._meta.table_name
        expected = {field.column_name for field in record._meta.sorted_fields}
        assert columns(raw_db, table) == expected, table


def test_migrating_twice_changes_nothing(raw_db: SqliteDatabase) -> None:
    migrations.migrate(raw_db)
    assert migrations.migrate(raw_db) == []


@pytest.mark.parametrize("start", range(1, migrations.SCHEMA_VERSION + 1))
def test_a_database_of_every_earlier_version_keeps_its_rows(db_path: Path, start: int) -> None:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path))
    db.connect()
    migrations.migrate(db, target=start)
    db.execute_sql(
        'INSERT INTO "user" (username, display_name, role, password_hash, created_at) '
        "VALUES ('old', '老账户', 'clerk', 'x', '2025-01-01 08:00:00')"
    )
    db.close()

    opened = open_desk_database(db_path, NOW)
    try:
        assert migrations.schema_version(opened.db) == migrations.SCHEMA_VERSION
        rows = opened.db.execute_sql('SELECT display_name FROM "user"').fetchall()
        assert rows == [("老账户",)]
        if start < migrations.SCHEMA_VERSION:
            assert any("before-v" in path.name for path in list_backups(db_path))
    finally:
        close_database()


def test_a_database_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as connection:
        connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    with pytest.raises(DeskError, match="新版程序"):
        open_desk_database(db_path, NOW)
    with sqlite3.connect(db_path) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    assert version == migrations.SCHEMA_VERSION + 1


def test_accounts_can_never_be_deleted(raw_db: SqliteDatabase) -> None:
    migrations.migrate(raw_db)
    raw_db.execute_sql(
        'INSERT INTO "user" (username, display_name, role, password_hash, created_at) '
        "VALUES ('a', '甲', 'clerk', 'x', '2026-01-01 08:00:00')"
    )
    with pytest.raises(Exception, match="never deleted"):
        raw_db.execute_sql('DELETE FROM "user"')
