"""Unhandled exceptions are written to a rotating log file, console or not."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app import error_log
from desktop_app.error_log import LOG_FILE_NAME, ErrorLog, ExcInfo
from tests.file_damage import run_python


@pytest.fixture
def restore_hooks() -> Iterator[None]:
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


def raised(error: BaseException) -> ExcInfo:
    try:
        raise error
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_the_traceback_and_where_it_happened_are_logged(tmp_path: Path) -> None:
    log = ErrorLog(lambda: tmp_path / "logs")
    path = log.record(raised(ValueError("金额不能为负")), "主线程")
    log.close()
    assert path == tmp_path / "logs" / LOG_FILE_NAME
    text = path.read_text(encoding="utf-8")
    assert "未处理的异常(主线程)" in text
    assert "ValueError: 金额不能为负" in text
    assert "Traceback" in text


def test_the_log_rotates_instead_of_growing_without_end(tmp_path: Path) -> None:
    log = ErrorLog(lambda: tmp_path, max_bytes=2_000)
    for number in range(200):
        log.record(raised(RuntimeError(f"第 {number} 次")), "主线程")
    log.close()
    files = sorted(tmp_path.glob(f"{LOG_FILE_NAME}*"))
    assert len(files) == 1 + error_log.BACKUP_COUNT
    assert all(path.stat().st_size <= 2_000 for path in files)
    everything = "".join(path.read_text(encoding="utf-8") for path in files)
    assert "第 199 次" in (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "第 0 次" not in everything


def test_an_unwritable_log_never_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    log = ErrorLog(lambda: blocker / "logs")
    assert log.record(raised(ValueError("x")), "主线程") is None


def test_worker_thread_exceptions_reach_the_handler(restore_hooks: None) -> None:
    seen: list[tuple[str, str]] = []
    error_log.install(lambda info, where: seen.append((type(info[1]).__name__, where)))
    worker = threading.Thread(target=lambda: 1 / 0, name="备份线程")
    worker.start()
    worker.join()
    assert seen == [("ZeroDivisionError", "线程 备份线程")]


def test_without_a_console_the_error_still_reaches_the_log(tmp_path: Path) -> None:
    """The windowed Windows build runs with sys.stderr None; nothing may be lost there."""
    folder = tmp_path / "logs"
    printed = run_python(
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from desktop_app import error_log\n"
        "sys.stderr = None\n"
        f"log = error_log.ErrorLog(lambda: Path({str(folder)!r}))\n"
        "error_log.install(error_log.logging_handler(log))\n"
        "t = threading.Thread(target=lambda: {}['missing'], name='worker')\n"
        "t.start(); t.join()\n"
        "sys.excepthook(*(lambda e: (type(e), e, e.__traceback__))(OSError('磁盘已满')))\n"
        "print('still running')\n"
    )
    assert "still running" in printed
    text = (folder / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "KeyError: 'missing'" in text
    assert "未处理的异常(线程 worker)" in text
    assert "OSError: 磁盘已满" in text
