"""First-run set-up, login and the main window, driven through the real widgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.domain.accounts import Account
from desktop_app.domain.roles import Role
from desktop_app.services.desk import Desk
from desktop_app.ui import controller as controller_module
from desktop_app.ui.accounts_page import AccountsPage, NewAccountDialog
from desktop_app.ui.first_run_dialog import FirstRunDialog
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.main_window import MainWindow
from tests.conftest import FakeClock
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


def test_switching_user_replaces_the_window_with_the_new_users(
    qtbot: QtBot, desk: Desk, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = desk.accounts.create_account(boss, "clerk", "刘洋", Role.CLERK, "secret1", "secret1")
    session = controller_module.SessionController(desk)
    first = session.open_window(boss)
    qtbot.addWidget(first)
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, *a, **k: clerk))

    first.switch_user_requested.emit()

    assert session.window is not None
    qtbot.addWidget(session.window)
    assert session.window.account == clerk
    assert "账户管理" not in session.window.page_titles
