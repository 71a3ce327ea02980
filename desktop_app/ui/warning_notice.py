"""The registration form's part in early warning: after a save, the warnings the case raised
or joined ("第 3 起:伊利纯牛奶 250ml,7 天内"), and while typing, the earlier cases that cite
the same receipt (the same phone's are shown by the form itself).

``watch_registration(page, desk)`` is the one line the form needs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from desktop_app.services.desk import Desk
from desktop_app.ui.warning_badge import refresh_warning_badge

HISTORY_STYLE = "color: #8a4b00;"
SHOWN_EARLIER = 5


def watch_registration(page: QWidget, desk: Desk) -> None:
    """Connect the form's save and receipt field to the warnings service."""
    registered = getattr(page, "registered", None)
    if registered is not None:
        registered.connect(lambda case_id, case_no: show_notices(page, desk, case_id, case_no))
    receipt = getattr(page, "receipt_no", None)
    if isinstance(receipt, QLineEdit):
        ReceiptHistory(page, desk, receipt)


def show_notices(page: QWidget, desk: Desk, case_id: int, case_no: str) -> QMessageBox | None:
    """The clerk reads what the save raised; managers see it on their badge at once."""
    notices = desk.warnings.notices(case_id)
    if not notices:
        return None
    refresh_warning_badge(page.window())
    lines = [f"· {notice.rule.label}{notice.text}" for notice in notices]
    box = QMessageBox(
        QMessageBox.Icon.Warning, "预警",
        f"案件 {case_no} 已保存。它计入了以下预警,已推送给经理:\n\n" + "\n".join(lines)
        + "\n\n请按需告知值班经理;经理将在「预警」页确认处理措施。",
        QMessageBox.StandardButton.Ok, page,
    )
    box.setObjectName("warning_notice")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class ReceiptHistory(QLabel):
    """Under the receipt field: 这张小票以前的 2 次投诉 …"""

    def __init__(self, page: QWidget, desk: Desk, receipt: QLineEdit) -> None:
        super().__init__(page)
        self._desk = desk
        self._receipt = receipt
        self.setObjectName("receipt_history")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(HISTORY_STYLE)
        self.hide()
        _place_under(receipt, self)
        receipt.editingFinished.connect(self.on_receipt_entered)
        receipt.textChanged.connect(lambda text: text.strip() or self.clear_history())

    def on_receipt_entered(self) -> None:
        earlier = self._desk.warnings.receipt_history(self._receipt.text())
        if not earlier:
            self.clear_history()
            return
        lines = [f"这张小票以前已投诉 {len(earlier)} 次:"]
        lines += [f"{case.case_no}  {case.received_at:%Y-%m-%d}  {case.summary}"
                  for case in earlier[:SHOWN_EARLIER]]
        self.setText("\n".join(lines))
        self.show()

    def clear_history(self) -> None:
        self.clear()
        self.hide()


def _place_under(field: QWidget, label: QLabel) -> None:
    """Right under the field, in whatever layout holds it (a form row, or a box)."""
    holder = field.parentWidget()
    layout = None if holder is None else holder.layout()
    if isinstance(layout, QFormLayout):
        row, _role = layout.getWidgetPosition(field)
        if row >= 0:
            layout.insertRow(row + 1, "", label)
            return
    if isinstance(layout, QBoxLayout):
        index = layout.indexOf(field)
        if index >= 0:
            layout.insertWidget(index + 1, label)
            return
    label.setParent(holder)
