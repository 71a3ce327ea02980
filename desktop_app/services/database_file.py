"""The database file before and beside the app: claim it, judge it, back it up, restore it.

Nothing here imports peewee, so the login dialog can be on screen before the records are
loaded. Every refusal is a ``DeskError`` with its own true Chinese message: a damaged file, a
read-only file or folder, a folder that does not exist, and a file another program has open
are different problems with different remedies.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import DeskError
from desktop_app.store import backup
from desktop_app.store.db_file import (
    WHAT_IS_WRONG,
    CheckCancelledError,
    FileKind,
    Probe,
    inspect_file,
    page_check,
    probe,
    write_problem,
)
from desktop_app.store.file_lock import DatabaseBusyError, DatabaseLock

# The page-by-page check reads the whole file. Up to this size it runs before the login dialog,
# started in a thread before Qt loads: on a real register here it read 76 MiB/s from a cold disk
# (the first start of the day) and >1 GiB/s from the OS cache, so a file at the limit waits
# ≈ 1.3 s at the first start and ≈ 0.1 s later. That is years of one store's complaints (about
# 37 MB a year at 20 cases a day); a larger register is checked beside the open window instead.
CHECK_BEFORE_LOGIN_BYTES = 100 * 1024 * 1024

DAMAGED_MESSAGE = (
    "数据库文件已损坏,无法安全打开:\n{path}\n{detail}\n"
    "请不要继续使用该文件。可以用最近的备份恢复(备份文件夹:{backups}),"
    "恢复方法见说明书「备份与恢复」一节,或联系系统管理员。"
)
IN_USE_MESSAGE = (
    "这个数据库已经被另一个服务台程序打开:\n{path}\n\n"
    "同一个数据库同时只能由一个程序使用,否则记录会互相覆盖。"
    "请切换到已经打开的那个窗口;如果找不到它,请先关闭它(或重新启动电脑)再打开。"
)
RESTORE_IN_USE_MESSAGE = (
    "服务台程序正在使用这个数据库,现在不能恢复:\n{path}\n\n"
    "请先退出程序(所有窗口),再运行恢复命令。数据库没有任何改动。"
)
FOLDER_MISSING_MESSAGE = (
    "数据库所在的文件夹不存在:\n{folder}\n\n"
    "程序没有在那里新建空白登记簿。请检查路径(--db)是否写对、U 盘或网络盘是否已连接;"
    "如果确实要在那里新建数据库,请先建好这个文件夹。"
)
READ_ONLY_FILE_MESSAGE = (
    "数据库文件是只读的(或当前用户没有读写权限),程序不能在其中保存任何记录:\n{path}\n\n"
    "文件本身没有损坏。请去掉该文件的「只读」属性,或请系统管理员给当前用户读写权限,"
    "然后重新打开程序。"
)
READ_ONLY_FOLDER_MESSAGE = (
    "数据库所在的文件夹不允许当前用户写入:\n{folder}\n\n"
    "数据库文件本身没有损坏,但程序需要在这个文件夹中写入日志和锁文件才能安全保存。"
    "请系统管理员给当前用户这个文件夹的写入权限,或把数据库放到可以写入的文件夹。"
)


class DatabaseDamagedError(DeskError):
    """Not a sound SQLite database: cut short, overwritten, or failing the page check."""


class DatabaseInUseError(DeskError):
    """Another program holds the database's lock."""


class FolderMissingError(DeskError):
    """``--db`` names a file in a folder that does not exist."""


REGISTER_MISSING_MESSAGE = (
    "找不到登记簿文件:\n{path}\n\n但备份文件夹里有它的备份({count} 份,最近一份:{latest}),"
    "这不是一家新店,程序没有新建空白登记簿。\n"
    "请从备份恢复:main.py restore --db \"{path}\"\n"
    "如果确实要在这里开始一个新的登记簿,请先把备份文件夹 {folder} 移到别处。"
)


class RegisterMissingError(DeskError):
    """The register's file is gone while its backups are still beside it: a new, empty one
    there would be taken for the store's (its backups later pruned, erasures written into
    another register's backups)."""


class ReadOnlyDatabaseError(DeskError):
    """The file or its folder may not be written by this user; the file itself is fine."""


# SQLite's report of a damaged file can run to a hundred lines: the message box would push
# the way back (restore from a backup) and its OK button off the screen.
DETAIL_LINES = 3


def damaged(path: Path, detail: str = "") -> DatabaseDamagedError:
    lines = [line for line in detail.splitlines() if line.strip()]
    if len(lines) > DETAIL_LINES:
        lines = [*lines[:DETAIL_LINES], f"……(另有 {len(lines) - DETAIL_LINES} 行,未列出)"]
    shown = "\n".join(lines)
    return DatabaseDamagedError(
        DAMAGED_MESSAGE.format(
            path=path,
            detail=f"原因:{shown}\n" if shown else "",
            backups=backup.backup_dir_for(path),
        )
    )


@dataclass
class ClaimedDatabase:
    """A database file this process holds the lock of, judged sound from the outside."""

    path: Path
    lock: DatabaseLock
    kind: FileKind  # MISSING (a new register will be created) or SQLITE
    size: int
    found: Probe | None  # None for a new register
    # A PostgreSQL database several PCs share; ``path`` is then this PC's stand-in (anchors).
    url: str | None = None
    # This PC's store code (desk.toml): given to a database without one, refused for another's.
    store_code: str = ""

    @property
    def is_new(self) -> bool:
        return self.found is None or self.found.schema_version == 0

    @property
    def needs_first_run(self) -> bool:
        return self.found is None or not self.found.has_accounts

    @property
    def check_before_login(self) -> bool:
        return self.kind is FileKind.SQLITE and self.size <= CHECK_BEFORE_LOGIN_BYTES

    def release(self) -> None:
        self.lock.release()


def claim_database(path: Path, create_folder: bool) -> ClaimedDatabase:
    """Take the exclusive lock and judge the file from outside, or raise a ``DeskError``.

    ``create_folder`` is True only for the default data folder: a mistyped ``--db`` must not
    silently start an empty register somewhere nobody will look."""
    folder = path.parent
    if not folder.is_dir():
        if not create_folder:
            raise FolderMissingError(FOLDER_MISSING_MESSAGE.format(folder=folder))
        folder.mkdir(parents=True, exist_ok=True)
    if write_problem(path) == "folder":
        raise ReadOnlyDatabaseError(READ_ONLY_FOLDER_MESSAGE.format(folder=folder))
    refuse_a_new_register_beside_backups(path)
    lock = take_lock(path, IN_USE_MESSAGE)
    try:
        return _judge(path, lock)
    except BaseException:
        lock.release()
        raise


def refuse_a_new_register_beside_backups(path: Path) -> None:
    """``RegisterMissingError`` when ``path`` is missing but its backups are there."""
    if path.exists() or path.is_symlink():
        return
    found = backup.list_backups(path)
    if found:
        raise RegisterMissingError(REGISTER_MISSING_MESSAGE.format(
            path=path, count=len(found), latest=found[-1].name,
            folder=backup.backup_dir_for(path),
        ))


def claim_server(url: str, stand_in: Path) -> ClaimedDatabase:
    """Connect to the store's server database and look at it, or raise a ``DeskError``.

    Other PCs work on the same database at the same time (the server serialises their writes);
    the lock on this PC's stand-in only keeps a second window of this PC off it."""
    from desktop_app.store.db_file import ServerUnreachableError, probe_server
    from desktop_app.store.engine import describe_url

    stand_in.parent.mkdir(parents=True, exist_ok=True)
    lock = take_lock(stand_in, IN_USE_MESSAGE)
    try:
        found = probe_server(url)
    except ServerUnreachableError as error:
        lock.release()
        raise DeskError(f"无法连接数据库服务器 {describe_url(url)}:\n{error}") from error
    return ClaimedDatabase(stand_in, lock, FileKind.MISSING, 0, found, url)


def take_lock(path: Path, busy_message: str) -> DatabaseLock:
    try:
        return DatabaseLock(path).acquire()
    except DatabaseBusyError as error:
        raise DatabaseInUseError(busy_message.format(path=path)) from error
    except PermissionError as error:
        raise ReadOnlyDatabaseError(READ_ONLY_FOLDER_MESSAGE.format(folder=path.parent)) from error


def _judge(path: Path, lock: DatabaseLock) -> ClaimedDatabase:
    if write_problem(path) == "file":
        raise ReadOnlyDatabaseError(READ_ONLY_FILE_MESSAGE.format(path=path))
    try:
        kind = inspect_file(path)
    except OSError as error:
        raise DeskError(f"无法读取数据库文件:\n{path}\n\n{error}") from error
    if kind is FileKind.MISSING:
        return ClaimedDatabase(path, lock, kind, 0, None)
    if kind is not FileKind.SQLITE:
        raise damaged(path, WHAT_IS_WRONG[kind])
    try:
        found = probe(path)
    except sqlite3.Error as error:
        raise damaged(path, f"SQLite 报告:{error}") from error
    return ClaimedDatabase(path, lock, kind, path.stat().st_size, found)


def damage_found(path: Path, cancel: threading.Event | None = None) -> DatabaseDamagedError | None:
    """The page-by-page check on its own connection; call it from a worker thread."""
    problems = page_check(path, cancel)
    return damaged(path, f"SQLite 报告:{problems[0]}") if problems else None


class PageCheck:
    """The page check started in a thread at once, its answer collected later.

    SQLite reads the pages with the GIL released, so on a small file the check is done while
    the main thread is still loading Qt."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._result: DatabaseDamagedError | None = None
        self._thread = threading.Thread(target=self._run, name="page-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._result = damage_found(self._path)

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> DatabaseDamagedError | None:
        self._thread.join()
        return self._result


# (what is happening, done, of how many); done == total == 0 means "no measure, just busy".
CareProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CareResult:
    """What the start-of-day care found: damage, the day's backup, or why it failed."""

    damage: DatabaseDamagedError | None = None
    backup_made: Path | None = None
    backup_problem: str | None = None
    cancelled: bool = False


def daily_care(
    path: Path,
    now: datetime,
    pages_checked: bool,
    progress: CareProgress | None = None,
    cancel: threading.Event | None = None,
) -> CareResult:
    """The page check (unless done before login) and the day's backup, beside the window.

    The backup's copy is page-checked before it is named, and it was copied page for page
    from one snapshot of the live file, so a sound copy also proves the live file as it was:
    a large register is read twice (copy, check of the copy), not three times. If the copy
    fails, the live file is checked to tell damage from a failing backup disk.
    Setting ``cancel`` (the app is closing) stops the work with ``cancelled`` set; a half
    copy is removed then, or at the next start if the process was killed."""
    try:
        return _daily_care(path, now, pages_checked, progress, cancel)
    except CheckCancelledError:
        return CareResult(cancelled=True)


def _daily_care(
    path: Path,
    now: datetime,
    pages_checked: bool,
    progress: CareProgress | None,
    cancel: threading.Event | None,
) -> CareResult:

    def report(what: str) -> Callable[[int, int], None]:
        return lambda done, total: progress(what, done, total) if progress else None

    backup.remove_stale_partials(path)
    if not backup.backup_due(path, now):
        if pages_checked:
            return CareResult()
        report("正在检查数据库文件")(0, 0)
        return CareResult(damage=damage_found(path, cancel))
    def copying(done: int, total: int) -> None:
        if done < total:
            report("正在备份数据库")(done, total)
        else:  # copied; the page check of the copy has no measure of its own
            report("正在检查备份")(0, 0)

    try:
        made = backup.make_backup(path, now, progress=copying, cancel=cancel)
    except backup.BackupFailedError as error:
        if not pages_checked:
            report("正在检查数据库文件")(0, 0)
            damage = damage_found(path, cancel)
            if damage is not None:
                return CareResult(damage=damage)
        return CareResult(backup_problem=str(error))
    # Imported here: the register's rules (13 ms) are not read before the login dialog.
    from desktop_app.services.anchors import vouched_backup

    backup.prune_backups(path, spare=vouched_backup(path))
    return CareResult(backup_made=made)


def restore_database(
    backup_file: Path, path: Path, now: datetime, create_folder: bool
) -> Path | None:
    """Put ``backup_file`` in place of the database, whatever state the current file is in.

    Refused (nothing changed) while any program has the database open. Returns where the
    replaced file was kept, or None when there was none."""
    folder = path.parent
    if not folder.is_dir():
        if not create_folder:
            raise FolderMissingError(FOLDER_MISSING_MESSAGE.format(folder=folder))
        folder.mkdir(parents=True, exist_ok=True)
    if write_problem(path) == "folder":
        raise ReadOnlyDatabaseError(READ_ONLY_FOLDER_MESSAGE.format(folder=folder))
    with take_lock(path, RESTORE_IN_USE_MESSAGE):
        try:
            return backup.restore_backup(backup_file, path, now)
        except backup.BackupUnusableError as error:
            raise DeskError(f"备份文件不可用,数据库没有任何改动:{error}") from error
        except PermissionError as error:
            raise ReadOnlyDatabaseError(READ_ONLY_FILE_MESSAGE.format(path=path)) from error
        except OSError as error:
            raise DeskError(
                f"无法写入备份的副本({error.strerror or error}),数据库没有任何改动;"
                "请检查磁盘空间后再恢复"
            ) from error

