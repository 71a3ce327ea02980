"""Opening a register only to read it: verify must never write to the file it checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
from peewee import Database, SqliteDatabase

from desktop_app.store.connection import database
from desktop_app.store.db_file import WHAT_IS_WRONG, inspect_file
from desktop_app.store.migrations import schema_version

# What reading a damaged page raises, through peewee or straight from sqlite3.
DAMAGED_WHILE_READING = (sqlite3.DatabaseError, peewee.DatabaseError)


class UnreadableRegisterError(Exception):
    """The file cannot be read as a register of this version; the message is Chinese."""


def open_read_only(path: Path, expected_version: int) -> SqliteDatabase:
    """Bind the records to ``path`` opened read-only (SQLite refuses any write)."""
    if not path.exists():
        raise UnreadableRegisterError(f"没有找到数据库 {path}")
    if path.stat().st_size == 0:
        raise UnreadableRegisterError(f"{path} 是空文件(0 字节),不是登记簿,可能已损坏")
    # Judged from outside as the app judges it before opening (found: a file cut short by a
    # few pages, which the app refuses, passed verify and got its clean-check mark).
    kind = inspect_file(path)
    if kind in WHAT_IS_WRONG:
        raise UnreadableRegisterError(f"{path} 不是完整的登记簿文件:{WHAT_IS_WRONG[kind]}")
    try:
        db, version = _connect_read_only(path, "mode=ro")
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        if "readonly" not in str(error) or not _whole_without_its_logs(path):
            raise UnreadableRegisterError(f"{path} 不是可读的登记簿文件:{error}") from error
        # A folder nobody may write to (an auditor's share, a locked USB stick): SQLite cannot
        # make the log's shared-memory file beside it. Nobody can be writing there either, and
        # no log holds pages, so the file is read as it is, unlocked (immutable).
        try:
            db, version = _connect_read_only(path, "mode=ro&immutable=1")
        except (sqlite3.DatabaseError, peewee.DatabaseError) as again:
            raise UnreadableRegisterError(f"{path} 不是可读的登记簿文件:{again}") from again
    if version != expected_version:
        db.close()
        if version == 0:
            raise UnreadableRegisterError(f"{path} 不是登记簿文件(没有登记簿结构)")
        if version > expected_version:
            raise UnreadableRegisterError(
                f"{path} 的数据库版本为 {version},由更新版本的程序写入,本程序为 "
                f"{expected_version}:请安装新版程序后再校验"
            )
        raise UnreadableRegisterError(
            f"{path} 的数据库版本为 {version},本程序为 {expected_version}:"
            "请先用本程序打开一次完成升级(会先自动备份)再校验"
        )
    database.initialize(db)
    return db


def _connect_read_only(path: Path, query: str) -> tuple[SqliteDatabase, int]:
    db = SqliteDatabase(f"{path.resolve().as_uri()}?{query}", uri=True,
                        pragmas={"busy_timeout": 5000})
    db.read_only = True  # type: ignore[attr-defined]
    try:
        db.connect()
        version = schema_version(db)
        db.execute_sql("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        if not db.is_closed():
            db.close()
        raise
    return db, version


def _whole_without_its_logs(path: Path) -> bool:
    """The file alone is the database: in WAL mode (as the app keeps it), with no log holding
    pages. A hot rollback journal also makes a read-only open fail as "readonly"; read
    without it, the file would show a change the journal is there to undo (found in review)."""
    with path.open("rb") as file:
        header = file.read(20)
    in_wal_mode = len(header) == 20 and header[18] == 2 and header[19] == 2
    logs = (path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-journal"))
    return in_wal_mode and not any(log.exists() and log.stat().st_size > 0 for log in logs)


def open_server_read_only(url: str, expected_version: int) -> Database:
    """Bind the records to the PostgreSQL database at ``url`` in read-only transactions (the
    server refuses any write, as SQLite's ``mode=ro`` does for a file)."""
    from desktop_app.store.engine import DeskPostgresDatabase, describe_url

    db = DeskPostgresDatabase(url, read_only=True)
    db.read_only = True  # type: ignore[attr-defined]
    try:
        db.connect()
        version = schema_version(db)
    except peewee.DatabaseError as error:
        if not db.is_closed():
            db.close()
        raise UnreadableRegisterError(f"无法读取 {describe_url(url)}:{error}") from error
    if version != expected_version:
        db.close()
        if version == 0:
            raise UnreadableRegisterError(f"{describe_url(url)} 上没有登记簿(空数据库)")
        raise UnreadableRegisterError(
            f"{describe_url(url)} 的数据库版本为 {version},本程序为 {expected_version}:"
            "请先用本程序连接一次完成升级再校验"
        )
    database.initialize(db)
    return db


def store_of_file(path: Path) -> tuple[str, int] | None:
    """(The store's name, how many accounts) of a register file, read without writing; None
    when ``path`` holds no register (missing, empty, not SQLite, no accounts table yet)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        raw = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        accounts = int(raw.execute('SELECT COUNT(*) FROM "user"').fetchone()[0])
        named = raw.execute("SELECT value FROM setting WHERE key = 'store_name'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        raw.close()
    return ("" if named is None else str(named[0])), accounts
