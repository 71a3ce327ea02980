"""员工责任分担 on the case screen (managers only): for a service compensation of the case, the
staff members responsible (from the staff list), the share each bears and the penalty step 8
decided. What is already recorded for the compensation is listed above the new lines.

Signals (LiabilityButton):
    recorded(): lines were recorded; the case screen reloads.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.liability import ShareDraft
from desktop_app.domain.money import format_yuan
from desktop_app.services.desk import Desk
from desktop_app.services.liabilities import Compensation
from desktop_app.ui.forms import ERROR_STYLE, enter_never_saves

NEW_ROWS = 4
NEW_HEADERS = ("责任人(员工名单)", "承担比例 %", "罚款(元)", "处罚说明")
HELD_HEADERS = ("责任人", "比例", "承担金额", "罚款", "状态")
NONE_TO_SHARE = "本案件没有已批准的服务赔偿(非商品质量),没有需要员工分担的赔偿。"


class LiabilityDialog(QDialog):
    def __init__(self, desk: Desk, actor: Account, case_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self.setWindowTitle("员工责任分担(第 8 步 责任与处罚)")
        self.resize(760, 520)
        self.compensation = QComboBox()
        self.compensation.setObjectName("compensation")
        self.compensation.currentIndexChanged.connect(self._show_held)
        self.held = QTableWidget(0, len(HELD_HEADERS))
        self.held.setObjectName("held")
        self.held.setHorizontalHeaderLabels(list(HELD_HEADERS))
        self.held.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.held.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.held.setMaximumHeight(130)
        self.shares = QTableWidget(NEW_ROWS, len(NEW_HEADERS))
        self.shares.setObjectName("shares")
        self.shares.setHorizontalHeaderLabels(list(NEW_HEADERS))
        self.shares.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        choices = desk.liabilities.staff_choices(actor)
        for row in range(NEW_ROWS):
            person = QComboBox()
            person.setObjectName(f"staff_{row}")
            person.addItem("", None)
            for staff_id, label in choices:
                person.addItem(label, staff_id)
            self.shares.setCellWidget(row, 0, person)
            for column, name in ((1, "share"), (2, "penalty"), (3, "note")):
                edit = QLineEdit()
                edit.setObjectName(f"{name}_{row}")
                self.shares.setCellWidget(row, column, edit)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("登记责任人")
        buttons.accepted.connect(self.on_save_clicked)
        buttons.rejected.connect(self.reject)
        enter_never_saves(self, buttons)  # Enter in a share cell must not save the table
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("服务原因造成的赔偿"))
        layout.addWidget(self.compensation)
        layout.addWidget(QLabel("已登记"))
        layout.addWidget(self.held)
        layout.addWidget(QLabel("新登记:合计不超过 100%,其余由门店承担;罚款为第 8 步决定的处罚"))
        layout.addWidget(self.shares, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        self._compensations: list[Compensation] = self._desk.liabilities.compensations(
            self._actor, self._case_id)
        chosen = self.compensation.currentData()
        self.compensation.blockSignals(True)
        self.compensation.clear()
        for item in self._compensations:
            self.compensation.addItem(
                f"{format_yuan(item.amount)}  {item.approved_at:%Y-%m-%d}  {item.reason}"
                f"(已分担 {item.percent_held}%)", item.refund_id)
        self.compensation.setCurrentIndex(max(self.compensation.findData(chosen), 0))
        self.compensation.blockSignals(False)
        if not self._compensations:
            self.error.setText(NONE_TO_SHARE)
        self.save_button.setEnabled(bool(self._compensations))
        self._show_held()

    def _show_held(self) -> None:
        refund_id = self.compensation.currentData()
        chosen = next((c for c in self._compensations if c.refund_id == refund_id), None)
        lines = [] if chosen is None else list(chosen.lines)
        self.held.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, text in enumerate((
                line.staff, f"{line.percent}%", format_yuan(line.amount),
                format_yuan(line.penalty), line.status_text,
            )):
                self.held.setItem(row, column, QTableWidgetItem(text))

    def person(self, row: int) -> QComboBox:
        widget = self.shares.cellWidget(row, 0)
        assert isinstance(widget, QComboBox)
        return widget

    def field(self, row: int, column: int) -> QLineEdit:
        widget = self.shares.cellWidget(row, column)
        assert isinstance(widget, QLineEdit)
        return widget

    def drafts(self) -> list[ShareDraft]:
        return [
            ShareDraft(self.person(row).currentData(), self.field(row, 1).text(),
                       self.field(row, 2).text(), self.field(row, 3).text())
            for row in range(NEW_ROWS)
        ]

    def on_save_clicked(self) -> None:
        refund_id = self.compensation.currentData()
        if refund_id is None:
            return
        try:
            self._desk.liabilities.record(self._actor, int(refund_id), self.drafts())
        except ValidationError as error:
            self.error.setText(";".join(error.field_errors.values()))
            return
        except DeskError as error:
            self.error.setText(str(error))
            return
        self.accept()


class LiabilityButton(QPushButton):
    """「员工责任分担…」 for the case screen; hidden from anyone but managers."""

    recorded = Signal()

    def __init__(self, desk: Desk, actor: Account, case_id: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        super().__init__("员工责任分担…", parent)
        self.setObjectName("liability_button")
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self.dialog: LiabilityDialog | None = None
        if not desk.liabilities.may_see(actor):
            self.hide()  # stays hidden once in the case screen's layout
        self.clicked.connect(self.on_clicked)

    def on_clicked(self) -> None:
        self.dialog = LiabilityDialog(self._desk, self._actor, self._case_id(), self.window())
        self.dialog.accepted.connect(self.recorded.emit)
        self.dialog.open()
