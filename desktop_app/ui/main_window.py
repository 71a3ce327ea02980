"""The main window: navigation on the left (with live counts), one page at a time on the right.

Closing the window, Ctrl+Q and 切换用户 ask first when a page or an open case holds typed text
that is not saved. Managers see a badge with the major complaints they have not acknowledged,
whatever page they are on. Size and position are remembered per user.

Signals:
    switch_user_requested: the user chose 切换用户; the app shows the login dialog again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QHideEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.roles import may_administer, works_at_the_desk
from desktop_app.services.desk import Desk
from desktop_app.services.desk_counts import DeskCounts, DeskCountService
from desktop_app.ui.about_dialog import show_about
from desktop_app.ui.accounts_page import AccountsPage
from desktop_app.ui.analysis_page import AnalysisPage
from desktop_app.ui.analysis_page import visible_to as sees_analysis
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.ledger_page import LedgerPage
from desktop_app.ui.major_complaints import MajorComplaintsDialog
from desktop_app.ui.master_data_page import MasterDataPage
from desktop_app.ui.refund_queue_page import RefundQueuePage
from desktop_app.ui.registration_page import RegistrationPage
from desktop_app.ui.reports_page import ReportsPage
from desktop_app.ui.settings_page import SettingsPage
from desktop_app.ui.unsaved import GuardedDialog, confirm_discard, unsaved_work
from desktop_app.ui.verify_register import verify_register_with_progress
from desktop_app.ui.view_memory import ViewMemory
from desktop_app.ui.warnings_page import WarningsPage
from desktop_app.ui.warnings_page import visible_to as sees_warnings

# 1366×768 less a taskbar (≈40 px) and the window's title bar (≈30 px).
FITS_SMALL_SCREEN = (1280, 660)
MINIMUM_SIZE = (1000, 600)
COUNTS_EVERY_MS = 15_000
WARNINGS_PAGE = "预警"
WAITING_BRUSH = QBrush(QColor("#b00020"))
BADGE_STYLE = (
    "QPushButton { color: white; background: #b00020; border-radius: 9px; padding: 2px 10px; "
    "font-weight: bold; }"
)


@dataclass(frozen=True)
class PageSpec:
    title: str
    build: Callable[[Desk, Account], QWidget]
    visible_to: Callable[[Account], bool]


def _everyone(_: Account) -> bool:
    return True


def _administrators(account: Account) -> bool:
    return may_administer(account.role)


def _desk_workers(account: Account) -> bool:
    """Head office signs from its own PC and registers nothing."""
    return works_at_the_desk(account.role)


PAGES: list[PageSpec] = [
    PageSpec("登记投诉", RegistrationPage, _desk_workers),
    PageSpec("案件队列", CaseQueuePage, _everyone),
    PageSpec("退款审批", RefundQueuePage, _everyone),
    PageSpec("月度报表", ReportsPage, _everyone),
    PageSpec("账户管理", AccountsPage, _administrators),
    PageSpec("门店设置", SettingsPage, _administrators),
    PageSpec("门店资料", MasterDataPage, MasterDataPage.visible_to),
    PageSpec("预警", WarningsPage, sees_warnings),
    PageSpec("投诉分析", AnalysisPage, sees_analysis),
    PageSpec("扣款与责任", LedgerPage, LedgerPage.visible_to),
]


class MainWindow(QMainWindow):
    switch_user_requested = Signal()

    def __init__(self, desk: Desk, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.account = account
        self._memory = ViewMemory(account.username)
        self._counts = DeskCountService(desk.db, desk.clock)
        # Qt adds the application's name after every window title.
        self.setWindowTitle(f"{account.display_name}({account.role.label})")
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*FITS_SMALL_SCREEN)
        self._memory.restore_geometry(self, "main_window")

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.navigation.setWordWrap(True)
        self.pages = QStackedWidget()
        self.page_titles: list[str] = []
        # Pages are built the first time they are shown: start-up pays for the first one only.
        self._specs: list[PageSpec] = [spec for spec in PAGES if spec.visible_to(account)]
        self._built: set[int] = set()
        self._focused_once = False
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
        self.major_badge = QPushButton()
        self.major_badge.setObjectName("major_badge")
        self.major_badge.setStyleSheet(BADGE_STYLE)
        self.major_badge.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.major_badge.clicked.connect(lambda: self.show_major_complaints(always=True))
        self.menuBar().setCornerWidget(self.major_badge, Qt.Corner.TopRightCorner)
        self.statusBar().showMessage(
            f"当前用户:{account.display_name}({account.role.label})    数据库:{desk.db_path}"
        )
        self._count_timer = QTimer(self)
        self._count_timer.setInterval(COUNTS_EVERY_MS)
        self._count_timer.timeout.connect(self.refresh_counts)
        self._count_timer.start()
        self.refresh_counts()

    # --- counts ------------------------------------------------------------------------------

    def refresh_counts(self) -> DeskCounts:
        counts = self._counts.counts(self.account)
        notes = {
            "案件队列": _joined(
                f"逾期 {counts.overdue_replies}" if counts.overdue_replies else "",
                f"重大未确认 {counts.major_unacknowledged}" if counts.major_unacknowledged
                else "",
            ),
            "退款审批": (
                f"待审批 {counts.pending_refunds}(您可批 {counts.pending_refunds_mine})"
                if counts.pending_refunds else ""
            ),
            WARNINGS_PAGE: f"● {counts.warnings_waiting} 待处理" if counts.warnings_waiting else "",
        }
        for row, title in enumerate(self.page_titles):
            item = self.navigation.item(row)
            note = notes.get(title, "")
            item.setText(_nav_label(row + 1, title) + (f"\n      {note}" if note else ""))
            if title == WARNINGS_PAGE:
                item.setForeground(WAITING_BRUSH if counts.warnings_waiting else QBrush())
                item.setToolTip(f"{counts.warnings_waiting} 条预警等待经理确认"
                                if counts.warnings_waiting else "")
        waiting = counts.major_unacknowledged if counts.must_acknowledge else 0
        self.major_badge.setText(f"重大投诉未知悉 {waiting}")
        self.major_badge.setToolTip("点击查看并确认已知悉")
        self.major_badge.setVisible(waiting > 0)
        return counts

    # --- major complaints ----------------------------------------------------------------------

    def show_major_complaints(self, always: bool = False) -> MajorComplaintsDialog | None:
        """On login a duty or store manager sees every major complaint not yet acknowledged."""
        waiting = self.desk.cases.unacknowledged_major(self.account)
        if not waiting and not always:
            return None
        dialog = MajorComplaintsDialog(self.desk, self.account, waiting, self)
        dialog.open_case_requested.connect(self._open_case)
        dialog.acknowledged.connect(lambda _count: self.refresh_counts())
        dialog.open()
        return dialog

    def _open_case(self, case_id: int) -> None:
        queue = self.show_page("案件队列")
        if isinstance(queue, CaseQueuePage):
            queue.open_case(case_id)

    # --- pages ---------------------------------------------------------------------------------

    def _on_page_chosen(self, row: int) -> None:
        if row < 0:
            return
        if row not in self._built:
            self._built.add(row)
            placeholder = self.pages.widget(row)
            page = self._specs[row].build(self.desk, self.account)
            self._connect_page(page)
            self.pages.insertWidget(row, page)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
        self.pages.setCurrentIndex(row)
        # Down in the navigation list stays there (found in review: the focus went into the
        # page and a second Down changed the report month); a shortcut takes it to the page.
        if not self.navigation.hasFocus():
            self._focus_page(self.pages.widget(row))

    def _connect_page(self, page: QWidget) -> None:
        """Whatever changes the figures refreshes the counts at once."""
        if isinstance(page, RegistrationPage):
            page.registered.connect(lambda _id, _no: self.refresh_counts())
        if isinstance(page, CaseQueuePage):
            page.case_changed.connect(lambda _id: self.refresh_counts())
        if isinstance(page, RefundQueuePage):
            page.refunds_changed.connect(self.refresh_counts)

    @staticmethod
    def _focus_page(page: QWidget | None) -> None:
        """The keys typed next go to the page's first field, not the navigation list (where
        Down would switch pages)."""
        if isinstance(page, RegistrationPage):
            page.customer_name.setFocus()
        elif isinstance(page, CaseQueuePage):
            page.search.setFocus()
        elif page is not None:
            first = _first_field(page)
            if first is not None:
                first.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._focused_once:  # a window restored from the taskbar keeps its focus
            return
        self._focused_once = True
        # The first page was chosen before the window was shown, when nothing can take the
        # focus: Qt then gave it to the navigation list, and the clerk's first keys after
        # logging in went nowhere (found on a real X server).
        QTimer.singleShot(0, lambda: self._focus_page(self.pages.currentWidget()))

    def show_page(self, title: str) -> QWidget:
        row = self.page_titles.index(title)
        self.navigation.setCurrentRow(row)
        widget = self.pages.widget(row)
        assert widget is not None
        return widget

    def _add_page(self, title: str, widget: QWidget) -> None:
        number = len(self.page_titles) + 1
        self.page_titles.append(title)
        self.navigation.addItem(_nav_label(number, title))
        self.pages.addWidget(widget)
        if number <= 10:
            action = QAction(self)
            # The tenth page is Ctrl+0, as the digit row runs 1 … 9, 0.
            action.setShortcut(QKeySequence(f"Ctrl+{number % 10}"))
            action.triggered.connect(
                lambda _=False, row=number - 1: self.navigation.setCurrentRow(row)
            )
            self.addAction(action)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        switch = menu.addAction("切换用户(&S)")
        switch.setShortcut(QKeySequence("Ctrl+Shift+L"))
        switch.triggered.connect(self.on_switch_user_chosen)
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

    # --- leaving: one rule for unsaved text ----------------------------------------------------

    def may_leave(self, action: str) -> bool:
        """True when nothing typed would be lost, or the user agreed to lose it."""
        work = unsaved_work(self)
        if work and not confirm_discard(self, work, action):
            return False
        for dialog in self.findChildren(GuardedDialog):
            if dialog.isVisible():
                dialog.discard()
        return True

    def on_switch_user_chosen(self) -> None:
        if self.may_leave("切换用户"):
            self._remember()
            self.switch_user_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.may_leave("退出"):
            event.ignore()
            return
        self._remember()
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._remember()
        super().hideEvent(event)

    def _remember(self) -> None:
        self._memory.save_geometry(self, "main_window")
        self._memory.sync()


def _nav_label(number: int, title: str) -> str:
    return f"{number % 10}  {title}" if number <= 10 else title


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _first_field(page: QWidget) -> QWidget | None:
    """The first widget of ``page`` Tab would reach."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page and page.isAncestorOf(widget):
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
                and widget.isVisibleTo(page)):
            return widget
        widget = widget.nextInFocusChain()
    return None
