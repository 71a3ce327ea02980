"""A store moves onto a server (``main.py migrate-to``) and its commands run against it with
``--db postgresql://…`` or the settings file. Needs a server: runs in the PostgreSQL pass
(``pytest --engine=postgresql``, which ``python3 tasks.py test`` runs), skipped on SQLite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.store.connection import close_database
from tests.builders import Staff, a_draft, a_refund, a_worked_case, stock_catalogue
from tests.conftest import FakeClock
from tests.engines import PgDatabases, PgRaw

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(pg_databases: PgDatabases | None) -> PgDatabases:
    if pg_databases is None:
        pytest.skip("needs a PostgreSQL server: pytest --engine=postgresql")
    return pg_databases


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """The commands' data and config folders inside the test (anchors of server databases)."""
    return {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data-home"),
            "XDG_CONFIG_HOME": str(tmp_path / "config-home")}


def main(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True, text=True, check=False, cwd=ROOT, env=environment,
    )


@pytest.fixture
def store_file(tmp_path: Path, clock: FakeClock) -> Path:
    """A single-PC store's register: accounts, worked cases, an approved and a pending refund."""
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk

    path = tmp_path / "store" / "desk.sqlite3"
    opened = open_desk_database(path, clock())
    desk = build_desk(opened.db, path, clock)
    stock_catalogue(desk)
    staff = Staff(desk)
    first = a_worked_case(desk, staff, amount_paid="500.00")
    approved = desk.refunds.request(staff.clerk, first, a_refund("40.00"))
    desk.refunds.decide(approved, "front", "pass123", approve=True, comment="同意")
    second = a_worked_case(desk, staff, receipt_no="B20261124-0002", amount_paid="3000.00")
    desk.refunds.request(staff.clerk, second, a_refund("2100.00", receipt_no="B20261124-0002"))
    close_database()
    return path


def heads(output: str) -> list[str]:
    return re.findall(r"登记簿校验码:(\d+:[0-9a-f]{16})", output)


def test_migrate_to_copies_the_register_with_the_same_head_and_refuses_a_second_copy(
    server: PgDatabases, store_file: Path, environment: dict[str, str]
) -> None:
    url = server.empty()
    copied = main(environment, "migrate-to", "--db", str(store_file), "--to", url)
    assert copied.returncode == 0, copied.stdout + copied.stderr
    source, target = heads(copied.stdout)
    assert source == target
    assert "✓" in copied.stdout

    again = main(environment, "migrate-to", "--db", str(store_file), "--to", url)
    assert again.returncode == 2
    assert "不是空库" in again.stderr

    verified = main(environment, "verify", "--db", url, "--head", source)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 个案件" in verified.stdout


def test_the_copy_is_the_store_the_app_works_on(
    server: PgDatabases, store_file: Path, environment: dict[str, str], tmp_path: Path,
    clock: FakeClock,
) -> None:
    url = server.empty()
    assert main(environment, "migrate-to", "--db", str(store_file), "--to", url).returncode == 0
    settings = tmp_path / "desk.toml"
    settings.write_text(f'[database]\nurl = "{url}"\n\n[store]\ncode = "0101"\n',
                        encoding="utf-8")
    with_settings = {**environment, "DESK_SETTINGS": str(settings)}
    report = main(with_settings, "report", "all", "--month", "2026-11", "--out",
                  str(tmp_path / "out"))
    assert report.returncode == 0, report.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) >= 4
    # The next case continues the store's numbering; ids continue after the copied ones.
    from desktop_app.services.database import open_desk_server
    from desktop_app.services.desk import build_desk

    opened = open_desk_server(url, tmp_path / "server" / "desk.server", clock())
    try:
        desk = build_desk(opened.db, tmp_path / "server" / "desk.server", clock)
        boss = desk.accounts.authenticate("boss", "secret1")
        case = desk.cases.register(boss, a_draft(receipt_no="C20261124-0003"))
        assert case.case_no.endswith("-0003")
        assert desk.register.verify().ok
    finally:
        close_database()


def test_verify_on_the_server_names_a_row_changed_behind_the_app(
    server: PgDatabases, store_file: Path, environment: dict[str, str], tmp_path: Path
) -> None:
    url = server.empty()
    assert main(environment, "migrate-to", "--db", str(store_file), "--to", url).returncode == 0
    with PgRaw(url) as raw:
        raw.execute("UPDATE refund SET amount_fen = 400000 WHERE status = 'approved'")
    verified = main(environment, "verify", "--db", url)
    assert verified.returncode == 3
    assert "400000" in verified.stdout


def test_migrate_to_refuses_a_file_that_does_not_verify(
    server: PgDatabases, store_file: Path, environment: dict[str, str]
) -> None:
    import sqlite3

    with sqlite3.connect(store_file) as raw:
        raw.execute("UPDATE refund SET amount_fen = 400000 WHERE status = 'approved'")
    copied = main(environment, "migrate-to", "--db", str(store_file), "--to", server.empty())
    assert copied.returncode == 3
    assert "不复制" in copied.stderr


def test_the_app_starts_on_a_server_and_refuses_another_stores_database(
    server: PgDatabases, environment: dict[str, str], tmp_path: Path
) -> None:
    url = server.empty()
    first = main({**environment, "QT_QPA_PLATFORM": "offscreen"}, "--smoke-test", "--db", url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "smoke-test ok" in first.stdout
    for code, expected in (("0101", 0), ("0101", 0), ("0102", 1)):
        settings = tmp_path / f"desk-{code}.toml"
        settings.write_text(f'[database]\nurl = "{url}"\n[store]\ncode = "{code}"\n',
                            encoding="utf-8")
        started = main({**environment, "QT_QPA_PLATFORM": "offscreen",
                        "DESK_SETTINGS": str(settings)}, "--smoke-test")
        assert started.returncode == expected, started.stdout + started.stderr
    assert "属于门店 0101" in started.stderr
