"""In the approval dialog, read-only: whether this customer (same phone) or this receipt has
claimed before, and the customer's refunds this year with their total, so the signer sees a
repeat claimant before signing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.money import format_yuan
from desktop_app.services.desk import Desk
from desktop_app.services.warnings import ClaimantRecord

REPEAT_STYLE = "QGroupBox { color: #b00020; font-weight: bold; }"
SHOWN = 4


class ClaimantSection(QGroupBox):
    def __init__(self, desk: Desk, refund_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimant_section")
        self.record = desk.warnings.claimant(refund_id)
        self.setTitle("顾客再次投诉 — 请留意" if self.record.is_repeat else "顾客以往投诉与退款")
        if self.record.is_repeat:
            self.setStyleSheet(REPEAT_STYLE)
        self.text = QLabel(claimant_text(self.record))
        self.text.setObjectName("claimant_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setStyleSheet("color: palette(text); font-weight: normal;")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)


def claimant_text(record: ClaimantRecord) -> str:
    lines = []
    if not record.has_phone:
        lines.append("案件未留顾客电话:按顾客的统计无从查起,只按小票核对。")
    elif record.earlier_cases:
        shown = "、".join(f"{case.case_no}({case.received_at:%Y-%m-%d} {case.summary})"
                         for case in record.earlier_cases[:SHOWN])
        more = " 等" if len(record.earlier_cases) > SHOWN else ""
        lines.append(f"同一电话以前投诉 {len(record.earlier_cases)} 次:{shown}{more}")
    else:
        lines.append("同一电话以前没有投诉。")
    if record.receipt_cases:
        shown = "、".join(case.case_no for case in record.receipt_cases[:SHOWN])
        lines.append(f"同一小票另有 {len(record.receipt_cases)} 个案件:{shown}")
    if record.has_phone:
        lines.append(f"该顾客 {record.year} 年已批准退款 {record.approved_count} 笔,"
                     f"合计 {format_yuan(record.approved_total)}。")
        for refund in record.refunds[:SHOWN]:
            state = "待审批" if refund.pending else "已批准"
            lines.append(f"  {refund.at:%m-%d} {refund.case_no} {refund.kind} "
                         f"{format_yuan(refund.amount)} {state}")
    if record.warnings:
        lines.append("已触发预警:" + ";".join(record.warnings))
    return "\n".join(lines)
