"""校验登记簿 beside the open window: the check runs in a worker thread on its own read-only
connection (on a large register it shares the work with worker processes), a bar in the status
bar shows how far it is, and the window stays usable; the result comes as a message box.

The daily check (``DailyRegisterCheck``) looks only at what is new since the last clean check
and says nothing unless it finds a change.

Signals of ``RegisterCheck``:
    progress(int, int): entries and rows checked, of how many.
    finished(object): the ``VerifyReport``, or None when stopped or failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QWidget,
)

from desktop_app.services.desk import Desk
from desktop_app.services.register_service import RegisterService
from desktop_app.services.verification import VerifyCancelledError, VerifyReport

TITLE = "校验登记簿"
DAILY_OK_NOTICE_MS = 10_000


class RegisterCheck(QObject):
    progress = Signal(int, int)
    finished = Signal(object)

    def __init__(
        self, register: RegisterService, since_last: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._register = register
        self._since_last = since_last
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="register-check", daemon=True)
        self.report: VerifyReport | None = None

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, wait_seconds: float = 10.0) -> None:
        """Stop the check (the app is closing); worker processes finish their current part."""
        self._cancel.set()
        if self._thread.is_alive():
            self._thread.join(wait_seconds)

    def _run(self) -> None:
        try:
            if self._since_last:
                self.report = self._register.verify_since_last(
                    progress=self._report, cancel=self._cancel
                )
            else:
                self.report = self._register.verify(progress=self._report, cancel=self._cancel)
        except VerifyCancelledError:
            self.report = None
        finally:
            self.finished.emit(self.report)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)


class CheckStatus(QWidget):
    """The check's label and bar, for the main window's status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("正在校验登记簿……")
        self.label.setObjectName("register_check_label")
        self.bar = QProgressBar()
        self.bar.setObjectName("register_check_progress")
        self.bar.setFixedWidth(160)
        self.bar.setRange(0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)

    def on_check_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(done * 1000 / total))
            self.bar.setFormat(f"{done * 100 // total}%")


class _Running:
    """The one full check of this process (the menu starts it; a second click shows it)."""

    check: RegisterCheck | None = None


def verify_register_with_progress(desk: Desk, parent: QWidget | None) -> RegisterCheck:
    """Start the full check beside the window; its result comes as a message box."""
    running = _Running.check
    if running is not None and running.is_running():
        return running
    check = RegisterCheck(desk.register)
    status = _show_status(parent, check)

    def on_finished(report: object) -> None:
        if status is not None:
            status.deleteLater()
        _Running.check = None
        if isinstance(report, VerifyReport):
            _tell(parent, report)

    check.finished.connect(on_finished)
    _Running.check = check
    check.start()
    return check


def _show_status(parent: QWidget | None, check: RegisterCheck) -> CheckStatus | None:
    window = parent.window() if parent is not None else None
    if not isinstance(window, QMainWindow):
        return None
    status = CheckStatus()
    window.statusBar().addPermanentWidget(status)
    check.progress.connect(status.on_check_progress)
    return status


def _tell(parent: QWidget | None, report: VerifyReport) -> None:
    if report.ok:
        box = QMessageBox(QMessageBox.Icon.Information, TITLE, report.message,
                          QMessageBox.StandardButton.Ok, parent)
    else:
        box = QMessageBox(QMessageBox.Icon.Critical, "登记簿被改动", report.message,
                          QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("register_check_result")
    box.open()


class DailyRegisterCheck(QObject):
    """The day's check of what is new since the last clean one, once the day's backup is done;
    silent unless it finds a change (then the same message as the full check)."""

    def __init__(self, desk: Desk, window: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._desk = desk
        self._window = window
        self.check: RegisterCheck | None = None

    def start(self) -> None:
        if self.check is not None:
            return
        # Once a week the day's check is the full one (old rows too), beside the window.
        full = self._desk.register.full_check_due(datetime.now())
        self.check = RegisterCheck(self._desk.register, since_last=not full)
        self.check.finished.connect(self.on_check_finished)
        self.check.start()

    def stop(self) -> None:
        if self.check is not None:
            self.check.stop()

    def on_check_finished(self, report: object) -> None:
        window = self._window()
        if not isinstance(report, VerifyReport):
            return
        if not report.ok:
            _tell(window, report)
        elif isinstance(window, QMainWindow):
            window.statusBar().showMessage("登记簿今日校验:" + report.message, DAILY_OK_NOTICE_MS)
