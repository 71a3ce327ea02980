"""《顾客投诉月度统计表》 figures from plain case rows: which cases each figure counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.cases import CaseStatus, Category, Channel, Kind
from desktop_app.domain.complaint_stats import (
    AGE_BANDS,
    SECTIONS,
    CaseFacts,
    MonthCount,
    comparison_rows,
    complaint_stats,
    format_figure,
    median,
    month_stats,
    share,
    trend,
)
from desktop_app.domain.report_figures import Month

OCTOBER = Month(2026, 10)
AFTER = datetime(2026, 11, 5)


def a_case(received: datetime = datetime(2026, 10, 10, 9, 0), **changes: object) -> CaseFacts:
    case = CaseFacts(
        case_no="TS-1", received_at=received, kind=Kind.COMPLAINT,
        category=Category.PRODUCT_QUALITY, department="食品部", channel=Channel.AT_DESK,
        is_major=False, status=CaseStatus.IN_PROGRESS,
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def counts(items: tuple[object, ...]) -> dict[str, int]:
    return {item.label: item.cases for item in items}  # type: ignore[attr-defined]


def test_cases_received_in_the_month_are_counted_every_way_voided_ones_never() -> None:
    cases = [
        a_case(kind=Kind.COMPLAINT, is_major=True),
        a_case(kind=Kind.OPINION, channel=Channel.PHONE, department=""),
        a_case(kind=Kind.SUGGESTION, category=Category.FACILITIES),
        a_case(status=CaseStatus.VOIDED, closed_at=datetime(2026, 10, 11)),
        a_case(datetime(2026, 9, 30, 23, 59, 59)),
        a_case(datetime(2026, 11, 1)),
    ]
    stats = month_stats(OCTOBER, cases, AFTER)
    assert stats.received == 3
    assert counts(stats.by_kind) == {"投诉": 1, "意见": 1, "建议": 1}
    assert counts(stats.by_category)["商品质量"] == 2
    assert counts(stats.by_category)["食品安全"] == 0  # every category is listed
    assert counts(stats.by_department) == {"食品部": 2, "(未指定部门)": 1}
    assert counts(stats.by_channel)["电话"] == 1
    assert stats.major == 1


def test_not_upheld_counts_the_months_cases_answered_as_not_standing() -> None:
    cases = [
        a_case(status=CaseStatus.NOT_UPHELD, closed_at=datetime(2026, 10, 10, 10)),
        a_case(status=CaseStatus.NOT_UPHELD, closed_at=datetime(2026, 11, 2)),
        a_case(status=CaseStatus.CLOSED, closed_at=datetime(2026, 10, 20)),
    ]
    assert month_stats(OCTOBER, cases, AFTER).not_upheld == 1


def test_first_response_median_and_the_share_answered_by_the_promised_date() -> None:
    received = datetime(2026, 10, 10, 9, 0)
    cases = [
        a_case(first_response_at=received + timedelta(hours=2)),
        a_case(first_response_at=received + timedelta(hours=5),
               promised_reply_date=date(2026, 10, 10)),  # on the day: on time
        a_case(first_response_at=received + timedelta(days=3),
               promised_reply_date=date(2026, 10, 12)),  # a day late
        a_case(promised_reply_date=date(2026, 10, 20)),  # never answered, date passed: late
        a_case(datetime(2026, 10, 31, 9), promised_reply_date=date(2026, 11, 20)),
        a_case(),  # not answered, nothing promised
    ]
    response = month_stats(OCTOBER, cases, AFTER).response
    assert response.answered == 3
    assert response.median_hours == Decimal("5.0")
    assert (response.on_time, response.late, response.not_yet_due) == (1, 2, 1)
    assert response.on_time_share == Decimal("33.3")


def test_closing_counts_cases_closed_in_the_month_with_their_follow_up() -> None:
    received = datetime(2026, 9, 28, 9, 0)
    cases = [
        a_case(received, status=CaseStatus.CLOSED, closed_at=received + timedelta(days=4),
               follow_up_reached=True, satisfaction=5),
        a_case(received, status=CaseStatus.CLOSED, closed_at=received + timedelta(days=6),
               follow_up_reached=True, satisfaction=2),
        a_case(received, status=CaseStatus.CLOSED, closed_at=received + timedelta(days=8),
               follow_up_reached=False),
        a_case(received, status=CaseStatus.NOT_UPHELD, closed_at=received + timedelta(days=3)),
        a_case(received, status=CaseStatus.CLOSED, closed_at=received + timedelta(days=1)),
    ]
    closing = month_stats(OCTOBER, cases, AFTER).closing
    assert closing.closed == 4  # the one closed on 29 September belongs to September
    assert closing.median_days == Decimal("5.0")
    assert (closing.followed_up, closing.reached) == (3, 2)
    assert closing.follow_up_share == Decimal("66.7")
    assert counts(closing.satisfaction) == {"很满意": 1, "满意": 0, "一般": 0, "不满意": 1,
                                            "很不满意": 0}
    assert closing.satisfied_share == Decimal("50.0")


@pytest.mark.parametrize(
    ("days_open", "band"),
    [(0, 0), (3, 0), (4, 1), (7, 1), (8, 2), (15, 2), (16, 3), (30, 3), (31, 4), (400, 4)],
)
def test_open_cases_fall_into_their_age_band_at_month_end(days_open: int, band: int) -> None:
    received = OCTOBER.end - timedelta(days=days_open, hours=1)
    stats = month_stats(OCTOBER, [a_case(received)], AFTER)
    assert [count.cases for count in stats.open_by_age] == [
        int(index == band) for index in range(len(AGE_BANDS))
    ]


def test_a_case_closed_after_month_end_was_open_at_it() -> None:
    case = a_case(status=CaseStatus.CLOSED, closed_at=datetime(2026, 11, 2))
    assert month_stats(OCTOBER, [case], AFTER).open_cases == 1
    assert month_stats(Month(2026, 11), [case], datetime(2026, 12, 1)).open_cases == 0


def test_a_month_not_yet_over_counts_up_to_now() -> None:
    now = datetime(2026, 10, 15, 12, 0)
    cases = [a_case(datetime(2026, 10, 15, 11, 0)), a_case(datetime(2026, 10, 15, 13, 0))]
    stats = month_stats(OCTOBER, cases, now)
    assert stats.cutoff == now
    assert stats.received == 1
    assert stats.open_cases == 1


def test_the_trend_covers_twelve_months_ending_with_the_month() -> None:
    counted = [
        MonthCount("2026-10", Kind.COMPLAINT, True, 2),
        MonthCount("2026-10", Kind.OPINION, False, 3),
        MonthCount("2025-11", Kind.COMPLAINT, False, 1),
        MonthCount("2025-10", Kind.COMPLAINT, False, 9),  # thirteen months back: left out
    ]
    points = trend(OCTOBER, counted)
    assert [point.month for point in points] == [OCTOBER.shifted(-n) for n in range(11, -1, -1)]
    assert (points[-1].received, points[-1].complaints, points[-1].major) == (5, 2, 2)
    assert points[0].received == 1
    assert sum(point.received for point in points) == 6


def test_every_figure_is_printed_beside_last_months() -> None:
    cases = [a_case(), a_case(datetime(2026, 9, 3), is_major=True)]
    stats = complaint_stats(OCTOBER, cases, [], AFTER)
    rows = comparison_rows(stats)
    assert {row.section for row in rows} == set(SECTIONS)
    received = next(row for row in rows if row.label.startswith("本月受理"))
    assert (received.current, received.previous, received.change) == (1, 1, 0)
    major = next(row for row in rows if row.label == "重大投诉")
    assert (major.current, major.previous, major.change) == (0, 1, -1)


def test_figures_print_with_their_unit_and_a_dash_for_nothing_to_measure() -> None:
    assert format_figure(None, "%") == "—"
    assert format_figure(Decimal("87.5"), "%") == "87.5%"
    assert format_figure(Decimal("5.5"), "小时") == "5.5 小时"
    assert format_figure(3, "件", signed=True) == "+3"
    assert format_figure(0, "件", signed=True) == "0"
    assert format_figure(-2, "件", signed=True) == "-2"


def test_median_and_share() -> None:
    assert median([]) is None
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    assert median([Decimal(1), Decimal(4)]) == Decimal("2.5")
    assert share(1, 0) is None
    assert share(2, 3) == Decimal("66.7")


statuses = st.sampled_from(list(CaseStatus))
moments = st.integers(min_value=-40 * 86400, max_value=70 * 86400).map(
    lambda seconds: OCTOBER.start + timedelta(seconds=seconds)
)


@given(st.lists(st.tuples(moments, statuses, st.sampled_from(list(Kind)),
                          st.integers(min_value=0, max_value=60 * 86400)), max_size=40),
       moments)
def test_counts_always_add_up(rows: list[tuple[datetime, CaseStatus, Kind, int]],
                              now: datetime) -> None:
    cases = [
        a_case(received, status=status, kind=kind,
               closed_at=None if status not in (CaseStatus.CLOSED, CaseStatus.NOT_UPHELD,
                                                CaseStatus.VOIDED)
               else received + timedelta(seconds=closing))
        for received, status, kind, closing in rows
    ]
    stats = month_stats(OCTOBER, cases, now)
    cutoff = min(OCTOBER.end, now)
    live = [case for case in cases if case.status is not CaseStatus.VOIDED
            and case.received_at < cutoff]
    assert stats.received == sum(1 for case in live if OCTOBER.contains(case.received_at))
    for grouping in (stats.by_kind, stats.by_category, stats.by_department, stats.by_channel):
        assert sum(count.cases for count in grouping) == stats.received
    assert stats.open_cases == sum(
        1 for case in live if case.closed_at is None or case.closed_at >= cutoff
    )
