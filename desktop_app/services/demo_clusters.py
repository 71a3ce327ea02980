"""Early warning in the demo: a few real clusters among the newest cases, so ``--demo`` shows
warnings at once, and a manager who works the older warnings as a store would.

The clusters take six places just before the showcase cases (the newest, which show every
state): three complaints that milk turned sour, two service complaints naming one cashier, a
food-safety complaint, and one customer (the milk's) complaining for the third time. Through
the service they raise a product warning ("第 3 起"), a staff warning, a food-safety warning
and a repeat-claimant warning.

Warnings older than a fortnight are acknowledged with the action their rule suggests and
closed three days later, so the demo's 预警 page holds the last two weeks' warnings waiting,
a few in progress, and a year of closed ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from desktop_app.domain import cases as rules
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.money import from_fen
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.domain.roles import Role
from desktop_app.domain.warning_rules import SUGGESTED_ACTION, WarningAction, WarningStatus

if TYPE_CHECKING:
    from desktop_app.services.demo_plan import Catalogue, PlannedCase

Category = rules.Category
# What each of the six places holds.
PLAN = ("milk", "staff", "milk", "food_safety", "staff", "milk")
SIZE = len(PLAN)
CLAIMANT_PHONE = "13905718866"
ACKNOWLEDGED_AFTER = timedelta(days=14)
CLOSED_AFTER = timedelta(days=3)
ACTION_NOTES = {
    WarningAction.SHELF_CHECK: "通知部门下架同批次商品检查", WarningAction.NOTIFY_SUPPLIER:
    "已电话通知供应商,要求书面说明", WarningAction.DEPARTMENT_FIX: "部门班组长负责整改,周会通报",
    WarningAction.NONE: "顾客多次投诉均已妥善处理,无需另行处理",
}


class Clusters:
    """The six cluster places of a demo of ``count`` cases, first at ``first``."""

    def __init__(self, catalogue: Catalogue, first: int) -> None:
        self._catalogue = catalogue
        self.first = first

    def has(self, index: int) -> bool:
        return self.first >= 0 and self.first <= index < self.first + SIZE

    def plan(self, index: int, received: datetime, clerk: Account) -> PlannedCase:
        from desktop_app.services.demo_plan import PlannedCase

        kind = PLAN[index - self.first]
        rng = random.Random(index)
        draft = {"milk": self._milk, "staff": self._staff,
                 "food_safety": self._food_safety}[kind](rng, received, index)
        answer = steps.StepAnswer(upheld=True)
        return PlannedCase(draft=draft, clerk=clerk,
                           steps=[(rules.Step.NATURE, answer, timedelta(minutes=2))])

    def _product(self, *words: str) -> dict[str, Any]:
        products = self._catalogue.products
        return next((p for p in products if all(w in str(p["name"]) for w in words)),
                    products[0])

    def _milk(self, rng: random.Random, received: datetime, index: int) -> RegistrationDraft:
        from desktop_app.services.demo_vocabulary import defect_for

        milk = self._product("伊利", "纯牛奶")
        return _draft(received, rng, index, product=milk, phone=CLAIMANT_PHONE,
                      name="孙女士", category=Category.PRODUCT_QUALITY,
                      account=f"昨天买的{milk['name']},{defect_for(milk, rng)}")

    def _food_safety(self, rng: random.Random, received: datetime,
                     index: int) -> RegistrationDraft:
        ham = self._product("火腿肠")
        return _draft(received, rng, index, product=ham, phone=f"1370571{index % 10**4:04d}",
                      name="周先生", category=Category.FOOD_SAFETY,
                      account=f"吃了{ham['name']}以后肚子疼,怀疑变质了")

    def _staff(self, rng: random.Random, received: datetime, index: int) -> RegistrationDraft:
        cashiers = [name for name, department in self._catalogue.staff if department == "收银部"]
        cashier = "马超" if "马超" in cashiers else (cashiers[0] if cashiers else "马超")
        return _draft(received, rng, index, product=None, phone=f"1590571{index % 10**4:04d}",
                      name=rng.choice(("李阿姨", "陈小姐")),
                      category=Category.SERVICE_ATTITUDE, staff=cashier,
                      account=f"收银员{cashier}态度生硬,找零时把钱扔在台面上")


def _draft(
    received: datetime, rng: random.Random, index: int, *, product: dict[str, Any] | None,
    phone: str, name: str, category: Category, account: str, staff: str = "",
) -> RegistrationDraft:
    return RegistrationDraft(
        received_at=received, channel=rules.Channel.AT_DESK, customer_name=name,
        customer_phone=phone,
        subject=rules.Subject.PRODUCT if product else rules.Subject.SERVICE,
        product_barcode=str(product["barcode"]) if product else "",
        product_name=str(product["name"]) if product else "",
        department_name="" if product else "收银部", supplier_name="", staff_name=staff,
        receipt_no=f"{received:%Y%m%d}{rng.randrange(1, 99):02d}{index % 10**4:04d}",
        purchase_date=f"{received - timedelta(days=1):%Y-%m-%d}",
        amount_paid=f"{from_fen(int(product['price_fen']))}" if product else "",
        account=account,
        demand=rules.Demand.REFUND if product else rules.Demand.APOLOGY,
        category=category, kind=rules.Kind.COMPLAINT, is_major=False, promised_reply_date="",
    )


class WarningDesk:
    """The managers' side of the demo: works warnings as the days go by."""

    def __init__(self, db: Any, clock: Callable[[], datetime]) -> None:
        from desktop_app.services.warnings import WarningService

        self._service = WarningService(db, clock)
        self._clock = clock
        self._manager: Account | None = None

    def manager(self, accounts: list[Account]) -> None:
        self._manager = next(
            (a for a in accounts if a.role is Role.FRONT_DESK_MANAGER), None)

    def work(self, today: datetime, set_clock: Callable[[datetime], None]) -> None:
        """Acknowledge warnings a fortnight old, close those acknowledged three days ago."""
        if self._manager is None:
            return
        for line in reversed(self._service.warnings()):
            due = line.raised_at + ACKNOWLEDGED_AFTER
            if line.status is WarningStatus.RAISED and due <= today:
                action = SUGGESTED_ACTION[line.rule]
                set_clock(due)
                self._service.acknowledge(self._manager, line.warning_id, action,
                                          ACTION_NOTES[action])
            elif line.status is WarningStatus.ACKNOWLEDGED and line.acknowledged_at and \
                    line.acknowledged_at + CLOSED_AFTER <= today:
                set_clock(line.acknowledged_at + CLOSED_AFTER)
                self._service.close(self._manager, line.warning_id, "措施已完成,复查无同类问题")
