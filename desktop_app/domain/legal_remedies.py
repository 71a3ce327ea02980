"""The statutory remedies beside a customer's demand, with this case's figures.

A reference for the desk, not legal advice: the customer's demand and the store's decision stay
the desk's. Each remedy names the article it rests on and quotes it (verified wording of the
PRC texts: 消费者权益保护法 2013, 食品安全法 2021), says when it fits, and computes the amount for
the price the desk enters:

- 消法 art. 24: a quality defect may be returned within seven days of receiving the goods
  (the day of purchase does not count, 民法典 art. 201: bought on the 1st, the 8th is the last
  day, so days 0-7 after purchase are within and day 8 is not); afterwards exchange or repair;
- 消法 art. 40: the seller pays the customer first and claims it back from the supplier
  (the supplier charge-back ledger);
- 消法 art. 55: fraud — an additional three times the price, at least 500 yuan;
- 食品安全法 art. 148: food not meeting safety standards — ten times the price or three times
  the loss, at least 1000 yuan;
- the 增值服务 rule of thumb of the desk's own procedure: what the customer gets back (V2)
  should be at least the price (V1) plus their cost of complaining (C).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.cases import Category, Demand, LabelledEnum
from desktop_app.domain.money import CENT, format_yuan

DISCLAIMER = (
    "以下为前台参考:法律条文摘录与按本案金额的计算,不是法律意见。顾客的诉求与门店的处理决定"
    "仍由前台作出;有争议或金额较大的,请报店长。"
)
RETURN_DAYS = 7
FRAUD_MULTIPLE = Decimal(3)
FRAUD_MINIMUM = Decimal("500.00")
FOOD_PRICE_MULTIPLE = Decimal(10)
FOOD_LOSS_MULTIPLE = Decimal(3)
FOOD_MINIMUM = Decimal("1000.00")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Provision:
    """One article, quoted exactly."""

    law: str
    article: str
    quote: str

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"


CONSUMER_LAW = "《消费者权益保护法》"
FOOD_LAW = "《食品安全法》"
ART_24 = Provision(
    CONSUMER_LAW, "第二十四条",
    "没有国家规定和当事人约定的，消费者可以自收到商品之日起七日内退货；七日后符合法定解除合同"
    "条件的，消费者可以及时退货，不符合法定解除合同条件的，可以要求经营者履行更换、修理等义务。"
    "依照前款规定进行退货、更换、修理的，经营者应当承担运输等必要费用。",
)
ART_40 = Provision(
    CONSUMER_LAW, "第四十条",
    "消费者在购买、使用商品时，其合法权益受到损害的，可以向销售者要求赔偿。销售者赔偿后，属于"
    "生产者的责任……销售者有权向生产者或者其他销售者追偿。",
)
ART_55 = Provision(
    CONSUMER_LAW, "第五十五条",
    "增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的三倍；增加赔偿的金额不足五百元的，"
    "为五百元。",
)
ART_148_FIRST = Provision(
    FOOD_LAW, "第一百四十八条第一款",
    "接到消费者赔偿要求的生产经营者，应当实行首负责任制，先行赔付，不得推诿",
)
ART_148 = Provision(
    FOOD_LAW, "第一百四十八条第二款",
    "生产不符合食品安全标准的食品或者经营明知是不符合食品安全标准的食品，消费者除要求赔偿损失"
    "外，还可以向生产者或者经营者要求支付价款十倍或者损失三倍的赔偿金；增加赔偿的金额不足一千元"
    "的，为一千元。但是，食品的标签、说明书存在不影响食品安全且不会对消费者造成误导的瑕疵的除外。",
)
ART_16 = Provision(
    CONSUMER_LAW, "第十六条第二款", "经营者和消费者有约定的，应当按照约定履行义务",
)
VALUE_ADDED_RULE = Provision(
    "顾客投诉管理(本店处理流程)", "投诉增值服务",
    "假设顾客第一次购买的产品或服务的实际价值为V1,投诉成本为C,那么企业第二次满足顾客需求的"
    "产品或服务的价值V2应当大于(至少等于)V1+C,这样才能赢得顾客的满意和信赖。",
)

QUALITY = frozenset({Category.PRODUCT_QUALITY, Category.FOOD_SAFETY})
# Where a seller's deception is possible: 以次充好、价格欺诈、短斤缺两.
FRAUD_POSSIBLE = frozenset({
    Category.PRODUCT_QUALITY, Category.PRICE_BILLING, Category.WEIGHTS_MEASURES,
})
RETURN_DEMANDS = frozenset({Demand.REFUND, Demand.EXCHANGE})


class RemedyKind(LabelledEnum):
    RETURN_IN_7_DAYS = ("return_in_7_days", "七日内退货")
    SELLER_PAYS_FIRST = ("seller_pays_first", "门店先行赔付,再向供应商追偿")
    FRAUD = ("fraud", "欺诈:退一赔三,最低 500 元")
    UNSAFE_FOOD = ("unsafe_food", "不符合食品安全标准:价款十倍或损失三倍,最低 1000 元")
    NO_STATUTORY_RETURN = ("no_statutory_return", "非质量问题:按门店承诺处理")
    VALUE_ADDED = ("value_added", "增值服务:至少补足价款 + 投诉成本")


@dataclass(frozen=True)
class RemedyFacts:
    """What the helper needs of a case. ``price`` is what the customer paid for the goods
    concerned (not the whole receipt); ``loss`` their loss beyond it, when known; ``cost`` what
    complaining cost them (trips, time), when the desk estimates it."""

    category: Category
    demand: Demand
    purchase_date: date | None
    asked_on: date
    price: Decimal | None
    loss: Decimal | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class Remedy:
    kind: RemedyKind
    condition: str  # when it applies, in the desk's words
    outcome: str  # what it gives in this case, with the figure
    figure: Decimal | None  # this case's amount; None when the price is not known
    provisions: tuple[Provision, ...]
    applies: bool = True  # False: listed because the case is near it, but its facts rule it out

    @property
    def title(self) -> str:
        return self.kind.label


def _yuan(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


def days_since_purchase(purchase_date: date | None, asked_on: date) -> int | None:
    """Whole days from the purchase to the day the customer asked; None when unknown or when
    the purchase date lies after it (a typing error to check)."""
    if purchase_date is None or purchase_date > asked_on:
        return None
    return (asked_on - purchase_date).days


def within_return_period(days: int) -> bool:
    """Seven days from receipt, the day of purchase not counted: day 7 is the last one."""
    return 0 <= days <= RETURN_DAYS


def fraud_award(price: Decimal) -> Decimal:
    """消法 art. 55: the additional compensation, three times the price, at least 500."""
    return _yuan(max(price * FRAUD_MULTIPLE, FRAUD_MINIMUM))


def food_award(price: Decimal, loss: Decimal | None = None) -> Decimal:
    """食品安全法 art. 148: ten times the price or three times the loss (the customer chooses;
    the higher is shown), at least 1000."""
    by_loss = ZERO if loss is None else loss * FOOD_LOSS_MULTIPLE
    return _yuan(max(price * FOOD_PRICE_MULTIPLE, by_loss, FOOD_MINIMUM))


def value_added_floor(price: Decimal, cost: Decimal | None = None) -> Decimal:
    """V1 + C: the least the customer should get back."""
    return _yuan(price + (cost or ZERO))


def covers_value_added(offered: Decimal, price: Decimal, cost: Decimal | None = None) -> bool:
    return offered >= value_added_floor(price, cost)


def default_price(
    refunded: Sequence[Decimal], catalogue_price: Decimal | None, paid: Decimal | None
) -> Decimal | None:
    """The price basis the helper starts from: what the case's returns refund (the goods
    concerned), else the catalogue price of its product (one unit), else the receipt's total;
    the desk corrects it on screen."""
    if refunded:
        return _yuan(sum(refunded, ZERO))
    if catalogue_price is not None:
        return _yuan(catalogue_price)
    return None if paid is None else _yuan(paid)


def remedies(facts: RemedyFacts) -> list[Remedy]:
    """The remedies that fit the case's category and demand, most specific first, and the
    增值服务 floor last (it fits every case)."""
    found: list[Remedy] = []
    if facts.category in QUALITY:
        found.append(_return_in_seven_days(facts))
        found.append(_seller_pays_first(facts))
    if facts.category is Category.FOOD_SAFETY:
        found.append(_unsafe_food(facts))
    if facts.category in FRAUD_POSSIBLE:
        found.append(_fraud(facts))
    if facts.category not in QUALITY and facts.demand in RETURN_DEMANDS:
        found.append(_no_statutory_return())
    found.append(_value_added(facts))
    return found


NEED_PRICE = "请填写价款后计算"


def _return_in_seven_days(facts: RemedyFacts) -> Remedy:
    days = days_since_purchase(facts.purchase_date, facts.asked_on)
    condition = "商品有质量问题;自收到商品之日起七日内(购买当日不计)"
    if days is None:
        why = ("购买日期晚于投诉日期,请核对" if facts.purchase_date is not None
               else "未登记购买日期,无法判断是否在七日内")
        return Remedy(RemedyKind.RETURN_IN_7_DAYS, condition,
                      f"{why};七日内可退货,七日后可要求更换、修理", None, (ART_24,), True)
    if within_return_period(days):
        refund = NEED_PRICE if facts.price is None else f"退还价款 {format_yuan(facts.price)}"
        return Remedy(
            RemedyKind.RETURN_IN_7_DAYS, condition,
            f"购买后第 {days} 天,在七日内:顾客可以退货,{refund};运输等必要费用由门店承担",
            None if facts.price is None else _yuan(facts.price), (ART_24,), True,
        )
    return Remedy(
        RemedyKind.RETURN_IN_7_DAYS, condition,
        f"购买后第 {days} 天,已过七日:符合法定解除合同条件的仍可及时退货,否则可要求更换、修理"
        "(门店承担运输等必要费用)",
        None, (ART_24,), False,
    )


def _seller_pays_first(facts: RemedyFacts) -> Remedy:
    amount = NEED_PRICE if facts.price is None else format_yuan(facts.price)
    return Remedy(
        RemedyKind.SELLER_PAYS_FIRST, "顾客的合法权益因商品受到损害;责任在生产者或供应商",
        f"门店先行赔付顾客 {amount},不得推诿;再向供应商追偿(记入供应商扣款台账)",
        None if facts.price is None else _yuan(facts.price),
        (ART_40, ART_148_FIRST) if facts.category is Category.FOOD_SAFETY else (ART_40,),
    )


def _fraud(facts: RemedyFacts) -> Remedy:
    condition = "仅当经营者有欺诈行为(如以次充好、价格欺诈、短斤缺两)时"
    if facts.price is None:
        return Remedy(RemedyKind.FRAUD, condition,
                      f"增加赔偿为价款三倍,不足 500 元按 500 元;{NEED_PRICE}", None, (ART_55,))
    award = fraud_award(facts.price)
    return Remedy(
        RemedyKind.FRAUD, condition,
        f"增加赔偿 {format_yuan(award)}(价款 {format_yuan(facts.price)} 的三倍,不足 500 元按 "
        f"500 元),连同退还的价款共 {format_yuan(_yuan(award + facts.price))}",
        award, (ART_55,),
    )


def _unsafe_food(facts: RemedyFacts) -> Remedy:
    condition = ("食品不符合食品安全标准(经营者明知时);标签、说明书不影响食品安全且不误导的"
                 "瑕疵除外")
    if facts.price is None:
        return Remedy(RemedyKind.UNSAFE_FOOD, condition,
                      f"价款十倍或损失三倍,不足 1000 元按 1000 元;{NEED_PRICE}", None,
                      (ART_148, ART_148_FIRST))
    award = food_award(facts.price, facts.loss)
    by_loss = ("" if facts.loss is None
               else f",损失三倍 {format_yuan(_yuan(facts.loss * FOOD_LOSS_MULTIPLE))}")
    return Remedy(
        RemedyKind.UNSAFE_FOOD, condition,
        f"赔偿金 {format_yuan(award)}(价款十倍 "
        f"{format_yuan(_yuan(facts.price * FOOD_PRICE_MULTIPLE))}{by_loss},顾客择一,"
        "不足 1000 元按 1000 元),另可要求赔偿损失;接到要求的门店先行赔付,请报店长",
        award, (ART_148, ART_148_FIRST),
    )


def _no_statutory_return() -> Remedy:
    return Remedy(
        RemedyKind.NO_STATUTORY_RETURN, "商品没有质量问题,在门店购买(非网购、电话购物)",
        "线下购物没有法定的无理由退货,按门店公布的退换货承诺处理;承诺一经公布即须履行",
        None, (ART_16,),
    )


def _value_added(facts: RemedyFacts) -> Remedy:
    condition = "顾客得到的(V2)至少等于价款(V1)加上投诉花费的交通、时间等成本(C)"
    if facts.price is None:
        return Remedy(RemedyKind.VALUE_ADDED, condition, f"至少 V1 + C;{NEED_PRICE}", None,
                      (VALUE_ADDED_RULE,))
    cost = facts.cost or ZERO
    floor = value_added_floor(facts.price, cost)
    return Remedy(
        RemedyKind.VALUE_ADDED, condition,
        f"至少 {format_yuan(floor)}(价款 {format_yuan(facts.price)} + 投诉成本 "
        f"{format_yuan(_yuan(cost))})",
        floor, (VALUE_ADDED_RULE,),
    )
