"""An exception anywhere becomes a log entry and a Chinese message box with the log's path."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop_app.error_log import LOG_FILE_NAME, ErrorLog
from desktop_app.ui.crash_report import CrashReporter, is_fatal
from tests.file_damage import run_python


@pytest.fixture
def reporter(qtbot: QtBot, tmp_path: Path) -> Iterator[CrashReporter]:
    saved = sys.excepthook, threading.excepthook
    installed = CrashReporter(ErrorLog(lambda: tmp_path / "logs")).install()
    yield installed
    sys.excepthook, threading.excepthook = saved
    if installed.box is not None:
        installed.box.close()
    installed.log.close()


def log_text(reporter: CrashReporter) -> str:
    return reporter.log.path.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_shown_and_the_app_keeps_running(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    def broken_slot() -> None:
        raise KeyError("小票号")

    later: list[str] = []
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(50, lambda: later.append("still running"))
    qtbot.waitUntil(lambda: bool(later), timeout=5_000)

    assert len(reporter.shown) == 1
    message = reporter.shown[0]
    assert "程序遇到了一个意外错误" in message
    assert "您可以继续工作" in message
    assert str(reporter.log.path) in message
    assert reporter.box is not None and reporter.box.isVisible()
    assert "KeyError: '小票号'" in log_text(reporter)
    assert "broken_slot" in log_text(reporter)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_worker_thread_is_shown_by_the_window_s_thread(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    worker = threading.Thread(target=lambda: 1 / 0, name="report-export")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5_000)
    assert str(reporter.log.path) in reporter.shown[0]
    assert "未处理的异常(线程 report-export)" in log_text(reporter)


@pytest.mark.qt_no_exception_capture
def test_a_loop_of_errors_shows_one_box_and_logs_them_all(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    counter: list[int] = []

    def failing_paint() -> None:
        counter.append(1)
        raise ValueError(f"第 {len(counter)} 次")

    for _ in range(5):
        QTimer.singleShot(0, failing_paint)
    qtbot.waitUntil(lambda: len(counter) == 5, timeout=5_000)
    assert len(reporter.shown) == 1
    assert log_text(reporter).count("未处理的异常") == 5


def test_a_damaged_file_or_no_memory_ends_the_app_other_errors_do_not() -> None:
    assert is_fatal(sqlite3.DatabaseError("database disk image is malformed"))
    assert is_fatal(sqlite3.DatabaseError("file is not a database"))
    assert is_fatal(MemoryError())
    assert not is_fatal(sqlite3.OperationalError("database is locked"))
    assert not is_fatal(KeyError("x"))


WINDOWED_APP = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from desktop_app.error_log import ErrorLog
from desktop_app.ui.crash_report import CrashReporter

sys.stderr = None  # as in the windowed Windows build: no console at all
app = QApplication([])
reporter = CrashReporter(ErrorLog(lambda: Path({folder!r}))).install()
window = QMainWindow()
window.show()

def fail():
    raise {error}

def close_boxes():
    modal = QApplication.activeModalWidget()
    if modal is not None:
        modal.close()

closer = QTimer()  # the user reading the box and pressing OK
closer.timeout.connect(close_boxes)
closer.start(100)
QTimer.singleShot(0, fail)
QTimer.singleShot(600, lambda: (print("shown:", len(reporter.shown)), app.exit(0)))
code = app.exec()
print("exit", code)
sys.exit(0)
"""


def test_the_windowed_build_logs_and_carries_on_after_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    printed = run_python(WINDOWED_APP.format(folder=str(folder), error="LookupError('商品')"))
    assert "shown: 1" in printed
    assert "exit 0" in printed  # the window was still there to end normally
    assert "LookupError: 商品" in (folder / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_the_windowed_build_closes_after_a_damaged_file_error(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    error = "__import__('sqlite3').DatabaseError('database disk image is malformed')"
    printed = run_python(WINDOWED_APP.format(folder=str(folder), error=error))
    assert "exit 1" in printed
    assert "shown:" not in printed  # ended by the error, not by the normal exit
    assert "DatabaseError" in (folder / LOG_FILE_NAME).read_text(encoding="utf-8")
