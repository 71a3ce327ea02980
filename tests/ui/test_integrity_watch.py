"""The page check and the day's backup run beside the open window, with progress."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from desktop_app.store import backup as backup_store
from desktop_app.store.backup import list_backups
from desktop_app.ui.integrity_watch import CareStatus, IntegrityWatch
from tests.file_damage import corrupt_a_page, make_register

NOW = datetime(2026, 11, 24, 10, 0, 0)


def test_damage_is_reported_through_the_signal(qtbot: QtBot, db_path: Path) -> None:
    make_register(db_path)
    corrupt_a_page(db_path)
    watch = IntegrityWatch(db_path)
    with qtbot.waitSignal(watch.damaged, timeout=10_000) as reported:
        watch.start()
    assert "数据库文件已损坏" in reported.args[0]


def test_a_sound_file_finishes_quietly(qtbot: QtBot, db_path: Path) -> None:
    make_register(db_path)
    watch = IntegrityWatch(db_path)
    damaged: list[str] = []
    watch.damaged.connect(damaged.append)
    with qtbot.waitSignal(watch.finished, timeout=10_000):
        watch.start()
    assert damaged == []


def test_a_damaged_file_gets_no_backup_and_is_reported(qtbot: QtBot, db_path: Path) -> None:
    make_register(db_path)
    corrupt_a_page(db_path)
    watch = IntegrityWatch(db_path, NOW, backup=True, pages_checked=False)
    made: list[str] = []
    watch.backup_made.connect(made.append)
    with qtbot.waitSignal(watch.damaged, timeout=10_000):
        watch.start()
    assert made == []
    assert list_backups(db_path) == []


def test_the_backup_runs_beside_the_window_with_progress_in_the_status_bar(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_register(db_path, filler_rows=30_000)  # ≈ 20 MB
    monkeypatch.setattr(backup_store, "STEP_PAGES", 64)  # many small steps, as on 5 GB
    window = QMainWindow()
    qtbot.addWidget(window)
    status = CareStatus()
    window.statusBar().addPermanentWidget(status)
    window.show()
    watch = IntegrityWatch(db_path, NOW, backup=True, pages_checked=True)
    status.follow(watch)
    shown: list[tuple[str, str]] = []
    watch.progress.connect(
        lambda *_: shown.append((status.label.text(), status.bar.format()))
        if status.isVisible()
        else None
    )
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(5)

    with qtbot.waitSignal(watch.backup_made, timeout=30_000) as made:
        watch.start()
    started = time.monotonic()
    timer.stop()
    watch.stop()

    assert Path(made.args[0]) in list_backups(db_path)
    copying = [int(percent[:-1]) for label, percent in shown if label.startswith("正在备份数据库")]
    assert len(copying) > 10
    assert copying == sorted(copying) and copying[-1] >= 90
    assert shown[-1][0].startswith("正在检查备份")  # then the copy is page-checked
    qtbot.waitUntil(lambda: "今日备份已完成" in status.label.text(), timeout=5_000)
    # The event loop kept running while the copy was made: the window was never frozen.
    assert len([tick for tick in ticks if tick <= started]) >= 5


def test_a_failed_backup_is_reported_with_the_folder(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_register(db_path)
    monkeypatch.setattr(backup_store, "page_check", lambda path, cancel=None: ["bad copy"])
    watch = IntegrityWatch(db_path, NOW, backup=True, pages_checked=True)
    with qtbot.waitSignal(watch.backup_failed, timeout=10_000) as failed:
        watch.start()
    assert "今天的自动备份没有完成" in failed.args[0]
    assert str(db_path.parent / "backups") in failed.args[0]
    assert list_backups(db_path) == []


def test_stopping_the_watch_ends_its_work(qtbot: QtBot, db_path: Path) -> None:
    make_register(db_path, filler_rows=20_000)
    watch = IntegrityWatch(db_path, NOW, backup=True, pages_checked=True)
    with qtbot.waitSignal(watch.finished, timeout=10_000):
        watch.start()
        watch.stop()
    assert list((db_path.parent / "backups").glob("*.partial")) == []
