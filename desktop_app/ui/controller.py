"""The session: first-run set-up, login, the main window, switching user."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_TITLE
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError
from desktop_app.domain.roles import Role
from desktop_app.services.database import open_desk_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.services.printing import pdf_self_test
from desktop_app.store.connection import close_database
from desktop_app.ui.first_run_dialog import first_run, offer_unfinished_setup
from desktop_app.ui.integrity_watch import IntegrityWatch
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.qt_app import create_application


class SessionController:
    """Owns the main window of whoever is logged in; at most one at a time."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.window: MainWindow | None = None

    def start(self) -> bool:
        """First run or login; False when the user cancelled and the app should end."""
        if self.desk.accounts.needs_first_run():
            account = first_run(self.desk)
        else:
            account = LoginDialog.ask(self.desk.accounts.authenticate)
            if account is not None:
                offer_unfinished_setup(self.desk, account)
        if account is None:
            return False
        self.open_window(account).show_major_complaints()
        return True

    def open_window(self, account: Account) -> MainWindow:
        self.window = MainWindow(self.desk, account)
        self.window.switch_user_requested.connect(self.on_switch_user_requested)
        self.window.show()
        return self.window

    def on_switch_user_requested(self) -> None:
        previous = self.window
        if previous is not None:
            previous.hide()
        account = LoginDialog.ask(
            self.desk.accounts.authenticate, title="切换用户", prompt="请新用户输入用户名和密码"
        )
        if previous is not None:
            previous.deleteLater()
        self.window = None
        if account is None:
            QApplication.quit()
            return
        self.open_window(account).show_major_complaints()


def run_application(
    db_path: Path,
    smoke_test: bool = False,
    bench_login: str | None = None,
    started: float | None = None,
) -> int:
    app = create_application(sys.argv[:1])
    try:
        # The packaged build's smoke test checks every page before it says "ok".
        opened = open_desk_database(db_path, datetime.now(), check_pages=smoke_test)
    except DeskError as error:
        if smoke_test:
            print(f"smoke-test failed: {error}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_TITLE, str(error))
        return 1
    desk = build_desk(opened.db, db_path)
    controller = SessionController(desk)
    try:
        if smoke_test:
            return _smoke_test(app, controller)
        if bench_login is not None:
            return _bench(app, controller, bench_login, started or time.perf_counter())
        if not controller.start():
            return 0
        watch = IntegrityWatch(db_path)
        watch.damaged.connect(lambda message: _stop_on_damage(app, message))
        watch.start()
        return app.exec()
    finally:
        close_database()


def _stop_on_damage(app: QApplication, message: str) -> None:
    QMessageBox.critical(app.activeWindow(), APP_TITLE, message)
    app.quit()


def _smoke_test(app: QApplication, controller: SessionController) -> int:
    """Schema created, window built and shown, then a clean exit: the packaged build's check."""
    probe = Account(id=0, username="smoke", display_name="自检", role=Role.CLERK, active=True)
    window = controller.open_window(probe)
    app.processEvents()
    shown = window.isVisible()
    window.close()
    printed = pdf_self_test()
    ok = shown and printed
    print(f"smoke-test {'ok' if ok else 'failed'}: {controller.desk.db_path}")
    return 0 if ok else 1


def _bench(app: QApplication, controller: SessionController, login: str, started: float) -> int:
    username, _, password = login.partition(":")
    window = controller.open_window(controller.desk.accounts.authenticate(username, password))
    app.processEvents()
    # bench/startup.py measures from the moment it spawned this process to this wall-clock time.
    print(f"main-window-shown-at {time.time():.6f} visible={window.isVisible()}", flush=True)
    window.close()
    return 0
