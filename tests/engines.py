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
