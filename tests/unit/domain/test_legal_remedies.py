"""The legal-remedy helper: which remedies fit which case, and this case's figure at every
boundary (day 7/8 of the return period, the 500 and 1000 yuan minimums, V1 + C)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.cases import Category, Demand
from desktop_app.domain.legal_remedies import (
    ART_24,
    ART_40,
    ART_55,
    ART_148,
    DISCLAIMER,
    Remedy,
    RemedyFacts,
    RemedyKind,
    covers_value_added,
    days_since_purchase,
    default_price,
    food_award,
    fraud_award,
    remedies,
    value_added_floor,
    within_return_period,
)

BOUGHT = date(2026, 11, 1)


def facts(category: Category = Category.PRODUCT_QUALITY, price: str | None = "59.90",
          asked: date = date(2026, 11, 3), bought: date | None = BOUGHT,
          demand: Demand = Demand.REFUND, **changes: object) -> RemedyFacts:
    values: dict[str, object] = {
        "category": category, "demand": demand, "purchase_date": bought, "asked_on": asked,
        "price": None if price is None else Decimal(price),
    }
    values.update(changes)
    return RemedyFacts(**values)  # type: ignore[arg-type]


def found(given_facts: RemedyFacts, kind: RemedyKind) -> Remedy:
    return next(remedy for remedy in remedies(given_facts) if remedy.kind is kind)


# --- 消法 art. 24: seven days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "within"), [(0, True), (1, True), (7, True), (8, False), (30, False)]
)
def test_the_seventh_day_after_purchase_is_the_last_one(days: int, within: bool) -> None:
    remedy = found(facts(asked=BOUGHT + timedelta(days=days)), RemedyKind.RETURN_IN_7_DAYS)
    assert within_return_period(days) is within
    assert remedy.applies is within
    assert f"第 {days} 天" in remedy.outcome
    if within:
        assert remedy.figure == Decimal("59.90")
        assert "退还价款 ¥59.90" in remedy.outcome
    else:
        assert remedy.figure is None
        assert "更换、修理" in remedy.outcome


def test_bought_on_the_first_the_eighth_is_still_in_and_the_ninth_is_not() -> None:
    assert days_since_purchase(BOUGHT, date(2026, 11, 8)) == 7
    assert days_since_purchase(BOUGHT, date(2026, 11, 9)) == 8


@pytest.mark.parametrize(
    ("bought", "says"), [(None, "未登记购买日期"), (date(2026, 11, 5), "请核对")]
)
def test_an_unknown_or_impossible_purchase_date_is_said(bought: date | None, says: str) -> None:
    remedy = found(facts(bought=bought), RemedyKind.RETURN_IN_7_DAYS)
    assert says in remedy.outcome and remedy.figure is None


# --- 消法 art. 55: fraud, three times, at least 500 -----------------------------------------------


@pytest.mark.parametrize(
    ("price", "award"),
    [("0.01", "500.00"), ("100.00", "500.00"), ("166.66", "500.00"), ("166.67", "500.01"),
     ("200.00", "600.00"), ("1234.56", "3703.68")],
)
def test_fraud_pays_three_times_the_price_but_at_least_500(price: str, award: str) -> None:
    assert fraud_award(Decimal(price)) == Decimal(award)
    remedy = found(facts(Category.PRICE_BILLING, price), RemedyKind.FRAUD)
    assert remedy.figure == Decimal(award)
    total = Decimal(award) + Decimal(price)
    assert f"共 ¥{total:,.2f}" in remedy.outcome


# --- 食品安全法 art. 148: ten times the price or three times the loss, at least 1000 --------


@pytest.mark.parametrize(
    ("price", "loss", "award"),
    [("0.01", None, "1000.00"), ("99.99", None, "1000.00"), ("100.00", None, "1000.00"),
     ("100.01", None, "1000.10"), ("10.00", "333.33", "1000.00"),
     ("10.00", "333.34", "1000.02"), ("50.00", "100.00", "1000.00"),
     ("200.00", "1000.00", "3000.00")],
)
def test_unsafe_food_pays_ten_times_or_three_times_the_loss_at_least_1000(
    price: str, loss: str | None, award: str
) -> None:
    loss_amount = None if loss is None else Decimal(loss)
    assert food_award(Decimal(price), loss_amount) == Decimal(award)
    remedy = found(facts(Category.FOOD_SAFETY, price, loss=loss_amount), RemedyKind.UNSAFE_FOOD)
    assert remedy.figure == Decimal(award)
    assert ART_148 in remedy.provisions


@given(st.integers(0, 10**7).map(lambda fen: Decimal(fen) / 100))
def test_the_minimums_hold_at_any_price(price: Decimal) -> None:
    assert fraud_award(price) >= Decimal("500") and fraud_award(price) >= price * 3
    assert food_award(price) >= Decimal("1000") and food_award(price) >= price * 10


# --- 增值服务: at least price + cost ------------------------------------------------------------


def test_what_the_customer_gets_back_covers_price_and_cost_of_complaining() -> None:
    assert value_added_floor(Decimal("59.90"), Decimal("10.00")) == Decimal("69.90")
    assert value_added_floor(Decimal("59.90")) == Decimal("59.90")
    assert not covers_value_added(Decimal("69.89"), Decimal("59.90"), Decimal("10.00"))
    assert covers_value_added(Decimal("69.90"), Decimal("59.90"), Decimal("10.00"))
    remedy = found(facts(cost=Decimal("10.00")), RemedyKind.VALUE_ADDED)
    assert remedy.figure == Decimal("69.90")
    assert "¥59.90" in remedy.outcome and "¥10.00" in remedy.outcome


# --- which remedies fit ---------------------------------------------------------------------------

FITS = {
    Category.PRODUCT_QUALITY: [RemedyKind.RETURN_IN_7_DAYS, RemedyKind.SELLER_PAYS_FIRST,
                               RemedyKind.FRAUD, RemedyKind.VALUE_ADDED],
    Category.FOOD_SAFETY: [RemedyKind.RETURN_IN_7_DAYS, RemedyKind.SELLER_PAYS_FIRST,
                           RemedyKind.UNSAFE_FOOD, RemedyKind.VALUE_ADDED],
    Category.PRICE_BILLING: [RemedyKind.FRAUD, RemedyKind.NO_STATUTORY_RETURN,
                             RemedyKind.VALUE_ADDED],
    Category.WEIGHTS_MEASURES: [RemedyKind.FRAUD, RemedyKind.NO_STATUTORY_RETURN,
                                RemedyKind.VALUE_ADDED],
    Category.SERVICE_ATTITUDE: [RemedyKind.NO_STATUTORY_RETURN, RemedyKind.VALUE_ADDED],
    Category.FACILITIES: [RemedyKind.NO_STATUTORY_RETURN, RemedyKind.VALUE_ADDED],
    Category.OTHER: [RemedyKind.NO_STATUTORY_RETURN, RemedyKind.VALUE_ADDED],
}


@pytest.mark.parametrize("category", list(Category))
def test_each_category_gets_the_remedies_that_fit_it(category: Category) -> None:
    assert [remedy.kind for remedy in remedies(facts(category))] == FITS[category]


def test_a_demand_that_is_not_a_return_gets_no_note_about_returns() -> None:
    kinds = [r.kind for r in remedies(facts(Category.SERVICE_ATTITUDE, demand=Demand.APOLOGY))]
    assert kinds == [RemedyKind.VALUE_ADDED]


def test_every_remedy_quotes_its_article_and_the_seller_claims_from_the_supplier() -> None:
    quality = remedies(facts())
    assert found(facts(), RemedyKind.RETURN_IN_7_DAYS).provisions == (ART_24,)
    assert ART_40 in found(facts(), RemedyKind.SELLER_PAYS_FIRST).provisions
    assert found(facts(), RemedyKind.FRAUD).provisions == (ART_55,)
    assert all(remedy.provisions and remedy.provisions[0].quote for remedy in quality)
    assert "七日内退货" in ART_24.quote and "追偿" in ART_40.quote
    assert "五百元" in ART_55.quote and "一千元" in ART_148.quote
    assert "不是法律意见" in DISCLAIMER


def test_without_a_price_the_figures_wait_for_it() -> None:
    for remedy in remedies(facts(Category.FOOD_SAFETY, price=None)):
        assert remedy.figure is None
        assert "价款" in remedy.outcome


def test_the_price_basis_starts_from_the_goods_concerned() -> None:
    assert default_price([Decimal("7.00"), Decimal("12.50")], Decimal("3.50"),
                         Decimal("99.00")) == Decimal("19.50")
    assert default_price([], Decimal("3.5"), Decimal("99.00")) == Decimal("3.50")
    assert default_price([], None, Decimal("99")) == Decimal("99.00")
    assert default_price([], None, None) is None
