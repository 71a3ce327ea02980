"""The session: start-up, first-run set-up, login, the main window, switching user.

Start-up is in two phases so the login dialog is on screen as soon as Qt is:
1. before the dialog: the database file is claimed (lock, damage kinds, read-only) by the
   caller, and a small file's page check finishes (it started in a thread before Qt loaded);
2. while the dialog waits for the password: ``DeskLoader`` loads peewee, the services and every
   page in small steps from the event loop, so the main window follows the password at once.
The day's backup (and a large file's page check) then run beside the main window.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop_app import APP_TITLE
from desktop_app.domain.errors import DeskError
from desktop_app.error_log import ErrorLog
from desktop_app.paths import log_dir
from desktop_app.ui.crash_report import CrashReporter
from desktop_app.ui.daily_care import DailyCare
from desktop_app.ui.desk_loader import DeskLoader
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.qt_app import create_application
from desktop_app.ui.search_upkeep import SearchIndexUpkeep

# Everything else is imported where it is used: what the login dialog does not need waits for
# the loader (PySide builds its whole Qt namespace, ~11 ms, on first use of ``Qt``).
if TYPE_CHECKING:
    from desktop_app.domain.accounts import Account
    from desktop_app.services.database_file import ClaimedDatabase, PageCheck
    from desktop_app.services.desk import Desk
    from desktop_app.ui.main_window import MainWindow

# A check that takes longer than this before login gets a "please wait" dialog.
CHECK_NOTICE_MS = 300

__all__ = [
    "CHECK_NOTICE_MS", "DailyCare", "DeskLoader", "SessionController", "refuse", "run_application",
]

class SessionController:
    """Owns the main window of whoever is logged in; at most one at a time."""

    def __init__(
        self, desk: Desk, on_window_opened: Callable[[MainWindow], None] | None = None
    ) -> None:
        self.desk = desk
        self.window: MainWindow | None = None
        self._on_window_opened = on_window_opened

    def open_window(self, account: Account) -> MainWindow:
        from desktop_app.ui.main_window import MainWindow

        self.window = MainWindow(self.desk, account)
        self.window.switch_user_requested.connect(self.on_switch_user_requested)
        if self._on_window_opened is not None:
            self._on_window_opened(self.window)
        self.window.show()
        # The login dialog had the keyboard: without this, a desktop with no window manager to
        # activate the new window (found on an X server) left Alt+letter and Ctrl+S going
        # nowhere until the clerk clicked the window (Alt+B typed a "b" into the phone).
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def on_switch_user_requested(self) -> None:
        previous = self.window
        if previous is not None:
            previous.hide()
        account = self._next_user()
        if previous is not None:
            previous.deleteLater()
        self.window = None
        if account is None:
            QApplication.quit()
            return
        from desktop_app.ui.change_password_dialog import ask_when_set_by_someone_else

        account = ask_when_set_by_someone_else(self.desk.accounts, account)
        self.open_window(account).show_major_complaints()


    def _next_user(self) -> Account | None:
        """Who logs in next; None only when the desk confirms quitting. Cancelling never goes
        back to the previous user's window (it was left for the next person), and Esc alone
        no longer ends the program (found: the desk had to start it again)."""
        from desktop_app.ui.unsaved import asked_yes

        while True:
            account = LoginDialog.ask(
                self.desk.accounts.authenticate, title="切换用户",
                prompt="请新用户输入用户名和密码",
            )
            if account is not None:
                return account
            if asked_yes(None, "切换用户", "没有用户登录。要退出服务台程序吗?"):
                return None


def refuse(message: str, smoke_test: bool = False) -> int:
    """The database cannot be used: say why in Chinese and end the app (exit code 1)."""
    if smoke_test:
        print(f"smoke-test failed: {message}", file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QMessageBox

    create_application(sys.argv[:1])
    QMessageBox.critical(None, APP_TITLE, message)
    return 1


def run_application(
    claimed: ClaimedDatabase,
    early_check: PageCheck | None,
    smoke_test: bool = False,
    bench_login: str | None = None,
) -> int:
    """The windowed app on a database this process has claimed; returns the exit code."""
    app = create_application(sys.argv[:1])
    reporter = CrashReporter(ErrorLog(log_dir), app).install()
    if early_check is not None:
        damage = _wait_for_check(app, early_check)
        if damage is not None:
            return refuse(str(damage), smoke_test)
    loader = DeskLoader(claimed, datetime.now())
    try:
        if smoke_test:
            return _smoke_test(app, loader)
        if bench_login is not None:
            return _bench(app, loader, reporter, bench_login)
        care = DailyCare(claimed)
        session = _log_in(loader, on_window_opened=care.show_in)
        if session is None:
            return 1 if loader.failure else 0
        care.watch.privacy = session.desk.privacy
        watch = care.start(app, reporter)
        # Once a day, with the day's backup: the search index checked by FTS5 itself.
        watch.backup_made.connect(lambda _path: _check_search_index(session))
        upkeep = SearchIndexUpkeep(session.desk)
        upkeep.start()
        from desktop_app.ui.verify_register import DailyRegisterCheck

        # What is new in the register since its last clean check, once the backup is done.
        register_check = DailyRegisterCheck(session.desk, lambda: session.window)
        watch.finished.connect(register_check.start)
        try:
            return app.exec()
        finally:
            watch.stop()
            register_check.stop()
    finally:
        loader.close()


def _wait_for_check(app: QApplication, check: PageCheck) -> DeskError | None:
    """The page check before login; a "please wait" dialog if it takes a while."""
    if not check.done():
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QProgressDialog

        notice = QProgressDialog("正在检查数据库文件,请稍候……", "", 0, 0)
        notice.setWindowTitle(APP_TITLE)
        notice.setCancelButton(None)
        notice.setMinimumDuration(CHECK_NOTICE_MS)
        notice.setValue(0)
        while not check.done():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)
        notice.close()
    return check.result()


def _log_in(
    loader: DeskLoader, on_window_opened: Callable[[MainWindow], None]
) -> SessionController | None:
    """First-run set-up or the login dialog; the session after a successful login."""
    from desktop_app.ui.first_run_dialog import first_run, offer_unfinished_setup

    if loader.claimed.needs_first_run:
        try:
            desk = loader.desk()
        except DeskError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, APP_TITLE, str(error))
            return None
        account = first_run(desk)
    else:
        dialog = LoginDialog(loader.authenticate)
        loader.failed.connect(lambda message: _give_up(dialog, message))
        dialog.show()
        loader.schedule()
        dialog.exec()
        account = dialog.account
        if account is not None:
            offer_unfinished_setup(loader.desk(), account)
    if account is None:
        return None
    from desktop_app.ui.change_password_dialog import ask_when_set_by_someone_else

    account = ask_when_set_by_someone_else(loader.desk().accounts, account)
    session = SessionController(loader.desk(), on_window_opened)
    session.open_window(account).show_major_complaints()
    return session


SEARCH_REBUILT = "搜索索引曾损坏(磁盘上的数据出错),已按案件重新建立;案件和登记簿本身完好"
SEARCH_NOTICE_MS = 60_000


def _check_search_index(session: SessionController) -> None:
    if session.desk.cases.repair_search_index() and session.window is not None:
        session.window.statusBar().showMessage(SEARCH_REBUILT, SEARCH_NOTICE_MS)


def _give_up(dialog: LoginDialog, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(dialog, APP_TITLE, message)
    dialog.reject()


def _smoke_test(app: QApplication, loader: DeskLoader) -> int:
    """Schema created, window built and shown, then a clean exit: the packaged build's check."""
    from desktop_app.domain.accounts import Account
    from desktop_app.domain.roles import Role
    from desktop_app.services.printing import pdf_self_test

    try:
        session = SessionController(loader.desk())
    except DeskError as error:
        return refuse(str(error), smoke_test=True)
    probe = Account(id=0, username="smoke", display_name="自检", role=Role.CLERK, active=True)
    window = session.open_window(probe)
    app.processEvents()
    shown = window.isVisible()
    window.close()
    printed = pdf_self_test()
    ok = shown and printed
    print(f"smoke-test {'ok' if ok else 'failed'}: {session.desk.db_path}")
    return 0 if ok else 1


def _bench(app: QApplication, loader: DeskLoader, reporter: CrashReporter, login: str) -> int:
    """bench/startup.py: the same dialog, loader and window as a real start, typed by code.

    Prints wall-clock times (time.time()) the bench subtracts from when it spawned us: the
    login dialog on screen; the loader done while the dialog waits (a person takes seconds
    to type a password); the password checked; the main window on screen after it."""
    username, _, password = login.partition(":")
    checked: list[float] = []

    def check(user: str, secret: str) -> Account:
        account = loader.authenticate(user, secret)
        checked.append(time.time())
        return account

    dialog = LoginDialog(check)
    dialog.show()
    app.processEvents()
    print(f"login-dialog-shown-at {time.time():.6f}", flush=True)
    from PySide6.QtCore import QEventLoop

    waiting = QEventLoop()
    loader.loaded.connect(waiting.quit)
    loader.schedule()
    waiting.exec()
    print(f"loader-done-at {time.time():.6f}", flush=True)
    for name, seconds in loader.timings:
        print(f"loader-step {name} {seconds * 1000:.1f}", flush=True)
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.ok_button.click()
    if dialog.account is None:
        print(f"login failed: {dialog.error.text()}", file=sys.stderr)
        return 1
    session = SessionController(loader.desk())
    window = session.open_window(dialog.account)
    window.show_major_complaints()
    app.processEvents()
    print(f"password-checked-at {checked[-1]:.6f}", flush=True)
    print(f"main-window-shown-at {time.time():.6f} visible={window.isVisible()}", flush=True)
    # As at a real start, the day's backup begins once the window is on screen.
    care = DailyCare(loader.claimed)
    care.show_in(window)
    care.start(app, reporter).stop()
    window.close()
    return 0
