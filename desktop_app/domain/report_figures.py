"""The figures of the three monthly reports, computed once from plain lines so the screen, the
PDFs and the workbook can never disagree.

A line is one item of an approved refund, exchange or compensation; it belongs to the month in
which the refund was approved (signed), from the first day 00:00:00 to the last day 23:59:59.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from desktop_app.domain.errors import ValidationError

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-10`` (also ``2026/10``, ``202610``); ``ValidationError`` otherwise."""
        cleaned = text.strip().replace("/", "-")
        if "-" not in cleaned and len(cleaned) == 6:
            cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
        try:
            year_text, month_text = cleaned.split("-")
            month = cls(int(year_text), int(month_text))
        except ValueError:
            raise ValidationError({"month": "月份格式应为 2026-10"}) from None
        if not 1 <= month.month <= 12 or not 2000 <= month.year <= 9999:
            raise ValidationError({"month": "月份格式应为 2026-10"})
        return month

    @classmethod
    def before(cls, day: date) -> Month:
        """The month before ``day``'s month: the one reported at month end."""
        return cls(day.year - 1, 12) if day.month == 1 else cls(day.year, day.month - 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1)

    @property
    def end(self) -> datetime:
        """The first moment of the next month (exclusive)."""
        if self.month == 12:
            return datetime(self.year + 1, 1, 1)
        return datetime(self.year, self.month + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class ReturnLine:
    approved_at: datetime
    case_no: str
    receipt_no: str
    product_name: str
    barcode: str
    quantity: int
    amount: Decimal
    kind: str
    category: str
    department: str
    level: str
    approver: str
    clerk: str
    is_special: bool
    special_reason: str
    special_detail: str
    is_quality: bool
    supplier: str
    defect: str
    confirmation: str
    charge_back: str


@dataclass(frozen=True)
class Subtotal:
    key: str
    count: int
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    count: int
    quantity: int
    amount: Decimal


def totals(lines: Iterable[ReturnLine]) -> Totals:
    count = quantity = 0
    amount = ZERO
    for line in lines:
        count += 1
        quantity += line.quantity
        amount += line.amount
    return Totals(count=count, quantity=quantity, amount=amount)


def subtotals(lines: Sequence[ReturnLine], key: Callable[[ReturnLine], str]) -> list[Subtotal]:
    """Per-key count, quantity and amount, largest amount first (ties by key)."""
    groups: dict[str, list[ReturnLine]] = {}
    for line in lines:
        groups.setdefault(key(line) or "(未填)", []).append(line)
    result = []
    for name, members in groups.items():
        group_total = totals(members)
        result.append(Subtotal(name, group_total.count, group_total.quantity, group_total.amount))
    return sorted(result, key=lambda subtotal: (-subtotal.amount, subtotal.key))


@dataclass(frozen=True)
class ReturnsReport:
    month: Month
    lines: list[ReturnLine]
    by_kind: list[Subtotal]
    by_category: list[Subtotal]
    by_department: list[Subtotal]
    total: Totals


@dataclass(frozen=True)
class SpecialReport:
    month: Month
    lines: list[ReturnLine]
    by_reason: list[Subtotal]
    total: Totals


@dataclass(frozen=True)
class SupplierGroup:
    supplier: str
    lines: list[ReturnLine]
    total: Totals


@dataclass(frozen=True)
class QualityReport:
    month: Month
    suppliers: list[SupplierGroup]
    by_product: list[Subtotal]
    total: Totals


def in_month(lines: Iterable[ReturnLine], month: Month) -> list[ReturnLine]:
    chosen = [line for line in lines if month.start <= line.approved_at < month.end]
    return sorted(chosen, key=lambda line: (line.approved_at, line.case_no))


def returns_report(month: Month, lines: Iterable[ReturnLine]) -> ReturnsReport:
    chosen = in_month(lines, month)
    return ReturnsReport(
        month=month, lines=chosen,
        by_kind=subtotals(chosen, lambda line: line.kind),
        by_category=subtotals(chosen, lambda line: line.category),
        by_department=subtotals(chosen, lambda line: line.department),
        total=totals(chosen),
    )


def special_report(month: Month, lines: Iterable[ReturnLine]) -> SpecialReport:
    chosen = [line for line in in_month(lines, month) if line.is_special]
    return SpecialReport(
        month=month, lines=chosen, by_reason=subtotals(chosen, lambda line: line.special_reason),
        total=totals(chosen),
    )


def quality_report(month: Month, lines: Iterable[ReturnLine]) -> QualityReport:
    chosen = [line for line in in_month(lines, month) if line.is_quality]
    groups: dict[str, list[ReturnLine]] = {}
    for line in chosen:
        groups.setdefault(line.supplier or "(未填供应商)", []).append(line)
    suppliers = [
        SupplierGroup(
            supplier=name,
            lines=sorted(members, key=lambda line: (line.product_name, line.approved_at)),
            total=totals(members),
        )
        for name, members in sorted(groups.items())
    ]
    return QualityReport(
        month=month, suppliers=suppliers,
        by_product=subtotals(chosen, lambda line: f"{line.supplier} · {line.product_name}"),
        total=totals(chosen),
    )


@dataclass(frozen=True)
class MonthFigures:
    """Everything the three reports print for one month."""

    month: Month
    store_name: str
    returns: ReturnsReport
    special: SpecialReport
    quality: QualityReport
