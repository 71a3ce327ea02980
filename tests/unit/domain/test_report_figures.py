"""Report figures: month boundaries, 笔 = refunds and 件 = items, charge-backs followed to the
money, and totals that always add up."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import (
    Month,
    ReturnLine,
    charge_back_totals,
    data_cutoff,
    quality_meaning,
    quality_report,
    refund_figures,
    returns_report,
    special_report,
    with_ledger_amounts,
)

OCTOBER = Month(2026, 10)
IN_OCTOBER = datetime(2026, 10, 10, 12, 0)


def line(at: datetime = IN_OCTOBER, amount: str = "1.00", **changes: object) -> ReturnLine:
    values: dict[str, object] = {
        "refund_id": 1, "approved_at": at, "case_no": "TS-202610-0001", "receipt_no": "R1",
        "product_name": "牛奶", "barcode": "690", "quantity": 1, "amount": Decimal(amount),
        "kind": "退货", "category": "商品质量", "department": "食品部", "level": "前台经理/助理",
        "approver": "张丽", "clerk": "刘洋",
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
    assert (returns_report(OCTOBER, [line(moment)]).total.refunds == 1) is inside


@pytest.mark.parametrize("text", ["2026-13", "abc", "2026-0", "26-10", ""])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        Month.parse(text)


def test_months_step_across_years() -> None:
    assert Month(2026, 1).previous == Month(2025, 12)
    assert Month(2026, 12).shifted(1) == Month(2027, 1)
    assert Month(2026, 10).shifted(-11) == Month(2025, 11)
    assert Month(2026, 12).end == datetime(2027, 1, 1)


def test_a_refund_of_two_products_is_one_refund_and_their_items() -> None:
    lines = [
        line(refund_id=7, product_name="牛奶", quantity=2, amount="7.00"),
        line(refund_id=7, product_name="酸奶", quantity=1, amount="12.50"),
        line(refund_id=8, quantity=3, amount="9.00"),
    ]
    report = returns_report(OCTOBER, lines)
    assert (report.total.refunds, report.total.items, report.total.amount) == (
        2, 6, Decimal("28.50")
    )
    [by_kind] = report.by_kind
    assert (by_kind.refunds, by_kind.items) == (2, 6)


def test_waived_charge_backs_are_listed_but_not_owed() -> None:
    lines = [
        line(refund_id=1, amount="19.50", is_quality=True, charge_back=ChargeBack.CHARGED),
        line(refund_id=2, amount="70.00", is_quality=True, charge_back=ChargeBack.WAIVED,
             charge_back_note="供应商已换货", case_no="TS-202610-0002"),
        line(refund_id=3, amount="45.00", is_quality=True, charge_back=ChargeBack.PENDING),
    ]
    totals = charge_back_totals(lines)
    assert totals.charged == Decimal("19.50")
    assert totals.pending == Decimal("45.00")
    assert totals.chargeable == Decimal("64.50")
    assert totals.waived == Decimal("70.00")
    [waiver] = totals.waivers
    assert (waiver.case_no, waiver.amount, waiver.note) == (
        "TS-202610-0002", Decimal("70.00"), "供应商已换货"
    )
    assert [item.charge_back_amount for item in lines] == [
        Decimal("19.50"), Decimal("0.00"), Decimal("45.00")
    ]


def test_a_waived_refund_of_two_items_is_one_waiver_of_both_amounts() -> None:
    lines = [line(refund_id=4, amount=amount, is_quality=True, charge_back=ChargeBack.WAIVED,
                  charge_back_note="样品") for amount in ("3.00", "4.00")]
    [waiver] = charge_back_totals(lines).waivers
    assert waiver.amount == Decimal("7.00")


def test_the_two_meanings_of_quality_are_counted_apart() -> None:
    lines = [
        line(refund_id=1, is_quality=True, category_is_quality=True),
        line(refund_id=2, is_quality=True, category_is_quality=False),
        line(refund_id=3, is_quality=False, category_is_quality=True),
        line(refund_id=4),
    ]
    meaning = quality_meaning(OCTOBER, lines)
    assert (meaning.flagged.refunds, meaning.category.refunds, meaning.both.refunds) == (2, 2, 1)


def test_service_compensations_are_subtotalled_by_the_responsible_staff_member() -> None:
    lines = [
        line(refund_id=1, kind="赔偿", is_compensation=True, responsible="李娜", amount="20.00"),
        line(refund_id=2, kind="赔偿", is_compensation=True, responsible="", amount="5.00"),
        line(refund_id=3, kind="赔偿", is_compensation=True, is_quality=True, amount="9.00"),
        line(refund_id=4, amount="1.00"),
    ]
    report = returns_report(OCTOBER, lines)
    assert {(s.key, s.amount) for s in report.by_responsible} == {
        ("李娜", Decimal("20.00")), ("(未记录)", Decimal("5.00"))
    }


def test_voided_cases_and_head_office_refunds_are_totalled_apart() -> None:
    lines = [
        line(refund_id=1, case_voided=True, amount="30.00"),
        line(refund_id=2, head_office="周国平 集团营运签〔2026〕018号 2026-10-12",
             amount="2500.00"),
        line(refund_id=3, amount="1.00"),
    ]
    report = returns_report(OCTOBER, lines)
    assert report.voided.amount == Decimal("30.00")
    assert report.head_office.amount == Decimal("2500.00")
    assert report.total.amount == Decimal("2531.00")  # money paid out stays in the total


def test_special_lines_are_grouped_by_reason_largest_first() -> None:
    lines = [
        line(refund_id=1, is_special=True, special_reason="无购物小票", amount="5.00"),
        line(refund_id=2, is_special=True, special_reason="超过退换货期限", amount="50.00"),
        line(refund_id=3, is_special=True, special_reason="无购物小票", amount="6.00"),
    ]
    report = special_report(OCTOBER, lines)
    assert [item.special_reason for item in report.lines] == [
        "超过退换货期限", "无购物小票", "无购物小票"
    ]


def test_a_month_not_yet_over_has_a_cutoff() -> None:
    assert data_cutoff(OCTOBER, datetime(2026, 10, 20, 9, 30, 5, 7)) == datetime(
        2026, 10, 20, 9, 30, 5
    )
    assert data_cutoff(OCTOBER, datetime(2026, 11, 1)) is None


kinds = st.sampled_from(["退货", "换货", "赔偿"])
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
offsets = st.integers(min_value=0, max_value=31 * 24 * 3600 - 1)
charge_backs = st.sampled_from(list(ChargeBack))
suppliers = st.sampled_from(["伊利", "海天", ""])
refunds = st.tuples(
    offsets, kinds, st.booleans(), st.booleans(), charge_backs, suppliers,
    st.lists(st.tuples(amounts, st.integers(min_value=1, max_value=5)), min_size=1, max_size=3),
)


def lines_of(rows: list[tuple[int, str, bool, bool, ChargeBack, str,
                              list[tuple[Decimal, int]]]]) -> list[ReturnLine]:
    lines = []
    for refund_id, (offset, kind, special, quality, charge, supplier, items) in enumerate(rows):
        for amount, quantity in items:
            lines.append(line(
                OCTOBER.start + timedelta(seconds=offset), str(amount), refund_id=refund_id,
                kind=kind, quantity=quantity, is_special=special,
                special_reason="无购物小票" if special else "—", is_quality=quality,
                supplier=supplier if quality else "",
                charge_back=charge if quality else ChargeBack.NOT_APPLICABLE,
                department=kind,
            ))
    return lines


@given(st.lists(refunds, max_size=30))
def test_subtotals_always_add_up_to_the_total(
    rows: list[tuple[int, str, bool, bool, ChargeBack, str, list[tuple[Decimal, int]]]],
) -> None:
    lines = lines_of(rows)
    figures = refund_figures(OCTOBER, lines)
    report = figures.returns
    assert report.total.refunds == len(rows)
    assert report.total.items == sum(q for *_, items in rows for _, q in items)
    for groups in (report.by_kind, report.by_category, report.by_department):
        assert sum((g.amount for g in groups), Decimal("0")) == report.total.amount
        assert sum(g.refunds for g in groups) == report.total.refunds
        assert sum(g.items for g in groups) == report.total.items
    special = figures.special
    assert special.total.refunds == sum(1 for _, _, s, *_ in rows if s)
    assert sum(g.refunds for g in special.by_reason) == special.total.refunds
    quality = quality_report(OCTOBER, lines)
    assert quality.total.refunds == sum(1 for _, _, _, q, *_ in rows if q)
    assert sum((g.total.amount for g in quality.suppliers), Decimal("0")) == quality.total.amount
    charge = quality.charge_back
    assert charge.chargeable == charge.charged + charge.pending
    assert sum((g.charge_back.chargeable for g in quality.suppliers), Decimal("0")) == (
        charge.chargeable
    )
    assert sum((p.chargeable for p in quality.by_product), Decimal("0")) == charge.chargeable
    not_applicable = sum((item.amount for item in lines if item.is_quality
                          and item.charge_back is ChargeBack.NOT_APPLICABLE), Decimal("0"))
    assert charge.chargeable + charge.waived + not_applicable == quality.total.amount


# --- the charge-back ledger's amounts -------------------------------------------------------------


def test_the_ledger_amount_is_spread_over_the_refunds_items() -> None:
    """A manager charged 15.00 of a 19.50 refund (7.00 + 12.50): the items bear 5.38 + 9.62,
    and the supplier owes 15.00, not 19.50."""
    lines = [
        line(refund_id=1, amount="7.00", is_quality=True, charge_back=ChargeBack.PENDING),
        line(refund_id=1, amount="12.50", is_quality=True, charge_back=ChargeBack.PENDING),
        line(refund_id=2, amount="5.00", is_quality=True, charge_back=ChargeBack.CHARGED),
    ]
    spread = with_ledger_amounts(lines, {1: 1500})
    assert [item.charge_back_amount for item in spread] == [
        Decimal("5.38"), Decimal("9.62"), Decimal("5.00")]
    report = quality_report(OCTOBER, spread)
    assert report.charge_back.chargeable == Decimal("20.00")
    assert report.total.amount == Decimal("24.50")  # what was refunded does not change


def test_a_waived_ledger_amount_is_what_the_waiver_lists() -> None:
    lines = [line(refund_id=4, amount=amount, is_quality=True, charge_back=ChargeBack.WAIVED,
                  charge_back_note="样品") for amount in ("3.00", "4.00")]
    totals = charge_back_totals(with_ledger_amounts(lines, {4: 600}))
    assert (totals.waived, totals.chargeable) == (Decimal("6.00"), Decimal("0.00"))
    [waiver] = totals.waivers
    assert waiver.amount == Decimal("6.00")


def test_lines_without_a_ledger_line_keep_the_refunded_amount() -> None:
    lines = [line(refund_id=9, amount="8.00", is_quality=True, charge_back=ChargeBack.PENDING)]
    assert with_ledger_amounts(lines, {}) == lines
    assert with_ledger_amounts(lines, {9: 800})[0].charge_back_amount == Decimal("8.00")
