"""Erasing a customer's name and phone on their request, from the case screen (managers).

The dialog says what the request covers (every closed case registered with the same phone; open
ones are named and left until they are closed), asks for the reason (the written request's
number and date), then the service erases and the backups are scrubbed beside the window.

Signals:
    erased(object): the ``ErasureResult`` of a done erasure.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.privacy import may_erase_on_request
from desktop_app.services.desk import Desk
from desktop_app.services.privacy import ErasureResult
from desktop_app.ui.forms import FieldErrors

TEXT = {
    "button": "删除顾客个人信息…",
    "title": "按顾客申请删除个人信息",
    "law": (
        "《个人信息保护法》第四十七条:个人请求删除的,个人信息处理者应当删除。\n"
        "删除后,案件的顾客姓名和电话显示为「(已删除)」,登记簿仍可校验;此操作不能撤销。"
    ),
    "covers": "将删除以下已结案案件的顾客姓名和电话:{cases}",
    "nothing": "没有可删除的已结案案件。",
    "open": "以下案件尚未结案,不会删除(结案或作废后再删除):{cases}",
    "reason": "删除原因",
    "reason_hint": "如:顾客书面申请,编号 2026-015,11 月 24 日收到",
    "erase": "删除个人信息",
    "cancel": "取消",
    "close": "关闭",
    "backups": "备份中的该顾客信息正在清除。",
}


class ErasePersonDialog(QDialog):
    erased = Signal(object)

    def __init__(
        self, desk: Desk, actor: Account, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self.result_of_erasure: ErasureResult | None = None
        self.backup_scrub: threading.Thread | None = None
        self.setWindowTitle(TEXT["title"])
        preview = desk.privacy.request_preview(case_id)
        self.covers = QLabel(
            TEXT["covers"].format(cases="、".join(no for _, no in preview.closed))
            if preview.closed else TEXT["nothing"]
        )
        self.covers.setObjectName("covers")
        self.covers.setWordWrap(True)
        self.still_open = QLabel(TEXT["open"].format(cases="、".join(preview.still_open)))
        self.still_open.setObjectName("still_open")
        self.still_open.setWordWrap(True)
        self.still_open.setVisible(bool(preview.still_open))
        law = QLabel(TEXT["law"])
        law.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(TEXT["reason_hint"])
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.erase_button = QPushButton(TEXT["erase"])
        self.erase_button.setObjectName("erase_button")
        self.erase_button.setEnabled(bool(preview.closed))
        self.erase_button.clicked.connect(self.on_erase_clicked)
        self.close_button = QPushButton(TEXT["cancel"])
        self.close_button.clicked.connect(self.reject)

        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, TEXT["reason"], "reason", self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.erase_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (law, self.covers, self.still_open):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.resize(560, 0)

    def on_erase_clicked(self) -> None:
        try:
            result = self._desk.privacy.erase_on_request(
                self._actor, self._case_id, self.reason.toPlainText()
            )
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            QMessageBox.warning(self, TEXT["title"], str(error))
            return
        self.errors.clear()
        self.result_of_erasure = result
        if result.erased:
            # Files only (its own connections): the window goes on meanwhile.
            self.backup_scrub = threading.Thread(
                target=self._desk.privacy.care_for_backups, name="backup-scrub", daemon=True
            )
            self.backup_scrub.start()
        lines = result.lines() + ([TEXT["backups"]] if result.erased else [])
        self.outcome.setText("\n".join(lines))
        self.outcome.show()
        self.reason.setEnabled(False)
        self.erase_button.hide()
        self.close_button.setText(TEXT["close"])
        self.close_button.clicked.disconnect()
        self.close_button.clicked.connect(self.accept)
        self.erased.emit(result)


class ErasePersonButton(QPushButton):
    """The case screen's button: shown to managers only.

    Signals:
        erased(int): the customer's data was erased (the case's id); the case screen reloads.
    """

    erased = Signal(int)

    def __init__(
        self, desk: Desk, actor: Account, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(TEXT["button"], parent)
        self._desk = desk
        self._actor = actor
        self._case_id = case_id
        self.dialog: ErasePersonDialog | None = None
        self.setObjectName("erase_person_button")
        if not may_erase_on_request(actor.role):
            self.hide()
        self.clicked.connect(self.on_clicked)

    def on_clicked(self) -> ErasePersonDialog:
        dialog = ErasePersonDialog(self._desk, self._actor, self._case_id, self)
        dialog.erased.connect(lambda _result: self.erased.emit(self._case_id))
        self.dialog = dialog
        dialog.open()
        return dialog
