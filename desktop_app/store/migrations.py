"""Schema versions. Each step is frozen DDL: once released it never changes, so a database
created by any earlier version migrates to the current one the same way.

The version lives in SQLite's ``PRAGMA user_version``. A backup is taken before migrating a
database that already holds data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from peewee import SqliteDatabase

V1_FOUNDATION = (
    """CREATE TABLE "user" (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE account_event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        username TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        actor_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT
    )""",
    "CREATE INDEX account_event_user ON account_event(user_id, at)",
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE department (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE supplier (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        contact TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE product (
        id INTEGER PRIMARY KEY,
        barcode TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE RESTRICT,
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        active INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX product_name ON product(name)",
    # Accounts are disabled, never deleted, so that history keeps its names.
    """CREATE TRIGGER user_never_deleted BEFORE DELETE ON "user"
        BEGIN SELECT RAISE(ABORT, 'accounts are disabled, never deleted'); END""",
)

Step = Callable[[SqliteDatabase], None]


def _ddl(statements: Sequence[str]) -> Step:
    def apply(db: SqliteDatabase) -> None:
        for statement in statements:
            db.execute_sql(statement)

    return apply


# MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: list[Step] = [
    _ddl(V1_FOUNDATION),
]
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was written by a newer version of the app than this one."""


def schema_version(db: SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def has_user_data(db: SqliteDatabase) -> bool:
    return schema_version(db) > 0


def migrate(
    db: SqliteDatabase,
    target: int = SCHEMA_VERSION,
    backup: Callable[[str], Path | None] | None = None,
) -> list[int]:
    """Bring the schema to ``target``; return the versions applied.

    Each step runs in its own transaction together with the version bump, so a crash leaves
    the file at a whole version. ``backup`` is called first when there is data to protect.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"数据库版本为 {current},本程序只认识到 {SCHEMA_VERSION}。请安装新版程序。"
        )
    if current >= target:
        return []
    if current > 0 and backup is not None:
        backup(f"before-v{target}")
    applied: list[int] = []
    for version in range(current, target):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute_sql(f"PRAGMA user_version = {version + 1}")
        applied.append(version + 1)
    return applied
