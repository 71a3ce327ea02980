"""The figures of the three monthly refund reports, computed once from plain lines so the screen,
the PDFs and the workbook can never disagree.

A line is one item of an approved refund, exchange or compensation; it belongs to the month in
which the refund was approved (signed), from the first day 00:00:00 to the last day 23:59:59.

Counting: 笔 is a refund (one approval, however many items it lists), 件 is an item
(the quantities added up). A refund with two products is 1 笔, 2 件 or more.

Two different things are called "商品质量", and the reports say which one they mean:
- the case's complaint category 商品质量, chosen when the complaint was registered
  (the 按原因类别 subtotal of 《顾客退换货月报表》);
- the refund's quality flag (质量退货, loss borne by the supplier), set on the refund request:
  what 《商品质量退换货详情统计表》 lists and charges back.

``Month`` and ``data_cutoff`` live in ``months`` and are offered here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from desktop_app.domain.money import from_fen, to_fen
from desktop_app.domain.months import Month, data_cutoff
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.shares import apportion

ZERO = Decimal("0.00")
UNFILLED = "(未填)"
NO_SUPPLIER = "(未填供应商)"
NOT_RECORDED = "(未记录)"

__all__ = [
    "NOT_RECORDED", "NO_SUPPLIER", "UNFILLED", "ZERO", "ChargeBackTotals", "Month",
    "ProductSubtotal", "QualityMeaning", "QualityReport", "RefundFigures", "ReturnLine",
    "ReturnsReport", "SpecialReport", "Subtotal", "SupplierGroup", "Totals", "Waiver",
    "charge_back_totals", "data_cutoff", "in_month", "quality_meaning", "quality_report",
    "refund_figures", "returns_report", "special_report", "subtotals", "totals",
    "with_ledger_amounts",
]


@dataclass(frozen=True)
class ReturnLine:
    """One item of one approved refund, with what the reports print about its refund and case."""

    refund_id: int
    approved_at: datetime
    case_no: str
    receipt_no: str
    product_name: str
    barcode: str
    quantity: int
    amount: Decimal
    kind: str  # 退货 / 换货 / 赔偿
    category: str  # the case's complaint category, as registered
    department: str
    level: str
    approver: str
    clerk: str
    is_special: bool = False
    special_reason: str = "—"
    special_detail: str = ""
    is_quality: bool = False  # the refund's quality flag: the supplier bears the loss
    supplier: str = ""
    defect: str = ""
    confirmation: str = ""
    charge_back: ChargeBack = ChargeBack.NOT_APPLICABLE
    charge_back_note: str = ""
    head_office: str = ""  # "集团签批人 文号 日期" when head office signed
    case_voided: bool = False
    is_compensation: bool = False
    responsible: str = ""  # step 8 of the case: who bears a service compensation
    category_is_quality: bool = False  # the case's category is 商品质量
    # This item's part of its charge-back ledger line's amount (the ledger's amount spread over
    # the refund's items by their amounts); None: the refunded amount.
    charge_back_share: Decimal | None = None
    charge_back_cut_note: str = ""  # why the ledger's amount is below the refunded one

    @property
    def charge_back_cut(self) -> Decimal:
        """What the ledger does not charge of this quality line's refunded amount (少扣): the
        store manager cut the amount (e.g. the supplier bears only its cost price)."""
        if not self.is_quality or self.charge_back_share is None:
            return ZERO
        return max(self.amount - self.charge_back_share, ZERO)

    @property
    def is_service_compensation(self) -> bool:
        """A compensation not charged to a supplier: borne by the responsible staff member."""
        return self.is_compensation and not self.is_quality

    @property
    def ledger_amount(self) -> Decimal:
        """The charge-back this line stands for, owed or not (the ledger's amount, which a
        manager may have changed from the refunded one)."""
        return self.amount if self.charge_back_share is None else self.charge_back_share

    @property
    def charge_back_amount(self) -> Decimal:
        """What the supplier owes for this line: nothing once waived, nothing if not quality."""
        if self.charge_back in (ChargeBack.PENDING, ChargeBack.CHARGED):
            return self.ledger_amount
        return ZERO


@dataclass(frozen=True)
class Totals:
    refunds: int  # 笔
    items: int  # 件
    amount: Decimal


@dataclass(frozen=True)
class Subtotal:
    key: str
    refunds: int
    items: int
    amount: Decimal


def totals(lines: Iterable[ReturnLine]) -> Totals:
    refunds: set[int] = set()
    items = 0
    amount = ZERO
    for line in lines:
        refunds.add(line.refund_id)
        items += line.quantity
        amount += line.amount
    return Totals(refunds=len(refunds), items=items, amount=amount)


def subtotals(lines: Sequence[ReturnLine], key: Callable[[ReturnLine], str]) -> list[Subtotal]:
    """Per-key 笔, 件 and amount, largest amount first (ties by key)."""
    groups: dict[str, list[ReturnLine]] = {}
    for line in lines:
        groups.setdefault(key(line) or UNFILLED, []).append(line)
    result = []
    for name, members in groups.items():
        group_total = totals(members)
        result.append(Subtotal(name, group_total.refunds, group_total.items, group_total.amount))
    return sorted(result, key=lambda subtotal: (-subtotal.amount, subtotal.key))


@dataclass(frozen=True)
class Waiver:
    case_no: str
    refund_id: int
    amount: Decimal
    note: str


@dataclass(frozen=True)
class ChargeBackTotals:
    """A supplier's quality returns followed to the money: ``chargeable`` (应扣) is what the
    supplier owes, charged (已扣) plus pending (待扣); waived (已免除) lines are listed apart,
    each with the store manager's reason, and are not part of what is owed."""

    chargeable: Decimal
    charged: Decimal
    pending: Decimal
    waived: Decimal
    waivers: tuple[Waiver, ...]
    # Found in review: refunded = owed + waived did not add up when the store manager had
    # charged less than was refunded; the difference (少扣) is shown with its reason.
    cut: Decimal = ZERO
    cuts: tuple[Waiver, ...] = ()


def charge_back_totals(lines: Iterable[ReturnLine]) -> ChargeBackTotals:
    charged = pending = waived = cut = ZERO
    waivers: dict[int, Waiver] = {}
    cuts: dict[int, Waiver] = {}
    for line in lines:
        if line.charge_back_cut:
            cut += line.charge_back_cut
            _add_to(cuts, line, line.charge_back_cut, line.charge_back_cut_note)
        if line.charge_back is ChargeBack.CHARGED:
            charged += line.ledger_amount
        elif line.charge_back is ChargeBack.PENDING:
            pending += line.ledger_amount
        elif line.charge_back is ChargeBack.WAIVED:
            waived += line.ledger_amount
            _add_to(waivers, line, line.ledger_amount, line.charge_back_note)
    return ChargeBackTotals(
        chargeable=charged + pending, charged=charged, pending=pending, waived=waived,
        waivers=tuple(waivers.values()), cut=cut, cuts=tuple(cuts.values()),
    )


def _add_to(by_refund: dict[int, Waiver], line: ReturnLine, amount: Decimal, note: str) -> None:
    """One entry per refund, its items' amounts added up."""
    earlier = by_refund.get(line.refund_id)
    total = amount + (earlier.amount if earlier else ZERO)
    by_refund[line.refund_id] = Waiver(line.case_no, line.refund_id, total, note)


def with_ledger_amounts(
    lines: Sequence[ReturnLine], ledger_fen: Mapping[int, int]
) -> list[ReturnLine]:
    """The lines with each refund's charge-back ledger amount (fen, by refund id) spread over
    its items in proportion to their amounts, exact to the fen; refunds without a ledger line
    keep their refunded amounts."""
    items: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if line.refund_id in ledger_fen:
            items.setdefault(line.refund_id, []).append(index)
    shares: dict[int, Decimal] = {}
    for refund_id, indexes in items.items():
        weights = [to_fen(lines[index].amount) for index in indexes]
        for index, fen in zip(indexes, apportion(ledger_fen[refund_id], weights), strict=True):
            shares[index] = from_fen(fen)
    return [replace(line, charge_back_share=shares[index]) if index in shares else line
            for index, line in enumerate(lines)]


@dataclass(frozen=True)
class ReturnsReport:
    month: Month
    lines: list[ReturnLine]
    by_kind: list[Subtotal]
    by_category: list[Subtotal]
    by_department: list[Subtotal]
    # Service compensations by the staff member step 8 of the case made responsible.
    by_responsible: list[Subtotal]
    voided: Totals  # refunds of cases voided after the refund was approved
    head_office: Totals  # refunds above 2000 yuan signed by head office
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
    charge_back: ChargeBackTotals


@dataclass(frozen=True)
class ProductSubtotal:
    supplier: str
    product: str
    refunds: int
    items: int
    amount: Decimal
    chargeable: Decimal


@dataclass(frozen=True)
class QualityReport:
    month: Month
    suppliers: list[SupplierGroup]
    by_product: list[ProductSubtotal]
    total: Totals
    charge_back: ChargeBackTotals


@dataclass(frozen=True)
class QualityMeaning:
    """The month's two "商品质量" figures side by side, so neither is read as the other."""

    flagged: Totals  # refunds flagged as quality returns (the quality report)
    category: Totals  # refunds on cases registered in the category 商品质量
    both: Totals  # refunds that are both


def in_month(lines: Iterable[ReturnLine], month: Month) -> list[ReturnLine]:
    chosen = [line for line in lines if month.contains(line.approved_at)]
    return sorted(chosen, key=lambda line: (line.approved_at, line.refund_id, line.case_no))


def returns_report(month: Month, lines: Iterable[ReturnLine]) -> ReturnsReport:
    chosen = in_month(lines, month)
    service = [line for line in chosen if line.is_service_compensation]
    return ReturnsReport(
        month=month, lines=chosen,
        by_kind=subtotals(chosen, lambda line: line.kind),
        by_category=subtotals(chosen, lambda line: line.category),
        by_department=subtotals(chosen, lambda line: line.department),
        by_responsible=subtotals(service, lambda line: line.responsible or NOT_RECORDED),
        voided=totals(line for line in chosen if line.case_voided),
        head_office=totals(line for line in chosen if line.head_office),
        total=totals(chosen),
    )


def special_report(month: Month, lines: Iterable[ReturnLine]) -> SpecialReport:
    chosen = [line for line in in_month(lines, month) if line.is_special]
    by_reason = subtotals(chosen, lambda line: line.special_reason)
    order = {subtotal.key: index for index, subtotal in enumerate(by_reason)}
    # Grouped by reason (largest first), so each reason's lines sit above its subtotal.
    grouped = sorted(chosen, key=lambda line: order[line.special_reason or UNFILLED])
    return SpecialReport(month=month, lines=grouped, by_reason=by_reason, total=totals(chosen))


def quality_report(month: Month, lines: Iterable[ReturnLine]) -> QualityReport:
    chosen = [line for line in in_month(lines, month) if line.is_quality]
    groups: dict[str, list[ReturnLine]] = {}
    for line in chosen:
        groups.setdefault(line.supplier or NO_SUPPLIER, []).append(line)
    suppliers = [
        SupplierGroup(
            supplier=name,
            lines=sorted(members, key=lambda line: (line.product_name, line.approved_at)),
            total=totals(members),
            charge_back=charge_back_totals(members),
        )
        for name, members in sorted(groups.items())
    ]
    return QualityReport(
        month=month, suppliers=suppliers, by_product=_by_product(chosen), total=totals(chosen),
        charge_back=charge_back_totals(chosen),
    )


def _by_product(lines: Sequence[ReturnLine]) -> list[ProductSubtotal]:
    groups: dict[tuple[str, str], list[ReturnLine]] = {}
    for line in lines:
        key = (line.supplier or NO_SUPPLIER, line.product_name or UNFILLED)
        groups.setdefault(key, []).append(line)
    result = []
    for (supplier, product), members in groups.items():
        group_total = totals(members)
        result.append(ProductSubtotal(
            supplier=supplier, product=product, refunds=group_total.refunds,
            items=group_total.items, amount=group_total.amount,
            chargeable=charge_back_totals(members).chargeable,
        ))
    return sorted(result, key=lambda item: (-item.amount, item.supplier, item.product))


def quality_meaning(month: Month, lines: Iterable[ReturnLine]) -> QualityMeaning:
    chosen = in_month(lines, month)
    return QualityMeaning(
        flagged=totals(line for line in chosen if line.is_quality),
        category=totals(line for line in chosen if line.category_is_quality),
        both=totals(line for line in chosen if line.is_quality and line.category_is_quality),
    )


@dataclass(frozen=True)
class RefundFigures:
    """The three refund reports of one month."""

    returns: ReturnsReport
    special: SpecialReport
    quality: QualityReport
    meaning: QualityMeaning


def refund_figures(month: Month, lines: Iterable[ReturnLine]) -> RefundFigures:
    chosen = in_month(lines, month)
    return RefundFigures(
        returns=returns_report(month, chosen), special=special_report(month, chosen),
        quality=quality_report(month, chosen), meaning=quality_meaning(month, chosen),
    )
