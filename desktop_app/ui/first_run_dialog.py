"""First start on an empty database: the store manager creates their own account, then the
short set-up of the store (which can be skipped and finished later).

No password ships with the app; until this dialog is completed nobody can log in. Closing it
quits the app, so Esc and 取消 ask first when something was typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import MIN_PASSWORD_LENGTH, Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.accounts import AccountService
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import ERROR_STYLE, FieldErrors, ok_cancel, password_edit, register_label
from desktop_app.ui.setup_wizard import SetupWizard
from desktop_app.ui.unsaved import GuardedDialog

INTRO = (
    "欢迎使用顾客投诉与退换货服务台。\n"
    "这是第一次启动:请店长建立自己的账户(店长同时是系统管理员),"
    "接着用几步完成开店设置(部门、商品资料、确认时限),"
    "之后可在「账户管理」中为前台和各级经理建立账户。"
)


class FirstRunDialog(GuardedDialog):
    discard_action = "放弃并退出"

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.account: Account | None = None
        self.setWindowTitle("首次启动:建立店长账户")
        self.setMinimumWidth(440)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.store_name = QLineEdit()
        self.store_name.setObjectName("store_name")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText("英文字母或数字,例如 wangfang")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.password = password_edit(f"至少 {MIN_PASSWORD_LENGTH} 位")
        self.password.setObjectName("password")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirm")

        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, register_label("store_name", "S"), "store_name", self.store_name)
        self.errors.add_row(form, "店长用户名(&U)", "username", self.username)
        self.errors.add_row(form, "店长姓名(&N)", "display_name", self.display_name)
        self.errors.add_row(form, "密码(&P)", "password", self.password)
        self.errors.add_row(form, "再次输入密码(&C)", "confirm", self.confirm)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.hide()

        buttons = ok_cancel(self, self.on_create_clicked, "建立账户")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.store_name.setFocus()
        self.mark_clean()

    def on_create_clicked(self) -> None:
        try:
            self.account = self._accounts.create_first_store_manager(
                self.store_name.text(),
                self.username.text(),
                self.display_name.text(),
                self.password.text(),
                self.confirm.text(),
            )
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            self.general_error.setText(str(error))
            self.general_error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, accounts: AccountService, parent: QWidget | None = None) -> Account | None:
        dialog = cls(accounts, parent)
        dialog.exec()
        return dialog.account


def first_run(desk: Desk, parent: QWidget | None = None) -> Account | None:
    """The store manager's account, then the store's set-up; None if the account was not made."""
    account = FirstRunDialog.ask(desk.accounts, parent)
    if account is not None:
        SetupWizard.ask(desk, account, parent)
    return account


def offer_unfinished_setup(desk: Desk, account: Account, parent: QWidget | None = None) -> None:
    """At an administrator's login, while the store still has no departments."""
    if desk.setup.should_offer_at_login(account):
        SetupWizard.ask(desk, account, parent)
