"""A fixed selection of cases the queue can be opened on: the cases behind one bar of the
analysis page or one early warning. The queue's own filters still narrow it further."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CaseSelection:
    caption: str  # shown above the queue: what these cases are
    counted_only: bool = True  # voided cases never count in the figures, so never listed
    warning_id: int | None = None
    category: str | None = None
    department_id: int | None = None
    supplier_id: int | None = None
    product_barcode: str = ""
    product_name_key: str = ""  # cases without a barcode naming the product
    received_from: date | None = None
    received_until: date | None = None  # exclusive
    answered_in_month: str = ""  # received in this month (YYYY-MM) and answered
    closed_in_month: str = ""  # 结案 or 不成立 in this month
    closed_from: date | None = None  # 结案 (with a follow-up) in [closed_from, closed_until)
    closed_until: date | None = None
    satisfaction: int | None = None
