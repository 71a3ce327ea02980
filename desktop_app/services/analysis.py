"""投诉分析: the figures of the managers' analysis page for a period, in one read
transaction (counts and middle values from the store, figures from the domain)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from desktop_app.domain import case_tally as tally
from desktop_app.domain import complaint_analysis as figures
from desktop_app.domain.cases import Category
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import analysis as store
from desktop_app.store import register as register_store

Clock = Callable[[], datetime]


class AnalysisService:
    """Figures are kept per period until the register's head moves: every change of a case is
    a register entry, so an unchanged head means unchanged figures (switching periods back and
    forth, or coming back to the page, costs nothing)."""

    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock
        self._kept: dict[figures.Period, tuple[int, figures.Analysis]] = {}

    @staticmethod
    def visible_to(role: Role) -> bool:
        return role in MANAGER_ROLES or role is Role.ADMINISTRATOR

    def today(self) -> date:
        return self._clock().date()

    def analysis(self, period: figures.Period) -> figures.Analysis:
        with UnitOfWork(self._db):
            head = register_store.head()
            seq = 0 if head is None else head.seq
            kept = self._kept.get(period)
            if kept is not None and kept[0] == seq:
                return kept[1]
            result = _analysis(period)
        self._kept = {period: (seq, result)} | {
            other: value for other, value in self._kept.items() if value[0] == seq}
        return result

    def forget(self) -> None:
        """Drop the kept figures (benchmarks time the queries themselves)."""
        self._kept.clear()


def _analysis(period: figures.Period) -> figures.Analysis:
    """Inside a unit of work: sums of the monthly tally, and a short index read per median."""
    first, last = period.first.key, period.last.key
    categories = [
        figures.CategoryCount(month, _CATEGORIES[item], cases)
        for month, item, cases in store.tally_rows(
            tally.CATEGORY, period.trend_months[0].key, last)
        if item in _CATEGORIES
    ]
    products = [
        figures.ProductCount(str(barcode), str(name or barcode), "", int(cases))
        for barcode, name, cases in store.barcode_counts(first, last)
    ] + [
        figures.ProductCount("", str(name), str(key), int(cases))
        for key, name, cases in store.product_name_counts(first, last)
    ]
    suppliers = [figures.NamedCount(int(i), str(n), int(c))
                 for i, n, c in store.named_counts("supplier", first, last)]
    departments = [figures.NamedCount(int(i), str(n), int(c))
                   for i, n, c in store.named_counts("department", first, last)]
    response = _middles(tally.RESPONSE, period)
    closing = _middles(tally.CLOSING, period)
    satisfaction = store.satisfaction_counts(first, last)
    return figures.analysis(period, categories, products, suppliers, departments, response,
                            closing, satisfaction)


_CATEGORIES = {category.value: category for category in Category}


def _middles(measure: str, period: figures.Period) -> list[figures.MiddleValues]:
    months = period.trend_months
    bands: dict[str, list[tuple[str, int]]] = {month.key: [] for month in months}
    for month_key, item, cases in store.tally_rows(measure, months[0].key, months[-1].key):
        bands[month_key].append((item, cases))
    rows = []
    for month in months:
        count, read = tally.locate_middle(bands[month.key])
        middle = [] if read is None else store.month_middle(measure, month.key, read)
        rows.append(figures.MiddleValues(month.key, count, tuple(middle)))
    return rows
