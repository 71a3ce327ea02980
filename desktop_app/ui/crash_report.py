"""Unhandled exceptions as a Chinese message box with the log's path.

Every exception that escapes (a slot, an event handler, a worker thread, start-up) is first
written to the rotating log (``desktop_app.error_log``), then shown. Inside the running event
loop the app keeps going: the slot that failed is abandoned, the window stays. An error that
means the file itself is damaged, running out of memory, or an error before the window
exists, ends the app after the box, since carrying on could write more to a broken file.

Signals:
    show_requested(str, bool): a message to show from the GUI thread (text, fatal).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop_app import APP_TITLE
from desktop_app.error_log import ErrorLog, ExcInfo, install, print_to_console

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

CONTINUE_MESSAGE = (
    "程序遇到了一个意外错误,刚才的操作可能没有完成。\n"
    "错误已记录在日志文件中:\n{log}\n\n"
    "您可以继续工作;请检查刚才的操作是否已保存。如果错误反复出现,请把日志文件发给系统管理员。"
)
FATAL_MESSAGE = (
    "程序遇到了一个无法继续的错误,将会关闭。\n"
    "错误已记录在日志文件中:\n{log}\n\n"
    "请把日志文件发给系统管理员。已经保存的记录不会丢失。"
)
NO_LOG = "(日志文件无法写入)"
# The same error again within this many seconds is logged but not shown again.
REPEAT_QUIET_SECONDS = 10.0


def is_fatal(error: BaseException) -> bool:
    """Errors after which continuing could do harm: a damaged file, or no memory left."""
    if isinstance(error, MemoryError):
        return True
    text = str(error).lower()
    database_error = type(error).__name__.endswith("DatabaseError")
    return database_error and ("malformed" in text or "not a database" in text)


class CrashReporter(QObject):
    show_requested = Signal(str, bool)

    def __init__(self, log: ErrorLog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self.box: QMessageBox | None = None
        self.shown: list[str] = []  # every message shown, for the tests and the curious
        self._last: tuple[str, float] | None = None
        # Emitted from a worker thread, this is queued to this object's (the GUI) thread.
        self.show_requested.connect(self._show)

    def install(self) -> CrashReporter:
        install(self.handle)
        return self

    def handle(self, info: ExcInfo, where: str) -> None:
        """Log, then show (in the GUI thread) a message with the log's path."""
        path = self.log.record(info, where)
        print_to_console(info)
        error = info[1]
        in_main_thread = threading.current_thread() is threading.main_thread()
        # A worker thread that failed is over; the window goes on. In the main thread an error
        # outside the event loop happened at start-up or shutdown: there is nothing to go on with.
        fatal = is_fatal(error) or (in_main_thread and not _event_loop_running())
        text = (FATAL_MESSAGE if fatal else CONTINUE_MESSAGE).format(
            log=path if path is not None else NO_LOG
        )
        text += f"\n\n({type(error).__name__}: {error})"
        if in_main_thread:
            self._show(text, fatal)
        else:
            self.show_requested.emit(text, fatal)

    def _show(self, text: str, fatal: bool) -> None:
        # Imported here: PySide builds the whole Qt namespace (~11 ms) on first use, and the
        # login dialog does not need it.
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        now = time.monotonic()
        if not fatal and self._quiet(text, now):
            return
        self._last = (text, now)
        self.shown.append(text)
        app = _application()
        box = QMessageBox(
            QMessageBox.Icon.Critical, APP_TITLE, text, QMessageBox.StandardButton.Ok,
            app.activeWindow(),
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box = box
        if fatal:
            box.exec()
            app.exit(1)
            return
        # Not exec(): a nested event loop inside a failing paint or model call could fail
        # again inside itself. The box is modal all the same and the window stays open.
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _quiet(self, text: str, now: float) -> bool:
        """One box at a time, and the same error again soon after is only logged: a loop of
        errors must not bury the window in boxes."""
        if self.box is not None and _visible(self.box):
            return True
        last = self._last
        return last is not None and last[0] == text and now - last[1] < REPEAT_QUIET_SECONDS


def _visible(box: QMessageBox) -> bool:
    try:
        return box.isVisible()
    except RuntimeError:  # already deleted on close
        return False


def _event_loop_running() -> bool:
    """True inside ``app.exec()``: the error came from a slot or handler, not from start-up."""
    app = QCoreApplication.instance()
    return app is not None and app.thread().loopLevel() > 0


def _application() -> QApplication:
    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication([])
