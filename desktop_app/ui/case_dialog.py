"""One case: the statement and facts at a glance, the ten steps as a timeline, the refunds, the
history in words, and the next step to record (Ctrl+Enter).

The dialog opens with the keyboard on its tabs, not in a step field, so keys typed while it
appears go nowhere they could do harm; Esc closes it, asking first when a step was half typed.
Ctrl+P prints the register sheet for the customer's signature (print preview, then the printer);
导出 PDF saves it as a file. Quality cases count down the department's confirmation deadline.

Signals:
    changed(int): the case (this id) changed; the queue and the counts should be read again.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError
from desktop_app.services.case_timeline import deadline_text, timeline
from desktop_app.services.desk import Desk
from desktop_app.services.printing import print_case_sheet
from desktop_app.ui.case_history_tab import CaseHistoryTab
from desktop_app.ui.case_overview import CaseFacts, TimelineView
from desktop_app.ui.case_refunds_tab import CaseRefundsTab
from desktop_app.ui.catalog_at_desk import leader_hint
from desktop_app.ui.correction_dialog import CorrectionDialog
from desktop_app.ui.forms import FieldErrors
from desktop_app.ui.legal_remedy_panel import LegalRemedyPanel
from desktop_app.ui.pdf_output import ask_pdf_path, open_file
from desktop_app.ui.pdf_printing import print_pdf
from desktop_app.ui.privacy_dialog import ErasePersonButton
from desktop_app.ui.step_entry import StepEntry
from desktop_app.ui.unsaved import GuardedDialog
from desktop_app.ui.view_memory import ViewMemory

Step = rules.Step
TICK_MS = 1000
MEMORY_KEY = "case_dialog"


class CaseDialog(GuardedDialog):
    changed = Signal(int)

    def __init__(self, desk: Desk, actor: Account, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self._leaders = ""
        self._memory = ViewMemory(actor.username)
        self.resize(1240, 680)
        self._build()
        self._memory.restore_geometry(self, MEMORY_KEY)
        self._memory.keep_splitter(self.splitter, MEMORY_KEY)
        self.load()
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.on_tick)
        self._ticker.start()
        self.tabs.tabBar().setFocus()

    # --- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        self.status_line = QLabel()
        self.status_line.setObjectName("status_line")
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("deadline_line")
        self.facts = CaseFacts()
        self.refunds = CaseRefundsTab(self._desk, self._actor, lambda: self.case)
        self.refunds.changed.connect(self.on_changed_elsewhere)
        self.history_tab = CaseHistoryTab(self._desk)
        self.timeline = TimelineView()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("case_splitter")
        self.splitter.addWidget(self.facts)
        self.splitter.addWidget(self.timeline)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 500])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, "概况与处理经过(&1)")
        self.tabs.addTab(self.refunds, "退换货与赔偿(&2)")
        self.tabs.addTab(self.history_tab, "修改记录(&3)")
        self.legal = LegalRemedyPanel(self._desk)  # the statutory remedies beside the demand
        self.tabs.addTab(self.legal, "法律参考(&4)")

        self.entry = StepEntry(self._desk, self._actor)
        self.entry.recorded.connect(self.on_step_recorded)
        self.entry.refused.connect(self.load)
        self.record_button = QPushButton("记录此步骤  Ctrl+Enter")
        self.record_button.setObjectName("record_button")
        self.record_button.clicked.connect(self.on_record_clicked)
        self.print_button = QPushButton("打印登记表  Ctrl+P")
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.on_print_clicked)
        self.export_button = QPushButton("导出 PDF…")
        self.export_button.setObjectName("export_button")
        self.export_button.clicked.connect(self.on_export_clicked)
        self.correct_button = QPushButton("更正登记内容…")
        self.correct_button.setObjectName("correct_button")
        self.correct_button.clicked.connect(self.on_correct_clicked)
        self.acknowledge_button = QPushButton("确认已知悉此重大投诉")
        self.acknowledge_button.setObjectName("acknowledge_button")
        self.acknowledge_button.clicked.connect(self.on_acknowledge_clicked)
        close = QPushButton("关闭  Esc")
        close.setObjectName("close_button")
        close.clicked.connect(self.reject)

        self.erase_button = ErasePersonButton(self._desk, self._actor, self._case_id)
        self.erase_button.erased.connect(lambda _case_id: self.on_changed_elsewhere())
        buttons = QHBoxLayout()
        for button in (self.print_button, self.export_button, self.correct_button,
                       self.erase_button, self.acknowledge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(close)
        header = QHBoxLayout()
        header.addWidget(self.status_line)
        header.addStretch(1)
        header.addWidget(self.deadline_line)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.entry)
        layout.addLayout(buttons)
        shortcuts = {
            "Ctrl+P": self.on_print_clicked, "Ctrl+R": self.refunds.on_request_clicked,
            "Ctrl+Return": self.on_record_clicked, "Ctrl+Enter": self.on_record_clicked,
        }
        for keys, slot in shortcuts.items():
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # --- the step entry, kept reachable under its old names ----------------------------------

    @property
    def step(self) -> QWidget:
        return self.entry.step

    @property
    def text(self) -> QWidget:
        return self.entry.text

    @property
    def leader_name(self) -> QWidget:
        return self.entry.leader_name

    @property
    def text_label(self) -> QLabel:
        return self.entry.text_label

    @property
    def errors(self) -> FieldErrors:
        return self.entry.errors

    @property
    def history(self) -> QTableWidget:
        return self.history_tab.table

    # --- showing the case -------------------------------------------------------------------

    def now(self) -> datetime:
        return self._desk.clock()

    def load(self, after: Step | None = None) -> None:
        case = self._desk.cases.case(self._case_id)
        self.case = case
        self.setWindowTitle(f"案件 {case.case_no} — {case.customer_name}")
        major = "  <span style='color:#b00020'>【重大投诉】</span>" if case.is_major else ""
        self.status_line.setText(f"<b>{case.case_no}</b>  状态:{case.status.label}{major}")
        self.facts.show_case(case)
        self.timeline.show_entries(timeline(case, self.now()))
        # Whom to call, read once per load: the line counts down every second.
        self._leaders = leader_hint(self._desk, case.department_name)
        self._show_deadline(self.now())
        self.refunds.show_refunds(self._case_id)
        self.legal.show_case(case)
        self.history_tab.show_history(self._case_id)
        self.entry.set_case(case, after)
        self.record_button.setEnabled(bool(case.offered_steps))
        self.correct_button.setEnabled(case.status is not rules.CaseStatus.VOIDED)
        self.acknowledge_button.setVisible(
            case.is_major and not case.major_acknowledged_by
            and self._desk.cases.may_acknowledge(self._actor)
        )

    def on_tick(self) -> None:
        """The department's deadline counts down; when it passes the desk decides."""
        case = self.case
        if case.status is not rules.CaseStatus.AWAITING_CONFIRMATION:
            return
        now = self.now()
        deadline = case.confirmation_deadline
        if deadline is not None and now > deadline and not case.desk_decides:
            self.load()
            return
        self._show_deadline(now)
        self.timeline.show_entries(timeline(case, now))

    def _show_deadline(self, now: datetime) -> None:
        """The deadline, and whom to call while the department may still come and confirm
        (found: the leaders' names and phone went at the first tick of the countdown)."""
        waiting = deadline_text(self.case, now)
        calling = bool(waiting) and not self.case.desk_decides
        self.deadline_line.setText(f"{waiting}{self._leaders if calling else ''}")

    # --- recording ----------------------------------------------------------------------------

    def on_record_clicked(self) -> None:
        if self.record_button.isEnabled():
            self.entry.record()

    def on_step_recorded(self, step: Step) -> None:
        self.load(after=step)
        self.changed.emit(self._case_id)

    def on_changed_elsewhere(self) -> None:
        self.load()
        self.changed.emit(self._case_id)

    def unsaved_description(self) -> str:
        if not self.entry.typed():
            return ""
        step = self.entry.current_step()
        where = f"「{step.label}」" if step is not None else "处理步骤"
        return f"案件 {self.case.case_no} {where}中填写的内容"

    def done(self, result: int) -> None:
        self._memory.save_geometry(self, MEMORY_KEY)
        super().done(result)

    # --- printing -------------------------------------------------------------------------------

    def write_sheet(self, path: Path) -> bool:
        try:
            print_case_sheet(
                self._desk.cases, self._desk.refunds, self._desk.settings, self._case_id,
                path, self._desk.clock(), self._desk.register.head_code(),
            )
        except OSError as error:
            QMessageBox.warning(self, "不能保存", f"无法写入 {path}:{error.strerror}")
            return False
        # The sheet shows the customer's name and phone in full: who printed it is recorded.
        self._desk.privacy.record_print(self._actor, self._case_id, "顾客接待登记表", path.name)
        return True

    def on_print_clicked(self) -> bool:
        """The register sheet on paper, for the customer's signature: preview, then print."""
        with tempfile.TemporaryDirectory(prefix="desk-print-") as folder:
            path = Path(folder) / f"顾客接待登记表-{self.case.case_no}.pdf"
            return self.write_sheet(path) and print_pdf(path, self)

    def on_export_clicked(self) -> Path | None:
        """The register sheet as a PDF file, opened in the PC's viewer."""
        path = ask_pdf_path(self, f"顾客接待登记表-{self.case.case_no}.pdf")
        if path is None or not self.write_sheet(path):
            return None
        open_file(path, self)
        return path

    # --- correction and acknowledgement ---------------------------------------------------------

    def on_correct_clicked(self) -> CorrectionDialog:
        """The registration form, filled in; saving asks why and keeps the old values."""
        dialog = CorrectionDialog(self._desk, self._actor, self.case, self)
        dialog.accepted.connect(self.on_changed_elsewhere)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        dialog.activateWindow()
        return dialog

    def on_acknowledge_clicked(self) -> None:
        try:
            self._desk.cases.acknowledge_major(self._actor, self._case_id)
        except DeskError as error:
            QMessageBox.warning(self, "不能确认", str(error))
            return
        self.on_changed_elsewhere()
