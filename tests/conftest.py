"""Test-wide set-up: Qt runs offscreen; each test gets its own database file in a temp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.domain import passwords
from desktop_app.services.database import open_desk_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store.connection import close_database

# Hashes made in tests are cheap (the cost travels inside each hash, so checking them is cheap
# too); the production cost is asserted in tests/unit/domain/test_passwords.py.
PRODUCTION_SCRYPT_N = passwords.SCRYPT_N
passwords.SCRYPT_N = 2**4

if TYPE_CHECKING:
    from tests.builders import Staff


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
def desk(db_path: Path, clock: FakeClock) -> Iterator[Desk]:
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
