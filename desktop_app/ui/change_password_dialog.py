"""The owner chooses their own password.

Asked at login when someone else set the account's password (a new account, a reset): until
the owner has chosen one, the account may work at the desk but never sign (services.accounts).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import MIN_PASSWORD_LENGTH, Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.accounts import AccountService
from desktop_app.ui.forms import ERROR_STYLE, FieldErrors, password_edit


class ChangePasswordDialog(QDialog):
    def __init__(
        self, accounts: AccountService, account: Account, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._account = account
        self.changed: Account | None = None
        self.errors = FieldErrors()
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(400)
        reason = (
            f"{account.display_name},您的密码是别人设置的。请现在改成只有您自己知道的密码;"
            "改好之前,您的账户不能签批退款。"
        )
        prompt = QLabel(reason if account.must_change_password else "修改您的登录密码")
        prompt.setWordWrap(True)
        self.old = password_edit()
        self.old.setObjectName("old_password")
        self.new = password_edit(f"至少 {MIN_PASSWORD_LENGTH} 位")
        self.new.setObjectName("new_password")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirm_password")
        form = QFormLayout()
        self.errors.add_row(form, "原密码(&O)", "old", self.old)
        self.errors.add_row(form, "新密码(&N)", "password", self.new)
        self.errors.add_row(form, "再输一次(&R)", "confirm", self.confirm)
        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.refusal.setWordWrap(True)
        self.ok_button = QPushButton("修改")
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.on_ok_clicked)
        cancel = QPushButton("以后再改" if account.must_change_password else "取消")
        cancel.setObjectName("cancel_button")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addLayout(form)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)
        self.old.setFocus()

    def on_ok_clicked(self) -> None:
        self.refusal.clear()
        self.errors.clear()
        try:
            self.changed = self._accounts.change_own_password(
                self._account, self.old.text(), self.new.text(), self.confirm.text()
            )
        except ValidationError as error:
            self.refusal.setText(";".join(self.errors.show(error.field_errors)))
            return
        except DeskError as error:
            self.refusal.setText(str(error))
            self.old.clear()
            self.old.setFocus()
            return
        finally:
            for field in (self.old, self.new, self.confirm):
                if self.changed is not None:
                    field.clear()
        self.accept()

    @classmethod
    def ask(
        cls, accounts: AccountService, account: Account, parent: QWidget | None = None
    ) -> Account:
        """The account as it stands afterwards (unchanged if the owner put it off)."""
        dialog = cls(accounts, account, parent)
        dialog.exec()
        return dialog.changed or account


def ask_when_set_by_someone_else(
    accounts: AccountService, account: Account, parent: QWidget | None = None
) -> Account:
    if not account.must_change_password:
        return account
    return ChangePasswordDialog.ask(accounts, account, parent)
