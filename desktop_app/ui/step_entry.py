"""Recording the next step of a case: the step box, the fields that step asks for, Ctrl+Enter.

The box offers only what the domain allows for the case's status and proposes the next step not
yet on record, moving on after each step is recorded (so a second Ctrl+Enter never records the
same step twice). 满意度 has no default: the clerk chooses what the customer said. After the
department's deadline the confirmation step reads 前台决定 and asks for the desk's decision.

Signals:
    recorded(object): a step was recorded (the ``Step``); the case must be read again.
    refused(): the service refused the step (the case may have moved on); read it again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.case_timeline import next_step, step_title
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_at_desk import (
    attach_leader_completer,
    attach_staff_completer,
    resolve_unknown_names,
)
from desktop_app.ui.forms import FieldErrors

Step = rules.Step


class StepEntry(QWidget):
    recorded = Signal(object)
    refused = Signal()

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.case: CaseDetail | None = None
        self.errors = FieldErrors()
        self._build()

    def _build(self) -> None:
        self.step = QComboBox()
        self.step.setObjectName("step")
        self.step.setPlaceholderText("没有可记录的步骤")
        self.step.currentIndexChanged.connect(self._show_fields_for_step)
        self.upheld = QCheckBox("投诉成立")
        self.upheld.setObjectName("upheld")
        self.upheld.setChecked(True)
        self.department = QComboBox()
        self.department.setObjectName("department_name")
        self.department.setEditable(True)
        for _, name in self._desk.cases.departments():
            self.department.addItem(name)
        self.leader_name = QLineEdit()
        self.leader_name.setObjectName("leader_name")
        self.responsible = QLineEdit()
        self.responsible.setObjectName("responsible")
        attach_staff_completer(self.responsible, self._desk)  # the staff a liability can name
        self.reached = QCheckBox("已联系到顾客")
        self.reached.setObjectName("reached")
        self.reached.setChecked(True)
        self.satisfaction = QComboBox()
        self.satisfaction.setObjectName("satisfaction")
        self.satisfaction.setPlaceholderText("请选择顾客的满意度")
        for score, label in sorted(steps.SATISFACTION_LABELS.items(), reverse=True):
            self.satisfaction.addItem(f"{score} {label}", score)
        self.reached.toggled.connect(self.satisfaction.setEnabled)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 12)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.step_label = QLabel("下一步(&N)")
        self.step_label.setBuddy(self.step)
        self.form.addRow(self.step_label, self.step)
        self.form.addRow("", self.upheld)
        self.errors.add_row(self.form, "责任部门", "department_name", self.department)
        self.errors.add_row(self.form, "确认人(班长)", "leader_name", self.leader_name)
        self.errors.add_row(self.form, "责任方", "responsible", self.responsible)
        self.form.addRow("", self.reached)
        self.errors.add_row(self.form, "满意度", "satisfaction", self.satisfaction)
        self.text_label = QLabel("说明")
        self.form.addRow(self.text_label, self.text)
        self.errors.add_row_error(self.form, "text")
        self.errors.watch("text", self.text)

    # --- the case and its next step ---------------------------------------------------------------

    def set_case(self, case: CaseDetail, after: Step | None = None) -> None:
        """Offer what ``case`` allows now; propose the next step (past ``after`` if given), or
        keep the step chosen before when it is still offered and nothing was just recorded."""
        kept = self.current_step() if after is None and self.case is not None else None
        self.case = case
        self.step.blockSignals(True)
        self.step.clear()
        for step in case.offered_steps:
            self.step.addItem(step_title(case, step), step)
        proposed = kept if kept in case.offered_steps else next_step(case, after)
        self.step.setCurrentIndex(-1 if proposed is None else self.step.findData(proposed))
        self.step.blockSignals(False)
        attach_leader_completer(self.leader_name, self._desk, case.department_name)
        self._show_fields_for_step()

    def current_step(self) -> Step | None:
        data = self.step.currentData()
        return data if isinstance(data, Step) else None

    def _show_fields_for_step(self) -> None:
        step = self.current_step()
        desk_decides = self.case is not None and self.case.desk_decides
        visible = {
            self.upheld: step is Step.NATURE,
            self.department: step is Step.DEPARTMENT,
            self.leader_name: step is Step.CONFIRMATION and not desk_decides,
            self.responsible: step is Step.RESPONSIBILITY,
            self.reached: step is Step.FOLLOW_UP,
            self.satisfaction: step is Step.FOLLOW_UP,
            self.text: step is not None,
        }
        errors_of = {
            self.department: "department_name", self.leader_name: "leader_name",
            self.responsible: "responsible", self.satisfaction: "satisfaction", self.text: "text",
        }
        for widget, shown in visible.items():
            self.form.setRowVisible(widget, shown)
            if widget in errors_of:
                self.form.setRowVisible(self.errors.line(errors_of[widget]), shown)
        if step is Step.DEPARTMENT and self.case is not None and self.case.department_name:
            self.department.setCurrentText(self.case.department_name)
        if step is not None and self.case is not None:
            title, _ = steps.STEP_TEXT[step]
            if step is Step.CONFIRMATION and desk_decides:
                title = "前台决定(部门已超时)"
            self.text_label.setText(title)
        self.errors.clear()

    # --- recording --------------------------------------------------------------------------------

    def answer(self) -> steps.StepAnswer:
        step = self.current_step()
        reached = self.reached.isChecked()
        return steps.StepAnswer(
            text=self.text.toPlainText(),
            upheld=self.upheld.isChecked(),
            department_name=self.department.currentText(),
            leader_name=self.leader_name.text() if not self.leader_name.isHidden() else "",
            responsible=self.responsible.text(),
            satisfaction=self.satisfaction.currentData() if reached else None,
            reached=reached or step is not Step.FOLLOW_UP,
        )

    def typed(self) -> bool:
        """Whether the clerk typed something for the step that is not recorded yet."""
        return any(
            text.strip()
            for text in (self.text.toPlainText(), self.leader_name.text(), self.responsible.text())
        )

    def record(self) -> bool:
        """Record the chosen step; False when nothing was recorded (the reason is shown)."""
        step = self.current_step()
        if step is None or self.case is None:
            return False
        if step is Step.VOID and not self._confirm_void():
            return False
        if step is Step.DEPARTMENT and not resolve_unknown_names(
            self, self._desk, self._actor, {"department": self.department}
        ):
            return False
        try:
            self._desk.cases.record_step(self._actor, self.case.case_id, step, self.answer())
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return False
        except DeskError as error:
            QMessageBox.warning(self, "不能记录", str(error))
            self.refused.emit()
            return False
        self.clear_typed()
        self.recorded.emit(step)
        return True

    def clear_typed(self) -> None:
        self.text.clear()
        self.leader_name.clear()
        self.responsible.clear()
        self.satisfaction.setCurrentIndex(-1)
        self.reached.setChecked(True)
        self.upheld.setChecked(True)

    def _confirm_void(self) -> bool:
        assert self.case is not None
        answer = QMessageBox.question(
            self, "作废案件",
            f"确定作废案件 {self.case.case_no}?作废后不能再处理,但记录永久保留。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
