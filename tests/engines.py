"""Which engine the store and services tests run on: ``pytest --engine=postgresql`` (or the
environment variable ``DESK_TEST_ENGINE=postgresql``) gives each test a fresh PostgreSQL
database instead of a SQLite file.

The server is ``DESK_TEST_PG`` (a URL without a database name, e.g.
``postgresql://desk@127.0.0.1:5432``) or, when that is not set, a throwaway server this run
starts in a temporary folder and stops at the end (tests/postgres_server.py). Each test's
database is a copy of one migrated template (CREATE DATABASE … TEMPLATE), dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
TEMPLATE = "desk_template"


def _admin(server: str) -> Any:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    return connection


class PgDatabases:
    """Fresh migrated databases on one server, one per test."""

    def __init__(self, server: str) -> None:
        self.server = server
        self._names = itertools.count(1)
        self._template_ready = False
        self._prefix = f"t{os.getpid()}_"

    def _make_template(self) -> None:
        from desktop_app.store import migrations
        from desktop_app.store.connection import close_database, open_server_database

        connection = _admin(self.server)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}_{os.getpid()}")
                cursor.execute(f"CREATE DATABASE {TEMPLATE}_{os.getpid()}")
        finally:
            connection.close()
        db = open_server_database(f"{self.server}/{TEMPLATE}_{os.getpid()}")
        try:
            migrations.migrate(db)
        finally:
            close_database()
        self._template_ready = True

    def fresh(self) -> str:
        if not self._template_ready:
            self._make_template()
        name = f"{self._prefix}{next(self._names)}"
        connection = _admin(self.server)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}_{os.getpid()}")
        finally:
            connection.close()
        return f"{self.server}/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        connection = _admin(self.server)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            connection.close()

    def empty(self) -> str:
        """A database with nothing in it (for migration and copy tests)."""
        name = f"{self._prefix}{next(self._names)}"
        connection = _admin(self.server)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {name}")
        finally:
            connection.close()
        return f"{self.server}/{name}"


@contextmanager
def throwaway_server(folder: Path) -> Iterator[str]:
    from tests import postgres_server

    url = postgres_server.start(folder)
    try:
        yield url
    finally:
        postgres_server.stop(folder)


# --- another program writing to the database behind the app's back -------------------------

# The desk fixture's database on PostgreSQL, by the stand-in path the test knows it by.
SERVER_OF: dict[Path, str] = {}


def raw_connect(path: Path) -> Any:
    """A connection of "another program" to the desk's database, as ``sqlite3.connect(path)``
    gives on SQLite: tamper tests run the same statements on both engines."""
    import sqlite3

    url = SERVER_OF.get(Path(path))
    return sqlite3.connect(path) if url is None else PgRaw(url)


class PgRaw:
    """The few sqlite3 connection methods the tests use, on a PostgreSQL database. The SQLite
    statements an attacker would type are translated: foreign keys are not enforced (a replica
    session, as a superuser may open), ``DROP TRIGGER t`` names its table, a SQLite
    ``CREATE TRIGGER`` is put back in the PostgreSQL form the schema gives it."""

    def __init__(self, url: str) -> None:
        import psycopg2
        import psycopg2.extensions

        from desktop_app.store.engine import _sqlite_number

        # Like a plain sqlite3 connection, which does not enforce foreign keys: a replica
        # session skips them (the protective triggers fire all the same: ENABLE ALWAYS).
        self._connection = psycopg2.connect(url, options="-c session_replication_role=replica")
        numbers = psycopg2.extensions.new_type((1700,), "SQLITE_NUMBER", _sqlite_number)
        psycopg2.extensions.register_type(numbers, self._connection)

    def execute(self, sql: str, params: Any = ()) -> Any:
        from desktop_app.store.engine import sqlite_values, to_pyformat

        cursor = self._connection.cursor()
        words = sql.split()
        if [word.lower() for word in words[:3]] == ["pragma", "foreign_keys", "="]:
            return cursor  # never enforced in this session (see __init__)
        if words[:2] == ["CREATE", "TRIGGER"]:
            from desktop_app.store.pg_schema import statements_for_postgres

            for statement in statements_for_postgres(sql):
                cursor.execute(statement)
            return cursor
        if words[:2] == ["DROP", "TRIGGER"] and len(words) == 3:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s", (words[2],)
            )
            found = cursor.fetchone()
            if found is None:
                raise RuntimeError(f"no such trigger: {words[2]}")
            cursor.execute(f'DROP TRIGGER {words[2]} ON "{found[0]}"')
            return cursor
        cursor.execute(to_pyformat(sql), sqlite_values(params))
        return cursor

    def executemany(self, sql: str, rows: Any) -> None:
        for row in rows:
            self.execute(sql, row)

    def commit(self) -> None:
        self._connection.commit()

    def rollback(self) -> None:
        self._connection.rollback()

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> PgRaw:
        return self

    def __exit__(self, kind: Any, *_rest: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()


def _integrity_errors() -> tuple[type[Exception], ...]:
    import sqlite3

    import psycopg2

    return (sqlite3.IntegrityError, psycopg2.IntegrityError)


# What a refused write raises on either engine (a protective trigger, a constraint).
RAW_INTEGRITY_ERRORS = _integrity_errors()


def db_arg(path: Path) -> str:
    """``--db`` for a command run on the desk fixture's database: its file, or its server URL."""
    return SERVER_OF.get(Path(path), str(path))
