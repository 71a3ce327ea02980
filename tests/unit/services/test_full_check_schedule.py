"""When the day's check is the full one: a week after the last clean full check, or when
there was none (or its date cannot be trusted), and which backup that check vouches for."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from desktop_app.services.anchors import (
    FULL_CHECK_EVERY,
    full_check_due,
    full_check_file,
    record_full_check,
    vouched_backup,
)

NOW = datetime(2026, 11, 26, 9, 0)


def test_the_full_check_is_due_a_week_after_the_last_clean_one(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    assert full_check_due(db, NOW)  # never run
    record_full_check(db, NOW, None)
    assert not full_check_due(db, NOW)
    assert not full_check_due(db, NOW + FULL_CHECK_EVERY - timedelta(seconds=1))
    assert full_check_due(db, NOW + FULL_CHECK_EVERY)
    assert full_check_due(db, NOW - timedelta(minutes=1))  # dated in the future: clock set back


def test_an_unreadable_record_makes_the_full_check_due(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    record_full_check(db, NOW, None)
    full_check_file(db).write_text("garbage", encoding="utf-8")
    assert full_check_due(db, NOW)
    assert vouched_backup(db) is None


def test_only_a_backup_beside_the_register_is_vouched_for(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    kept = tmp_path / "backups" / "desk-20261126-080000.sqlite3"
    kept.parent.mkdir()
    kept.write_bytes(b"x")
    record_full_check(db, NOW, kept)
    assert vouched_backup(db) == kept
    full_check_file(db).write_text("2026-11-26 09:00:00 ../desk.sqlite3\n", encoding="utf-8")
    assert vouched_backup(db) is None
    kept.unlink()
    record_full_check(db, NOW, kept)
    assert vouched_backup(db) is None
