"""Synthetic complaints for the demo database: twelve months of cases in every state.

A small demo (the ``--demo`` desk) is written through ``CaseService`` step by step, so each case
has the same audit trail a real one would. A large one (benchmarks: 100,000 or 1,000,000 cases)
is written in bulk, as an import of old paper registers would be: one registration entry per
case holding its final state, chained exactly like any other entry.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import refund_policy as policy
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_numbers import format_case_number
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.money import to_fen
from desktop_app.domain.receipts import receipt_key
from desktop_app.domain.refunds import (
    HeadOfficeSignOff,
    ItemDraft,
    RefundDraft,
    RefundKind,
    SpecialReason,
)
from desktop_app.domain.register import canonical
from desktop_app.domain.registration import RegistrationDraft, validate_registration
from desktop_app.services import register
from desktop_app.services.accounts import AccountService
from desktop_app.services.cases import CaseService
from desktop_app.services.refunds import RefundService
from desktop_app.store import cases as store
from desktop_app.store import register as register_store

Progress = Callable[[int, int], None]
Step = rules.Step

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ("女士", "先生", "阿姨", "大爷", "小姐")
LEADERS = ("李班长", "王班长", "赵主管", "钱班长", "孙主管")
ACCOUNTS: dict[rules.Category, list[str]] = {
    rules.Category.PRODUCT_QUALITY: [
        "买回家打开发现已经变质,有异味", "包装内有异物", "刚买的电器用了两天就坏了",
        "衣服洗了一次就开线", "商品与包装描述不符",
    ],
    rules.Category.FOOD_SAFETY: ["保质期已过仍在销售", "吃了以后肚子不舒服,怀疑不新鲜"],
    rules.Category.SERVICE_ATTITUDE: ["收银员态度生硬,不耐烦", "导购员不理睬顾客询问"],
    rules.Category.PRICE_BILLING: ["标价与收银价格不一致", "促销没有按活动价结算", "多扫了一件"],
    rules.Category.WEIGHTS_MEASURES: ["称重与实际重量不符,少了二两", "散装称重含包装重量"],
    rules.Category.FACILITIES: ["停车场地面湿滑摔倒", "购物车轮子坏了夹伤手"],
    rules.Category.OTHER: ["存包柜打不开", "会员积分没有到账"],
}
CATEGORY_WEIGHTS = (30, 8, 14, 20, 8, 6, 14)
DEMANDS = list(rules.Demand)
# How far the last month's cases have got (older ones are nearly all finished).
STATUS_TARGETS = (
    (Step.CLOSE, 35), (Step.FOLLOW_UP, 8), (Step.NOTIFY, 12), (Step.CAUSE, 10),
    (Step.CONFIRMATION, 8), (Step.DEPARTMENT, 10), (Step.NATURE, 6), (None, 8), (Step.VOID, 3),
)
RECENT_DAYS = 30


@dataclass
class PlannedCase:
    draft: RegistrationDraft
    clerk: Account
    steps: list[tuple[Step, steps.StepAnswer, timedelta]] = field(default_factory=list)
    refund: PlannedRefund | None = None


@dataclass(frozen=True)
class PlannedRefund:
    draft: RefundDraft
    outcome: str  # "approve", "reject" or "pending"


@dataclass(frozen=True)
class Catalogue:
    products: list[dict[str, Any]]
    departments: list[str]


def plan_cases(
    rng: random.Random, count: int, clerks: list[Account], catalogue: Catalogue, now: datetime
) -> Iterator[PlannedCase]:
    """``count`` cases spread over the twelve months before ``now``, oldest first."""
    start = now - timedelta(days=365)
    span = int((now - start).total_seconds()) - 3600
    moments = sorted(rng.randrange(span) for _ in range(count))
    # The newest few cases run through every target in turn, so even a small demo shows
    # a case in each state (a quality case is needed to wait for its department).
    showcase_from = count - 2 * len(STATUS_TARGETS)
    pending_tiers = itertools.cycle(SHOWCASE_PENDING_AMOUNTS)
    for index, offset in enumerate(moments):
        received = (start + timedelta(seconds=offset)).replace(microsecond=0)
        showcase = index >= showcase_from
        forced = STATUS_TARGETS[index % len(STATUS_TARGETS)][0] if showcase else None
        plan = _plan_one(rng, received, rng.choice(clerks), catalogue, now, forced, showcase)
        if showcase and plan.refund is None and _worked_past_cause(plan):
            plan.refund = _pending_refund(plan, next(pending_tiers))
        yield plan


# One refund waiting at each signing level in the showcase, for the approvals page.
SHOWCASE_PENDING_AMOUNTS = (Decimal("2600.00"), Decimal("880.00"), Decimal("150.00"),
                            Decimal("35.00"))


def _worked_past_cause(plan: PlannedCase) -> bool:
    done = {step for step, _, _ in plan.steps}
    return Step.CAUSE in done and Step.VOID not in done and bool(plan.draft.product_name)


def _pending_refund(plan: PlannedCase, amount: Decimal) -> PlannedRefund:
    text = f"{amount:.2f}"
    # Compensation, so the showcase amount is not capped by what this receipt paid.
    draft = RefundDraft(
        kind=RefundKind.COMPENSATION, amount=text, reason="商品质量问题,赔偿顾客损失",
        items=(ItemDraft(plan.draft.product_name, plan.draft.product_barcode, "1", text),),
        receipt_no=plan.draft.receipt_no or f"D{plan.draft.received_at:%Y%m%d%H%M%S}",
        receipt_paid="" if plan.draft.receipt_no else text,
    )
    return PlannedRefund(draft=draft, outcome="pending")


def _plan_one(
    rng: random.Random,
    received: datetime,
    clerk: Account,
    catalogue: Catalogue,
    now: datetime,
    forced: Step | None = None,
    showcase: bool = False,
) -> PlannedCase:
    category = rng.choices(list(rules.Category), CATEGORY_WEIGHTS)[0]
    if showcase:
        category = rules.Category.PRODUCT_QUALITY
    product = rng.choice(catalogue.products)
    is_product = category in (
        rules.Category.PRODUCT_QUALITY, rules.Category.FOOD_SAFETY,
        rules.Category.PRICE_BILLING, rules.Category.WEIGHTS_MEASURES,
    )
    age_days = (now - received).days
    has_receipt = rng.random() < 0.85
    draft = RegistrationDraft(
        received_at=received,
        channel=rng.choices(list(rules.Channel), (70, 18, 4, 3, 4, 1))[0],
        customer_name=rng.choice(SURNAMES) + rng.choice(TITLES),
        customer_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        subject=rules.Subject.PRODUCT if is_product else rules.Subject.SERVICE,
        product_barcode=product["barcode"] if is_product else "",
        product_name=product["name"] if is_product else "",
        department_name="" if is_product else rng.choice(catalogue.departments),
        supplier_name="",
        staff_name="" if is_product or rng.random() < 0.5 else rng.choice(SURNAMES) + "某",
        receipt_no=f"{received:%Y%m%d}{rng.randrange(1, 99):02d}{rng.randrange(10**4):04d}"
        if has_receipt else "",
        purchase_date=f"{(received - timedelta(days=rng.randrange(0, 6))):%Y-%m-%d}",
        amount_paid=f"{product['price_fen'] * rng.randint(1, 3) / 100:.2f}" if is_product else "",
        account=rng.choice(ACCOUNTS[category]),
        demand=rng.choice(DEMANDS),
        category=category,
        kind=rng.choices(list(rules.Kind), (85, 10, 5))[0],
        is_major=rng.random() < 0.02,
        promised_reply_date=(
            f"{received + timedelta(days=rng.randrange(1, 4)):%Y-%m-%d}"
            if rng.random() < 0.3 else ""
        ),
    )
    planned = PlannedCase(draft=draft, clerk=clerk)
    target = forced if showcase else _target(rng, age_days)
    department = draft.department_name or (
        product["department_name"] if is_product else rng.choice(catalogue.departments)
    )
    planned.steps = _steps_towards(rng, target, draft, department)
    done = {step for step, _, _ in planned.steps}
    wants_money = draft.demand in (rules.Demand.REFUND, rules.Demand.EXCHANGE,
                                   rules.Demand.COMPENSATION)
    upheld = all(answer.upheld for step, answer, _ in planned.steps if step is Step.NATURE)
    if wants_money and upheld and Step.CAUSE in done and is_product and Step.VOID not in done:
        planned.refund = _plan_refund(rng, draft, product, age_days)
    return planned


def _plan_refund(
    rng: random.Random, draft: RegistrationDraft, product: dict[str, Any], age_days: int
) -> PlannedRefund:
    """Amounts across all four tiers; a few special cases; quality returns name the supplier."""
    paid = Decimal(draft.amount_paid or "0")
    kind = {rules.Demand.EXCHANGE: RefundKind.EXCHANGE,
            rules.Demand.COMPENSATION: RefundKind.COMPENSATION}.get(draft.demand, RefundKind.RETURN)
    amount = paid if paid > 0 else Decimal("10.00")
    if kind is RefundKind.COMPENSATION:
        amount = rng.choice([Decimal("20.00"), Decimal("100.00"), Decimal("500.00"),
                             Decimal("2500.00") if rng.random() < 0.2 else Decimal("300.00")])
    special = rng.random() < 0.12
    reason = rng.choice(list(SpecialReason)[1:]) if special else SpecialReason.NONE
    quality = draft.category.needs_department_confirmation
    no_receipt = reason is SpecialReason.NO_RECEIPT
    refund = RefundDraft(
        kind=kind, amount=f"{amount:.2f}",
        reason=rng.choice(["商品质量问题", "顾客不满意,协商退货", "价格差错补偿", "计量不足补偿"]),
        items=(ItemDraft(product["name"], product["barcode"], "1", f"{amount:.2f}",
                         draft.account if quality else ""),),
        is_quality=quality, supplier_name=product["supplier_name"] if quality else "",
        is_special=special, special_reason=reason,
        special_detail="经前台经理核实,特批处理" if special else "",
        receipt_no="" if no_receipt else draft.receipt_no,
        # The case registered what was paid on its receipt; the request only cites it.
        receipt_paid="",
    )
    outcome = "pending" if age_days <= 3 else rng.choices(["approve", "reject"], (9, 1))[0]
    return PlannedRefund(draft=refund, outcome=outcome)


def _target(rng: random.Random, age_days: int) -> Step | None:
    targets, weights = zip(*STATUS_TARGETS, strict=True)
    choice: Step | None
    if age_days > RECENT_DAYS:
        choice = rng.choices([Step.CLOSE, Step.VOID, Step.NATURE], (95, 3, 2))[0]
    else:
        choice = rng.choices(targets, weights)[0]
    return choice


def _steps_towards(
    rng: random.Random, target: Step | None, draft: RegistrationDraft, department: str
) -> list[tuple[Step, steps.StepAnswer, timedelta]]:
    if target is None:
        return []
    if target is Step.VOID:
        return [(Step.VOID, steps.StepAnswer(text="重复登记,作废"), timedelta(minutes=3))]
    # A complaint that does not stand ends at step 3 (shown in half the NATURE showcases).
    upheld = rng.random() > (0.5 if target is Step.NATURE else 0.08)
    plan = [(Step.NATURE, steps.StepAnswer(upheld=upheld, text="" if upheld else
             "经核实不属于商品质量问题,已向顾客说明"), timedelta(minutes=2))]
    if not upheld or target is Step.NATURE:
        return plan
    plan.append((Step.DEPARTMENT, steps.StepAnswer(department_name=department), timedelta(0)))
    if draft.category.needs_department_confirmation and target is not Step.DEPARTMENT:
        plan.append(_confirmation(rng))
    order = [Step.CAUSE, Step.SOLUTION, Step.NOTIFY, Step.RESPONSIBILITY, Step.IMPROVEMENT,
             Step.FOLLOW_UP, Step.CLOSE]
    texts = {
        Step.CAUSE: "核实属实:"
        + rng.choice(["储存温度不当", "员工操作失误", "价签未及时更换", "供应商批次问题"]),
        Step.SOLUTION: rng.choice(["退货退款", "换货", "赔偿并致歉", "按规定补偿差价"]),
        Step.NOTIFY: "电话通知顾客,顾客接受",
        Step.RESPONSIBILITY: "按规定处理责任人",
        Step.IMPROVEMENT: rng.choice(["加强巡检", "组织员工培训", "调整陈列与温控"]),
    }
    if target in (Step.DEPARTMENT, Step.CONFIRMATION):
        return plan
    for step in order:
        answer = _answer(rng, step, texts)
        plan.append((step, answer, timedelta(minutes=rng.randrange(5, 240))))
        if step is target:
            break
    return plan


def _confirmation(rng: random.Random) -> tuple[Step, steps.StepAnswer, timedelta]:
    if rng.random() < 0.8:
        return (Step.CONFIRMATION, steps.StepAnswer(leader_name=rng.choice(LEADERS),
                text="班长到场确认属实"), timedelta(minutes=rng.randrange(3, 14)))
    return (Step.CONFIRMATION, steps.StepAnswer(text="部门超时未到,前台按规定处理"),
            timedelta(minutes=rng.randrange(16, 40)))


def _answer(rng: random.Random, step: Step, texts: dict[Step, str]) -> steps.StepAnswer:
    if step is Step.RESPONSIBILITY:
        return steps.StepAnswer(responsible=rng.choice(["供应商", "当班员工", "部门"]),
                                text=texts[step])
    if step is Step.FOLLOW_UP:
        reached = rng.random() > 0.1
        return steps.StepAnswer(reached=reached, satisfaction=rng.choices(
            [5, 4, 3, 2, 1], (45, 30, 13, 8, 4))[0] if reached else None, text="")
    return steps.StepAnswer(text=texts.get(step, ""))


# --- writing them ----------------------------------------------------------------------------


class SteppingClock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def write_through_service(
    db: Any, plans: Iterator[PlannedCase], total: int, progress: Progress | None
) -> int:
    """Every case registered and worked exactly as at the desk, one transaction per change.
    A refund is requested once the case allows it (after the department's confirmation, before
    the customer is told) and decided before the case goes on."""
    clock = SteppingClock()
    service = CaseService(db, clock, lambda: 15)
    accounts = AccountService(db, clock)
    refunds = RefundService(db, clock, accounts)
    signers = sorted(
        (a for a in accounts.list_accounts() if a.role.rank > 0), key=lambda a: a.role.rank
    )
    written = 0
    for plan in plans:
        clock.now = plan.draft.received_at + timedelta(minutes=1)
        case_id = service.register(plan.clerk, plan.draft).case_id
        _work_case(service, refunds, signers, plan, case_id, clock)
        written += 1
        if progress is not None and written % 200 == 0:
            progress(written, total)
    return written


# The steps before which the refund is asked for: from here on the customer hears the outcome.
_AFTER_REFUND = frozenset({Step.SOLUTION, Step.NOTIFY, Step.RESPONSIBILITY, Step.IMPROVEMENT,
                           Step.FOLLOW_UP, Step.CLOSE})


def _work_case(
    service: CaseService,
    refunds: RefundService,
    signers: list[Account],
    plan: PlannedCase,
    case_id: int,
    clock: SteppingClock,
) -> None:
    """Record the planned steps with the refund in its place."""
    refund_done = plan.refund is None
    for step, answer, delay in plan.steps:
        if not refund_done and step in _AFTER_REFUND:
            clock.now += timedelta(minutes=10)
            _write_refund(refunds, signers, plan, case_id, clock)
            refund_done = True
        clock.now += delay
        try:
            service.record_step(plan.clerk, case_id, step, answer)
        except ConflictError:
            break  # e.g. the customer cannot be told while the refund waits
    if not refund_done:
        clock.now += timedelta(minutes=10)
        _write_refund(refunds, signers, plan, case_id, clock)


def _write_refund(
    refunds: RefundService,
    signers: list[Account],
    plan: PlannedCase,
    case_id: int,
    clock: SteppingClock,
) -> None:
    assert plan.refund is not None
    try:
        refund_id = refunds.request(plan.clerk, case_id, plan.refund.draft)
    except (ValidationError, ConflictError):
        return  # e.g. more than was paid on a receipt shared with an earlier demo case
    if plan.refund.outcome == "pending":
        return
    clock.now += timedelta(minutes=20)
    level = refunds.approval_context(refund_id).level
    approve = plan.refund.outcome == "approve"
    if level is policy.ApprovalLevel.HEAD_OFFICE:
        manager = next(a for a in signers if policy.may_record_head_office_sign_off(a.role))
        sign_off = HeadOfficeSignOff("周国平", f"集团营运签〔2026〕{refund_id:03d}号",
                                     clock.now.date())
        refunds.record_head_office_as(manager, refund_id, sign_off, approve,
                                      "" if approve else "不符合集团退货规定")
        return
    approver = next(
        a for a in signers if policy.may_sign(a.role, level) and a.id != plan.clerk.id
    )
    refunds.sign_as(approver, refund_id, approve, "同意" if approve else "不符合退货规定")


def write_in_bulk(
    plans: Iterable[PlannedCase], catalogue: Catalogue, department_ids: dict[str, int],
    sequences: dict[str, int], batch: int = 5000,
) -> int:
    """Final rows, each with one registration entry holding its final state, chained like any
    other entry; ``batch`` rows per statement. Call inside a unit of work; ``sequences``
    carries the case numbers between calls."""
    products = {p["barcode"]: p for p in catalogue.products}
    next_id = register_store.max_id("case") + 1
    rows: list[dict[str, Any]] = []
    actors: list[register.Actor] = []
    written = 0
    for plan in plans:
        row = _final_row(plan, products, department_ids, sequences)
        row["id"] = next_id
        rows.append(row)
        actors.append(register.actor_of(plan.clerk))
        next_id += 1
        written += 1
        if len(rows) >= batch:
            _write_bulk_rows(rows, actors)
            rows, actors = [], []
    _write_bulk_rows(rows, actors)
    store.set_case_sequences(sequences)
    return written


def _write_bulk_rows(rows: list[dict[str, Any]], actors: list[register.Actor]) -> None:
    if not rows:
        return
    receipts = register.bulk_receipts(
        {row["receipt_no"]: row.pop("paid_fen") for row in rows if row["receipt_no"]},
        actors[0], rows[0]["updated_at"],
    )
    for row in rows:
        row["receipt_id"] = receipts.get(row["receipt_no"])
    register.create_many("case", rows, actors, "register", [row["updated_at"] for row in rows])


def _final_row(
    plan: PlannedCase, products: dict[str, dict[str, Any]], department_ids: dict[str, int],
    sequences: dict[str, int],
) -> dict[str, Any]:
    new = validate_registration(plan.draft, plan.draft.received_at + timedelta(minutes=1))
    product = products.get(new.product_barcode)
    month = f"{new.received_at:%Y%m}"
    sequences[month] = sequences.get(month, 0) + 1
    now = new.received_at + timedelta(minutes=1)
    status = rules.CaseStatus.REGISTERED
    workflow: dict[str, Any] = {}
    deadline = None
    first_response = closed = None
    department = department_ids.get(new.department_name) if new.department_name else None
    needs = new.category.needs_department_confirmation
    for step, answer, delay in plan.steps:
        now += delay
        if step is Step.DEPARTMENT:
            department = department_ids[answer.department_name]
            deadline = now + timedelta(minutes=15) if needs else None
        late = steps.desk_decides(deadline, now)
        stored = steps.validate_answer(step, answer, desk_decides=late)
        status = rules.status_after(status, step, frozenset(workflow_steps(workflow)),
                                    upheld=answer.upheld, needs_confirmation=needs)
        workflow[step.value] = {**stored, "at": canonical(now),
                                "recorded_by": plan.clerk.display_name}
        if step is Step.NOTIFY or status is rules.CaseStatus.NOT_UPHELD:
            first_response = first_response or now
        if not rules.is_open(status):
            closed = now
    return {
        "case_no": format_case_number(new.received_at.year, new.received_at.month,
                                      sequences[month]),
        "received_at": new.received_at, "channel": new.channel.value,
        "clerk_id": plan.clerk.id, "customer_name": new.customer_name,
        "customer_phone": new.customer_phone, "subject": new.subject.value,
        "product_id": product["id"] if product else None,
        "product_barcode": new.product_barcode, "product_name": new.product_name,
        "department_id": department if department else (
            product["department_id"] if product else None),
        "supplier_id": product["supplier_id"] if product else None,
        "staff_name": new.staff_name, "receipt_no": receipt_key(new.receipt_no),
        "purchase_date": new.purchase_date,
        "paid_fen": None if new.amount_paid is None else to_fen(new.amount_paid),
        "personal_salt": register.new_salt(),
        "account": new.account, "demand": new.demand.value, "category": new.category.value,
        "kind": new.kind.value, "is_major": new.is_major,
        "promised_reply_date": new.promised_reply_date, "status": status.value,
        "needs_confirmation": needs, "confirmation_deadline": deadline,
        "workflow": workflow,
        "first_response_at": first_response, "closed_at": closed,
        "major_acknowledged_at": None, "major_acknowledged_by_id": None, "updated_at": now,
    }


def workflow_steps(workflow: dict[str, Any]) -> set[Step]:
    return set(steps.done_steps(workflow))
