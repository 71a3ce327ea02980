"""The two engines the store runs on: SQLite (one file, the embedded default) and PostgreSQL
(a server several desks share). The store's SQL is written once, in SQLite's dialect with
``?`` placeholders; this module is the one place that makes it run on PostgreSQL:

- ``DeskPostgresDatabase`` hands psycopg2 every statement with ``?`` turned into ``%s`` (outside
  quoted text) and every ``%`` doubled, and binds values the way Python's sqlite3 module does
  (``True`` as 1, a datetime as ISO text), so a row reads back the same on both engines;
- numbers PostgreSQL computes as ``numeric`` (``SUM`` of integers) come back as ``int`` (or
  ``float``), as SQLite returns them.

What cannot be translated mechanically (PRAGMA, ``sqlite_master``, ``lastrowid``, JSON and time
functions, FTS5) has an engine-specific small function in ``store.dialect`` or
``store.pg_schema``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from peewee import Database, PostgresqlDatabase

from desktop_app.store import server_driver

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SERVER_SCHEMES = ("postgresql://", "postgres://")

# Seconds a write waits for another desk's write before it fails (SQLite's busy timeout is 5 s;
# a server shared by several desks and the office gets more).
LOCK_TIMEOUT_MS = 30_000


def is_server_url(text: str) -> bool:
    return text.startswith(SERVER_SCHEMES)


def describe_url(url: str) -> str:
    """The URL without a password, for titles, messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path}"


# --- placeholders ---------------------------------------------------------------------------

# Quoted text, quoted names, dollar-quoted bodies and comments are copied as they are (only
# their % doubled: psycopg2 reads % everywhere); a ? elsewhere is a placeholder.
_TOKENS = re.compile(
    r"""('(?:[^']|'')*')|("(?:[^"]|"")*")|(\$body\$.*?\$body\$)|(--[^\n]*)|(\?\d*)|(%)""",
    re.DOTALL,
)


@lru_cache(maxsize=4096)
def to_pyformat(sql: str) -> str:
    """``sql`` with SQLite's ``?`` placeholders as psycopg2's ``%s``."""

    def replace(match: re.Match[str]) -> str:
        placeholder = match.group(5)
        if placeholder is not None:
            if placeholder != "?":
                raise ValueError(f"numbered placeholders are SQLite-only: {placeholder}")
            return "%s"
        if match.group(6) is not None:
            return "%%"
        return match.group(0).replace("%", "%%")

    return _TOKENS.sub(replace, sql)


def sqlite_value(value: Any) -> Any:
    """What Python's sqlite3 module would store for ``value``."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def sqlite_values(params: Sequence[Any] | None) -> tuple[Any, ...]:
    return tuple(sqlite_value(value) for value in params or ())


class QmarkCursor:
    """A psycopg2 cursor that takes the store's ``?`` statements."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> QmarkCursor:
        self._cursor.execute(to_pyformat(sql), sqlite_values(params))
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> QmarkCursor:
        from psycopg2.extras import execute_batch

        # One round trip per 500 rows instead of one per row (bulk loads, migrate-to).
        execute_batch(
            self._cursor, to_pyformat(sql), (sqlite_values(row) for row in rows), page_size=500
        )
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def _sqlite_number(raw: str | bytes | None, _cursor: Any) -> int | float | None:
    """``numeric`` as SQLite would return it: an integer when whole, else a float."""
    if raw is None:
        return None
    text = raw.decode() if isinstance(raw, bytes) else raw
    if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
        whole, _, fraction = text.partition(".")
        if fraction and not fraction.strip("0") and "e" not in text.lower():
            return int(whole)
        return float(text)
    return int(text)


class DeskPostgresDatabase(PostgresqlDatabase):
    """peewee's PostgreSQL database, taking the same ``?`` SQL as SQLite.

    peewee's own statements use ``?`` too (``param``), so everything passes the one
    translation in ``QmarkCursor``."""

    param = "?"

    def __init__(self, url: str, read_only: bool = False) -> None:
        server_driver.load()
        # A read-only session (verify, warnings) is refused every write by the server itself.
        readonly = " -c default_transaction_read_only=on" if read_only else ""
        super().__init__(
            url,
            application_name="complaint-desk",
            options=f"-c lock_timeout={LOCK_TIMEOUT_MS}{readonly}",
        )

    def _connect(self) -> Any:
        import psycopg2.extensions

        connection = super()._connect()  # type: ignore[misc]  # peewee's stubs omit it
        numbers = psycopg2.extensions.new_type((1700,), "SQLITE_NUMBER", _sqlite_number)
        psycopg2.extensions.register_type(numbers, connection)
        return connection

    def cursor(self, named_cursor: Any = None) -> Any:
        return QmarkCursor(super().cursor(named_cursor))


def engine_of(db: Any) -> str:
    """The engine behind ``db`` (a peewee database or the store's proxy)."""
    target = getattr(db, "obj", db)
    return POSTGRESQL if isinstance(target, PostgresqlDatabase) else SQLITE


def is_postgres(db: Database | Any) -> bool:
    return engine_of(db) == POSTGRESQL
