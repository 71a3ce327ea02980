"""Who is at the keyboard: login, switch user, and (later) a manager's signature.

The dialog only collects a user name and password; ``check`` (a service call) decides. The
password field is cleared after every attempt, right or wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DeskError
from desktop_app.ui.forms import error_label, password_edit

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop_app.domain.accounts import Account

    Check = Callable[[str, str], Account]


class LoginDialog(QDialog):
    def __init__(
        self,
        check: Check,
        parent: QWidget | None = None,
        title: str = "登录",
        prompt: str = "请输入用户名和密码",
        username: str = "",
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.account: Account | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(360)

        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = password_edit()
        self.password.setObjectName("password")
        self.error = error_label("login_error")

        form = QFormLayout()
        form.addRow("用户名(&U)", self.username)
        form.addRow("密码(&P)", self.password)
        # Plain buttons, not a QDialogButtonBox: that one costs ~16 ms to build (platform
        # theme and icons), a sixth of a bare window's start, for two buttons.
        self.ok_button = QPushButton("确定")
        self.ok_button.setDefault(True)  # Enter in either field
        self.cancel_button = QPushButton("取消")
        self.ok_button.clicked.connect(self.on_ok_clicked)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        (self.password if username else self.username).setFocus()

    def on_ok_clicked(self) -> None:
        try:
            self.account = self._check(self.username.text(), self.password.text())
        except DeskError as error:
            self.error.setText(str(error))
            self.error.show()
            self.password.setFocus()
            return
        finally:
            self.password.clear()
        self.accept()

    @classmethod
    def ask(
        cls,
        check: Check,
        parent: QWidget | None = None,
        title: str = "登录",
        prompt: str = "请输入用户名和密码",
        username: str = "",
    ) -> Account | None:
        dialog = cls(check, parent, title, prompt, username)
        dialog.exec()
        return dialog.account
