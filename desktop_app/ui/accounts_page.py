"""The administrator's account screen: create, change role, reset password, disable, unlock.

Accounts are never deleted, only disabled, so every old case keeps the name of who handled it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import MIN_PASSWORD_LENGTH, Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.roles import roles_a_store_grants
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors, ok_cancel, password_edit
from desktop_app.ui.table_model import HeaderedTableModel, ModelIndex
from desktop_app.ui.unsaved import GuardedDialog

COLUMNS = ("用户名", "姓名", "角色", "状态")


class AccountsTableModel(HeaderedTableModel):
    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._now = now

    def set_accounts(self, accounts: list[Account], now: datetime) -> None:
        self.beginResetModel()
        self._rows = accounts
        self._now = now
        self.endResetModel()

    def account_at(self, row: int) -> Account:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        account = self._rows[index.row()]
        return (
            account.username,
            account.display_name,
            account.role.label,
            self._status(account),
        )[index.column()]

    def _status(self, account: Account) -> str:
        if not account.active:
            return "已停用"
        if account.locked_until is not None and account.locked_until > self._now:
            return f"已锁定至 {account.locked_until:%H:%M}"
        return "正常"


class NewAccountDialog(GuardedDialog):
    """Esc and 取消 ask before a typed user name, name or chosen role is thrown away."""

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.account: Account | None = None
        self.setWindowTitle("新建账户")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.role = role_combo()
        self.password = password_edit(f"至少 {MIN_PASSWORD_LENGTH} 位")
        self.password.setObjectName("password")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirm")
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, "用户名(&U)", "username", self.username)
        self.errors.add_row(form, "姓名(&N)", "display_name", self.display_name)
        form.addRow("角色(&R)", self.role)
        self.errors.add_row(form, "初始密码(&P)", "password", self.password)
        self.errors.add_row(form, "再次输入(&C)", "confirm", self.confirm)
        buttons = ok_cancel(self, self.on_ok_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.mark_clean()

    def on_ok_clicked(self) -> None:
        try:
            self.account = self._desk.accounts.create_account(
                self._actor,
                self.username.text(),
                self.display_name.text(),
                self.role.currentData(),
                self.password.text(),
                self.confirm.text(),
            )
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            QMessageBox.warning(self, "无法新建账户", str(error))
            return
        self.accept()


def role_combo() -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role")
    for role in roles_a_store_grants():
        combo.addItem(role.label, role)
    return combo


class AccountsPage(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.model = AccountsTableModel(desk.clock(), self)
        self.table = QTableView()
        self.table.setObjectName("accounts_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()

        self.new_button = QPushButton("新建账户(&N)")
        self.role_button = QPushButton("修改角色(&R)")
        self.password_button = QPushButton("重置密码(&P)")
        self.active_button = QPushButton("停用/启用(&D)")
        self.unlock_button = QPushButton("解除锁定(&L)")
        self.new_button.clicked.connect(self.on_new_clicked)
        self.role_button.clicked.connect(self.on_role_clicked)
        self.password_button.clicked.connect(self.on_password_clicked)
        self.active_button.clicked.connect(self.on_active_clicked)
        self.unlock_button.clicked.connect(self.on_unlock_clicked)

        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.role_button,
            self.password_button,
            self.active_button,
            self.unlock_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_accounts(self._desk.accounts.list_accounts(), self._desk.clock())

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "账户管理", "请先在表格中选中一个账户")
            return None
        return self.model.account_at(rows[0].row())

    def on_new_clicked(self) -> None:
        if NewAccountDialog(self._desk, self._actor, self).exec():
            self.refresh()

    def on_role_clicked(self) -> None:
        account = self.selected()
        if account is None:
            return
        offered = roles_a_store_grants()
        if account.role not in offered:  # head office's: the service says who manages it
            self._run(lambda: self._desk.accounts.change_role(self._actor, account.id,
                                                              account.role))
            return
        labels = [role.label for role in offered]
        label, ok = QInputDialog.getItem(
            self,
            "修改角色",
            f"{account.display_name} 的新角色:",
            labels,
            labels.index(account.role.label),
            False,
        )
        if ok:
            role = next(role for role in offered if role.label == label)
            self._run(lambda: self._desk.accounts.change_role(self._actor, account.id, role))

    def on_password_clicked(self) -> None:
        account = self.selected()
        if account is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "重置密码",
            f"{account.display_name} 的新密码(至少 6 位):",
            QLineEdit.EchoMode.Password,
        )
        if ok:
            self._run(
                lambda: self._desk.accounts.reset_password(
                    self._actor, account.id, password, password
                )
            )

    def on_active_clicked(self) -> None:
        account = self.selected()
        if account is None:
            return
        self._run(
            lambda: self._desk.accounts.set_active(self._actor, account.id, not account.active)
        )

    def on_unlock_clicked(self) -> None:
        account = self.selected()
        if account is not None:
            self._run(lambda: self._desk.accounts.unlock(self._actor, account.id))

    def _run(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except DeskError as error:
            QMessageBox.warning(self, "账户管理", str(error))
        self.refresh()
