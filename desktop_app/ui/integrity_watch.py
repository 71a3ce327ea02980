"""The page-by-page check and the day's backup, run beside the open window.

On a large register both read the whole file (seconds to minutes): the window opens at once,
a bar in the status bar shows how far the backup is, and should the file be damaged the user
is told and the app closes before more is written to it. A backup is named only after its copy
passed the page check, so a damaged file is never kept as the day's backup.

Signals:
    damaged(str): the Chinese message for the user.
    progress(str, int, int): what is running, done, of how many (0, 0: busy, no measure).
    backup_made(str): the path of the day's backup.
    backup_failed(str): why the day's backup could not be made (the file itself is sound).
    finished(): the work ended (either way, also when stopped).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop_app.services.database_file import CareResult, daily_care, damage_found

if TYPE_CHECKING:
    from desktop_app.services.privacy import PrivacyService

BACKUP_FAILED_MESSAGE = (
    "今天的自动备份没有完成:\n{reason}\n\n"
    "数据库本身已通过检查,可以继续工作。请检查备份文件夹所在的磁盘是否已满或损坏:\n{folder}\n"
    "程序下次启动时会再试一次。"
)
# How long "今日备份已完成" stays in the status bar.
DONE_NOTICE_MS = 15_000


class IntegrityWatch(QObject):
    damaged = Signal(str)
    progress = Signal(str, int, int)
    backup_made = Signal(str)
    backup_failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        path: Path,
        now: datetime | None = None,
        backup: bool = False,
        pages_checked: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._now = now or datetime.now()
        self._backup = backup
        self._pages_checked = pages_checked
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-care", daemon=True)
        # Set before ``start``: customers' data past its period is erased before the day's
        # backup is copied, and the older backups are scrubbed after it (services/privacy.py).
        self.privacy: PrivacyService | None = None
        self._failure: Exception | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait_seconds: float = 5.0) -> None:
        """Stop the work (the app is closing): SQLite is interrupted, a half copy removed."""
        self._cancel.set()
        if self._thread.is_alive():
            self._thread.join(wait_seconds)

    def _run(self) -> None:
        try:
            result = self._work()
            if result.damage is not None:
                self.damaged.emit(str(result.damage))
            elif result.backup_made is not None:
                self.backup_made.emit(str(result.backup_made))
            elif result.backup_problem is not None:
                self.backup_failed.emit(
                    BACKUP_FAILED_MESSAGE.format(
                        reason=result.backup_problem, folder=self._path.parent / "backups"
                    )
                )
        finally:
            self.finished.emit()
        if self._failure is not None:
            # A bug in the privacy job: the error log and its message box take it from here,
            # after the day's backup (which matters more) was made and reported.
            raise self._failure

    def _work(self) -> CareResult:
        if self.privacy is None:
            return self._care()
        try:
            self.privacy.daily_job(self._report)
        except Exception as error:
            self._failure = error
        finally:
            self.privacy.close_thread_connection()
        result = self._care()
        if self._failure is None and result.damage is None and not result.cancelled:
            self._report("正在清除备份中已删除的顾客个人信息", 0, 0)
            try:
                self.privacy.care_for_backups()
            except Exception as error:
                self._failure = error
        return result

    def _care(self) -> CareResult:
        if self._backup:
            return daily_care(
                self._path, self._now, self._pages_checked, self._report, self._cancel
            )
        if self._pages_checked:
            return CareResult()
        self._report("正在检查数据库文件", 0, 0)
        return CareResult(damage=damage_found(self._path, self._cancel))

    def _report(self, what: str, done: int, total: int) -> None:
        self.progress.emit(what, done, total)


class CareStatus(QWidget):
    """What the background work is doing, for the main window's status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("care_label")
        self.bar = QProgressBar()
        self.bar.setObjectName("care_progress")
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.hide()

    def follow(self, watch: IntegrityWatch) -> None:
        watch.progress.connect(self.on_watch_progress)
        watch.backup_made.connect(self.on_watch_backup_made)
        watch.finished.connect(self.on_watch_finished)

    def on_watch_progress(self, what: str, done: int, total: int) -> None:
        self.label.setText(f"{what}……")
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(done * 1000 / total))
            self.bar.setFormat(f"{done * 100 // total}%")
        else:
            self.bar.setRange(0, 0)  # busy: the page check has no measure of its own
        self.bar.show()
        self.show()

    def on_watch_backup_made(self, path: str) -> None:
        self.label.setText(f"今日备份已完成:{Path(path).name}")
        self.label.setToolTip(path)
        self.bar.hide()
        self.show()
        QTimer.singleShot(DONE_NOTICE_MS, self.hide)

    def on_watch_finished(self) -> None:
        if self.bar.isVisible():
            self.hide()
