"""Opening the desk's database with peewee: refuse what is not sound, back up, migrate.

The file-level checks (lock, damage kinds, read-only, missing folder) are in
``services.database_file``; the app runs them before this module is even imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DeskError
from desktop_app.services import anchors
from desktop_app.services.database_file import damaged
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import backup, migrations, search_index
from desktop_app.store import register as register_store
from desktop_app.store.connection import (
    DamagedDatabaseError,
    DiskFullError,
    check_integrity,
    close_database,
    open_database,
    open_server_database,
)
from desktop_app.store.db_file import (
    NEARLY_FULL_BYTES,
    WHAT_IS_WRONG,
    FileKind,
    free_bytes,
    inspect_file,
)
from desktop_app.store.engine import describe_url


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
    path: Path,
    now: datetime,
    daily_backup: bool = True,
    check_pages: bool = True,
    create_folder: bool = True,
) -> OpenedDatabase:
    """Open ``path`` (creating it when missing), refuse a damaged file, back up, migrate.

    A zero-byte or non-SQLite file is refused, never taken for a new register.
    ``check_pages=False`` leaves the page-by-page check to the caller (before login, or beside
    the window); the daily backup is then left to the caller too, because a backup is only
    made of a file known to be sound."""
    kind = inspect_file(path)
    if kind not in (FileKind.MISSING, FileKind.SQLITE):
        raise damaged(path, WHAT_IS_WRONG[kind])
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = open_database(path)
    except DamagedDatabaseError as error:
        raise not_opened(path, f"SQLite 报告:{error}") from error
    problems = check_integrity(db) if check_pages else []
    if problems:
        close_database()
        raise damaged(path, f"SQLite 报告:{problems[0]}")
    try:
        made = _daily_backup(db, path, now) if daily_backup and check_pages else None
        applied = migrations.migrate(
            db, backup=lambda reason: _checked_backup(path, now, reason)
        )
    except migrations.NewerSchemaError as error:
        close_database()
        raise DeskError(str(error)) from error
    except migrations.MigrationFailedError as error:
        close_database()
        raise migration_failed(path, error) from error
    # A bulk load cut short by a crash left cases unindexed: index them before anyone searches.
    search_index.ensure_complete()
    if daily_backup:
        _record_daily_anchor(db, path, now)
    return OpenedDatabase(db=db, path=path, migrated_to=applied, backup_made=made)


DISK_FULL_AT_START = (
    "磁盘空间已满(剩余 {free} KB),程序无法打开数据库:\n{path}\n\n"
    "数据库文件没有被改动,不需要从备份恢复。请先清理这个磁盘(删除不需要的文件、清空回收站),"
    "再重新启动本程序。"
)


def not_opened(path: Path, detail: str) -> DeskError:
    """Why SQLite could not open ``path``: a full disk (SQLite cannot write its log beside the
    file and says "disk I/O error"; found: it was reported as damage, with restoring from a
    backup as the advice), otherwise damage."""
    free = free_bytes(path.parent)
    if free is not None and free < NEARLY_FULL_BYTES:
        return DiskFullError(DISK_FULL_AT_START.format(free=free // 1024, path=path))
    return damaged(path, detail)


MIGRATION_FAILED = (
    "数据库升级到第 {version} 版时失败,这一步已全部撤回,文件保持原样:\n{path}\n"
    "SQLite 报告:{cause}\n\n"
    "提示某个表或索引已存在(already exists)时,说明文件的结构与它记录的版本号不符,"
    "文件可能被其他程序改动过:请不要继续使用它,先运行「main.py verify --db 文件」检查,"
    "或用备份恢复(备份文件夹:{backups}),并联系系统管理员。"
)


def migration_failed(path: Path, error: migrations.MigrationFailedError) -> DeskError:
    if "disk is full" in error.cause:
        return DiskFullError(DISK_FULL_AT_START.format(free=(free_bytes(path.parent) or 0)
                                                       // 1024, path=path))
    return DeskError(MIGRATION_FAILED.format(version=error.version, path=path,
                                             cause=error.cause,
                                             backups=backup.backup_dir_for(path)))


def open_desk_server(url: str, local_path: Path, now: datetime) -> OpenedDatabase:
    """Connect to the store's PostgreSQL database at ``url`` and migrate it.

    ``local_path`` stands in for the file of a single-PC desk: its folder keeps this PC's
    anchors (the register heads it has seen, which verify checks) and whatever backups it is
    asked to make. The server's own backups (pg_dump, archiving) are its administrator's."""
    try:
        db = open_server_database(url)
    except DamagedDatabaseError as error:
        raise DeskError(f"无法连接数据库服务器 {describe_url(url)}:{error}") from error
    try:
        applied = migrations.migrate(db)
    except migrations.NewerSchemaError as error:
        close_database()
        raise DeskError(str(error)) from error
    except migrations.MigrationFailedError as error:
        close_database()
        raise DeskError(f"数据库服务器 {describe_url(url)} 升级到第 {error.version} 版时失败,"
                        f"这一步已全部撤回:{error.cause}") from error
    local_path.parent.mkdir(parents=True, exist_ok=True)
    _record_daily_anchor(db, local_path, now)
    return OpenedDatabase(db=db, path=local_path, migrated_to=applied, backup_made=None)


def _record_daily_anchor(db: Any, path: Path, now: datetime) -> None:
    """Today's register head goes into the anchor file beside the backups (services.anchors)."""
    with UnitOfWork(db):
        head = register_store.head()
    try:
        anchors.record_daily(path, head, now)
    except OSError:
        # A full or read-only backup disk must not stop the desk; verify reads what is there.
        return


def _daily_backup(db: Any, path: Path, now: datetime) -> Path | None:
    if not migrations.has_user_data(db):
        return None
    try:
        return backup.backup_daily(path, now, spare=anchors.vouched_backup(path))
    except backup.BackupFailedError:
        # The live file passed the check a moment ago; a failing copy is the backup disk's
        # problem and must not stop the desk (the app reports it from its background job).
        return None


def _checked_backup(path: Path, now: datetime, reason: str) -> Path:
    """The backup before a migration; if even it fails its check, nothing is migrated."""
    try:
        return backup.make_backup(path, now, reason)
    except backup.BackupFailedError as error:
        close_database()
        raise damaged(path, f"升级前的备份没有通过检查:{error}") from error


def close_desk_database() -> None:
    """Close the open database (statistics refreshed first); the app calls it on the way out."""
    close_database()


def copy_file_to_server(
    path: Path, url: str, progress: Callable[[str, int], None] | None = None
) -> tuple[Any, dict[str, int]]:
    """Create the schema on the empty server database at ``url`` and copy the register file
    at ``path`` into it in one unit of work (``main.py migrate-to``); the database stays open
    and bound for the caller to verify. Raises ``DeskError``."""
    from desktop_app.store import transfer
    from desktop_app.store.connection import refresh_statistics

    try:
        db = open_server_database(url)
    except DamagedDatabaseError as error:
        raise DeskError(f"无法连接数据库服务器 {describe_url(url)}:{error}") from error
    try:
        if not transfer.server_is_empty():
            raise DeskError(
                f"目标数据库 {describe_url(url)} 不是空库:请新建一个空数据库"
                "(CREATE DATABASE …)再复制,已有的数据不会被覆盖"
            )
        migrations.migrate(db)
        with UnitOfWork(db) as uow:
            copied = transfer.copy_from_sqlite(path, progress)
            uow.commit()
        refresh_statistics(db)
    except BaseException:
        close_database()
        raise
    return db, copied
