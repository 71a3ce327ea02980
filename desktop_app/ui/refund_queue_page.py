"""Refunds awaiting signature, grouped by the level that must sign, so a manager walking up to
the desk sees at once what is theirs. Enter or a double-click opens the approval dialog; a
manager who signs is then reminded of the major complaints still waiting for them.

Signals:
    refunds_changed(): a refund was signed here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.money import format_yuan
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refund_policy import (
    ApprovalLevel,
    may_record_head_office_sign_off,
    may_sign,
)
from desktop_app.services.desk import Desk
from desktop_app.ui.approval_dialog import ApprovalDialog
from desktop_app.ui.cell_tooltips import missing_width, show_cut_text
from desktop_app.ui.major_complaints import remind_signer
from desktop_app.ui.view_memory import ViewMemory

HEADERS = ("级别 / 案件", "小票号", "类型", "金额", "申请人", "申请时间", "原因")
REFUND_ID_ROLE = Qt.ItemDataRole.UserRole


class RefundQueuePage(QWidget):
    refunds_changed = Signal()

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.tree = QTreeWidget()
        self.tree.setObjectName("pending_refunds")
        self.tree.setHeaderLabels(list(HEADERS))
        for column, width in enumerate((200, 150, 60, 100, 80, 160)):
            self.tree.setColumnWidth(column, width)
        ViewMemory(actor.username).keep_header(self.tree.header(), "refund_queue")
        show_cut_text(self.tree)
        self.tree.itemActivated.connect(self.on_item_activated)
        self.summary = QLabel()
        self.summary.setObjectName("pending_summary")
        refresh = QPushButton("刷新(F5)")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self).activated.connect(self.refresh)
        self.refresh()

    def _mine(self, level: ApprovalLevel) -> bool:
        if level is ApprovalLevel.HEAD_OFFICE:
            return may_record_head_office_sign_off(self._actor.role)
        return may_sign(self._actor.role, level)

    def refresh(self) -> None:
        self.tree.clear()
        grouped = self._desk.refunds.pending_by_level()
        bold = QFont()
        bold.setBold(True)
        mine = 0
        for level in sorted(grouped, reverse=True):
            lines = grouped[level]
            is_mine = self._mine(level)
            mine += len(lines) if is_mine else 0
            suffix = "  ← 您可审批" if is_mine else ""
            group = QTreeWidgetItem([f"{level.label}:{len(lines)} 笔{suffix}"])
            group.setFont(0, bold)
            for line in lines:
                child = QTreeWidgetItem([
                    line.case_no, receipt_label(line.receipt_no), line.kind.label,
                    format_yuan(line.amount), line.requested_by, line.requested_at[:19],
                    line.reason,
                ])
                child.setData(0, REFUND_ID_ROLE, line.refund_id)
                group.addChild(child)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            group.setExpanded(True)
        self._widen_to_fit()
        total = sum(len(lines) for lines in grouped.values())
        summary = f"待审批 {total} 笔,其中您可审批 {mine} 笔"
        self.summary.setText(summary if total else "没有待审批的退款")

    def _widen_to_fit(self) -> None:
        """Case and receipt numbers are never cut: those columns are at least as wide as them."""
        model = self.tree.model()
        for column in (0, 1, 4, 5):
            lacking = 0
            for group in range(model.rowCount()):
                parent = model.index(group, 0)
                for row in range(model.rowCount(parent)):
                    cell = model.index(row, column, parent)
                    lacking = max(lacking, missing_width(self.tree, cell))
            if lacking:
                self.tree.setColumnWidth(column, self.tree.columnWidth(column) + lacking)

    def on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        refund_id = item.data(0, REFUND_ID_ROLE)
        if refund_id is None:
            return
        signed = self.open_approval(int(refund_id)).exec()
        self.refresh()
        if signed:
            self.refunds_changed.emit()
            remind_signer(self._desk, int(refund_id), self)

    def open_approval(self, refund_id: int) -> ApprovalDialog:
        return ApprovalDialog(self._desk, refund_id, self, logged_in=self._actor)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.refresh()
        super().showEvent(event)
