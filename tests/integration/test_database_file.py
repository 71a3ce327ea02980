"""The database file on disk: durability, damage of every kind, locks, permissions, backups,
restore. Real files in tmp_path; a second process where another program is meant."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.app import main as cli_main
from desktop_app.domain.errors import DeskError
from desktop_app.services import database as database_module
from desktop_app.services.database import open_desk_database
from desktop_app.services.database_file import (
    DatabaseDamagedError,
    DatabaseInUseError,
    FolderMissingError,
    RegisterMissingError,
    claim_database,
    daily_care,
    damage_found,
    restore_database,
)
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store import backup as backup_store
from desktop_app.store.backup import (
    KEEP_BACKUPS,
    BackupFailedError,
    BackupUnusableError,
    backup_daily,
    copy_snapshot,
    list_backups,
    make_backup,
    restore_backup,
)
from desktop_app.store.connection import DamagedDatabaseError, DiskFullError, close_database
from desktop_app.store.db_file import FileKind, inspect_file, page_check
from desktop_app.store.file_lock import DatabaseBusyError, DatabaseLock, lock_path_for
from tests.builders import Staff, a_draft
from tests.file_damage import (
    DAMAGE_KINDS,
    NOW,
    LockHolder,
    corrupt_a_page,
    make_register,
    run_python,
)


def pragma(db: object, name: str) -> object:
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # type: ignore[attr-defined]


def store_name(path: Path) -> str:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
        value = connection.execute("SELECT value FROM setting WHERE key = 'store_name'").fetchone()
    connection.close()
    return str(value[0])


@pytest.fixture
def register(db_path: Path) -> Path:
    make_register(db_path)
    return db_path


@pytest.fixture
def good_backup(register: Path) -> Path:
    """A checked backup of the register, made before it was damaged."""
    return make_backup(register, NOW - timedelta(days=1))


# ---------------------------------------------------------------- opening


def test_a_new_database_is_created_with_durable_settings(db_path: Path) -> None:
    opened = open_desk_database(db_path, NOW)
    try:
        assert db_path.exists()
        assert pragma(opened.db, "journal_mode") == "wal"
        assert pragma(opened.db, "synchronous") == 2  # FULL
        assert pragma(opened.db, "foreign_keys") == 1
        assert pragma(opened.db, "busy_timeout") == 5000
    finally:
        close_database()


@pytest.mark.parametrize("kind", sorted(DAMAGE_KINDS))
def test_every_kind_of_damage_is_refused_with_its_own_reason(register: Path, kind: str) -> None:
    damage, words = DAMAGE_KINDS[kind]
    damage(register)
    before = register.read_bytes()
    with pytest.raises(DatabaseDamagedError) as refused:
        claimed = claim_database(register, create_folder=False)
        try:
            found = damage_found(register)
            if found is not None:
                raise found
        finally:
            claimed.release()
    assert "数据库文件已损坏" in str(refused.value)
    assert words in str(refused.value)
    assert str(register.parent / "backups") in str(refused.value)
    assert register.read_bytes() == before  # nothing written into a damaged file


@pytest.mark.parametrize("kind", sorted(DAMAGE_KINDS))
def test_open_desk_database_refuses_every_kind_of_damage(register: Path, kind: str) -> None:
    DAMAGE_KINDS[kind][0](register)
    before = register.read_bytes()
    with pytest.raises(DatabaseDamagedError, match="数据库文件已损坏"):
        open_desk_database(register, NOW)
    assert register.read_bytes() == before


def test_a_zero_byte_file_is_never_taken_for_a_new_register(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseDamagedError, match="0 字节"):
        claim_database(db_path, create_folder=False)
    with pytest.raises(DatabaseDamagedError, match="0 字节"):
        open_desk_database(db_path, NOW)
    assert db_path.stat().st_size == 0  # no schema written into it


def test_a_file_cut_at_a_page_boundary_is_truncated(register: Path) -> None:
    data = register.read_bytes()
    register.write_bytes(data[: 4096 * 10])
    assert inspect_file(register) is FileKind.TRUNCATED


def test_a_short_main_file_with_its_log_beside_it_is_left_to_sqlite(register: Path) -> None:
    """After a crash the newest pages live in the -wal file: the main file alone is short."""
    data = register.read_bytes()
    register.write_bytes(data[: 4096 * 10])
    Path(f"{register}-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    assert inspect_file(register) is FileKind.SQLITE


def test_a_sound_register_is_claimed_and_judged_small(register: Path) -> None:
    claimed = claim_database(register, create_folder=False)
    try:
        assert claimed.kind is FileKind.SQLITE
        assert claimed.check_before_login
        assert not claimed.is_new
        assert claimed.needs_first_run  # make_register adds no account
    finally:
        claimed.release()


def test_a_corrupted_page_is_caught_by_the_integrity_check(register: Path) -> None:
    corrupt_a_page(register)
    with pytest.raises(DatabaseDamagedError):
        open_desk_database(register, NOW)


def test_a_long_report_of_damage_is_cut_to_a_few_lines() -> None:
    """Found: a zeroed root page gave a hundred lines of SQLite's report in the message box,
    with the way back and the OK button below the screen."""
    from desktop_app.services.database_file import damaged

    report = "\n".join(f"Page {n} is never used" for n in range(100, 200))
    message = str(damaged(Path("desk.sqlite3"), f"SQLite 报告:{report}"))
    assert "Page 100 is never used" in message and "Page 103" not in message
    assert "另有 97 行" in message
    assert "可以用最近的备份恢复" in message
    assert len(message.splitlines()) < 15


def test_the_background_check_finds_the_same_damage(register: Path) -> None:
    corrupt_a_page(register)
    error = damage_found(register)
    assert error is not None
    assert "数据库文件已损坏" in str(error)


def test_the_background_check_passes_a_sound_file_in_use(db_path: Path) -> None:
    open_desk_database(db_path, NOW, check_pages=False)
    try:
        assert damage_found(db_path) is None
    finally:
        close_database()


def test_a_stopped_check_is_not_mistaken_for_damage(register: Path) -> None:
    stop = threading.Event()
    stop.set()
    result = daily_care(register, NOW, pages_checked=False, cancel=stop)
    assert result.cancelled
    assert result.damage is None


# ---------------------------------------------------------------- folders and permissions


def test_another_registers_backups_in_the_same_folder_are_not_this_ones(
    register: Path, good_backup: Path
) -> None:
    """Found in review: desk-east's backups matched desk's name pattern, so they counted as
    desk's (pruned with them, scrubbed of desk's erasures, and a fresh desk refused)."""
    east = register.with_name(f"{register.stem}-east.sqlite3")
    east_backup = backup_store.backup_dir_for(east) / f"{east.stem}-20261120-090000.sqlite3"
    east_backup.write_bytes(good_backup.read_bytes())
    assert list_backups(register) == [good_backup]
    assert list_backups(east) == [east_backup]
    good_backup.unlink()
    register.unlink()
    claim_database(register, create_folder=False).release()  # only desk-east's backups there


def test_a_missing_register_with_backups_beside_it_is_never_started_afresh(
    register: Path, good_backup: Path
) -> None:
    """Found: with the file gone (deleted, moved aside, a mistyped name in the same folder) the
    desk greeted the store with 首次启动 on a new, empty register, whose daily backups later
    pruned the store's own and whose erasures were written into them."""
    register.unlink()
    with pytest.raises(RegisterMissingError, match=r"main\.py restore"):
        claim_database(register, create_folder=False)
    assert not register.exists()
    assert good_backup.exists()


def test_db_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "desk.sqlite3"
    with pytest.raises(FolderMissingError) as refused:
        claim_database(path, create_folder=False)
    assert "文件夹不存在" in str(refused.value)
    assert str(tmp_path / "typo") in str(refused.value)
    assert "数据库文件已损坏" not in str(refused.value)
    assert not (tmp_path / "typo").exists()


def test_the_default_data_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "ComplaintDesk" / "desk.sqlite3"
    claimed = claim_database(path, create_folder=True)
    try:
        assert claimed.kind is FileKind.MISSING
        assert claimed.is_new
        assert path.parent.is_dir()
    finally:
        claimed.release()


CLAIM_AND_PRINT = """
from pathlib import Path
from desktop_app.domain.errors import DeskError
from desktop_app.services.database_file import claim_database
try:
    claim_database(Path({path!r}), create_folder=False).release()
    print("CLAIMED")
except DeskError as error:
    print(type(error).__name__)
    print(error)
"""


def test_a_read_only_file_is_reported_as_read_only_not_damaged(register: Path) -> None:
    register.parent.chmod(0o777)
    register.chmod(0o444)
    printed = run_python(CLAIM_AND_PRINT.format(path=str(register)), drop_root=True)
    assert printed.startswith("ReadOnlyDatabaseError")
    assert "只读" in printed
    assert "没有损坏" in printed
    assert "已损坏" not in printed.replace("没有损坏", "")


VERIFY_AND_PRINT = """
from desktop_app.app import main
print("EXIT", main(["verify", "--db", {path!r}]))
"""


def test_verify_reads_a_register_in_a_folder_nobody_may_write_to(tmp_path: Path) -> None:
    """Found: an auditor's read-only share gave 'attempt to write a readonly database' (the
    log's shared memory cannot be made there), exit 2 for a sound register."""
    folder = tmp_path / "share"
    folder.mkdir()
    register = folder / "desk.sqlite3"
    open_desk_database(register, NOW, daily_backup=False)
    close_database()
    folder.chmod(0o555)
    try:
        printed = run_python(VERIFY_AND_PRINT.format(path=str(register)), drop_root=True)
    finally:
        folder.chmod(0o755)
    assert "登记簿完整" in printed
    assert "EXIT 0" in printed


CRASH_MID_TRANSACTION = r"""
import os, sqlite3
raw = sqlite3.connect({path!r}, isolation_level=None)
raw.execute("PRAGMA cache_size = 1")
raw.execute("BEGIN")
raw.execute("UPDATE \"user\" SET role = 'clerk' WHERE username = 'clerk'")
for (table,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
    raw.execute(f'SELECT * FROM "{{table}}"').fetchall()  # spill the changed page to the file
print("JOURNAL", os.path.getsize({path!r} + "-journal"))
os._exit(0)  # killed mid-transaction: the journal is hot
"""


@pytest.mark.sqlite_only
def test_verify_never_reads_past_a_hot_rollback_journal(
    desk: Desk, staff: Staff, db_path: Path
) -> None:
    """Found in review: a change committed behind the app's back, then a transaction killed
    with its page already in the file: verify read the file without the journal that undoes
    the page and called the register intact; the app (which rolls the journal back) saw the
    change."""
    close_database()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE \"user\" SET role = 'store_manager' WHERE username = 'clerk'")
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    assert "JOURNAL" in run_python(CRASH_MID_TRANSACTION.format(path=str(db_path)))
    printed = run_python(VERIFY_AND_PRINT.format(path=str(db_path)))
    assert "登记簿完整" not in printed
    assert "EXIT 0" not in printed


def test_a_read_only_folder_is_reported_as_such(register: Path) -> None:
    register.parent.chmod(0o555)
    try:
        printed = run_python(CLAIM_AND_PRINT.format(path=str(register)), drop_root=True)
    finally:
        register.parent.chmod(0o755)
    assert printed.startswith("ReadOnlyDatabaseError")
    assert "文件夹不允许当前用户写入" in printed
    assert str(register.parent) in printed


def test_a_writable_register_is_claimed_without_root_powers(register: Path) -> None:
    """The permission tests above can fail: the same child claims a writable file."""
    register.parent.chmod(0o777)
    register.chmod(0o666)
    lock_path_for(register).touch(mode=0o666)
    lock_path_for(register).chmod(0o666)
    printed = run_python(CLAIM_AND_PRINT.format(path=str(register)), drop_root=True)
    assert printed.strip() == "CLAIMED"


# ---------------------------------------------------------------- one program at a time


def test_a_second_instance_is_refused_while_another_process_holds_the_database(
    register: Path,
) -> None:
    with LockHolder(register), pytest.raises(DatabaseInUseError) as refused:
        claim_database(register, create_folder=False)
    assert "已经被另一个服务台程序打开" in str(refused.value)
    claim_database(register, create_folder=False).release()  # free again once it ended


def test_a_second_lock_in_the_same_process_is_refused(register: Path) -> None:
    first = DatabaseLock(register).acquire()
    try:
        with pytest.raises(DatabaseBusyError):
            DatabaseLock(register).acquire()
    finally:
        first.release()
    DatabaseLock(register).acquire().release()


def test_the_lock_goes_with_a_killed_process(register: Path) -> None:
    holder = LockHolder(register)
    holder.kill()
    claim_database(register, create_folder=False).release()


def test_restore_while_the_app_is_open_is_refused_and_changes_nothing(
    register: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = register.read_bytes()
    with LockHolder(register):
        code = cli_main(["restore", "--db", str(register), "--from", str(good_backup)])
    assert code == 2
    assert "正在使用这个数据库,现在不能恢复" in capsys.readouterr().err
    assert register.read_bytes() == before


def test_commands_that_only_read_run_beside_the_app(
    register: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with LockHolder(register):
        assert cli_main(["backups", "--db", str(register)]) == 0
    assert str(good_backup) in capsys.readouterr().out


def test_demo_data_refuses_a_database_that_is_open(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with LockHolder(register):
        code = cli_main(["demo-data", "--db", str(register), "--cases", "1"])
    assert code == 2
    assert "已经被另一个服务台程序打开" in capsys.readouterr().err


# ---------------------------------------------------------------- restore from every state


@pytest.mark.parametrize("kind", [*sorted(DAMAGE_KINDS), "sound"])
def test_restore_works_whatever_the_current_file_is(
    register: Path, good_backup: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(register) as connection:
        connection.execute("UPDATE setting SET value = '改过的' WHERE key = 'store_name'")
    connection.close()
    if kind != "sound":
        DAMAGE_KINDS[kind][0](register)
    replaced = register.read_bytes()

    code = cli_main(["restore", "--db", str(register), "--from", str(good_backup)])

    assert code == 0, capsys.readouterr().err
    assert store_name(register) == "原来的门店"
    assert page_check(register) == []
    kept = [path for path in list_backups(register) if "before-restore" in path.name]
    assert len(kept) == 1
    if kind == "sound":
        assert store_name(kept[0]) == "改过的"  # the log folded in: one usable file
    else:
        assert kept[0].read_bytes() == replaced  # kept byte for byte, never written to
    assert "恢复前的数据库另存为" in capsys.readouterr().out


def test_restore_when_the_file_is_missing(register: Path, good_backup: Path) -> None:
    register.unlink()
    assert restore_database(good_backup, register, NOW, create_folder=False) is None
    assert store_name(register) == "原来的门店"


def test_restore_keeps_the_log_and_index_of_a_damaged_file_beside_it(
    register: Path, good_backup: Path
) -> None:
    DAMAGE_KINDS["garbage"][0](register)
    wal, shm = Path(f"{register}-wal"), Path(f"{register}-shm")
    wal.write_bytes(b"log of the damaged file")
    shm.write_bytes(b"index")
    safety = restore_database(good_backup, register, NOW, create_folder=False)
    assert safety is not None
    assert Path(f"{safety}-wal").read_bytes() == b"log of the damaged file"
    assert Path(f"{safety}-shm").read_bytes() == b"index"
    assert not wal.exists() and not shm.exists()
    assert store_name(register) == "原来的门店"


def test_a_backup_restores_the_data_and_keeps_the_replaced_file(db_path: Path) -> None:
    opened = open_desk_database(db_path, NOW)
    opened.db.execute_sql("INSERT INTO setting VALUES ('store_name', '备份前')")
    backup = make_backup(db_path, NOW)
    opened.db.execute_sql("UPDATE setting SET value = '备份后' WHERE key = 'store_name'")
    close_database()

    safety = restore_backup(backup, db_path, NOW + timedelta(minutes=1))

    assert store_name(db_path) == "备份前"
    assert safety is not None
    assert store_name(safety) == "备份后"


def test_a_restore_the_disk_has_no_room_for_leaves_the_register_in_place(
    register: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found on a full disk: the register was moved aside first, the copy failed with an
    English traceback, and the next start found no register at all."""
    before = register.read_bytes()

    def no_room(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_store.shutil, "copyfile", no_room)
    with pytest.raises(DeskError, match="没有任何改动"):
        restore_database(good_backup, register, NOW, create_folder=False)
    assert register.read_bytes() == before
    assert not register.with_name(f"{register.name}.restoring").exists()


def test_restoring_from_a_broken_backup_changes_nothing(register: Path, tmp_path: Path) -> None:
    before = register.read_bytes()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all")
    with pytest.raises(BackupUnusableError):
        restore_backup(broken, register, NOW)
    assert register.read_bytes() == before
    assert cli_main(["restore", "--db", str(register), "--from", str(broken)]) == 2
    assert register.read_bytes() == before


def test_restore_into_a_missing_folder_is_refused(
    tmp_path: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "desk.sqlite3"
    assert cli_main(["restore", "--db", str(target), "--from", str(good_backup)]) == 2
    assert "文件夹不存在" in capsys.readouterr().err
    assert not target.parent.exists()


def test_the_restore_command_restores_a_listed_backup(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_desk_database(db_path, NOW)
    close_database()
    backup = make_backup(db_path, NOW)
    assert cli_main(["backups", "--db", str(db_path)]) == 0
    assert str(backup) in capsys.readouterr().out
    assert cli_main(["restore", "--db", str(db_path), "--from", str(backup)]) == 0
    assert "已用" in capsys.readouterr().out


# ---------------------------------------------------------------- backups


def test_one_backup_a_day_is_made_at_start_up(db_path: Path) -> None:
    open_desk_database(db_path, NOW)
    close_database()
    opened = open_desk_database(db_path, NOW + timedelta(hours=1))
    close_database()
    assert opened.backup_made is not None
    reopened = open_desk_database(db_path, NOW + timedelta(hours=2))
    close_database()
    assert reopened.backup_made is None
    next_day = open_desk_database(db_path, NOW + timedelta(days=1))
    close_database()
    assert next_day.backup_made is not None
    assert len(list_backups(db_path)) == 2


@pytest.mark.sqlite_only
@pytest.mark.parametrize("daily", ["at start", "beside the window"])
def test_the_backup_a_clean_full_check_vouches_for_outlives_the_thirty(
    desk: Desk, staff: Staff, db_path: Path, daily: str
) -> None:
    """Found in review: thirty daily checks of what is new said "intact" while an old row
    was changed; every kept backup came to hold the change and the last clean one was pruned.
    The newest backup before a clean full check is kept until a later clean check."""
    desk.cases.register(staff.clerk, a_draft())
    vouched = backup_daily(db_path, NOW)
    assert vouched is not None
    assert desk.register.verify().ok
    for day in range(1, KEEP_BACKUPS + 3):
        if daily == "at start":
            made = database_module._daily_backup(desk.db, db_path, NOW + timedelta(days=day))
        else:
            made = daily_care(db_path, NOW + timedelta(days=day), pages_checked=True).backup_made
        assert made is not None
    kept = list_backups(db_path)
    assert vouched in kept
    assert len(kept) == KEEP_BACKUPS + 1
    assert kept[1].name.startswith(f"desk-{NOW + timedelta(days=3):%Y%m%d}")


def test_the_file_a_restore_moved_aside_is_never_the_vouched_backup(
    db_path: Path, tmp_path: Path
) -> None:
    """Found in review: the damaged file a restore kept aside is the newest in the folder, and
    the next clean check vouched for it (kept beyond the thirty) instead of the sound copy."""
    from desktop_app.services.anchors import vouched_backup

    opened = open_desk_database(db_path, NOW)
    Staff(build_desk(opened.db, db_path))  # accounts: a register with entries to check
    close_database()
    sound = make_backup(db_path, NOW)
    with db_path.open("r+b") as file:
        file.write(b"\0" * 100)  # the live file damaged
    restore_database(sound, db_path, NOW + timedelta(minutes=5), create_folder=False)
    assert any(path.stem.endswith("before-restore") for path in list_backups(db_path))
    opened = open_desk_database(db_path, NOW + timedelta(minutes=6), daily_backup=False)
    assert build_desk(opened.db, db_path).register.verify().ok
    close_database()
    assert vouched_backup(db_path) == sound


def test_only_the_newest_thirty_backups_are_kept(register: Path) -> None:
    for day in range(KEEP_BACKUPS + 5):
        backup_daily(register, NOW + timedelta(days=day))
    kept = list_backups(register)
    assert len(kept) == KEEP_BACKUPS
    assert kept[0].name.startswith(f"desk-{NOW + timedelta(days=5):%Y%m%d}")


def test_stale_partial_backups_are_removed(register: Path) -> None:
    folder = register.parent / "backups"
    folder.mkdir()
    stale = folder / "desk-20261101-093000.partial"
    stale.write_bytes(b"half a copy")
    stale_log = folder / "desk-20261101-093000.partial-wal"
    stale_log.write_bytes(b"its log")
    other_database = folder / "other-20261101-093000.partial"
    other_database.write_bytes(b"not ours")
    staged_restore = register.with_name("desk.sqlite3.restoring")
    staged_restore.write_bytes(b"half a restore")

    result = daily_care(register, NOW, pages_checked=True)

    assert result.backup_made is not None
    assert not stale.exists()
    assert not stale_log.exists()
    assert not staged_restore.exists()
    assert other_database.exists()


def test_the_day_s_care_backs_up_a_sound_file_and_checks_the_copy(register: Path) -> None:
    result = daily_care(register, NOW, pages_checked=False)
    assert result.damage is None
    assert result.backup_made is not None
    assert page_check(result.backup_made) == []
    assert store_name(result.backup_made) == "原来的门店"
    assert daily_care(register, NOW + timedelta(hours=1), pages_checked=False).backup_made is None


def test_a_backup_is_one_self_contained_file(register: Path) -> None:
    """A copy of a WAL register would otherwise grow -wal/-shm files whenever it is read."""
    made = make_backup(register, NOW)
    assert page_check(made) == []
    backup_store.check_backup_usable(made)
    assert sorted(path.name for path in made.parent.iterdir()) == [made.name]
    with made.open("rb") as file:
        header = file.read(20)
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL


def test_a_damaged_file_is_never_kept_as_the_day_s_backup(register: Path) -> None:
    corrupt_a_page(register)
    result = daily_care(register, NOW, pages_checked=False)
    assert result.damage is not None
    assert "数据库文件已损坏" in str(result.damage)
    assert list_backups(register) == []
    assert list((register.parent / "backups").glob("*.partial")) == []


def test_a_copy_that_fails_its_check_is_not_counted(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing backup disk: the copy is bad, the live file is fine."""
    real_check = backup_store.page_check

    def bad_copies(path: Path, cancel: threading.Event | None = None) -> list[str]:
        if path.suffix == ".partial":
            return ["*** in database main *** Page 7: btreeInitPage() returns error code 11"]
        return real_check(path, cancel)

    monkeypatch.setattr(backup_store, "page_check", bad_copies)
    with pytest.raises(BackupFailedError):
        make_backup(register, NOW)
    result = daily_care(register, NOW, pages_checked=False)
    assert result.damage is None
    assert result.backup_problem is not None
    assert list_backups(register) == []
    assert list((register.parent / "backups").glob("*.partial")) == []


def test_the_backup_copies_one_snapshot_while_the_app_keeps_saving(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_register(db_path, filler_rows=20_000)
    monkeypatch.setattr(backup_store, "STEP_PAGES", 50)
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode = wal")
    rows_before = writer.execute("SELECT count(*) FROM filler").fetchone()[0]
    steps: list[tuple[int, int]] = []

    def save_a_row(done: int, total: int) -> None:
        steps.append((done, total))
        writer.execute("INSERT INTO filler VALUES ('saved during the backup')")

    copy = tmp_path / "copy.sqlite3"
    copy_snapshot(db_path, copy, save_a_row)
    writer.close()

    assert len(steps) > 10  # copied in steps, each reported
    assert steps[-1][0] == steps[-1][1]
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)  # never restarted
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM filler").fetchone()[0] == rows_before
    connection.close()
    with sqlite3.connect(db_path) as connection:
        saved = connection.execute("SELECT count(*) FROM filler").fetchone()[0]
    connection.close()
    assert saved == rows_before + len(steps)


def test_a_stopped_backup_leaves_no_half_copy(register: Path) -> None:
    stop = threading.Event()
    stop.set()
    result = daily_care(register, NOW, pages_checked=True, cancel=stop)
    assert result.cancelled
    assert list_backups(register) == []
    assert list((register.parent / "backups").glob("*.partial")) == []


def test_a_backup_with_a_log_beside_it_is_not_restored(
    register: Path, good_backup: Path
) -> None:
    """Found in review: the check read the backup with its -wal, the restore copied the main
    file alone and put back a damaged register."""
    before = register.read_bytes()
    Path(f"{good_backup}-wal").write_bytes(b"\0" * 4096)
    with pytest.raises(BackupUnusableError, match="日志文件"):
        restore_backup(good_backup, register, NOW)
    assert register.read_bytes() == before


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """A 2 MiB disk of its own (tmpfs); skips the test where this machine may not mount one."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True, check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small disk here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill_up(disk: Path) -> Path:
    filler = disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as file:
        file.write(b"\0" * shutil.disk_usage(disk).free)
    return filler


@pytest.mark.sqlite_only
def test_a_full_disk_at_start_is_said_to_be_full_not_damaged(
    register: Path, tmp_path: Path
) -> None:
    """Found: opening a sound register on a full disk said "数据库文件已损坏" and advised
    restoring a backup (SQLite could not write its log beside the file: "disk I/O error")."""
    before = register.read_bytes()
    with small_disk(tmp_path / "small-disk") as disk:
        on_disk = disk / "desk.sqlite3"
        on_disk.write_bytes(before)
        filler = fill_up(disk)
        with pytest.raises(DiskFullError) as refused:
            open_desk_database(on_disk, NOW, create_folder=False)
        assert "磁盘空间已满" in str(refused.value)
        assert "不需要从备份恢复" in str(refused.value)
        assert not isinstance(refused.value, DatabaseDamagedError)
        close_database()
        assert on_disk.read_bytes() == before
        filler.unlink()
        open_desk_database(on_disk, NOW, create_folder=False)  # room again: it opens
        close_database()


@pytest.mark.sqlite_only
def test_a_version_number_set_back_by_hand_is_a_message_not_a_crash(register: Path) -> None:
    """Found in review: ``PRAGMA user_version`` lowered by one made the app rerun a step whose
    index was there, and it stopped with peewee's "index … already exists" traceback."""
    from desktop_app.store.migrations import MIGRATIONS, V_MAJOR_WAITING

    # The step that creates case_major_waiting (some later steps can be redone: they drop
    # what they create again).
    [creating] = [n for n, step in enumerate(MIGRATIONS, start=1)
                  if getattr(step, "statements", None) == V_MAJOR_WAITING]
    with sqlite3.connect(register) as connection:
        connection.execute(f"PRAGMA user_version = {creating - 1}")
    connection.close()
    before = register.read_bytes()
    with pytest.raises(DeskError) as refused:
        open_desk_database(register, NOW, daily_backup=False)
    message = str(refused.value)
    assert f"升级到第 {creating} 版时失败" in message
    assert "already exists" in message and "main.py verify" in message
    close_database()
    assert register.read_bytes() == before  # the step was undone whole


def test_sqlite_failing_to_open_is_damage_while_the_disk_has_room(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(_path: Path) -> None:
        raise DamagedDatabaseError("disk I/O error")

    monkeypatch.setattr(database_module, "open_database", fails)
    with pytest.raises(DatabaseDamagedError):
        open_desk_database(register, NOW)
    monkeypatch.setattr(database_module, "free_bytes", lambda _folder: 12 * 1024)
    with pytest.raises(DiskFullError, match="剩余 12 KB"):
        open_desk_database(register, NOW)


@pytest.mark.sqlite_only
def test_a_save_the_disk_has_no_room_for_says_so_and_saves_nothing(
    desk: Desk, staff: Staff
) -> None:
    """Found: on a full disk the save failed with "cannot rollback - no transaction is
    active", which hid the cause. (The file's allowed size stands in for the disk here.)"""

    def cases() -> int:
        return int(desk.db.execute_sql('SELECT count(*) FROM "case"').fetchone()[0])

    (pages,) = desk.db.execute_sql("PRAGMA page_count").fetchone()
    desk.db.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError, match="磁盘空间已满"):
        for number in range(200):
            desk.cases.register(staff.clerk, a_draft(customer_name=f"顾客{number}"))
    kept = cases()
    desk.db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert desk.register.verify().ok  # nothing half-saved
    desk.cases.register(staff.clerk, a_draft())
    assert cases() == kept + 1
