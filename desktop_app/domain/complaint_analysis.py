"""投诉分析 (分析顾客投诉的类型和缘由): the figures of the managers' analysis page, computed from
the counts and middle values the store returns (never from a million rows in Python).

What each figure counts (voided cases never count, as in the monthly statistics):
- 类别趋势: cases received in each of the twelve months, by category.
- 商品 / 供应商 / 部门 排名: cases received in the chosen period, the most first (top 10).
  A product is its barcode; cases without a barcode count under the catalogue product of that
  name, or under the name itself (blanks and ASCII case aside).
- 首次答复用时: of each month's received cases, those answered, whenever: median hours to the
  answer (the monthly statistics' 首次答复用时 counts only the answers given by the month's end,
  as its figures stand at that end).
- 结案用时: cases closed (结案 or 不成立) in each month: median days from registration.
- 满意度: follow-up answers of the cases closed (结案) in the period, by score.

Every bar carries the selection of the cases it counts, so the page opens the queue on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.case_selection import CaseSelection
from desktop_app.domain.cases import Category
from desktop_app.domain.report_figures import Month
from desktop_app.domain.warning_rules import product_name_key
from desktop_app.domain.workflow import SATISFACTION_LABELS

TREND_MONTHS = 12
TOP = 10
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    """Whole months, ``first`` to ``last`` inclusive."""

    first: Month
    last: Month

    @property
    def start(self) -> date:
        return self.first.start.date()

    @property
    def end(self) -> date:
        """Exclusive."""
        return self.last.end.date()

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label}–{self.last.label}"

    @property
    def trend_months(self) -> tuple[Month, ...]:
        """The twelve months ending with the period's last, oldest first."""
        return tuple(self.last.shifted(offset) for offset in range(1 - TREND_MONTHS, 1))


PRESETS: tuple[tuple[str, int, int], ...] = (
    # label, months back of the last month (0: this month), how many months
    ("本月", 0, 1), ("上月", 1, 1), ("近 3 个月", 0, 3), ("近 12 个月", 0, 12),
)


def preset(today: date, back: int, months: int) -> Period:
    last = Month.of(today).shifted(-back)
    return Period(last.shifted(1 - months), last)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None  # None: nothing to measure that month
    cases: int  # how many cases the bar stands for (what the queue will list)
    selection: CaseSelection


@dataclass(frozen=True)
class Series:
    name: str
    bars: tuple[Bar, ...]


# --- rows from the store ------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    month_key: str
    category: Category
    cases: int


@dataclass(frozen=True)
class ProductCount:
    barcode: str  # '' for cases named without a barcode
    name: str  # the catalogue's name for a barcode, else the name as typed (one of them)
    name_key: str  # for cases without a barcode
    cases: int


@dataclass(frozen=True)
class NamedCount:
    key: int
    name: str
    cases: int


@dataclass(frozen=True)
class MiddleValues:
    """Per month: how many values, and the middle one (odd) or two (even), in seconds."""

    month_key: str
    count: int
    middle: tuple[int, ...]


@dataclass(frozen=True)
class Analysis:
    period: Period
    months: tuple[Month, ...]
    category_trend: tuple[Series, ...]  # one series per category, a bar per month
    top_products: tuple[Bar, ...]
    top_suppliers: tuple[Bar, ...]
    top_departments: tuple[Bar, ...]
    response_hours: tuple[Bar, ...]  # median per month
    closing_days: tuple[Bar, ...]  # median per month
    satisfaction: tuple[Bar, ...]  # 很满意 … 很不满意
    received: int  # cases received in the period


def middle_positions(count: int) -> tuple[int, int]:
    """(offset, how many) of the middle value(s) among ``count`` sorted values."""
    if count <= 0:
        return 0, 0
    return (count - 1) // 2, 1 if count % 2 else 2


def median_of_middle(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(sum(values)) / len(values)


def _rounded(value: Decimal | None, unit_seconds: int) -> Decimal | None:
    if value is None:
        return None
    return (value / unit_seconds).quantize(TENTH, rounding=ROUND_HALF_UP)


def analysis(
    period: Period,
    categories: Iterable[CategoryCount],
    products: Iterable[ProductCount],
    suppliers: Iterable[NamedCount],
    departments: Iterable[NamedCount],
    response: Iterable[MiddleValues],
    closing: Iterable[MiddleValues],
    satisfaction: Iterable[tuple[int, int]],
) -> Analysis:
    months = period.trend_months
    trend = _category_trend(months, categories)
    in_period = [bar for series in trend for bar in series.bars
                 if period.start <= _month(bar).start.date() < period.end]
    return Analysis(
        period=period,
        months=months,
        category_trend=trend,
        top_products=_top_products(period, products),
        top_suppliers=_top(period, suppliers, "supplier"),
        top_departments=_top(period, departments, "department"),
        response_hours=_medians(months, response, 3600, "answered"),
        closing_days=_medians(months, closing, 86400, "closed"),
        satisfaction=_satisfaction(period, satisfaction),
        received=sum(bar.cases for bar in in_period),
    )


def _month(bar: Bar) -> Month:
    assert bar.selection.received_from is not None
    return Month.of(bar.selection.received_from)


def _category_trend(
    months: Sequence[Month], rows: Iterable[CategoryCount]
) -> tuple[Series, ...]:
    counts: dict[tuple[str, Category], int] = {}
    for row in rows:
        key = (row.month_key, row.category)
        counts[key] = counts.get(key, 0) + row.cases
    series = []
    for category in Category:
        bars = []
        for month in months:
            cases = counts.get((month.key, category), 0)
            bars.append(Bar(
                label=month.short_label, value=cases, cases=cases,
                selection=CaseSelection(
                    caption=f"{month.label} · {category.label}", category=category.value,
                    received_from=month.start.date(), received_until=month.end.date(),
                ),
            ))
        series.append(Series(category.label, tuple(bars)))
    return tuple(series)


def _received_in(period: Period, caption: str, **chosen: object) -> CaseSelection:
    return CaseSelection(
        caption=f"{period.label} · {caption}", received_from=period.start,
        received_until=period.end, **chosen,  # type: ignore[arg-type]
    )


@dataclass
class _Product:
    name: str
    cases: int
    barcode: str = ""
    name_key: str = ""


def _top_products(period: Period, rows: Iterable[ProductCount]) -> tuple[Bar, ...]:
    """Cases without a barcode join the product whose catalogue name they carry."""
    by_barcode: dict[str, _Product] = {}
    by_name: dict[str, _Product] = {}
    for row in rows:
        if row.barcode:
            product = by_barcode.setdefault(row.barcode, _Product(row.name, 0, row.barcode))
        else:
            product = by_name.setdefault(row.name_key, _Product(row.name, 0, "", row.name_key))
        product.cases += row.cases
    for product in by_barcode.values():
        named = by_name.pop(product_name_key(product.name), None)
        if named is not None:
            product.cases += named.cases
            product.name_key = named.name_key
    ranked = sorted([*by_barcode.values(), *by_name.values()],
                    key=lambda product: (-product.cases, product.name))[:TOP]
    return tuple(
        Bar(label=product.name, value=product.cases, cases=product.cases,
            selection=_received_in(period, product.name, product_barcode=product.barcode,
                                   product_name_key=product.name_key))
        for product in ranked
    )


def _top(period: Period, rows: Iterable[NamedCount], kind: str) -> tuple[Bar, ...]:
    ranked = sorted(rows, key=lambda row: (-row.cases, row.name))[:TOP]
    return tuple(
        Bar(label=row.name, value=row.cases, cases=row.cases,
            selection=_received_in(period, row.name, **{f"{kind}_id": row.key}))
        for row in ranked
    )


def _medians(
    months: Sequence[Month], rows: Iterable[MiddleValues], unit: int, kind: str
) -> tuple[Bar, ...]:
    found = {row.month_key: row for row in rows}
    bars = []
    for month in months:
        row = found.get(month.key)
        count = 0 if row is None else row.count
        value = None if row is None else _rounded(median_of_middle(row.middle), unit)
        if kind == "answered":
            selection = CaseSelection(caption=f"{month.label} 受理并已答复",
                                      answered_in_month=month.key)
        else:
            selection = CaseSelection(caption=f"{month.label} 结案(含不成立)",
                                      closed_in_month=month.key, counted_only=False)
        bars.append(Bar(label=month.short_label, value=value, cases=count, selection=selection))
    return tuple(bars)


def _satisfaction(period: Period, rows: Iterable[tuple[int, int]]) -> tuple[Bar, ...]:
    counts = dict.fromkeys(SATISFACTION_LABELS, 0)
    for score, cases in rows:
        if score in counts:
            counts[score] += cases
    return tuple(
        Bar(label=SATISFACTION_LABELS[score], value=counts[score], cases=counts[score],
            selection=CaseSelection(
                caption=f"{period.label} 结案 · 回访{SATISFACTION_LABELS[score]}",
                counted_only=False, closed_from=period.start, closed_until=period.end,
                satisfaction=score))
        for score in sorted(SATISFACTION_LABELS, reverse=True)
    )
