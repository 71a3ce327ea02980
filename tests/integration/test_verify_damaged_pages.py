"""A damaged page anywhere in the file stops verify with "damaged" (exit 2), also where reading
the register's rows never goes: an index (a queue that silently misses cases reads through it)
and the tables outside the register (the search index)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.app import main as cli_main
from desktop_app.services import verification
from desktop_app.services.demo_data import fill_demo_database

pytestmark = pytest.mark.sqlite_only

PAGE = 4096


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    fill_demo_database(path, cases=80, seed=3)
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return path


def damaged_copy(demo: Path, folder: Path, name: str) -> Path:
    """A copy of ``demo`` with the last page of ``name`` (a table or an index) zeroed."""
    with sqlite3.connect(f"{demo.resolve().as_uri()}?mode=ro", uri=True) as raw:
        (page,) = raw.execute("SELECT max(pageno) FROM dbstat WHERE name = ?", (name,)).fetchone()
    raw.close()
    assert page is not None, name
    copy = folder / "damaged.sqlite3"
    shutil.copyfile(demo, copy)
    data = bytearray(copy.read_bytes())
    data[(page - 1) * PAGE:page * PAGE] = bytes(PAGE)
    copy.write_bytes(bytes(data))
    return copy


DAMAGED = [
    "case_phone",  # an index of the case table
    "case_open_received",  # a partial index
    "case_satisfaction",  # an index on an expression
    "register_entry_entity",  # the register's own index
    "sqlite_autoindex_case_tally_1",  # the tally's key
    "case_search_data",  # the search index: a table outside the register
]


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_page_outside_the_rows_is_reported_as_damage(
    demo: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = damaged_copy(demo, tmp_path, name)
    assert cli_main(["verify", "--db", str(copy)]) == 2
    assert "文件已损坏" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["case_phone", "case_search_data"])
def test_worker_processes_report_the_same_damage(
    demo: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(verification, "PARALLEL_FROM", 0)
    copy = damaged_copy(demo, tmp_path, name)
    assert cli_main(["verify", "--db", str(copy)]) == 2
    assert "文件已损坏" in capsys.readouterr().err


def test_the_sound_file_passes(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sound.sqlite3"
    shutil.copyfile(demo, copy)
    assert cli_main(["verify", "--db", str(copy)]) == 0


def test_a_file_cut_short_is_refused_as_the_app_refuses_it(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found: a file cut 1,000 bytes short, which the app refuses as truncated, passed verify
    (and got its clean-check mark)."""
    copy = tmp_path / "cut.sqlite3"
    copy.write_bytes(demo.read_bytes()[:-1000])
    assert cli_main(["verify", "--db", str(copy)]) == 2
    assert "截断" in capsys.readouterr().err


def test_a_file_from_a_newer_program_asks_for_the_newer_program(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found: verify told the user to open a newer file with this (older) program first."""
    copy = tmp_path / "newer.sqlite3"
    shutil.copyfile(demo, copy)
    with sqlite3.connect(copy) as raw:
        (version,) = raw.execute("PRAGMA user_version").fetchone()
        raw.execute(f"PRAGMA user_version = {version + 1}")
    raw.close()
    assert cli_main(["verify", "--db", str(copy)]) == 2
    error = capsys.readouterr().err
    assert "新版程序" in error and "完成升级" not in error
