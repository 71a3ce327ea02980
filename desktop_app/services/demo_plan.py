"""The plan of each demo case: who complains about what, what was bought and paid, what they
ask for, the steps the desk records and the refund, if any — pure, from a seeded generator."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import refund_policy as policy
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.money import from_fen, to_fen
from desktop_app.domain.refunds import ItemDraft, RefundDraft, RefundKind, SpecialReason
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.services import demo_clusters
from desktop_app.services.demo_vocabulary import (
    CATEGORY_WEIGHTS,
    DEMANDS_BY_CATEGORY,
    FOOD_DEPARTMENTS,
    FOOD_SAFETY_ACCOUNTS,
    SERVICE_ACCOUNTS,
    SPECIAL_DETAILS,
    STAFF_ACCOUNTS,
    SURNAMES,
    TITLES,
    WEIGHED_DEPARTMENTS,
    defect_for,
)
from desktop_app.services.demo_workflow import (
    STATUS_TARGETS,
    in_opening_hours,
    reception_moments,
    steps_towards,
    target_step,
)

Step = rules.Step
Category = rules.Category
Demand = rules.Demand


# The newest cases include one refund waiting at each signing level, for the approvals page:
# (lowest, highest) receipt total in fen of each level, from the policy's own limits.
_LIMITS_FEN = [to_fen(limit) for limit in (
    policy.FRONT_DESK_LIMIT, policy.DEPUTY_STORE_MANAGER_LIMIT, policy.STORE_MANAGER_LIMIT)]
SHOWCASE_PENDING_TIERS = tuple(zip([1] + [fen + 1 for fen in _LIMITS_FEN],
                                   [*_LIMITS_FEN, 10**9], strict=True))


@dataclass
class PlannedCase:
    draft: RegistrationDraft
    clerk: Account
    steps: list[tuple[Step, steps.StepAnswer, timedelta]] = field(default_factory=list)
    refund: PlannedRefund | None = None
    # The refund is asked for once this step is recorded (the solution, or the cause found).
    refund_after: Step | None = None


@dataclass(frozen=True)
class PlannedRefund:
    draft: RefundDraft
    outcome: str  # "approve", "reject" or "pending"


@dataclass(frozen=True)
class Catalogue:
    products: list[dict[str, Any]]
    departments: list[str]
    leaders: dict[str, list[str]] = field(default_factory=dict)
    staff: list[tuple[str, str]] = field(default_factory=list)  # (name, department)


@dataclass(frozen=True)
class Purchase:
    """What the customer bought of the goods concerned, and what the whole receipt came to."""

    lines: tuple[tuple[dict[str, Any], int], ...]  # (product, quantity)
    receipt_total_fen: int

    @property
    def product(self) -> dict[str, Any]:
        return self.lines[0][0]

    @property
    def quantity(self) -> int:
        return self.lines[0][1]


def plan_cases(
    rng: random.Random, count: int, clerks: list[Account], catalogue: Catalogue, now: datetime
) -> Iterator[PlannedCase]:
    """``count`` cases spread over the twelve months before ``now``, oldest first."""
    moments = reception_moments(rng, count, now)
    for index, received in enumerate(moments):
        yield plan_at(rng, index, count, received, clerks, catalogue, now)


def plan_at(
    rng: random.Random, index: int, count: int, received: datetime, clerks: list[Account],
    catalogue: Catalogue, now: datetime,
) -> PlannedCase:
    """The ``index``-th of ``count`` cases, received at ``received``."""
    pending_from = count - len(SHOWCASE_PENDING_TIERS)
    # The newest cases run through every target in turn, so even a small demo shows a case in
    # each state (a quality case is needed to wait for its department).
    showcase_from = pending_from - 2 * len(STATUS_TARGETS)
    clerk = rng.choice(clerks)
    # Just before the showcase, a few real clusters raise early warnings (demo_clusters).
    clusters = demo_clusters.Clusters(catalogue, first=showcase_from - demo_clusters.SIZE)
    if clusters.has(index):
        return clusters.plan(index, received, clerk)
    if index >= pending_from:
        tier = SHOWCASE_PENDING_TIERS[index - pending_from]
        return _plan_one(rng, received, clerk, catalogue, now, Step.SOLUTION, showcase=True,
                         pending_tier=tier)
    showcase = index >= showcase_from
    forced = STATUS_TARGETS[index % len(STATUS_TARGETS)][0] if showcase else None
    return _plan_one(rng, received, clerk, catalogue, now, forced, showcase)


def _plan_one(
    rng: random.Random,
    received: datetime,
    clerk: Account,
    catalogue: Catalogue,
    now: datetime,
    forced: Step | None = None,
    showcase: bool = False,
    pending_tier: tuple[int, int] | None = None,
) -> PlannedCase:
    category = Category.PRODUCT_QUALITY if showcase else rng.choices(
        list(Category), CATEGORY_WEIGHTS)[0]
    is_product = category in (Category.PRODUCT_QUALITY, Category.FOOD_SAFETY,
                              Category.PRICE_BILLING, Category.WEIGHTS_MEASURES)
    demand = _demand(rng, category, forced_money=pending_tier is not None)
    purchase = _purchase(rng, category, catalogue, pending_tier)
    bought_days_ago = rng.randrange(0, 6)
    department = _department(rng, category, catalogue, purchase.product if is_product else None)
    staff = _staff(rng, category, catalogue)
    account, defect, difference = _account(rng, category, purchase, bought_days_ago, staff)
    has_receipt = rng.random() < 0.85 or pending_tier is not None
    draft = RegistrationDraft(
        received_at=received,
        channel=rng.choices(list(rules.Channel), (70, 18, 4, 3, 4, 1))[0],
        customer_name=rng.choice(SURNAMES) + rng.choice(TITLES),
        customer_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        subject=rules.Subject.PRODUCT if is_product else rules.Subject.SERVICE,
        product_barcode=purchase.product["barcode"] if is_product else "",
        product_name=purchase.product["name"] if is_product else "",
        department_name="" if is_product else department,
        supplier_name="",
        staff_name=staff,
        receipt_no=f"{received:%Y%m%d}{rng.randrange(1, 99):02d}{rng.randrange(10**4):04d}"
        if has_receipt else "",
        purchase_date=f"{received - timedelta(days=bought_days_ago):%Y-%m-%d}",
        amount_paid=f"{from_fen(purchase.receipt_total_fen)}" if is_product else "",
        account=account,
        demand=demand,
        category=category,
        kind=rng.choices(list(rules.Kind), (85, 10, 5))[0],
        is_major=rng.random() < 0.02,
        promised_reply_date=(
            f"{received + timedelta(days=rng.randrange(1, 4)):%Y-%m-%d}"
            if rng.random() < 0.3 else ""
        ),
    )
    planned = PlannedCase(draft=draft, clerk=clerk)
    age_days = (now - received).days
    target = forced if showcase else target_step(rng, age_days)
    planned.steps = steps_towards(rng, target, draft, department, catalogue.leaders, staff)
    done = {step for step, _, _ in planned.steps}
    upheld = all(answer.upheld for step, answer, _ in planned.steps if step is Step.NATURE)
    if _refund_kind(demand) is not None and upheld and Step.CAUSE in done and is_product \
            and Step.VOID not in done:
        outcome = "pending" if pending_tier or age_days <= 3 else rng.choices(
            ["approve", "reject"], (9, 1))[0]
        planned.refund = _plan_refund(rng, draft, purchase, (defect, difference), outcome,
                                      special_allowed=pending_tier is None)
        planned.refund_after = Step.SOLUTION if Step.SOLUTION in done else Step.CAUSE
        if outcome == "pending":
            # The customer is told, and the case moves on, only once the refund is decided.
            cut = [step for step, _, _ in planned.steps].index(planned.refund_after) + 1
            planned.steps = planned.steps[:cut]
    planned.steps = in_opening_hours(received + timedelta(minutes=1), planned.steps)
    return planned


def _demand(rng: random.Random, category: Category, forced_money: bool) -> Demand:
    if forced_money:
        return Demand.REFUND
    demands = [demand for demand, _ in DEMANDS_BY_CATEGORY[category]]
    weights = [weight for _, weight in DEMANDS_BY_CATEGORY[category]]
    return rng.choices(demands, weights)[0]


def _purchase(
    rng: random.Random, category: Category, catalogue: Catalogue,
    pending_tier: tuple[int, int] | None,
) -> Purchase:
    """The goods concerned (one line, sometimes two or three of the same supplier for a quality
    return) and the receipt's total: those lines plus the rest of the shopping."""
    if pending_tier is not None:
        product, quantity = _fitting(rng, catalogue.products, pending_tier)
        lines: list[tuple[dict[str, Any], int]] = [(product, quantity)]
    else:
        product = rng.choice(_candidates(category, catalogue.products))
        lines = [(product, _quantity(rng, product))]
        if category.needs_department_confirmation and rng.random() < 0.25:
            same_supplier = [p for p in catalogue.products
                             if p["supplier_id"] == product["supplier_id"] and p is not product]
            for extra in rng.sample(same_supplier, min(len(same_supplier), rng.randint(1, 2))):
                lines.append((extra, _quantity(rng, extra)))
    goods = sum(int(p["price_fen"]) * quantity for p, quantity in lines)
    rest = 0 if rng.random() < 0.25 else rng.randrange(100, 20000)
    return Purchase(lines=tuple(lines), receipt_total_fen=goods + rest)


def _candidates(category: Category, products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = {Category.FOOD_SAFETY: FOOD_DEPARTMENTS,
              Category.WEIGHTS_MEASURES: WEIGHED_DEPARTMENTS}.get(category)
    if wanted is None:
        return products
    fitting = [p for p in products if p["department_name"] in wanted]
    return fitting or products


def _quantity(rng: random.Random, product: dict[str, Any]) -> int:
    if int(product["price_fen"]) >= 10000:
        return 1
    return rng.choices((1, 2, 3), (60, 30, 10))[0]


def _fitting(
    rng: random.Random, products: list[dict[str, Any]], tier: tuple[int, int]
) -> tuple[dict[str, Any], int]:
    """A product and quantity whose value lies in ``tier`` (fen), when the catalogue has one."""
    low, high = tier
    fits = [(p, q) for p in products for q in (1, 2, 3) if low <= int(p["price_fen"]) * q <= high]
    return rng.choice(fits) if fits else (rng.choice(products), 1)


def _department(
    rng: random.Random, category: Category, catalogue: Catalogue, product: dict[str, Any] | None
) -> str:
    if product is not None:
        return str(product["department_name"])
    preferred = {Category.SERVICE_ATTITUDE: ("收银部", "客服部"),
                 Category.FACILITIES: ("物流部", "防损部")}.get(category, ())
    present = [name for name in preferred if name in catalogue.departments]
    return rng.choice(present or catalogue.departments)


def _staff(rng: random.Random, category: Category, catalogue: Catalogue) -> str:
    if category is not Category.SERVICE_ATTITUDE or rng.random() < 0.4:
        return ""
    cashiers = [name for name, department in catalogue.staff if department == "收银部"]
    if cashiers:
        return rng.choice(cashiers)
    return rng.choice(SURNAMES) + "某"


def _account(
    rng: random.Random, category: Category, purchase: Purchase, days_ago: int, staff: str
) -> tuple[str, str, int]:
    """The customer's words; the defect they name (for the refund item); and for a price or
    weight complaint the money it is about, in fen (per item, or the whole shortfall)."""
    product = purchase.product
    name = str(product["name"])
    price = int(product["price_fen"])
    when = {0: "今天", 1: "昨天", 2: "前天"}.get(days_ago, f"{days_ago}天前")
    if category is Category.PRODUCT_QUALITY:
        defect = defect_for(product, rng)
        others = "、".join(str(p["name"]) for p, _ in purchase.lines[1:])
        also = f";同时买的{others}也有问题" if others else ""
        return f"{when}买的{name},{defect}{also}", defect, 0
    if category is Category.FOOD_SAFETY:
        text = rng.choice(FOOD_SAFETY_ACCOUNTS).format(name=name)
        return text, text, 0
    if category is Category.PRICE_BILLING:
        # Shelf labels end in ten fen; the till charged the catalogue price.
        label = max(10, price * rng.choice((70, 80, 85, 90)) // 1000 * 10)
        text = f"{name}货架上标价 {from_fen(label)} 元,收银按 {from_fen(price)} 元收的"
        return text, "", max(1, price - label)
    if category is Category.WEIGHTS_MEASURES:
        short = rng.choice((50, 75, 100))
        text = f"{when}买的{name},小票上 {purchase.quantity * 500} 克,回家一称少了 {short} 克"
        return text, "", max(1, price * short // 500)  # the price is per 500 g
    if staff:
        return rng.choice(STAFF_ACCOUNTS).format(staff=staff), "", 0
    return rng.choice(SERVICE_ACCOUNTS[category]), "", 0


def _refund_kind(demand: Demand) -> RefundKind | None:
    return {Demand.REFUND: RefundKind.RETURN, Demand.EXCHANGE: RefundKind.EXCHANGE,
            Demand.COMPENSATION: RefundKind.COMPENSATION}.get(demand)


def _plan_refund(
    rng: random.Random, draft: RegistrationDraft, purchase: Purchase,
    complaint: tuple[str, int], outcome: str, special_allowed: bool = True,
) -> PlannedRefund:
    """Items priced at quantity × unit price; the reason follows the complaint's category; a
    quality return names the supplier, who is charged for it. ``complaint`` is the defect
    named and the money a price or weight complaint is about."""
    kind = _refund_kind(draft.demand) or RefundKind.RETURN
    items, reason = _items_and_reason(rng, draft, purchase, complaint, kind)
    amount = sum((Decimal(item.amount) for item in items), Decimal("0"))
    special = special_allowed and rng.random() < 0.12
    special_reason = rng.choice(list(SpecialReason)[1:]) if special else SpecialReason.NONE
    no_receipt = special_reason is SpecialReason.NO_RECEIPT or not draft.receipt_no
    quality = draft.category.needs_department_confirmation
    refund = RefundDraft(
        kind=kind, amount=f"{amount:.2f}", reason=reason, items=tuple(items),
        is_quality=quality,
        supplier_name=str(purchase.product["supplier_name"]) if quality else "",
        is_special=special, special_reason=special_reason,
        special_detail=SPECIAL_DETAILS.get(special_reason, ""),
        receipt_no="" if no_receipt else draft.receipt_no,
        receipt_paid="" if no_receipt else draft.amount_paid,
    )
    return PlannedRefund(draft=refund, outcome=outcome)


def _items_and_reason(
    rng: random.Random, draft: RegistrationDraft, purchase: Purchase,
    complaint: tuple[str, int], kind: RefundKind,
) -> tuple[list[ItemDraft], str]:
    category = draft.category
    defect, money = complaint
    product, quantity = purchase.product, purchase.quantity
    if category is Category.PRICE_BILLING and kind is RefundKind.COMPENSATION:
        return ([ItemDraft(product["name"], product["barcode"], str(quantity),
                           f"{from_fen(money * quantity)}")],
                "收银价高于货架标价,按件退还差价")
    if category is Category.WEIGHTS_MEASURES:
        return ([ItemDraft(product["name"], product["barcode"], "1", f"{from_fen(money)}")],
                "称重不足,按短少重量补偿差额")
    items = [
        ItemDraft(line_product["name"], line_product["barcode"], str(line_quantity),
                  f"{from_fen(int(line_product['price_fen']) * line_quantity)}",
                  (defect if index == 0 else defect_for(line_product, rng)) if defect else "")
        for index, (line_product, line_quantity) in enumerate(purchase.lines)
    ]
    if category is Category.PRODUCT_QUALITY:
        return items, f"商品质量问题:{defect}"
    if category is Category.FOOD_SAFETY:
        return items, "食品安全问题,按规定退货并赔偿" if kind is RefundKind.COMPENSATION \
            else "食品安全问题,为顾客退货"
    return items, "价格有误,顾客要求退货"

