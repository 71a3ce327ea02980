"""Demo data: reproducible, cases in every state, and a register that verifies."""

from __future__ import annotations

import functools
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.domain import cases as rules
from desktop_app.services import demo_cases
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import build_desk
from desktop_app.store.connection import close_database, database

ROOT = Path(__file__).resolve().parents[2]


def statuses(path: Path) -> Counter[str]:
    open_desk_database(path, datetime(2026, 11, 24), daily_backup=False)
    try:
        rows = database.execute_sql('SELECT status, count(*) FROM "case" GROUP BY status')
        return Counter({status: count for status, count in rows.fetchall()})
    finally:
        close_database()


def dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as raw:
        return raw.execute('SELECT case_no, customer_name, status, workflow FROM "case"').fetchall()


@pytest.mark.parametrize("step_by_step_limit", [10_000, 0], ids=["step-by-step", "bulk"])
def test_demo_cases_cover_every_state_and_verify(tmp_path: Path, step_by_step_limit: int) -> None:
    path = tmp_path / "demo.sqlite3"
    summary = fill_demo_database(path, cases=600, seed=7, step_by_step_limit=step_by_step_limit)
    assert "600 个案件" in summary
    found = statuses(path)
    assert set(found) == {status.value for status in rules.CaseStatus}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "600 个案件" in result.stdout


def test_the_same_seed_gives_the_same_cases(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    fill_demo_database(first, cases=150, seed=3)
    fill_demo_database(second, cases=150, seed=3)
    assert dump(first) == dump(second)


def test_verify_on_the_command_line_reports_tampering(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=50, seed=1)
    with sqlite3.connect(path) as raw:
        raw.execute('UPDATE "case" SET customer_name = ? WHERE id = 7', ("改过的名字",))
    raw.close()
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 3
    assert "改过的名字" in result.stdout


def test_the_demo_desk_opens_with_working_services(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=80, seed=2)
    opened = open_desk_database(path, datetime(2026, 11, 24), False)
    try:
        desk = build_desk(opened.db, path)
        assert desk.register.verify().ok
    finally:
        close_database()


def test_the_demo_desk_has_refunds_at_every_tier_and_state(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=1000, seed=1)
    with sqlite3.connect(path) as raw:
        found = set(raw.execute("SELECT level_required, status FROM refund").fetchall())
        specials = {row[0] for row in raw.execute("SELECT special_reason FROM refund")}
        quality = raw.execute("SELECT count(*) FROM refund WHERE is_quality = 1").fetchone()[0]
    raw.close()
    for level in (1, 2, 3, 4):
        assert (level, "approved") in found
        assert (level, "pending") in found
    for level in (1, 2, 3):
        assert (level, "rejected") in found
    assert {"no_receipt", "past_period", "opened_or_used", "exception"} <= specials
    assert quality > 0


def test_a_bulk_load_is_the_same_whichever_processes_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each job of a bulk load has its own random generator: worker processes build exactly
    the rows this process would, and the rows are chained and written in order."""
    from desktop_app.services import demo_cases, demo_data
    from desktop_app.store.migrations import V_SUBSTRING_SEARCH

    monkeypatch.setattr(demo_cases, "BULK_JOB", 70)
    alone, workers = tmp_path / "alone.sqlite3", tmp_path / "workers.sqlite3"
    fill_demo_database(alone, cases=300, seed=5, step_by_step_limit=0)
    monkeypatch.setattr(demo_data, "BULK_PROCESSES_FROM", 0)
    monkeypatch.setattr(demo_data.os, "cpu_count", lambda: 2)
    fill_demo_database(workers, cases=300, seed=5, step_by_step_limit=0)
    assert dump(alone) == dump(workers)
    assert len(dump(workers)) == 300
    with sqlite3.connect(workers) as raw:
        guard = raw.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'case_never_replaced'").fetchone()
        counters = dict(raw.execute("SELECT month, last_seq FROM case_counter").fetchall())
        numbers = raw.execute(
            'SELECT substr(case_no, 4, 6), MAX(CAST(substr(case_no, 11) AS INTEGER)) '
            'FROM "case" GROUP BY 1').fetchall()
    # The replace guard lifted for the load is back exactly as created.
    assert guard is not None and guard[0] in V_SUBSTRING_SEARCH
    assert counters == dict(numbers)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(workers)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bulk_load_tops_up_after_the_cases_already_there(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=120, seed=2, step_by_step_limit=0)
    fill_demo_database(path, cases=80, seed=9, step_by_step_limit=0)
    numbers = [row[0] for row in dump(path)]
    assert len(numbers) == len(set(numbers)) == 200
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "verify", "--db", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_warning_clusters_of_a_large_demo_are_valid_cases(tmp_path: Path) -> None:
    """Found before: at 1,000,000 cases the clusters sit near index 999,970 and their phone
    numbers grew to 13 digits, so the registration rules refused them and the load stopped."""
    from desktop_app.domain.registration import validate_registration
    from desktop_app.services import demo_clusters
    from desktop_app.services.demo_cases import Catalogue

    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=0, seed=1)
    open_desk_database(path, datetime(2026, 11, 24), daily_backup=False)
    try:
        from desktop_app.store import accounts, catalog
        from desktop_app.store import cases as case_store

        catalogue = Catalogue(
            products=case_store.all_products(), departments=catalog.department_names(),
            staff=[(row[1], row[2]) for row in catalog.staff_rows()],
        )
        clerk = accounts.list_accounts()[0]
    finally:
        close_database()
    first = 999_971
    clusters = demo_clusters.Clusters(catalogue, first=first)
    for index in range(first, first + demo_clusters.SIZE):
        plan = clusters.plan(index, datetime(2026, 11, 20, 10), clerk)
        validate_registration(plan.draft, datetime(2026, 11, 20, 10, 1))


def test_a_bulk_batch_may_start_with_a_case_without_receipt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small batches make some start with a case that has no receipt (at 5,000 a batch this
    stopped ``demo-data --cases 100000`` with "table case has no column named paid_fen")."""
    monkeypatch.setattr(demo_cases, "write_in_bulk",
                        functools.partial(demo_cases.write_in_bulk, batch=25))
    path = tmp_path / "demo.sqlite3"
    assert "600 个案件" in fill_demo_database(path, cases=600, seed=7, step_by_step_limit=0)


@pytest.mark.sqlite_only
def test_demo_data_never_goes_into_a_stores_own_register(
    desk: object, staff: object, db_path: Path
) -> None:
    """Found in review: demo-data added the demo accounts (password in the README) to a
    store's register, and --demo --db replaced the store's file with a demo one."""
    import hashlib

    from desktop_app.app import prepare_demo_database
    from desktop_app.domain.errors import DeskError

    close_database()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "demo-data", "--db", str(db_path),
         "--cases", "10"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "不是演示数据库" in result.stderr
    with pytest.raises(DeskError, match="不是演示数据库"):
        prepare_demo_database(db_path)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_demo_data_for_a_server_url_is_refused_without_writing_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found in review: --db was read as a path, which folds "//", so the server check missed
    the URL and the demo register was written to ./postgresql:/… in the current folder."""
    from desktop_app.app import main

    monkeypatch.chdir(tmp_path)
    assert main(["demo-data", "--db", "postgresql://desk@127.0.0.1:1/store", "--cases", "5"]) == 2
    assert "演示数据请写入 SQLite 文件" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
