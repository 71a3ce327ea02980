"""Online backups with SQLite's backup API, and restoring one.

Backups sit in a ``backups`` folder beside the database file, named
``<stem>-YYYYMMDD-HHMMSS[-reason].sqlite3`` so that sorting by name sorts by time.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from peewee import SqliteDatabase

KEEP_BACKUPS = 30


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database, oldest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite3"))


def backup_now(db: SqliteDatabase, db_path: Path, now: datetime, reason: str = "") -> Path:
    """Copy the live database, consistently, while it stays open."""
    folder = backup_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = f"-{reason}" if reason else ""
    target = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}{suffix}.sqlite3"
    partial = target.with_suffix(".partial")
    destination = sqlite3.connect(partial)
    try:
        db.connection().backup(destination)
    finally:
        destination.close()
    # Renamed only when complete, so a crash never leaves a half backup that looks whole.
    partial.replace(target)
    return target


def backup_daily(db: SqliteDatabase, db_path: Path, now: datetime) -> Path | None:
    """Back up at most once a calendar day; keep the newest ``KEEP_BACKUPS``."""
    today = f"{db_path.stem}-{now:%Y%m%d}-"
    if any(existing.name.startswith(today) for existing in list_backups(db_path)):
        return None
    made = backup_now(db, db_path, now)
    prune_backups(db_path)
    return made


def prune_backups(db_path: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    backups = list_backups(db_path)
    doomed = backups[:-keep] if len(backups) > keep else []
    for old in doomed:
        old.unlink()
    return doomed


class BackupUnusableError(Exception):
    """The chosen backup is not a sound SQLite database."""


def restore_backup(backup: Path, db_path: Path, now: datetime) -> Path | None:
    """Replace the database file with ``backup``; the app must not have the file open.

    The current file (if any) is first kept as ``<stem>-...-before-restore.sqlite3`` so a
    restore can itself be undone. Returns that safety copy.
    """
    _check_sound(backup)
    safety: Path | None = None
    if db_path.exists():
        current = SqliteDatabase(str(db_path))
        try:
            current.connect()
            # Fold the WAL into the main file first so the safety copy is complete.
            current.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            safety = backup_now(current, db_path, now, reason="before-restore")
        finally:
            current.close()
    for leftover in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    staged = db_path.with_suffix(".restoring")
    shutil.copyfile(backup, staged)
    staged.replace(db_path)
    return safety


def _check_sound(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupUnusableError(str(error)) from error
    if result is None or result[0] != "ok":
        raise BackupUnusableError(str(result))
