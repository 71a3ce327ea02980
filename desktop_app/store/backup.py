"""Online backups with SQLite's backup API, and restoring one.

Backups sit in a ``backups`` folder beside the database file, named
``<stem>-YYYYMMDD-HHMMSS[-reason].sqlite3`` so that sorting by name sorts by time.

A backup is copied on its own read-only connection that holds one read snapshot for the whole
copy: the app keeps saving beside it (WAL lets a writer go on past an open reader) and the copy
never restarts, however long it takes. Each copy is page-checked before it is given its name, so
a file in ``backups/`` always is a sound database; a copy that fails the check is never kept.
Only this standard-library code touches the files, so it runs in a worker thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop_app.store.db_file import (
    CheckCancelledError,
    FileKind,
    fold_log,
    inspect_file,
    move_aside,
    page_check,
    sidecars,
)

KEEP_BACKUPS = 30
# The reason in the name of the file a restore moved aside (kept as it was, sound or not).
BEFORE_RESTORE = "before-restore"
# Pages copied per step between progress reports: 4096 pages of 4 KiB = 16 MiB.
STEP_PAGES = 4096
# The copy is flushed to disk every this many pages (64 MiB). Left to the kernel, gigabytes of
# dirty backup pages pile up and a save's fsync on the live file waits behind them (ext4 flushes
# them together): at 1M cases the worst save during a backup took 104-317 ms, flushed 45-78 ms.
FLUSH_EVERY_PAGES = 16384

# (pages copied, pages in all)
Progress = Callable[[int, int], None]


class BackupFailedError(Exception):
    """The copy could not be made, or it is not sound; nothing was kept under a backup's name."""


class BackupUnusableError(Exception):
    """The chosen backup is not a sound SQLite database."""


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database, oldest first: named as ``backup_target`` names them, so
    another register's in the same folder (``desk-east`` beside ``desk``) is never taken for
    one of its own (pruned, scrubbed of an erasure, or read as its history)."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    own = re.compile(re.escape(db_path.stem) + r"-\d{8}-\d{6}(-[a-z0-9-]+)?\.sqlite3")
    return sorted(path for path in folder.glob(f"{db_path.stem}-*.sqlite3")
                  if own.fullmatch(path.name))


def backup_target(db_path: Path, now: datetime, reason: str = "") -> Path:
    suffix = f"-{reason}" if reason else ""
    return backup_dir_for(db_path) / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}{suffix}.sqlite3"


def make_backup(
    db_path: Path,
    now: datetime,
    reason: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Copy the live database consistently while it stays open, check the copy, name it.

    Raises ``BackupFailedError`` when SQLite cannot read the source or the copy is unsound,
    ``CheckCancelledError`` when ``cancel`` was set; either way no partial file is left."""
    target = backup_target(db_path, now, reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    try:
        copy_snapshot(db_path, partial, progress, cancel)
        problems = page_check(partial, cancel)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupFailedError(str(error)) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupFailedError("; ".join(problems[:3]))
    _sync(partial)
    # Renamed only when complete and checked, so a crash never leaves a half backup that
    # looks whole (a leftover .partial is removed by ``remove_stale_partials``).
    partial.replace(target)
    return target


def copy_snapshot(
    source_path: Path,
    target: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> None:
    """SQLite's backup API, a step at a time, from one read snapshot of ``source_path``."""
    source = sqlite3.connect(
        f"{source_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
    )
    try:
        # Holding a read transaction pins the snapshot: steps see one state of the file, and
        # the app's commits meanwhile go to the WAL instead of restarting the copy.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with contextlib.closing(sqlite3.connect(target)) as destination:
            flushed = 0

            def report(_status: int, remaining: int, total: int) -> None:
                nonlocal flushed
                if cancel is not None and cancel.is_set():
                    raise CheckCancelledError  # aborts the copy: sqlite3 passes it through
                done = total - remaining
                if done - flushed >= FLUSH_EVERY_PAGES:
                    _sync(target)
                    flushed = done
                if progress is not None:
                    progress(done, total)

            source.backup(destination, pages=STEP_PAGES, progress=report)
            # The copied header says WAL like the live file's; as a rollback-journal file the
            # backup stays one self-contained file that reading never adds -wal/-shm files to.
            destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        source.close()


def backup_due(db_path: Path, now: datetime) -> bool:
    """At most one daily backup per calendar day."""
    today = f"{db_path.stem}-{now:%Y%m%d}-"
    return not any(existing.name.startswith(today) for existing in list_backups(db_path))


def backup_daily(
    db_path: Path,
    now: datetime,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    spare: Path | None = None,
) -> Path | None:
    """The day's backup if none was made yet; keep the newest ``KEEP_BACKUPS``.

    The caller must know the live file is sound (the copy is checked, which also proves the
    snapshot it was taken from)."""
    remove_stale_partials(db_path)
    if not backup_due(db_path, now):
        return None
    made = make_backup(db_path, now, progress=progress, cancel=cancel)
    prune_backups(db_path, spare=spare)
    return made


def remove_stale_partials(db_path: Path) -> list[Path]:
    """Half-written copies left by a crash or a killed process.

    Only called while this process holds the database's lock, so no copy of this database
    is being written by anyone else."""
    folder = backup_dir_for(db_path)
    staged = _staged_path(db_path)
    partials = [
        path
        for ending in ("", "-wal", "-shm")
        for path in folder.glob(f"{db_path.stem}-*.partial{ending}")
    ]
    stale = [*partials, staged, *sidecars(staged)]
    removed = []
    for leftover in stale:
        if leftover.exists():
            leftover.unlink()
            removed.append(leftover)
    return removed


def prune_backups(
    db_path: Path, keep: int = KEEP_BACKUPS, spare: Path | None = None
) -> list[Path]:
    """All but the newest ``keep`` backups go, except ``spare`` (the one a clean full check
    vouches for)."""
    backups = list_backups(db_path)
    doomed = [old for old in (backups[:-keep] if len(backups) > keep else []) if old != spare]
    for old in doomed:
        for path in (old, *sidecars(old)):
            path.unlink(missing_ok=True)
    return doomed


def restore_backup(backup: Path, db_path: Path, now: datetime) -> Path | None:
    """Replace the database file with ``backup``; the caller holds the database's lock.

    Works whatever state the current file is in (sound, truncated, not a database, zero
    bytes, missing): it is renamed, with its -wal and -shm, to
    ``backups/<stem>-...-before-restore.sqlite3`` before anything is written, so a restore can
    itself be undone. A current file that passes the page check has its log folded in
    afterwards, on the renamed copy; any other is kept byte for byte, and one that does not
    even look like SQLite is never opened by SQLite at all.
    Returns the kept copy, or None when there was no current file.
    """
    check_backup_usable(backup)
    if backup.resolve() == db_path.resolve():
        raise BackupUnusableError("备份文件就是当前数据库本身")
    # The copy first: a disk too full for it leaves the current file where it was (found:
    # moved aside first, the failed copy left the desk with no register at all).
    staged = _staged_path(db_path)
    try:
        shutil.copyfile(backup, staged)
        _sync(staged)
    except OSError:
        staged.unlink(missing_ok=True)
        raise
    safety: Path | None = None
    kind = inspect_file(db_path)
    if kind is not FileKind.MISSING:
        safety = backup_target(db_path, now, reason=BEFORE_RESTORE)
        move_aside(db_path, safety)
        if kind is FileKind.SQLITE and not page_check(safety):
            fold_log(safety)
    else:
        for leftover in sidecars(db_path):
            leftover.unlink(missing_ok=True)
    staged.replace(db_path)
    return safety


def _staged_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.restoring")


def check_backup_usable(path: Path) -> None:
    """A backup is used only if it is SQLite and passes the full ``integrity_check``."""
    kind = inspect_file(path)
    if kind is FileKind.MISSING:
        raise BackupUnusableError(f"找不到备份文件 {path}")
    if kind is not FileKind.SQLITE:
        raise BackupUnusableError(f"{path} 不是完整的 SQLite 数据库({kind.value})")
    # The app's backups are one self-contained file. A log beside one would be read by the
    # check below but not copied by the restore, which would then put back a different file.
    for side in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if side.exists() and side.stat().st_size > 0:
            raise BackupUnusableError(
                f"{path} 旁边有日志文件 {side.name}:这不是本程序做的完整备份,不能用来恢复"
            )
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.Error as error:
        raise BackupUnusableError(str(error)) from error
    if result is None or result[0] != "ok":
        raise BackupUnusableError(str(result))


def _sync(path: Path) -> None:
    """Write the file's data through to the disk (before the rename that makes it count)."""
    with path.open("rb+") as file:
        os.fsync(file.fileno())
