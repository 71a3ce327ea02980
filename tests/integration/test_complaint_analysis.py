"""The analysis page's figures on a year of demo cases, each checked against a plain query of
the case table computed here independently (no index, no store code), and every bar's cases
as the queue lists them."""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from desktop_app.domain import complaint_analysis as figures
from desktop_app.domain.cases import Category
from desktop_app.domain.report_figures import Month
from desktop_app.services.cases import QueueQuery
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.store.connection import close_database

NOW = datetime(2026, 11, 24, 9, 0)
PERIOD = figures.Period(Month(2026, 9), Month(2026, 11))


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "demo.sqlite3"
    fill_demo_database(path, cases=3000, seed=5, step_by_step_limit=0)
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Desk]:
    opened = open_desk_database(demo_path, NOW, daily_backup=False)
    try:
        yield build_desk(opened.db, demo_path, lambda: NOW)
    finally:
        close_database()


@pytest.fixture(scope="module")
def rows(demo_path: Path) -> list[sqlite3.Row]:
    raw = sqlite3.connect(demo_path)
    raw.row_factory = sqlite3.Row
    try:
        return raw.execute(
            'SELECT c.*, p.name AS catalogue_name, s.name AS supplier, d.name AS department '
            'FROM "case" c LEFT JOIN product p ON p.barcode = c.product_barcode '
            "LEFT JOIN supplier s ON s.id = c.supplier_id "
            "LEFT JOIN department d ON d.id = c.department_id"
        ).fetchall()
    finally:
        raw.close()


def counted(rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    return [row for row in rows if row["status"] != "voided"]


def in_period(row: sqlite3.Row) -> bool:
    return f"{PERIOD.start}" <= row["received_at"] < f"{PERIOD.end}"


def seconds(start: str, end: str) -> int:
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())


def median(values: list[int], unit: int) -> Decimal | None:
    if not values:
        return None
    middle = Decimal(str(statistics.median(values)))
    return (middle / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def result(demo: Desk) -> figures.Analysis:
    return demo.analysis.analysis(PERIOD)


def test_the_category_trend_counts_every_counted_case_of_each_month(
    result: figures.Analysis, rows: list[sqlite3.Row]
) -> None:
    expected = Counter((row["received_at"][:7], row["category"]) for row in counted(rows))
    assert [month.key for month in result.months][-1] == "2026-11"
    assert len(result.months) == 12
    for series, category in zip(result.category_trend, Category, strict=True):
        assert series.name == category.label
        for month, bar in zip(result.months, series.bars, strict=True):
            assert bar.value == expected[(month.key, category.value)], (month, category)
    assert result.received == sum(1 for row in counted(rows) if in_period(row))
    assert sum(bar.cases for s in result.category_trend for bar in s.bars) > 2000


def test_top_suppliers_departments_and_products_of_the_period(
    result: figures.Analysis, rows: list[sqlite3.Row]
) -> None:
    chosen = [row for row in counted(rows) if in_period(row)]
    for bars, column in ((result.top_suppliers, "supplier"),
                         (result.top_departments, "department")):
        expected = Counter(row[column] for row in chosen if row[column] is not None)
        assert [bar.value for bar in bars] == sorted(expected.values(), reverse=True)[:10]
        assert all(expected[bar.label] == bar.value for bar in bars)
    products = Counter(row["catalogue_name"] or row["product_name"]
                       for row in chosen if row["product_barcode"] or row["product_name"])
    assert [bar.value for bar in result.top_products] == \
        sorted(products.values(), reverse=True)[:10]
    assert all(products[bar.label] == bar.value for bar in result.top_products)


def test_response_and_closing_medians_per_month(
    result: figures.Analysis, rows: list[sqlite3.Row]
) -> None:
    for month, bar in zip(result.months, result.response_hours, strict=True):
        answered = [seconds(row["received_at"], row["first_response_at"])
                    for row in counted(rows)
                    if row["received_at"].startswith(month.key) and row["first_response_at"]]
        assert bar.cases == len(answered)
        assert bar.value == median(answered, 3600), month
    closed_somewhere = 0
    for month, bar in zip(result.months, result.closing_days, strict=True):
        closed = [seconds(row["received_at"], row["closed_at"]) for row in rows
                  if row["status"] in ("closed", "not_upheld")
                  and (row["closed_at"] or "").startswith(month.key)]
        closed_somewhere += len(closed)
        assert bar.cases == len(closed)
        assert bar.value == median(closed, 86400), month
    assert closed_somewhere > 1000


def test_satisfaction_of_the_cases_closed_in_the_period(
    result: figures.Analysis, rows: list[sqlite3.Row]
) -> None:
    scores: Counter[int] = Counter()
    for row in rows:
        closed = row["closed_at"] or ""
        if row["status"] == "closed" and f"{PERIOD.start}" <= closed < f"{PERIOD.end}":
            score = json.loads(row["workflow"]).get("follow_up", {}).get("satisfaction")
            if score is not None:
                scores[score] += 1
    assert [bar.value for bar in result.satisfaction] == [scores[s] for s in (5, 4, 3, 2, 1)]
    assert sum(scores.values()) > 50


def test_every_bar_opens_exactly_its_cases_in_the_queue(
    demo: Desk, result: figures.Analysis
) -> None:
    bars = [
        *result.category_trend[0].bars[-3:], *result.top_products[:3],
        *result.top_suppliers[:2], *result.top_departments[:2], *result.response_hours[-2:],
        *result.closing_days[-2:], *result.satisfaction,
    ]
    today = date(2026, 11, 24)
    for bar in bars:
        query = QueueQuery(selection=bar.selection)
        assert demo.cases.queue_count(query, today) == bar.cases, bar.selection.caption
        shown = demo.cases.queue_page(query, today, 0, 5)
        assert len(shown) == min(5, bar.cases)


def test_presets_are_whole_months_ending_this_month_or_last() -> None:
    today = date(2026, 11, 24)
    periods = {label: figures.preset(today, back, months)
               for label, back, months in figures.PRESETS}
    assert periods["本月"] == figures.Period(Month(2026, 11), Month(2026, 11))
    assert periods["上月"] == figures.Period(Month(2026, 10), Month(2026, 10))
    assert periods["近 3 个月"].first == Month(2026, 9)
    assert periods["近 12 个月"].first == Month(2025, 12)
    assert periods["近 12 个月"].trend_months[0] == Month(2025, 12)


def test_figures_are_kept_only_while_the_register_is_unchanged(
    desk: Desk, staff: object
) -> None:
    from tests.builders import Staff, a_draft

    assert isinstance(staff, Staff)
    period = figures.Period(Month(2026, 11), Month(2026, 11))
    before = desk.analysis.analysis(period)
    assert desk.analysis.analysis(period) is before  # nothing changed: kept
    assert before.received == 0
    desk.cases.register(staff.clerk, a_draft())
    after = desk.analysis.analysis(period)
    assert after.received == 1
    assert after.top_products[0].label == "伊利纯牛奶 250ml"
