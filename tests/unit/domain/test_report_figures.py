"""Report figures: month boundaries and totals that always add up."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.report_figures import (
    Month,
    ReturnLine,
    quality_report,
    returns_report,
    special_report,
)

OCTOBER = Month(2026, 10)


def line(at: datetime, amount: str = "1.00", **changes: object) -> ReturnLine:
    values: dict[str, object] = {
        "approved_at": at, "case_no": "TS-202610-0001", "receipt_no": "R1", "product_name": "牛奶",
        "barcode": "690", "quantity": 1, "amount": Decimal(amount), "kind": "退货",
        "category": "商品质量", "department": "食品部", "level": "前台经理/助理",
        "approver": "张丽", "clerk": "刘洋", "is_special": False, "special_reason": "—",
        "special_detail": "", "is_quality": False, "supplier": "", "defect": "",
        "confirmation": "", "charge_back": "不适用",
    }
    values.update(changes)
    return ReturnLine(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2026, 9, 30, 23, 59, 59), False),
        (datetime(2026, 10, 1, 0, 0, 0), True),
        (datetime(2026, 10, 31, 23, 59, 59), True),
        (datetime(2026, 11, 1, 0, 0, 0), False),
    ],
)
def test_month_boundaries(moment: datetime, inside: bool) -> None:
    assert (returns_report(OCTOBER, [line(moment)]).total.count == 1) is inside


@pytest.mark.parametrize("text", ["2026-13", "abc", "2026-0", "26-10", ""])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        Month.parse(text)


kinds = st.sampled_from(["退货", "换货", "赔偿"])
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
offsets = st.integers(min_value=0, max_value=31 * 24 * 3600 - 1)


@given(st.lists(st.tuples(offsets, amounts, kinds, st.booleans(), st.booleans()), max_size=40))
def test_subtotals_always_add_up_to_the_total(
    rows: list[tuple[int, Decimal, str, bool, bool]],
) -> None:
    lines = [
        line(OCTOBER.start + timedelta(seconds=offset), str(amount), kind=kind,
             is_special=special, special_reason="无购物小票" if special else "—",
             is_quality=quality, supplier="伊利" if quality else "")
        for offset, amount, kind, special, quality in rows
    ]
    report = returns_report(OCTOBER, lines)
    for groups in (report.by_kind, report.by_category, report.by_department):
        assert sum((g.amount for g in groups), Decimal("0")) == report.total.amount
        assert sum(g.count for g in groups) == report.total.count
    special = special_report(OCTOBER, lines)
    assert special.total.count == sum(1 for _, _, _, s, _ in rows if s)
    quality = quality_report(OCTOBER, lines)
    assert sum((g.total.amount for g in quality.suppliers), Decimal("0")) == quality.total.amount
