"""Correcting a registered case: the registration form filled with the case, saved with a reason
as new entries that keep every old value (严禁随意撕改).

Esc, the close button and 取消 ask first when something was changed, and close at once when not.

Signals (CorrectionPage):
    corrected(int): the case was corrected.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import datetime_of, enter_moves_on, qdatetime
from desktop_app.ui.registration_form import RegistrationForm
from desktop_app.ui.unsaved import GuardedDialog


class CorrectionPage(RegistrationForm):
    corrected = Signal(int)

    def __init__(
        self, desk: Desk, actor: Account, case: CaseDetail, parent: QWidget | None = None
    ) -> None:
        self._case = case
        self._received_edit: QDateTimeEdit | None = None
        super().__init__(desk, actor, parent)
        self.save_button = QPushButton("保存更正(&S)  Ctrl+S")
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self.on_save_clicked)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.on_save_clicked)
        self.fill_from(case)
        self.received_edit.setDateTime(qdatetime(case.received_at))
        self.customer_name.setFocus()

    @property
    def received_edit(self) -> QDateTimeEdit:
        if self._received_edit is None:
            self._received_edit = QDateTimeEdit()
            self._received_edit.setObjectName("received_at")
            self._received_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        return self._received_edit

    def reception_widget(self) -> QWidget:
        return self.received_edit

    def clerk_name(self) -> str:
        return self._case.clerk_name  # who received the customer, not who corrects

    def case_being_edited(self) -> str:
        return self._case.case_no

    def received_at(self) -> datetime:
        return datetime_of(self.received_edit.dateTime())

    def ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(self, "更正原因", "请写明更正原因(将记入登记簿):")
        return text if ok else None

    def on_save_clicked(self) -> None:
        draft = self.draft()
        reason = self.ask_reason()
        if reason is None:
            return
        try:
            self._desk.cases.correct(self._actor, self._case.case_id, draft, reason)
        except ValidationError as error:
            unplaced = self.errors.show(error.field_errors)
            self.focus_first_error(error.field_errors)
            if unplaced:
                QMessageBox.warning(self, "无法更正", "\n".join(unplaced))
            return
        except DeskError as error:
            QMessageBox.warning(self, "无法更正", str(error))
            return
        self.corrected.emit(self._case.case_id)


class CorrectionDialog(GuardedDialog):
    def __init__(
        self, desk: Desk, actor: Account, case: CaseDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"更正登记内容 — {case.case_no}")
        self.page = CorrectionPage(desk, actor, case, self)
        self.page.corrected.connect(lambda _case_id: self.accept())
        cancel = QPushButton("取消  Esc")
        cancel.setObjectName("cancel_button")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.page.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addLayout(buttons)
        # Enter moves on; Ctrl+S saves (found: Enter on a half-edited amount asked for the
        # correction's reason, about to save it).
        enter_moves_on(self, [self.page.save_button, cancel])
        self.resize(1240, 640)
        self.mark_clean()
