"""The main window: navigation on the left, one page at a time on the right.

Signals:
    switch_user_requested: the user chose 切换用户; the app shows the login dialog again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop_app import APP_TITLE
from desktop_app.domain.accounts import Account
from desktop_app.domain.roles import may_administer
from desktop_app.services.desk import Desk
from desktop_app.ui.about_dialog import show_about
from desktop_app.ui.accounts_page import AccountsPage
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.ledger_page import LedgerPage
from desktop_app.ui.major_complaints import MajorComplaintsDialog
from desktop_app.ui.master_data_page import MasterDataPage
from desktop_app.ui.refund_queue_page import RefundQueuePage
from desktop_app.ui.registration_page import RegistrationPage
from desktop_app.ui.reports_page import ReportsPage
from desktop_app.ui.settings_page import SettingsPage
from desktop_app.ui.verify_register import verify_register_with_progress


@dataclass(frozen=True)
class PageSpec:
    title: str
    build: Callable[[Desk, Account], QWidget]
    visible_to: Callable[[Account], bool]


def _everyone(_: Account) -> bool:
    return True


def _administrators(account: Account) -> bool:
    return may_administer(account.role)


PAGES: list[PageSpec] = [
    PageSpec("登记投诉", RegistrationPage, _everyone),
    PageSpec("案件队列", CaseQueuePage, _everyone),
    PageSpec("退款审批", RefundQueuePage, _everyone),
    PageSpec("月度报表", ReportsPage, _everyone),
    PageSpec("账户管理", AccountsPage, _administrators),
    PageSpec("门店设置", SettingsPage, _administrators),
    PageSpec("门店资料", MasterDataPage, MasterDataPage.visible_to),
    PageSpec("扣款与责任", LedgerPage, LedgerPage.visible_to),
]


class MainWindow(QMainWindow):
    switch_user_requested = Signal()

    def __init__(self, desk: Desk, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.account = account
        self.setWindowTitle(f"{APP_TITLE} — {account.display_name}({account.role.label})")
        self.resize(1200, 760)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(160)
        self.pages = QStackedWidget()
        self.page_titles: list[str] = []
        # Pages are built the first time they are shown: start-up pays for the first one only.
        self._specs: list[PageSpec] = [spec for spec in PAGES if spec.visible_to(account)]
        self._built: set[int] = set()
        for spec in self._specs:
            self._add_page(spec.title, QWidget())
        self.navigation.currentRowChanged.connect(self._on_page_chosen)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.statusBar().showMessage(
            f"当前用户:{account.display_name}({account.role.label})    数据库:{desk.db_path}"
        )

    def show_major_complaints(self, always: bool = False) -> MajorComplaintsDialog | None:
        """On login a duty or store manager sees every major complaint not yet acknowledged."""
        waiting = self.desk.cases.unacknowledged_major(self.account)
        if not waiting and not always:
            return None
        dialog = MajorComplaintsDialog(self.desk, self.account, waiting, self)
        dialog.open_case_requested.connect(self._open_case)
        dialog.open()
        return dialog

    def _open_case(self, case_id: int) -> None:
        queue = self.show_page("案件队列")
        if isinstance(queue, CaseQueuePage):
            queue.open_case(case_id)

    def _on_page_chosen(self, row: int) -> None:
        if row < 0:
            return
        if row not in self._built:
            self._built.add(row)
            placeholder = self.pages.widget(row)
            page = self._specs[row].build(self.desk, self.account)
            self.pages.insertWidget(row, page)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
        self.pages.setCurrentIndex(row)

    def show_page(self, title: str) -> QWidget:
        row = self.page_titles.index(title)
        self.navigation.setCurrentRow(row)
        widget = self.pages.widget(row)
        assert widget is not None
        return widget

    def _add_page(self, title: str, widget: QWidget) -> None:
        number = len(self.page_titles) + 1
        self.page_titles.append(title)
        self.navigation.addItem(f"{number}  {title}" if number < 10 else title)
        self.pages.addWidget(widget)
        if number < 10:
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(
                lambda _=False, row=number - 1: self.navigation.setCurrentRow(row)
            )
            self.addAction(action)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        switch = menu.addAction("切换用户(&S)")
        switch.setShortcut(QKeySequence("Ctrl+Shift+L"))
        switch.triggered.connect(self.switch_user_requested.emit)
        verify = menu.addAction("校验登记簿(&V)")
        verify.triggered.connect(lambda: verify_register_with_progress(self.desk, self))
        majors = menu.addAction("未知悉的重大投诉(&M)")
        majors.triggered.connect(lambda: self.show_major_complaints(always=True))
        menu.addSeparator()
        quit_action = menu.addAction("退出(&X)")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = help_menu.addAction("关于(&A)")
        about.setShortcut(QKeySequence(Qt.Key.Key_F1))
        about.triggered.connect(lambda: show_about(self.desk, self))
