"""预警: the early warnings the desk's saves raised, for the managers to act on.

A warning lists the cases that raised or joined it; a manager acknowledges it with the action
taken (下架检查 / 通知供应商 / 部门整改, or 无需处理 with a reason, which closes it) and closes
it once the action is done. 查看案件 opens the queue on its cases. The store manager sets the
rules (预警规则…).

Signals:
    warnings_changed(): a warning was acknowledged or closed (the badge refreshes).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import warning_rules as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_selection import CaseSelection
from desktop_app.domain.errors import DeskError
from desktop_app.domain.roles import MANAGER_ROLES, may_administer
from desktop_app.domain.warning_rules import WarningAction, WarningStatus
from desktop_app.services.desk import Desk
from desktop_app.services.warnings import WarningLine
from desktop_app.ui.forms import ok_cancel
from desktop_app.ui.warning_badge import refresh_warning_badge

HEADERS = ("编号", "预警", "起数", "天数", "状态", "措施", "预警时间", "最近一起")
CASE_HEADERS = ("第几起", "案件编号", "接待时间", "商品", "顾客", "类别", "状态")
SHOWN = {
    "待处理与处理中": (WarningStatus.RAISED, WarningStatus.ACKNOWLEDGED),
    "待处理": (WarningStatus.RAISED,),
    "处理中": (WarningStatus.ACKNOWLEDGED,),
    "已关闭": (WarningStatus.CLOSED,),
}
RAISED_BRUSH = QBrush(QColor("#fde2e1"))


def visible_to(account: Account) -> bool:
    """Managers act on warnings; the administrator sets the rules."""
    return account.role in MANAGER_ROLES or may_administer(account.role)


class WarningsPage(QWidget):
    warnings_changed = Signal()

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._lines: list[WarningLine] = []
        self.shown = QComboBox()
        self.shown.setObjectName("warning_filter")
        for label in SHOWN:
            self.shown.addItem(label)
        self.shown.currentIndexChanged.connect(self.refresh)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("warnings_table")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.on_selection_changed)
        self.detail = QLabel()
        self.detail.setObjectName("warning_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cases = QTableWidget(0, len(CASE_HEADERS))
        self.cases.setObjectName("warning_cases")
        self.cases.setHorizontalHeaderLabels(list(CASE_HEADERS))
        self.cases.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cases.verticalHeader().hide()
        self.cases.horizontalHeader().setStretchLastSection(True)
        self.acknowledge_button = QPushButton("确认并选择措施(&A)…")
        self.acknowledge_button.setObjectName("acknowledge_warning")
        self.acknowledge_button.clicked.connect(self.on_acknowledge_clicked)
        self.close_button = QPushButton("措施已完成,关闭(&C)…")
        self.close_button.setObjectName("close_warning")
        self.close_button.clicked.connect(self.on_close_clicked)
        self.open_cases_button = QPushButton("在案件队列中查看(&O)")
        self.open_cases_button.setObjectName("open_warning_cases")
        self.open_cases_button.clicked.connect(self.on_open_cases_clicked)
        rules_button = QPushButton("预警规则(&R)…")
        rules_button.setObjectName("warning_rules_button")
        rules_button.setEnabled(may_administer(actor.role))
        rules_button.setToolTip("店长或系统管理员可修改")
        rules_button.clicked.connect(self.on_rules_clicked)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        self._build_layout(rules_button, refresh)
        self.refresh()

    def _build_layout(self, rules_button: QPushButton, refresh: QPushButton) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("显示"))
        top.addWidget(self.shown)
        top.addStretch(1)
        top.addWidget(rules_button)
        top.addWidget(refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_cases_button)
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(self.close_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(self.cases, 1)
        lower_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # --- showing ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = SHOWN[self.shown.currentText()]
        selected = self.selected()
        self._lines = self._desk.warnings.warnings(chosen)
        self.table.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            last = "" if line.last_case_at is None else f"{line.last_case_at:%m-%d %H:%M}"
            values = (
                str(line.warning_id), line.label, str(line.cases), str(line.span_days),
                line.status.label, "" if line.action is None else line.action.label,
                f"{line.raised_at:%Y-%m-%d %H:%M}", last,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(line.summary)
                if line.status is WarningStatus.RAISED:
                    item.setBackground(RAISED_BRUSH)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        keep = next((row for row, line in enumerate(self._lines)
                     if selected is not None and line.warning_id == selected.warning_id), 0)
        if self._lines:
            self.table.selectRow(keep)
        self.on_selection_changed()

    def selected(self) -> WarningLine | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._lines):
            return None
        return self._lines[rows[0].row()]

    def on_selection_changed(self) -> None:
        line = self.selected()
        may_work = self._desk.warnings.may_work(self._actor)
        self.acknowledge_button.setEnabled(
            line is not None and may_work and line.status is WarningStatus.RAISED)
        self.close_button.setEnabled(
            line is not None and may_work and line.status is WarningStatus.ACKNOWLEDGED)
        self.open_cases_button.setEnabled(line is not None)
        if line is None:
            self.detail.setText("没有预警" if not self._lines else "")
            self.cases.setRowCount(0)
            return
        self.detail.setText(_detail_text(line))
        cases = self._desk.warnings.cases(line.warning_id)
        self.cases.setRowCount(len(cases))
        for row, case in enumerate(cases):
            values = (str(case.ordinal), case.case_no, f"{case.received_at:%Y-%m-%d %H:%M}",
                      case.product_name, case.customer_name, case.category, case.status)
            for column, value in enumerate(values):
                self.cases.setItem(row, column, QTableWidgetItem(value))
        self.cases.resizeColumnsToContents()

    # --- acting ----------------------------------------------------------------------------------

    def on_acknowledge_clicked(self) -> None:
        line = self.selected()
        if line is None:
            return
        answer = AcknowledgeDialog.ask(self, line)
        if answer is None:
            return
        action, note = answer
        self._act(lambda: self._desk.warnings.acknowledge(
            self._actor, line.warning_id, action, note))

    def on_close_clicked(self) -> None:
        line = self.selected()
        if line is None:
            return
        note = CloseDialog.ask(self, line)
        if note is None:
            return
        self._act(lambda: self._desk.warnings.close(self._actor, line.warning_id, note))

    def _act(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except DeskError as error:
            QMessageBox.warning(self, "预警", str(error))
            return
        self.refresh()
        self.warnings_changed.emit()
        refresh_warning_badge(self.window())

    def on_open_cases_clicked(self) -> None:
        line = self.selected()
        if line is None:
            return
        from desktop_app.ui.case_list_dialog import open_case_list

        open_case_list(self, self._desk, self._actor, CaseSelection(
            caption=f"预警 #{line.warning_id} {line.label}", warning_id=line.warning_id,
            counted_only=False))

    def on_rules_clicked(self) -> None:
        dialog = RulesDialog(self._desk, self._actor, self)
        dialog.open()

    def showEvent(self, event: object) -> None:  # noqa: N802
        self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]


def _detail_text(line: WarningLine) -> str:
    parts = [f"<b>预警 #{line.warning_id} {line.label}</b>:{line.span_days} 天内 {line.cases} 起"
             f"(规则:{line.threshold.text}),{line.raised_at:%Y-%m-%d %H:%M} 提出。"]
    if line.acknowledged_at is not None:
        action = "" if line.action is None else line.action.label
        parts.append(f"{line.acknowledged_by} 于 {line.acknowledged_at:%m-%d %H:%M} 确认:"
                     f"{action}。{line.note}")
    if line.closed_at is not None:
        parts.append(f"{line.closed_by} 于 {line.closed_at:%m-%d %H:%M} 关闭:{line.close_note}")
    return "<br>".join(parts)


class AcknowledgeDialog(QDialog):
    """The action taken and a note; 无需处理 needs its reason."""

    def __init__(self, line: WarningLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"确认预警 #{line.warning_id}")
        self.action = QComboBox()
        self.action.setObjectName("warning_action")
        suggested = rules.SUGGESTED_ACTION[line.rule]
        for action in (suggested, *(a for a in WarningAction if a is not suggested)):
            self.action.addItem(action.label, action)
        self.note = QPlainTextEdit()
        self.note.setObjectName("warning_note")
        self.note.setPlaceholderText("具体做法,如:通知食品部下架同批次检查;选“无需处理”须写明理由")
        self.note.setTabChangesFocus(True)
        form = QFormLayout(self)
        form.addRow(QLabel(line.summary))
        form.addRow("处理措施(&M)", self.action)
        form.addRow("说明(&N)", self.note)
        buttons = ok_cancel(self, self.accept)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget, line: WarningLine) -> tuple[WarningAction, str] | None:
        dialog = cls(line, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.action.currentData(), dialog.note.toPlainText()


class CloseDialog(QDialog):
    def __init__(self, line: WarningLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关闭预警 #{line.warning_id}")
        self.note = QPlainTextEdit()
        self.note.setObjectName("close_note")
        self.note.setPlaceholderText("措施的完成情况,如:同批次 48 箱已下架退回供应商")
        self.note.setTabChangesFocus(True)
        form = QFormLayout(self)
        form.addRow(QLabel(line.summary))
        form.addRow("完成情况(&N)", self.note)
        buttons = ok_cancel(self, self.accept)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget, line: WarningLine) -> str | None:
        dialog = cls(line, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.note.toPlainText()


class RulesDialog(QDialog):
    """预警规则: N complaints within D days per subject, and food safety at once."""

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.setWindowTitle("预警规则")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        current = desk.warnings.settings()
        grid = QGridLayout(self)
        grid.addWidget(QLabel("对象"), 0, 0)
        grid.addWidget(QLabel("天数内"), 0, 1)
        grid.addWidget(QLabel("达到起数即预警"), 0, 2)
        self.fields: dict[str, tuple[QSpinBox, QSpinBox]] = {}
        for row, name in enumerate(rules.THRESHOLD_FIELDS, start=1):
            threshold: rules.Threshold = getattr(current, name)
            days, count = QSpinBox(), QSpinBox()
            days.setRange(*rules.DAYS_RANGE)
            count.setRange(*rules.COUNT_RANGE)
            days.setValue(threshold.days)
            count.setValue(threshold.count)
            days.setObjectName(f"warn_{name}_days")
            count.setObjectName(f"warn_{name}_count")
            grid.addWidget(QLabel(rules.THRESHOLD_LABELS[name]), row, 0)
            grid.addWidget(days, row, 1)
            grid.addWidget(count, row, 2)
            self.fields[name] = (days, count)
        self.food_safety = QComboBox()
        self.food_safety.setObjectName("warn_food_safety")
        self.food_safety.addItem("每一起都立即预警", True)
        self.food_safety.addItem("不单独预警", False)
        self.food_safety.setCurrentIndex(0 if current.food_safety else 1)
        last = len(rules.THRESHOLD_FIELDS) + 1
        grid.addWidget(QLabel("食品安全投诉"), last, 0)
        grid.addWidget(self.food_safety, last, 1, 1, 2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        grid.addWidget(buttons, last + 1, 0, 1, 3)

    def chosen(self) -> rules.WarningSettings:
        thresholds = {name: rules.Threshold(count.value(), days.value())
                      for name, (days, count) in self.fields.items()}
        return rules.WarningSettings(**thresholds,  # type: ignore[arg-type]
                                     food_safety=bool(self.food_safety.currentData()))

    def on_save(self) -> None:
        try:
            self._desk.warnings.update_settings(self._actor, self.chosen())
        except DeskError as error:
            QMessageBox.warning(self, "预警规则", str(error))
            return
        self.accept()
