"""First-run set-up, login and the main window, driven through the real widgets."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from desktop_app.app import main as app_main
from desktop_app.domain.accounts import Account
from desktop_app.domain.roles import Role
from desktop_app.services.database import open_desk_database
from desktop_app.services.database_file import ClaimedDatabase, claim_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store.backup import list_backups
from desktop_app.store.connection import close_database
from desktop_app.ui import controller as controller_module
from desktop_app.ui.accounts_page import AccountsPage, NewAccountDialog
from desktop_app.ui.change_password_dialog import ChangePasswordDialog
from desktop_app.ui.first_run_dialog import FirstRunDialog
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.file_damage import DAMAGE_KINDS, LockHolder, corrupt_a_page
from tests.ui.typing import press_enter, show, type_text


@pytest.fixture
def boss(desk: Desk) -> Account:
    return desk.accounts.create_first_store_manager(
        "测试店", "boss", "王店长", "secret1", "secret1"
    )


def test_the_store_manager_sets_up_the_first_account_by_keyboard(qtbot: QtBot, desk: Desk) -> None:
    dialog = FirstRunDialog(desk.accounts)
    show(qtbot, dialog)
    type_text(qtbot, dialog.store_name, "惠民超市")
    type_text(qtbot, dialog.username, "wangjg")
    type_text(qtbot, dialog.display_name, "王建国")
    type_text(qtbot, dialog.password, "secret1")
    type_text(qtbot, dialog.confirm, "secret1")
    press_enter(qtbot, dialog.confirm)

    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.account is not None
    assert dialog.account.role is Role.STORE_MANAGER
    assert desk.settings.store_name() == "惠民超市"
    assert desk.accounts.authenticate("wangjg", "secret1").display_name == "王建国"


def test_first_run_shows_every_problem_and_saves_nothing(qtbot: QtBot, desk: Desk) -> None:
    dialog = FirstRunDialog(desk.accounts)
    show(qtbot, dialog)
    type_text(qtbot, dialog.username, "w")
    type_text(qtbot, dialog.password, "123")
    press_enter(qtbot, dialog.password)

    assert dialog.result() != FirstRunDialog.DialogCode.Accepted
    assert "用户名" in dialog.errors.text("username")
    assert dialog.errors.text("display_name") == "请填写姓名"
    assert "至少 6 位" in dialog.errors.text("password")
    assert desk.accounts.needs_first_run()


def test_a_wrong_password_is_refused_and_the_field_cleared(
    qtbot: QtBot, desk: Desk, boss: Account
) -> None:
    dialog = LoginDialog(desk.accounts.authenticate)
    show(qtbot, dialog)
    type_text(qtbot, dialog.username, "boss")
    type_text(qtbot, dialog.password, "wrong")
    press_enter(qtbot, dialog.password)

    assert dialog.account is None
    assert "用户名或密码不正确" in dialog.error.text()
    assert dialog.password.text() == ""


def test_the_right_password_logs_in(qtbot: QtBot, desk: Desk, boss: Account) -> None:
    dialog = LoginDialog(desk.accounts.authenticate)
    show(qtbot, dialog)
    type_text(qtbot, dialog.username, "boss")
    type_text(qtbot, dialog.password, "secret1")
    press_enter(qtbot, dialog.password)

    assert dialog.account == boss
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_the_login_dialog_says_when_an_account_is_locked(
    qtbot: QtBot, desk: Desk, boss: Account, clock: FakeClock
) -> None:
    dialog = LoginDialog(desk.accounts.authenticate, username="boss")
    show(qtbot, dialog)
    for _ in range(5):
        type_text(qtbot, dialog.password, "wrong")
        press_enter(qtbot, dialog.password)
    type_text(qtbot, dialog.password, "secret1")
    press_enter(qtbot, dialog.password)
    assert dialog.account is None
    assert "已锁定" in dialog.error.text()

    clock.now += timedelta(minutes=5, seconds=1)
    type_text(qtbot, dialog.password, "secret1")
    press_enter(qtbot, dialog.password)
    assert dialog.account == boss


def test_a_clerk_does_not_see_the_administrator_pages(
    qtbot: QtBot, desk: Desk, boss: Account
) -> None:
    clerk = desk.accounts.create_account(boss, "clerk", "刘洋", Role.CLERK, "secret1", "secret1")
    window = MainWindow(desk, clerk)
    qtbot.addWidget(window)
    assert "账户管理" not in window.page_titles
    assert "门店设置" not in window.page_titles


def test_ctrl_and_a_number_switch_pages(qtbot: QtBot, desk: Desk, boss: Account) -> None:
    window = MainWindow(desk, boss)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.page_titles[window.pages.currentIndex()] == "账户管理"
    # The store manager sees ten pages: the tenth is Ctrl+0.
    assert len(window.page_titles) == 10
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.page_titles[window.pages.currentIndex()] == "扣款与责任"
    assert window.navigation.item(9).text().startswith("0  ")


def test_the_administrator_creates_an_account_from_the_accounts_page(
    qtbot: QtBot, desk: Desk, boss: Account
) -> None:
    page = AccountsPage(desk, boss)
    qtbot.addWidget(page)
    dialog = NewAccountDialog(desk, boss, page)
    show(qtbot, dialog)
    type_text(qtbot, dialog.username, "liyang")
    type_text(qtbot, dialog.display_name, "李阳")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.DEPUTY_STORE_MANAGER))
    type_text(qtbot, dialog.password, "secret1")
    type_text(qtbot, dialog.confirm, "secret1")
    press_enter(qtbot, dialog.confirm)
    page.refresh()

    assert dialog.account is not None
    created = desk.accounts.authenticate("liyang", "secret1")
    assert created.role is Role.DEPUTY_STORE_MANAGER
    assert page.model.rowCount() == 2


def boss_at_the_desk(
    qtbot: QtBot, desk: Desk, boss: Account
) -> tuple[controller_module.SessionController, MainWindow, Account]:
    """The store manager's window open, and a clerk's account (its password set by him)."""
    clerk = desk.accounts.create_account(boss, "clerk", "刘洋", Role.CLERK, "secret1", "secret1")
    session = controller_module.SessionController(desk)
    first = session.open_window(boss)
    qtbot.addWidget(first)
    return session, first, clerk


def test_switching_user_replaces_the_window_with_the_new_users(
    qtbot: QtBot, desk: Desk, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, first, clerk = boss_at_the_desk(qtbot, desk, boss)
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, *a, **k: clerk))
    asked: list[Account] = []

    def choose_own(cls: object, _accounts: object, account: Account, *_: object) -> Account:
        asked.append(account)
        return account

    monkeypatch.setattr(ChangePasswordDialog, "ask", classmethod(choose_own))

    first.switch_user_requested.emit()

    assert session.window is not None
    qtbot.addWidget(session.window)
    assert session.window.account == clerk
    assert asked == [clerk]  # the boss set the clerk's password: the clerk is asked to change it
    assert "账户管理" not in session.window.page_titles


def test_cancelling_the_switch_asks_before_quitting_and_never_reopens_the_old_window(
    qtbot: QtBot, desk: Desk, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found: Esc in 切换用户 ended the program without a word."""
    from PySide6.QtWidgets import QMessageBox

    session, first, clerk = boss_at_the_desk(qtbot, desk, boss)
    logins = iter([None, None, clerk])  # Esc, Esc, then the clerk logs in
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, *a, **k: next(logins)))
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.No])
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(ChangePasswordDialog, "ask",
                        classmethod(lambda cls, _accounts, account, *_: account))
    quits: list[bool] = []
    monkeypatch.setattr(controller_module.QApplication, "quit", lambda: quits.append(True))
    first.switch_user_requested.emit()
    assert quits == [] and len(asked) == 2 and "退出" in asked[0]
    assert session.window is not None and session.window.account == clerk
    qtbot.addWidget(session.window)


# ---------------------------------------------------------------- start-up and the login dialog


@pytest.fixture
def shown_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Messages the app put in a critical box (the box itself would wait for a click)."""
    shown: list[str] = []

    def record(_parent: object, _title: str, text: str, *_: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(record))
    saved = sys.excepthook, threading.excepthook
    yield shown
    sys.excepthook, threading.excepthook = saved


@pytest.fixture
def no_login_dialog(monkeypatch: pytest.MonkeyPatch) -> list[LoginDialog]:
    """Fails the test's expectations if a login dialog is ever shown; records it."""
    shown: list[LoginDialog] = []

    def refuse_to_wait(dialog: LoginDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(LoginDialog, "exec", refuse_to_wait)
    return shown


def register_with_manager(db_path: Path) -> None:
    opened = open_desk_database(db_path, datetime(2026, 11, 24, 10, 0))
    build_desk(opened.db, db_path).accounts.create_first_store_manager(
        "测试店", "boss", "王店长", "secret1", "secret1"
    )
    close_database()


def test_a_damaged_small_file_is_refused_before_the_login_dialog(
    qtbot: QtBot, db_path: Path, shown_boxes: list[str], no_login_dialog: list[LoginDialog]
) -> None:
    register_with_manager(db_path)
    corrupt_a_page(db_path)
    assert app_main(["--db", str(db_path)]) == 1
    assert no_login_dialog == []
    assert len(shown_boxes) == 1
    assert "数据库文件已损坏" in shown_boxes[0]
    assert list_backups(db_path) == []  # and no backup was made of it


@pytest.mark.parametrize("kind", ["truncated", "garbage", "zeroed-header", "zero-bytes"])
def test_a_damaged_file_of_any_size_is_refused_before_the_login_dialog(
    qtbot: QtBot,
    db_path: Path,
    kind: str,
    shown_boxes: list[str],
    no_login_dialog: list[LoginDialog],
) -> None:
    register_with_manager(db_path)
    DAMAGE_KINDS[kind][0](db_path)
    assert app_main(["--db", str(db_path)]) == 1
    assert no_login_dialog == []
    assert DAMAGE_KINDS[kind][1] in shown_boxes[0]


def test_a_second_instance_is_told_the_register_is_already_open(
    qtbot: QtBot, db_path: Path, shown_boxes: list[str], no_login_dialog: list[LoginDialog]
) -> None:
    register_with_manager(db_path)
    with LockHolder(db_path):
        assert app_main(["--db", str(db_path)]) == 1
    assert no_login_dialog == []
    assert "已经被另一个服务台程序打开" in shown_boxes[0]


def test_db_into_a_missing_folder_is_refused_not_created(
    qtbot: QtBot, tmp_path: Path, shown_boxes: list[str], no_login_dialog: list[LoginDialog]
) -> None:
    path = tmp_path / "no-such-folder" / "desk.sqlite3"
    assert app_main(["--db", str(path)]) == 1
    assert "文件夹不存在" in shown_boxes[0]
    assert not path.parent.exists()
    assert no_login_dialog == []


def claimed_register(db_path: Path) -> ClaimedDatabase:
    register_with_manager(db_path)
    return claim_database(db_path, create_folder=False)


def test_the_login_dialog_waits_while_the_desk_loads_then_the_window_follows(
    qtbot: QtBot, db_path: Path
) -> None:
    claimed = claimed_register(db_path)
    loader = controller_module.DeskLoader(claimed, datetime(2026, 11, 24, 10, 0))
    try:
        dialog = LoginDialog(loader.authenticate)
        show(qtbot, dialog)
        assert not loader.opened  # the dialog is up before the database is opened
        with qtbot.waitSignal(loader.loaded, timeout=10_000):
            loader.schedule()
        assert [name for name, _ in loader.timings] == [
            "_load_store",
            "_open_database",
            "_load_main_window",
        ]
        from desktop_app.services.anchors import read_anchors

        assert len(read_anchors(db_path)) == 1  # the day's head, kept beside the backups
        type_text(qtbot, dialog.username, "boss")
        type_text(qtbot, dialog.password, "secret1")
        press_enter(qtbot, dialog.password)
        assert dialog.account is not None
        session = controller_module.SessionController(loader.desk())
        window = session.open_window(dialog.account)
        qtbot.addWidget(window)
        assert window.isVisible()
    finally:
        loader.close()
        claimed.release()


def test_a_password_typed_before_the_desk_loaded_still_logs_in(
    qtbot: QtBot, db_path: Path
) -> None:
    claimed = claimed_register(db_path)
    loader = controller_module.DeskLoader(claimed, datetime(2026, 11, 24, 10, 0))
    try:
        dialog = LoginDialog(loader.authenticate)
        show(qtbot, dialog)
        type_text(qtbot, dialog.username, "boss")
        type_text(qtbot, dialog.password, "secret1")
        press_enter(qtbot, dialog.password)
        assert loader.done
        assert dialog.account is not None
        assert dialog.account.display_name == "王店长"
    finally:
        loader.close()
        claimed.release()


def test_closing_the_desk_writes_its_head_beside_the_backups(db_path: Path) -> None:
    """The end of a session is anchored: a restore of that morning's backup (the head the
    day's first anchor holds) then loses entries verify names."""
    from desktop_app.services.anchors import read_anchors
    from tests.builders import a_draft

    claimed = claimed_register(db_path)
    loader = controller_module.DeskLoader(claimed, datetime(2026, 11, 24, 10, 0))
    try:
        desk = loader.desk()
        boss = desk.accounts.authenticate("boss", "secret1")
        desk.cases.register(boss, a_draft(received_at=datetime.now().replace(microsecond=0)))
        head = desk.register.head()
        assert head is not None
        assert head.seq not in {anchor.seq for anchor in read_anchors(db_path)}
    finally:
        loader.close()
        claimed.release()
    assert read_anchors(db_path)[-1].seq == head.seq
    assert head.entry_hash.startswith(read_anchors(db_path)[-1].prefix)


def test_a_register_from_a_newer_version_closes_the_login_with_a_message(
    qtbot: QtBot, db_path: Path, shown_boxes: list[str]
) -> None:
    claimed = claimed_register(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA user_version = 999")
    connection.close()
    loader = controller_module.DeskLoader(claimed, datetime(2026, 11, 24, 10, 0))
    try:
        session = controller_module._log_in(loader, on_window_opened=lambda window: None)
    finally:
        loader.close()
        claimed.release()
    assert session is None
    assert loader.failure is not None
    assert "请安装新版程序" in shown_boxes[0]


class SlowCheck:
    """A page check that takes a while, as on a cold disk at the first start of the day."""

    def __init__(self, seconds: float) -> None:
        self._until = time.monotonic() + seconds

    def done(self) -> bool:
        return time.monotonic() >= self._until

    def result(self) -> None:
        return None


def test_a_slow_check_before_login_shows_a_please_wait_notice(
    qtbot: QtBot, qapp: QApplication
) -> None:
    seen: list[str] = []

    def look() -> None:
        seen.extend(
            widget.labelText()
            for widget in qapp.topLevelWidgets()
            if isinstance(widget, QProgressDialog) and widget.isVisible()
        )

    watcher = QTimer()
    watcher.timeout.connect(look)
    watcher.start(20)
    assert controller_module._wait_for_check(qapp, SlowCheck(0.8)) is None  # type: ignore[arg-type]
    watcher.stop()
    assert any("正在检查数据库文件" in text for text in seen)


def test_head_office_sees_no_registration_page(qtbot: QtBot, desk: Desk, boss: Account) -> None:
    """Head office signs from its own PC and registers nothing (the service refuses it too)."""
    head_office = desk.accounts.provision_head_office("hq", "钱副总", "pass123", "pass123")
    window = MainWindow(desk, head_office)
    qtbot.addWidget(window)
    show(qtbot, window)
    assert "登记投诉" not in window.page_titles
    assert window.page_titles[0] == "案件队列"
