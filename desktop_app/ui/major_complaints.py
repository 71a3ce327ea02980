"""Major complaints waiting for the duty or store manager (重大投诉及时报告值班经理或店长).

Shown when a manager logs in and when a manager signs a refund at the desk, until each one is
acknowledged; several can be acknowledged at once (Ctrl+A, then 确认已知悉). Each
acknowledgement is recorded in the register under the manager's name.

Signals:
    open_case_requested(int): the manager wants to read the case first.
    acknowledged(int): this many cases were acknowledged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError
from desktop_app.services.case_views import MajorCase
from desktop_app.services.desk import Desk
from desktop_app.services.desk_counts import DeskCountService

CASE_ID_ROLE = Qt.ItemDataRole.UserRole
SUMMARY_LENGTH = 60


class MajorComplaintsDialog(QDialog):
    open_case_requested = Signal(int)
    acknowledged = Signal(int)

    def __init__(
        self, desk: Desk, actor: Account, waiting: list[MajorCase], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.setWindowTitle(f"重大投诉待知悉 — {actor.display_name}")
        self.resize(680, 420)
        self.heading = QLabel()
        self.heading.setObjectName("major_heading")
        self.cases = QListWidget()
        self.cases.setObjectName("major_cases")
        self.cases.setWordWrap(True)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cases.itemSelectionChanged.connect(self._update_button)
        self.acknowledge_button = QPushButton("确认已知悉(&A)")
        self.acknowledge_button.setObjectName("acknowledge_button")
        self.acknowledge_button.clicked.connect(self.on_acknowledge_clicked)
        select_all = QPushButton("全选  Ctrl+A")
        select_all.clicked.connect(self.cases.selectAll)
        open_button = QPushButton("查看案件(&O)")
        open_button.clicked.connect(self.on_open_clicked)
        self.cases.itemActivated.connect(lambda _item: self.on_open_clicked())
        later = QPushButton("取消(稍后处理)")
        later.setObjectName("cancel_button")
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(select_all)
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(later)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.cases, 1)
        layout.addWidget(QLabel("可按住 Ctrl 或 Shift 多选,Ctrl+A 全选,再按“确认已知悉”。"))
        layout.addLayout(buttons)
        self._fill(waiting)
        self.cases.setFocus()

    def _fill(self, waiting: list[MajorCase]) -> None:
        self.cases.clear()
        for case in waiting:
            summary = case.account
            if len(summary) > SUMMARY_LENGTH:
                summary = summary[:SUMMARY_LENGTH] + "…"
            item = QListWidgetItem(
                f"{case.case_no}  {case.received_at:%m-%d %H:%M}  {case.customer_name}  "
                f"{case.category}\n{summary}"
            )
            item.setData(CASE_ID_ROLE, case.case_id)
            item.setToolTip(case.account)
            self.cases.addItem(item)
        heading = f"{self._actor.display_name}:有 {len(waiting)} 件重大投诉尚未知悉,请阅后确认。"
        self.heading.setText(heading if waiting else "没有待知悉的重大投诉")
        if waiting:
            self.cases.setCurrentRow(0)
        self._update_button()

    def _update_button(self) -> None:
        count = len(self.selected_case_ids())
        self.acknowledge_button.setEnabled(count > 0)
        self.acknowledge_button.setText(
            f"确认已知悉选中的 {count} 件(&A)" if count > 1 else "确认已知悉(&A)"
        )

    def selected_case_ids(self) -> list[int]:
        return [int(item.data(CASE_ID_ROLE)) for item in self.cases.selectedItems()]

    def selected_case_id(self) -> int | None:
        item = self.cases.currentItem()
        return None if item is None else int(item.data(CASE_ID_ROLE))

    def on_acknowledge_clicked(self) -> None:
        done = 0
        for case_id in self.selected_case_ids():
            try:
                self._desk.cases.acknowledge_major(self._actor, case_id)
            except DeskError as error:
                QMessageBox.warning(self, "不能确认", str(error))
                break
            done += 1
        waiting = self._desk.cases.unacknowledged_major(self._actor)
        self._fill(waiting)
        if done:
            self.acknowledged.emit(done)
        if not waiting:
            self.accept()

    def on_open_clicked(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.open_case_requested.emit(case_id)


def remind_signer(desk: Desk, refund_id: int, parent: QWidget | None) -> QDialog | None:
    """A manager who just signed at the desk sees the major complaints still waiting for them."""
    signer_id = DeskCountService(desk.db, desk.clock).signer_id(refund_id)
    signer = next((a for a in desk.accounts.list_accounts() if a.id == signer_id), None)
    if signer is None or not desk.cases.may_acknowledge(signer):
        return None
    waiting = desk.cases.unacknowledged_major(signer)
    if not waiting:
        return None
    dialog = MajorComplaintsDialog(desk, signer, waiting, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
