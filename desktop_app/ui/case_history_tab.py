"""修改记录 (the case's audit trail) in Chinese: labels, yuan, full times, refunds in words."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.services.desk import Desk
from desktop_app.services.history_text import Names, history_rows
from desktop_app.ui.text_table import TextTable

HISTORY_HEADERS = ("时间", "操作人", "操作", "项目", "原值", "新值")


def names_of(desk: Desk) -> Names:
    return Names(
        users={account.id: account.display_name for account in desk.accounts.list_accounts()},
        departments=dict(desk.cases.departments()),
        suppliers=dict(desk.cases.suppliers()),
    )


class CaseHistoryTab(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.table = TextTable("history", HISTORY_HEADERS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_history(self, case_id: int) -> None:
        rows = history_rows(self._desk.cases.history(case_id), names_of(self._desk))
        self.table.fill(
            [(row.at, row.actor, row.action, row.field, row.old, row.new) for row in rows]
        )
        # The old and new values share what is left; the new one stretches.
        self.table.setColumnWidth(4, max(min(self.table.columnWidth(4), 260), 120))
        self.table.resizeRowsToContents()
