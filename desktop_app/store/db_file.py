"""The database as a file on disk: what state it is in, before SQLite is allowed near it.

Everything here uses the standard library only (``sqlite3``, no peewee), so the app can look at
the file before the rest of the store is imported, and so that a file SQLite cannot read is
never opened read-write (SQLite would happily write a fresh schema into a zero-byte file).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100


class FileKind(Enum):
    MISSING = "missing"
    EMPTY = "empty"  # zero bytes: a file that was cut off, never a new register
    NOT_SQLITE = "not-sqlite"  # garbage, another program's file, or a zeroed header
    TRUNCATED = "truncated"  # shorter than its own header says
    SQLITE = "sqlite"  # looks whole from the outside; only a page check can say more


WHAT_IS_WRONG: dict[FileKind, str] = {
    FileKind.EMPTY: "文件长度为 0 字节(内容已丢失)",
    FileKind.NOT_SQLITE: "文件开头不是 SQLite 数据库的标志(不是数据库文件,或文件头已被破坏)",
    FileKind.TRUNCATED: "文件比它自己记录的长度短(文件被截断)",
}


# Below this much free space SQLite cannot set up its log and shared-memory index beside the
# file, and opening fails with "disk I/O error" (found: a full disk at start was called damage).
NEARLY_FULL_BYTES = 1 << 20


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding ``folder`` (None when it cannot be asked)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def sidecars(path: Path) -> list[Path]:
    """SQLite's write-ahead log and shared-memory index that belong to ``path``."""
    return [Path(f"{path}-wal"), Path(f"{path}-shm")]


def inspect_file(path: Path) -> FileKind:
    """Classify the file from its size and its 100-byte header, without SQLite."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return FileKind.MISSING
    if size == 0:
        return FileKind.EMPTY
    with path.open("rb") as file:
        header = file.read(_HEADER_BYTES)
    if len(header) < _HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return FileKind.NOT_SQLITE
    page_size = _page_size(header)
    if page_size is None:
        return FileKind.NOT_SQLITE
    if _has_wal_content(path):
        # Pages may live in the log until the next checkpoint: the main file alone is not whole.
        return FileKind.SQLITE
    if size % page_size != 0:
        return FileKind.TRUNCATED
    declared_pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is only trustworthy when its "valid-for" number matches
    # the change counter (SQLite's own rule, https://sqlite.org/fileformat.html).
    if header[92:96] == header[24:28] and declared_pages * page_size > size:
        return FileKind.TRUNCATED
    return FileKind.SQLITE


def _page_size(header: bytes) -> int | None:
    raw = int.from_bytes(header[16:18], "big")
    size = 65536 if raw == 1 else raw
    if size < 512 or size > 65536 or size & (size - 1):
        return None
    return size


def _has_wal_content(path: Path) -> bool:
    wal = sidecars(path)[0]
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


@dataclass(frozen=True)
class Probe:
    """What a read-only look at a sound-looking file found."""

    schema_version: int
    has_accounts: bool


def probe(path: Path) -> Probe:
    """Schema version and whether any account exists, read-only. Raises ``sqlite3.Error``."""
    with contextlib.closing(_read_only(path)) as connection:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        has_accounts = "user" in tables and bool(
            connection.execute('SELECT EXISTS (SELECT 1 FROM "user")').fetchone()[0]
        )
    return Probe(schema_version=version, has_accounts=has_accounts)


class CheckCancelledError(Exception):
    """The page check was stopped from outside (the app is closing); it found nothing."""


# SQLite calls the cancel probe every this many virtual-machine steps (≈ a millisecond).
_CANCEL_PROBE_STEPS = 100_000


def page_check(path: Path, cancel: threading.Event | None = None) -> list[str]:
    """``PRAGMA quick_check`` on a separate read-only connection: every page read once.

    Safe from a worker thread while the app works on its own connection (SQLite releases the
    GIL while it reads). An empty list means sound. Setting ``cancel`` stops the check with
    ``CheckCancelledError``, which is never mistaken for damage."""
    try:
        with contextlib.closing(_read_only(path)) as connection:
            if cancel is not None:
                connection.set_progress_handler(lambda: int(cancel.is_set()), _CANCEL_PROBE_STEPS)
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as error:
        if cancel is not None and cancel.is_set():
            raise CheckCancelledError from error
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def move_aside(path: Path, target: Path) -> list[Path]:
    """Rename the file and its -wal/-shm to ``target`` (same folder tree, same disk), untouched.

    The log keeps its role beside the renamed file, so committed work in it is not lost."""
    moved: list[Path] = []
    target.parent.mkdir(parents=True, exist_ok=True)
    for source, destination in zip(
        [path, *sidecars(path)], [target, *sidecars(target)], strict=True
    ):
        if source.exists():
            source.replace(destination)
            moved.append(destination)
    return moved


def fold_log(path: Path) -> None:
    """Write a WAL file's committed pages into the main file and drop the log, if SQLite can."""
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")


def write_problem(path: Path) -> str | None:
    """Why this process cannot write the file or its folder, or None when it can.

    Checked with the operating system's own answer (``os.access``), so it is true for the user
    actually running the app; SQLite would otherwise open a read-only file silently and fail at
    the first save with 'attempt to write a readonly database'."""
    folder = path.parent
    # Windows reports folders marked read-only (Documents, Desktop: the mark only means
    # "customised") as unwritable although they are not; there the lock file's creation,
    # which fails with PermissionError in a folder that really is read-only, decides.
    if os.name != "nt" and not os.access(folder, os.W_OK | os.X_OK):
        return "folder"
    for existing in (path, *sidecars(path)):
        if existing.exists() and not os.access(existing, os.R_OK | os.W_OK):
            return "file"
    return None


class ServerUnreachableError(Exception):
    """The server refused the connection or could not be read; the message is the driver's."""


def probe_server(url: str) -> Probe:
    """What ``probe`` reads of a file, read of a PostgreSQL database (read-only session).
    Raises ``ServerUnreachableError``."""
    import peewee

    try:
        return _probe_server(url)
    except peewee.DatabaseError as error:
        raise ServerUnreachableError(str(error).strip()) from error


def _probe_server(url: str) -> Probe:
    from desktop_app.store.engine import DeskPostgresDatabase
    from desktop_app.store.migrations import schema_version

    db = DeskPostgresDatabase(url, read_only=True)
    db.connect()
    try:
        version = schema_version(db)
        has_accounts = version > 0 and bool(
            db.execute_sql('SELECT EXISTS (SELECT 1 FROM "user")').fetchone()[0]
        )
    finally:
        db.close()
    return Probe(schema_version=version, has_accounts=has_accounts)
