"""The queue opened on a fixed selection of cases: the cases behind a bar of the analysis page
or an early warning. It is the case queue itself (same columns, filters, search and case
screen), with the selection shown above it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.case_selection import CaseSelection
from desktop_app.services.desk import Desk
from desktop_app.ui.case_queue_page import CaseQueuePage


class CaseListDialog(QDialog):
    def __init__(
        self, desk: Desk, actor: Account, selection: CaseSelection,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"案件 — {selection.caption}")
        self.setObjectName("case_list_dialog")
        self.resize(1100, 600)
        caption = QLabel(f"<b>{selection.caption}</b>(下方筛选和搜索可进一步缩小)")
        caption.setObjectName("selection_caption")
        self.queue = CaseQueuePage(desk, actor, self, selection=selection)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.queue, 1)


def open_case_list(
    parent: QWidget, desk: Desk, actor: Account, selection: CaseSelection
) -> CaseListDialog:
    dialog = CaseListDialog(desk, actor, selection, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
