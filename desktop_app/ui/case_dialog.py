"""One case: what was registered, the steps recorded so far, the next step, and its history.

The step box offers only what the domain allows for the case's status; Ctrl+Enter records the
step. Quality cases show the department's confirmation deadline; once it has passed the desk
records its own decision, and the department can no longer change it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refunds import ChargeBack
from desktop_app.services.case_text import (
    action_label,
    case_summary_lines,
    field_label,
    step_summary,
)
from desktop_app.services.cases import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.services.printing import print_case_sheet
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.catalog_at_desk import (
    attach_leader_completer,
    attach_staff_completer,
    leader_hint,
    resolve_unknown_names,
)
from desktop_app.ui.forms import FieldErrors
from desktop_app.ui.pdf_output import ask_pdf_path, open_file
from desktop_app.ui.privacy_dialog import ErasePersonButton
from desktop_app.ui.refund_request_dialog import RefundRequestDialog
from desktop_app.ui.registration_page import CorrectionPage

HISTORY_HEADERS = ("时间", "操作人", "操作", "项目", "原值", "新值")
REFUND_HEADERS = (
    "类型", "金额", "小票号", "状态", "审批级别", "申请人", "审批人", "供应商扣款", "原因",
)


class CaseDialog(QDialog):
    changed = Signal(int)

    def __init__(self, desk: Desk, actor: Account, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self.errors = FieldErrors()
        self.resize(980, 720)
        self._build()
        self.load()

    # --- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        self.summary = QTextBrowser()
        self.summary.setObjectName("case_summary")
        self.steps_done = QTextBrowser()
        self.steps_done.setObjectName("steps_done")
        self.history = QTableWidget(0, len(HISTORY_HEADERS))
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels(list(HISTORY_HEADERS))
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._column(self.summary, self.steps_done), "登记内容与处理经过")
        self.tabs.addTab(self._refunds_tab(), "退换货与赔偿")
        self.tabs.addTab(self.history, "修改记录(登记簿)")

        self.status_line = QLabel()
        self.status_line.setObjectName("status_line")
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("deadline_line")
        self.step = QComboBox()
        self.step.setObjectName("step")
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
        for score, label in sorted(steps.SATISFACTION_LABELS.items(), reverse=True):
            self.satisfaction.addItem(f"{score} {label}", score)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(110)
        self.record_button = QPushButton("记录此步骤  Ctrl+Enter")
        self.record_button.setObjectName("record_button")
        self.record_button.clicked.connect(self.on_record_clicked)
        self.acknowledge_button = QPushButton("确认已知悉此重大投诉")
        self.acknowledge_button.setObjectName("acknowledge_button")
        self.acknowledge_button.clicked.connect(self.on_acknowledge_clicked)

        self.entry = QFormLayout()
        self.entry.addRow("下一步", self.step)
        self.entry.addRow("", self.upheld)
        self.errors.add_row(self.entry, "责任部门", "department_name", self.department)
        self.errors.add_row(self.entry, "确认人(班长)", "leader_name", self.leader_name)
        self.errors.add_row(self.entry, "责任方", "responsible", self.responsible)
        self.entry.addRow("", self.reached)
        self.errors.add_row(self.entry, "满意度", "satisfaction", self.satisfaction)
        self.text_label = QLabel("说明")
        self.entry.addRow(self.text_label, self.text)
        self.errors.add_row_error(self.entry, "text")

        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self.print_button = QPushButton("打印登记表  Ctrl+P")
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.on_print_clicked)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.on_print_clicked)
        self.correct_button = QPushButton("更正登记内容")
        self.correct_button.setObjectName("correct_button")
        self.correct_button.clicked.connect(self.on_correct_clicked)
        self.erase_button = ErasePersonButton(self._desk, self._actor, self._case_id)
        self.erase_button.erased.connect(self._after_correction)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.erase_button)
        buttons.addWidget(self.acknowledge_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_line)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.deadline_line)
        layout.addLayout(self.entry)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.on_record_clicked)

    def _refunds_tab(self) -> QWidget:
        self.refunds = QTableWidget(0, len(REFUND_HEADERS))
        self.refunds.setObjectName("case_refunds")
        self.refunds.setHorizontalHeaderLabels(list(REFUND_HEADERS))
        self.refunds.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.refunds.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refunds.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.refunds.cellDoubleClicked.connect(lambda row, _column: self.on_sign_clicked())
        self.request_button = QPushButton("申请退款/换货/赔偿  Ctrl+R")
        self.request_button.setObjectName("request_refund_button")
        self.request_button.clicked.connect(self.on_request_refund_clicked)
        self.sign_button = QPushButton("审批选中的申请")
        self.sign_button.setObjectName("sign_button")
        self.sign_button.clicked.connect(self.on_sign_clicked)
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.on_request_refund_clicked)
        self.charge_back_button = QPushButton("登记供应商扣款…")
        self.charge_back_button.setObjectName("charge_back_button")
        self.charge_back_button.clicked.connect(self.on_charge_back_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.request_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.charge_back_button)
        buttons.addStretch(1)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addWidget(self.refunds, 1)
        layout.addLayout(buttons)
        return holder

    def _load_refunds(self) -> None:
        self.refund_lines = self._desk.refunds.refunds_of_case(self._case_id)
        self.refunds.setRowCount(len(self.refund_lines))
        for row, line in enumerate(self.refund_lines):
            values = (
                line.kind.label, format_yuan(line.amount), line.receipt_no, line.status.label,
                line.level.label, line.requested_by, line.decided_by, line.charge_back.label,
                line.reason,
            )
            for column, value in enumerate(values):
                self.refunds.setItem(row, column, QTableWidgetItem(value))

    def on_request_refund_clicked(self) -> None:
        if self.case.status is rules.CaseStatus.VOIDED:
            QMessageBox.warning(self, "不能申请", "案件已作废,不能申请退换货")
            return
        dialog = RefundRequestDialog(self._desk, self._actor, self.case, self)
        if dialog.exec() and dialog.refund_id is not None:
            self.load()
            self.changed.emit(self._case_id)
            self.offer_signing(dialog.refund_id)

    def offer_signing(self, refund_id: int) -> None:
        """A manager is usually at the desk already: offer to sign straight away."""
        answer = QMessageBox.question(
            self, "提交成功", "申请已提交。现在请审批人签批吗?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sign(refund_id)

    def on_sign_clicked(self) -> None:
        row = self.refunds.currentRow()
        if 0 <= row < len(self.refund_lines):
            self.sign(self.refund_lines[row].refund_id)

    def on_charge_back_clicked(self) -> None:
        row = self.refunds.currentRow()
        if not 0 <= row < len(self.refund_lines):
            return
        choices = [ChargeBack.CHARGED, ChargeBack.WAIVED, ChargeBack.PENDING]
        label, ok = QInputDialog.getItem(
            self, "供应商扣款", "这笔质量退货的供应商扣款:", [c.label for c in choices], 0, False
        )
        if not ok:
            return
        status = next(c for c in choices if c.label == label)
        try:
            self._desk.refunds.set_charge_back(
                self._actor, self.refund_lines[row].refund_id, status
            )
        except DeskError as error:
            QMessageBox.warning(self, "不能登记", str(error))
            return
        self.load()
        self.changed.emit(self._case_id)

    def sign(self, refund_id: int) -> None:
        ApprovalDialog(self._desk, refund_id, self).exec()
        self.load()
        self.changed.emit(self._case_id)

    @staticmethod
    def _column(*widgets: QWidget) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 1)
        return holder

    # --- showing the case -------------------------------------------------------------------

    def load(self) -> None:
        case = self._desk.cases.case(self._case_id)
        self.case = case
        self.setWindowTitle(f"案件 {case.case_no} — {case.customer_name}")
        major = "  【重大投诉】" if case.is_major else ""
        self.status_line.setText(f"<b>{case.case_no}</b>  状态:{case.status.label}{major}")
        self.summary.setPlainText("\n".join(case_summary_lines(case)))
        self.steps_done.setPlainText(
            "\n\n".join(step_summary(step, answer) for step, answer in _recorded(case))
            or "尚未记录处理步骤"
        )
        self._load_history()
        self._load_refunds()
        self._offer_steps(case)
        self.correct_button.setEnabled(case.status is not rules.CaseStatus.VOIDED)
        self.acknowledge_button.setVisible(
            case.is_major and not case.major_acknowledged_by
            and self._desk.cases.may_acknowledge(self._actor)
        )

    def _load_history(self) -> None:
        lines = self._desk.cases.history(self._case_id)
        self.history.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, value in enumerate(
                (line.at, line.actor, action_label(line.action), field_label(line.field),
                 line.old_value, line.new_value)
            ):
                self.history.setItem(row, column, QTableWidgetItem(value))

    def _offer_steps(self, case: CaseDetail) -> None:
        self.step.blockSignals(True)
        self.step.clear()
        for step in case.offered_steps:
            self.step.addItem(step.label, step)
        self.step.blockSignals(False)
        waiting = _deadline_text(case)
        # Whom to call, while the department may still come and confirm.
        calling = waiting and not case.desk_decides
        hint = leader_hint(self._desk, case.department_name) if calling else ""
        self.deadline_line.setText(f"{waiting}{hint}")
        attach_leader_completer(self.leader_name, self._desk, case.department_name)
        self.record_button.setEnabled(bool(case.offered_steps))
        self._show_fields_for_step()

    def current_step(self) -> rules.Step | None:
        data = self.step.currentData()
        return data if isinstance(data, rules.Step) else None

    def _show_fields_for_step(self) -> None:
        step = self.current_step()
        desk_decides = self.case.desk_decides
        visible = {
            self.upheld: step is rules.Step.NATURE,
            self.department: step is rules.Step.DEPARTMENT,
            self.leader_name: step is rules.Step.CONFIRMATION and not desk_decides,
            self.responsible: step is rules.Step.RESPONSIBILITY,
            self.reached: step is rules.Step.FOLLOW_UP,
            self.satisfaction: step is rules.Step.FOLLOW_UP,
            self.text: step is not None,
        }
        for widget, shown in visible.items():
            widget.setVisible(shown)
            label = self.entry.labelForField(widget)
            if label is not None:
                label.setVisible(shown)
        if step is rules.Step.DEPARTMENT and self.case.department_name:
            self.department.setCurrentText(self.case.department_name)
        if step is not None:
            title, _ = steps.STEP_TEXT[step]
            if step is rules.Step.CONFIRMATION and desk_decides:
                title = "前台决定(部门已超时)"
            self.text_label.setText(title)
        self.errors.clear()

    # --- recording ----------------------------------------------------------------------------

    def answer(self) -> steps.StepAnswer:
        step = self.current_step()
        return steps.StepAnswer(
            text=self.text.toPlainText(),
            upheld=self.upheld.isChecked(),
            department_name=self.department.currentText(),
            leader_name=self.leader_name.text() if self.leader_name.isVisible() else "",
            responsible=self.responsible.text(),
            satisfaction=self.satisfaction.currentData() if self.reached.isChecked() else None,
            reached=self.reached.isChecked() or step is not rules.Step.FOLLOW_UP,
        )

    def on_record_clicked(self) -> None:
        step = self.current_step()
        if step is None:
            return
        if step is rules.Step.VOID and not self._confirm_void():
            return
        if step is rules.Step.DEPARTMENT and not resolve_unknown_names(
            self, self._desk, self._actor, {"department": self.department}
        ):
            return
        try:
            self._desk.cases.record_step(self._actor, self._case_id, step, self.answer())
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            QMessageBox.warning(self, "不能记录", str(error))
            self.load()
            return
        self.text.clear()
        self.leader_name.clear()
        self.responsible.clear()
        self.load()
        self.changed.emit(self._case_id)

    def _confirm_void(self) -> bool:
        answer = QMessageBox.question(
            self, "作废案件", f"确定作废案件 {self.case.case_no}?作废后不能再处理,但记录永久保留。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_print_clicked(self) -> Path | None:
        """The register sheet as PDF, opened for printing and the customer's signature."""
        path = ask_pdf_path(self, f"顾客接待登记表-{self.case.case_no}.pdf")
        if path is None:
            return None
        try:
            print_case_sheet(
                self._desk.cases, self._desk.refunds, self._desk.settings, self._case_id,
                path, self._desk.clock(),
            )
        except OSError as error:
            QMessageBox.warning(self, "不能保存", f"无法写入 {path}:{error.strerror}")
            return None
        self._desk.privacy.record_print(self._actor, self._case_id, "顾客接待登记表", path.name)
        open_file(path)
        return path

    def on_correct_clicked(self) -> QDialog:
        """The registration form, filled in; saving asks why and keeps the old values."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"更正登记内容 — {self.case.case_no}")
        page = CorrectionPage(self._desk, self._actor, self.case, dialog)
        page.corrected.connect(dialog.accept)
        page.corrected.connect(self._after_correction)
        layout = QVBoxLayout(dialog)
        layout.addWidget(page)
        dialog.resize(1100, 700)
        dialog.open()
        return dialog

    def _after_correction(self, _case_id: int) -> None:
        self.load()
        self.changed.emit(self._case_id)

    def on_acknowledge_clicked(self) -> None:
        try:
            self._desk.cases.acknowledge_major(self._actor, self._case_id)
        except DeskError as error:
            QMessageBox.warning(self, "不能确认", str(error))
            return
        self.load()
        self.changed.emit(self._case_id)


def _recorded(case: CaseDetail) -> list[tuple[rules.Step, dict[str, object]]]:
    return [(step, case.workflow[step.value]) for step in rules.Step if step.value in case.workflow]


def _deadline_text(case: CaseDetail) -> str:
    waiting = case.status is rules.CaseStatus.AWAITING_CONFIRMATION
    if not waiting or case.confirmation_deadline is None:
        return ""
    deadline = f"{case.confirmation_deadline:%H:%M}"
    if case.desk_decides:
        return f"部门确认时限 {deadline} 已过:由前台决定处理结果,部门无权改变。"
    return f"请部门班长在 {deadline} 前到前台确认;逾时由前台决定。"
