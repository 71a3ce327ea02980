"""Who pays, in the demo store: the ledgers worked through their services the way a store works
them, after the year of cases is written.

- Quality returns older than a month were charged to their supplier on the 10th of the month
  after (one deduction slip per supplier and month); a few were waived by the store manager with
  a reason, a few had their amount cut to the supplier's cost first; recent ones are still owed.
- A supplier's second quality return within a month brings an improvement order the next day,
  due a fortnight later; most were followed up and closed in time, some were extended, some
  closed late; the latest are still running, or open past their due date. A department whose
  staff had to share two compensations in a month gets one too.
- Service compensations (price and weighing errors at the till) are shared by the cashiers or
  the department's staff, with the penalty of step 8; older ones were deducted from the next
  month's pay or, now and then, waived.
Everything happens in office hours and never after ``now``; the same seed gives the same ledgers.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import Category
from desktop_app.domain.charge_backs import LedgerLine
from desktop_app.domain.improvement import OrderDraft, OrderTarget
from desktop_app.domain.liability import ShareDraft
from desktop_app.domain.report_figures import Month
from desktop_app.services.charge_backs import ChargeBackService
from desktop_app.services.demo_workflow import after_in_opening_hours
from desktop_app.services.improvement_orders import ImprovementService
from desktop_app.services.liabilities import LiabilityService
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as account_store
from desktop_app.store import ledgers as ledger_store

WAIVE_REASONS = (
    "样品质量问题,供应商已上门换货补偿",
    "供应商已按协议返还现金,无需再扣",
    "促销赠品,不向供应商扣款",
)
AMOUNT_CUT = Decimal("0.8")
AMOUNT_NOTE = "按供货协议,供应商只承担商品进价(约八折)"
SUPPLIER_ORDERS = (
    "本月多次发生质量退货:相关批次下架抽检,7 日内提交书面整改报告",
    "加强出厂检验和冷链运输管理,提交整改措施及批次检验报告",
)
DEPARTMENT_ORDER = "本月多次发生服务赔偿:组织服务规范培训,班长每日抽查,月底前报整改情况"
FOLLOW_UPS = ("已电话催促,对方承诺按期提交", "已收到初步说明,待提交检验报告")
RESULTS = (
    "供应商提交整改报告及批次检验报告,抽检合格,已恢复供货",
    "已完成培训并签到,抽查两周未再发生同类投诉",
)
PENALTIES = (("0", "口头警告"), ("10", "罚款 10 元"), ("20", "罚款 20 元,书面检讨"),
             ("50", "罚款 50 元,通报批评"))
LIABILITY_WAIVER = "初犯且主动道歉,店长决定免予追究"
OWED_FOR_DAYS = 40  # a quality return is charged on the 10th of the month after its month
ORDER_DAYS = 14


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def work_ledgers(db: Any, seed: int, now: datetime) -> None:
    """Work the demo store's ledgers up to ``now``."""
    rng = random.Random(seed * 7919 + 17)
    clock = _Clock()
    with UnitOfWork(db):
        accounts = {account.username: account for account in account_store.list_accounts()}
        staff = ledger_store.staff_choices()
        compensations = ledger_store.approved_service_compensations()
    people = _People(accounts["dianzhang"], accounts["fudianzhang"], accounts["qiantaijingli"])
    charge_backs = ChargeBackService(db, clock)
    improvements = ImprovementService(db, clock)
    liabilities = LiabilityService(db, clock)
    lines = charge_backs.lines()
    for line in lines:
        _work_charge_back(rng, charge_backs, people, clock, line, now)
    _supplier_orders(rng, improvements, people, clock, lines, now)
    shared = _share_compensations(rng, liabilities, people, clock, compensations, staff, now)
    _department_orders(rng, improvements, people, clock, shared, now)


class _People:
    def __init__(self, boss: Account, deputy: Account, front: Account) -> None:
        self.boss, self.deputy, self.front = boss, deputy, front


def _office(day: date, rng: random.Random, after: datetime | None = None) -> datetime:
    """A moment in office hours on ``day``, or right after ``after`` when that is later."""
    moment = datetime.combine(day, time(rng.randint(9, 16), rng.randrange(60)))
    if after is not None and moment <= after:
        moment = after_in_opening_hours(after, timedelta(minutes=rng.randrange(10, 40)))
    return moment


def _tenth_after(moment: datetime) -> date:
    following = Month.of(moment.date()).shifted(1)
    return date(following.year, following.month, 10)


# --- supplier charge-backs -----------------------------------------------------------------------


def _work_charge_back(rng: random.Random, service: ChargeBackService, people: _People,
                      clock: _Clock, line: LedgerLine, now: datetime) -> None:
    approved = line.approved_at
    roll = rng.random()
    old = (now - approved).days > OWED_FOR_DAYS
    deducted = _tenth_after(approved)
    if old and roll < 0.07:
        clock.now = _office(approved.date() + timedelta(days=rng.randint(1, 5)), rng, approved)
        service.waive(people.boss, line.line_id, rng.choice(WAIVE_REASONS))
        return
    last = approved
    if roll < 0.12 and (old or (now - approved).days > 3):
        cut = (line.amount * AMOUNT_CUT).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        moment = _office(approved.date() + timedelta(days=rng.randint(1, 3)), rng, approved)
        # Less than refunded waives the rest: the store manager's (charge_backs.amount_refusal).
        if Decimal("0") < cut < line.amount and moment < now:
            clock.now = last = moment
            service.change_amount(people.boss, line.line_id, str(cut), AMOUNT_NOTE)
    if old and deducted <= now.date():
        clock.now = _office(deducted, rng, last)
        reference = f"KK{deducted:%Y%m}-{line.supplier_id or 0:03d}"
        service.record_deduction(people.front, line.line_id, reference, clock.now.date())


# --- improvement orders --------------------------------------------------------------------------


def _supplier_orders(rng: random.Random, service: ImprovementService, people: _People,
                     clock: _Clock, lines: Sequence[LedgerLine], now: datetime) -> None:
    for supplier, moment in _second_in_month(
        [(line.supplier, line.approved_at) for line in lines if line.supplier_id is not None]
    ):
        _order(rng, service, people, clock, OrderTarget.SUPPLIER, supplier,
               rng.choice(SUPPLIER_ORDERS), moment, now)


def _department_orders(rng: random.Random, service: ImprovementService, people: _People,
                       clock: _Clock, shared: Sequence[tuple[str, datetime]],
                       now: datetime) -> None:
    for department, moment in _second_in_month(shared):
        _order(rng, service, people, clock, OrderTarget.DEPARTMENT, department,
               DEPARTMENT_ORDER, moment, now)


def _second_in_month(events: Sequence[tuple[str, datetime]]) -> list[tuple[str, datetime]]:
    """(who, when) of each second event of one supplier or department within a month: the
    moment an improvement order is due (003: "责令其立即改善")."""
    counted: dict[tuple[str, str], int] = {}
    found = []
    for who, moment in sorted(events, key=lambda event: event[1]):
        key = (who, f"{moment:%Y-%m}")
        counted[key] = counted.get(key, 0) + 1
        if counted[key] == 2 and who:
            found.append((who, moment))
    return found


def _order(rng: random.Random, service: ImprovementService, people: _People, clock: _Clock,
           target: OrderTarget, name: str, requirement: str, after: datetime,
           now: datetime) -> None:
    """Issued the day after the problem recurred, due a fortnight later; followed up, and
    closed by its due date or (one in eight, and half of the latest) some days late: the latest
    of those are still open, overdue."""
    issued = _office(after.date() + timedelta(days=1), rng)
    if issued >= now:
        return
    clock.now = issued
    due = issued.date() + timedelta(days=ORDER_DAYS)
    order_id = service.issue(people.front, OrderDraft(target, name, requirement, due))
    roll = rng.random()
    follow_up = _office(due - timedelta(days=3), rng, issued)
    if follow_up < now:
        clock.now = follow_up
        if roll < 0.2:
            due += timedelta(days=7)
            service.follow_up(people.deputy, order_id, "对方申请延期一周,已同意", due)
        else:
            service.follow_up(people.front, order_id, rng.choice(FOLLOW_UPS))
    late = roll > 0.88 or (roll > 0.5 and (now.date() - due).days < 20)
    days = rng.randint(3, 12) if late else -rng.randint(0, 2)
    done = _office(due + timedelta(days=days), rng, clock.now)
    if done >= now:
        return  # still running, or overdue and not done yet
    clock.now = done
    service.complete(people.front, order_id, rng.choice(RESULTS), done.date())


# --- staff liability -----------------------------------------------------------------------------


def _share_compensations(
    rng: random.Random, service: LiabilityService, people: _People, clock: _Clock,
    compensations: Sequence[tuple[Any, ...]], staff: Sequence[tuple[int, str, str]],
    now: datetime,
) -> list[tuple[str, datetime]]:
    """Each compensation of a case past step 8 is shared by the cashiers (a till's error) or the
    department's own staff; returns (department, when) of each one shared."""
    cashiers = [staff_id for staff_id, _name, department in staff if department == "收银部"]
    shared: list[tuple[str, datetime]] = []
    for refund_id, category, department, decided_at, step_8_at in compensations:
        if step_8_at is None:
            continue
        own = [staff_id for staff_id, _name, dept in staff if dept == department]
        at_till = category == Category.PRICE_BILLING.value or not own
        pool, where = (cashiers, "收银部") if at_till else (own, str(department))
        if not pool:
            continue
        recorded = after_in_opening_hours(
            max(datetime.fromisoformat(str(step_8_at)), datetime.fromisoformat(str(decided_at))),
            timedelta(minutes=rng.randrange(10, 60)))
        if recorded >= now:
            continue
        clock.now = recorded
        first = rng.choice(pool)
        penalty, note = rng.choice(PENALTIES)
        drafts = [ShareDraft(first, "100", penalty, note)]
        others = [staff_id for staff_id in pool if staff_id != first]
        if others and rng.random() < 0.3:
            drafts = [ShareDraft(first, "70", penalty, note),
                      ShareDraft(rng.choice(others), "30", "", "")]
        line_ids = service.record(people.front, int(refund_id), drafts)
        shared.append((where, recorded))
        _settle(rng, service, people, clock, line_ids, recorded, now)
    return shared


def _settle(rng: random.Random, service: LiabilityService, people: _People, clock: _Clock,
            line_ids: Sequence[int], recorded: datetime, now: datetime) -> None:
    """Deducted from the next month's pay (the 5th), now and then waived instead."""
    following = Month.of(recorded.date()).shifted(1)
    pay_day = date(following.year, following.month, 5)
    if pay_day > now.date():
        return
    waive = rng.random() < 0.1
    clock.now = _office(pay_day, rng, recorded)
    if clock.now >= now:
        return
    for line_id in line_ids:
        if waive:
            service.waive(people.boss, line_id, LIABILITY_WAIVER)
        else:
            service.settle(people.front, line_id, f"{recorded:%Y年%m月}赔偿,{following.label}"
                           "工资扣回", clock.now.date())
