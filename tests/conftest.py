"""Test-wide set-up: Qt runs offscreen; each test gets its own database file in a temp dir."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.domain import passwords
from desktop_app.services.database import open_desk_database, open_desk_server
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store.connection import close_database
from tests.engines import POSTGRESQL, SERVER_OF, SQLITE, PgDatabases, throwaway_server

# Hashes made in tests are cheap (the cost travels inside each hash, so checking them is cheap
# too); the production cost is asserted in tests/unit/domain/test_passwords.py.
PRODUCTION_SCRYPT_N = passwords.SCRYPT_N
passwords.SCRYPT_N = 2**4

if TYPE_CHECKING:
    from tests.builders import Staff


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=(SQLITE, POSTGRESQL),
        default=os.environ.get("DESK_TEST_ENGINE", SQLITE),
        help="the database engine of the desk fixture (tests/engines.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests a SQLite file, not the engine")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--engine") == SQLITE:
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--engine"))


@pytest.fixture(scope="session")
def pg_databases(engine: str) -> Iterator[PgDatabases | None]:
    if engine != POSTGRESQL:
        yield None
        return
    # Commands the tests start on a server database keep its anchors under the user's data
    # folder (db_target.server_stand_in): a folder of this run's, not the real one.
    with tempfile.TemporaryDirectory(prefix="desk-data-") as data_home:
        os.environ["XDG_DATA_HOME"] = data_home
        server = os.environ.get("DESK_TEST_PG")
        if server:
            yield PgDatabases(server.rstrip("/"))
            return
        with tempfile.TemporaryDirectory(prefix="desk-pg-") as folder, throwaway_server(
            Path(folder)
        ) as url:
            yield PgDatabases(url)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 10, 0, 0))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "desk.sqlite3"


@pytest.fixture
def desk(db_path: Path, clock: FakeClock, pg_databases: PgDatabases | None) -> Iterator[Desk]:
    if pg_databases is not None:
        url = pg_databases.fresh()
        opened = open_desk_server(url, db_path, clock())
        SERVER_OF[db_path] = url
        try:
            yield build_desk(opened.db, db_path, clock)
        finally:
            close_database()
            SERVER_OF.pop(db_path, None)
            pg_databases.drop(url)
        return
    opened = open_desk_database(db_path, clock())
    try:
        yield build_desk(opened.db, db_path, clock)
    finally:
        close_database()


@pytest.fixture
def staff(desk: Desk) -> Staff:
    """A catalogue and one account per role, on the test's database."""
    from tests.builders import Staff, stock_catalogue

    stock_catalogue(desk)
    return Staff(desk)
