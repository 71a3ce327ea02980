"""Opening the desk's database at start-up: integrity, daily backup, migrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DeskError
from desktop_app.store import backup, migrations, search_index
from desktop_app.store.connection import (
    DamagedDatabaseError,
    check_file_integrity,
    check_integrity,
    close_database,
    open_database,
)

DAMAGED_MESSAGE = (
    "数据库文件已损坏,无法安全打开:\n{path}\n\n"
    "请不要继续使用该文件。可以用最近的备份恢复(备份文件夹:{backups}),"
    "恢复方法见说明书「备份与恢复」一节,或联系系统管理员。"
)


class DatabaseDamagedError(DeskError):
    """The database failed SQLite's integrity check."""


@dataclass(frozen=True)
class OpenedDatabase:
    db: Any
    path: Path
    migrated_to: list[int]
    backup_made: Path | None

    @property
    def backup_dir(self) -> Path:
        return backup.backup_dir_for(self.path)


def open_desk_database(
    path: Path, now: datetime, daily_backup: bool = True, check_pages: bool = True
) -> OpenedDatabase:
    """Open ``path`` (creating it on first run), refuse a damaged file, back up, migrate.

    ``check_pages=False`` leaves the page-by-page check to ``check_in_background``: it reads the
    whole file (seconds on a large register), and the window should not wait for it."""
    try:
        db = open_database(path)
    except DamagedDatabaseError as error:
        raise _damaged(path) from error
    problems = check_integrity(db) if check_pages else []
    if problems:
        close_database()
        raise _damaged(path)
    try:
        made = backup.backup_daily(db, path, now) if daily_backup and _has_data(db) else None
        applied = migrations.migrate(
            db, backup=lambda reason: backup.backup_now(db, path, now, reason)
        )
    except migrations.NewerSchemaError as error:
        close_database()
        raise DeskError(str(error)) from error
    # A bulk load cut short by a crash left cases unindexed: index them before anyone searches.
    search_index.ensure_complete()
    return OpenedDatabase(db=db, path=path, migrated_to=applied, backup_made=made)


def damage_found(path: Path) -> DatabaseDamagedError | None:
    """The page-by-page check on its own connection; call it from a worker thread."""
    return _damaged(path) if check_file_integrity(path) else None


def _has_data(db: Any) -> bool:
    return migrations.has_user_data(db)


def _damaged(path: Path) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        DAMAGED_MESSAGE.format(path=path, backups=backup.backup_dir_for(path))
    )
