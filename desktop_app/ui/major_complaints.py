"""Major complaints waiting for the duty or store manager (重大投诉及时报告值班经理或店长).

Shown on login until each one is acknowledged; acknowledging is recorded in the register.

Signals:
    open_case_requested(int): the manager wants to read the case first.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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
from desktop_app.services.cases import MajorCase
from desktop_app.services.desk import Desk


class MajorComplaintsDialog(QDialog):
    open_case_requested = Signal(int)

    def __init__(
        self, desk: Desk, actor: Account, waiting: list[MajorCase], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.setWindowTitle("重大投诉待知悉")
        self.resize(640, 360)
        self.heading = QLabel()
        self.cases = QListWidget()
        self.cases.setObjectName("major_cases")
        self.cases.setWordWrap(True)
        self.acknowledge_button = QPushButton("确认已知悉(&A)")
        self.acknowledge_button.setObjectName("acknowledge_button")
        self.acknowledge_button.clicked.connect(self.on_acknowledge_clicked)
        open_button = QPushButton("查看案件(&O)")
        open_button.clicked.connect(self.on_open_clicked)
        self.cases.itemActivated.connect(lambda _item: self.on_open_clicked())
        later = QPushButton("稍后处理")
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(later)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.cases, 1)
        layout.addLayout(buttons)
        self._fill(waiting)

    def _fill(self, waiting: list[MajorCase]) -> None:
        self.cases.clear()
        for case in waiting:
            summary = case.account if len(case.account) <= 60 else case.account[:60] + "…"
            item = QListWidgetItem(
                f"{case.case_no}  {case.received_at:%m-%d %H:%M}  {case.customer_name}  "
                f"{case.category}\n{summary}"
            )
            item.setData(256, case.case_id)
            self.cases.addItem(item)
        heading = f"有 {len(waiting)} 件重大投诉尚未知悉,请阅后确认:"
        self.heading.setText(heading if waiting else "没有待知悉的重大投诉")
        self.acknowledge_button.setEnabled(bool(waiting))
        if waiting:
            self.cases.setCurrentRow(0)

    def selected_case_id(self) -> int | None:
        item = self.cases.currentItem()
        return None if item is None else int(item.data(256))

    def on_acknowledge_clicked(self) -> None:
        case_id = self.selected_case_id()
        if case_id is None:
            return
        try:
            self._desk.cases.acknowledge_major(self._actor, case_id)
        except DeskError as error:
            QMessageBox.warning(self, "不能确认", str(error))
            return
        waiting = self._desk.cases.unacknowledged_major(self._actor)
        self._fill(waiting)
        if not waiting:
            self.accept()

    def on_open_clicked(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.open_case_requested.emit(case_id)
