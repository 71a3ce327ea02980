"""Synthetic complaints for the demo database: twelve months of cases in every state.

A small demo (the ``--demo`` desk) is written through ``CaseService`` step by step, so each case
has the same audit trail a real one would. A large one (benchmarks: 100,000 or 1,000,000 cases)
is written in bulk, as an import of old paper registers would be: one registration entry per
case holding its final state, chained exactly like any other entry.

What a store should recognise in it: every complaint about goods names a product of the
catalogue with a defect that fits it (milk turns sour, a kettle stops heating, a shirt comes
apart at the seams); what was paid on the receipt is quantity × unit price plus the rest of the
shopping; some returns carry two or three items of the same supplier; the refund's reason, the
cause found and the solution agree with the complaint's category; the desk works while the
store is open (8:00–22:00), and head office signs a day or two after the request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import refund_policy as policy
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_numbers import format_case_number
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.money import from_fen, to_fen
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
from desktop_app.services import demo_clusters, register
from desktop_app.services.accounts import AccountService
from desktop_app.services.cases import CaseService
from desktop_app.services.refunds import RefundService
from desktop_app.store import cases as store
from desktop_app.store import register as register_store

Progress = Callable[[int, int], None]
Step = rules.Step
Category = rules.Category
Demand = rules.Demand

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ("女士", "先生", "阿姨", "大爷", "小姐")
LEADERS = ("李班长", "王班长", "赵主管", "钱班长", "孙主管")  # when a department names none

# --- opening hours ---------------------------------------------------------------------------

OPENING, CLOSING = time(8, 0), time(22, 0)
# Half an hour before closing is the last complaint the desk takes; busiest late morning and
# after work.
HOUR_WEIGHTS = {8: 3, 9: 5, 10: 8, 11: 8, 12: 6, 13: 5, 14: 6, 15: 7, 16: 8, 17: 8, 18: 7,
                19: 6, 20: 4, 21: 2}


def after_in_opening_hours(start: datetime, delay: timedelta) -> datetime:
    """``start + delay`` counted in opening hours: work left at 22:00 goes on at 8:00."""
    moment = start + delay
    while True:
        closing = datetime.combine(start.date(), CLOSING)
        if moment <= closing:
            return moment
        overflow = moment - closing
        start = datetime.combine(start.date() + timedelta(days=1), OPENING)
        moment = start + overflow


def _reception_moments(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """``count`` reception times over the 365 days before ``now``'s day, in opening hours."""
    hours, weights = zip(*HOUR_WEIGHTS.items(), strict=True)
    first_day = now.date() - timedelta(days=365)
    moments = []
    for _ in range(count):
        day = first_day + timedelta(days=rng.randrange(365))
        hour = rng.choices(hours, weights)[0]
        minute = rng.randrange(30 if hour == 21 else 60)
        moments.append(datetime.combine(day, time(hour, minute, rng.randrange(60))))
    return sorted(moments)


# --- what goes wrong with which product --------------------------------------------------------

DEFECTS_BY_WORD: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("纯牛奶", "优酸乳"), ("喝起来发酸,还没到保质期", "整箱里有两盒胀包", "倒出来有结块")),
    (("酸奶", "真果粒"), ("打开有异味,像是变质了", "包装胀起来了,还在保质期内")),
    (("火腿肠",), ("切开里面发黑", "包装漏气,肠体发黏")),
    (("五花肉", "里脊", "鸡胸"), ("回家打开有异味,不新鲜", "肉发黏,颜色发暗")),
    (("鲫鱼",), ("买回去不到一小时就发臭", "鱼鳃发白,不新鲜")),
    (("鸡蛋",), ("打开好几个是坏蛋", "里面有三个是裂的")),
    (("苹果", "香蕉", "葡萄", "西红柿", "黄瓜"), ("表面好好的,切开里面烂了", "下面一层都压烂了")),
    (("土豆",), ("土豆已经发芽变绿", "里面是空心发黑的")),
    (("面包",), ("还没到保质期就长了霉点", "面包里有一根头发")),
    (("水饺", "汤圆", "粽子"), ("煮出来馅料发酸", "包装里的冰碴很多,像化冻过又冻上")),
    (("牛肉面", "酸菜面"), ("面饼有哈喇味", "调料包是破的")),
    (("红茶", "清茶", "乌龙茶", "天然水", "橙汁"), ("瓶里有白色漂浮物", "瓶盖没拧紧,漏了一半")),
    (("调和油",), ("油有哈喇味", "桶底有很多沉淀")),
    (("大米", "麦芯粉"), ("米里有小虫子", "面粉结块发霉")),
    (("生抽", "蚝油", "黄豆酱", "陈醋"), ("瓶口漏液,袋子全湿了", "打开表面有一层白霉")),
    (("坚果", "碧根果", "夏威夷果", "芒果干"), ("坚果有哈喇味", "包装漏气,全受潮软了")),
    (("洗发水", "沐浴露"), ("用了以后头皮发痒过敏", "按压泵头坏了,按不出来")),
    (("洗衣粉", "洗衣液"), ("瓶身有裂缝,漏了一地", "洗完衣服有白色残留")),
    (("牙膏",), ("牙膏管是破的,漏了", "里面的膏体发干结块")),
    (("纸尿裤", "卫生巾"), ("用了以后皮肤起红疹", "包装里少了好几片")),
    (("抽纸", "卷纸"), ("纸一扯就碎,掉屑严重", "一提里有一包是空的")),
    (("电饭煲", "压力锅"), ("用了两天就不加热了", "内胆涂层起皮脱落", "煮饭时跳闸,有焦味")),
    (("电水壶",), ("烧水时底座冒烟", "用了一周就烧不开水了")),
    (("电风扇",), ("摇头功能失灵,有异响", "一开机就跳闸")),
    (("微波炉", "电磁炉"), ("加热几秒就停,显示故障代码", "面板按键失灵")),
    (("空调",), ("安装后不制冷", "外机噪音很大,还漏水")),
    (("炒锅",), ("用了三次不粘涂层就掉了", "锅柄松动")),
    (("保温杯",), ("不保温,两小时水就凉了", "杯盖漏水")),
    (("菜刀",), ("刀柄松动", "用了几天就生锈")),
    (("中性笔", "复印纸"), ("一盒笔有一半写不出来", "纸张受潮,一打印就卡纸")),
    (("跑步鞋",), ("穿了两天鞋底开胶", "鞋面开线")),
    (("长裤", "T恤", "羊毛衫", "袜"),
     ("洗了一次就开线", "洗后掉色严重,染了别的衣服", "穿一次就起球")),
]
DEFECTS_BY_DEPARTMENT: dict[str, tuple[str, ...]] = {
    "生鲜部": ("不新鲜,有异味",), "食品部": ("包装破损,里面受潮",), "冷冻部": ("解冻后有异味",),
    "日化部": ("包装漏液",), "家电部": ("用了几天就坏了",), "百货部": ("质量太差,一用就坏",),
    "服装部": ("洗了一次就开线",),
}
ANY_DEFECT = ("质量有问题,与描述不符",)
FOOD_DEPARTMENTS = frozenset({"生鲜部", "食品部", "冷冻部"})
WEIGHED_DEPARTMENTS = frozenset({"生鲜部"})
FOOD_SAFETY_ACCOUNTS = (
    "买的{name}已经过了保质期,货架上还在卖", "吃了{name}以后肚子疼,怀疑变质了",
    "{name}里吃出了异物",
)
SERVICE_ACCOUNTS: dict[Category, tuple[str, ...]] = {
    Category.SERVICE_ATTITUDE: (
        "收银员态度生硬,不耐烦", "导购员不理睬顾客询问", "问路时员工说不知道就走开了",
    ),
    Category.FACILITIES: (
        "停车场地面湿滑摔倒", "购物车轮子坏了夹伤手", "卫生间没有纸也没有人管",
    ),
    Category.OTHER: ("存包柜打不开,东西取不出来", "会员积分没有到账", "电子发票开不出来"),
}
STAFF_ACCOUNTS = (
    "收银员{staff}态度生硬,不耐烦", "{staff}结账时把东西扔在台面上", "问{staff}价格,她说自己看",
)


def defect_for(product: dict[str, Any], rng: random.Random) -> str:
    """A complaint that fits the product: by words in its name, else by its department."""
    name = str(product["name"])
    for words, defects in DEFECTS_BY_WORD:
        if any(word in name for word in words):
            return rng.choice(defects)
    return rng.choice(DEFECTS_BY_DEPARTMENT.get(str(product["department_name"]), ANY_DEFECT))


# --- how categories, demands, causes and refunds go together --------------------------------

CATEGORY_WEIGHTS = (30, 8, 14, 20, 8, 6, 14)
DEMANDS_BY_CATEGORY: dict[Category, tuple[tuple[Demand, int], ...]] = {
    Category.PRODUCT_QUALITY: ((Demand.REFUND, 55), (Demand.EXCHANGE, 30), (Demand.REPAIR, 8),
                               (Demand.APOLOGY, 7)),
    Category.FOOD_SAFETY: ((Demand.REFUND, 60), (Demand.COMPENSATION, 25), (Demand.APOLOGY, 15)),
    Category.PRICE_BILLING: ((Demand.COMPENSATION, 70), (Demand.REFUND, 20), (Demand.APOLOGY, 10)),
    Category.WEIGHTS_MEASURES: ((Demand.COMPENSATION, 80), (Demand.APOLOGY, 20)),
    Category.SERVICE_ATTITUDE: ((Demand.APOLOGY, 85), (Demand.OTHER, 15)),
    Category.FACILITIES: ((Demand.APOLOGY, 50), (Demand.REPAIR, 30), (Demand.OTHER, 20)),
    Category.OTHER: ((Demand.OTHER, 60), (Demand.APOLOGY, 40)),
}
CAUSES: dict[Category, tuple[str, ...]] = {
    Category.PRODUCT_QUALITY: ("供应商该批次质量问题", "储存温度不当", "运输途中挤压损坏"),
    Category.FOOD_SAFETY: ("临期商品未及时下架", "冷柜温度异常"),
    Category.PRICE_BILLING: ("促销结束后价签未及时更换", "系统变价未同步到价签"),
    Category.WEIGHTS_MEASURES: ("电子秤未按时校准", "称重时未去皮"),
    Category.SERVICE_ATTITUDE: ("员工服务意识不足", "高峰期人手不足,员工情绪急躁"),
    Category.FACILITIES: ("地面清洁后未放警示牌", "设备老化未及时维修"),
    Category.OTHER: ("系统故障", "操作流程不清楚"),
}
IMPROVEMENTS: dict[Category, str] = {
    Category.PRODUCT_QUALITY: "加强到货验收,同批次商品下架检查",
    Category.FOOD_SAFETY: "每日早晚检查临期商品",
    Category.PRICE_BILLING: "变价当日由部门核对价签",
    Category.WEIGHTS_MEASURES: "每日开店前校准电子秤",
    Category.SERVICE_ATTITUDE: "组织服务礼仪培训",
    Category.FACILITIES: "清洁时放置警示牌,设备每周检查",
    Category.OTHER: "完善操作流程并培训",
}
SOLUTIONS: dict[Demand, str] = {
    Demand.REFUND: "为顾客办理退货退款", Demand.EXCHANGE: "为顾客更换同款新品",
    Demand.COMPENSATION: "按规定给予补偿", Demand.APOLOGY: "当面向顾客致歉",
    Demand.REPAIR: "联系厂家上门维修", Demand.OTHER: "向顾客说明情况并协助处理",
}
SPECIAL_DETAILS: dict[SpecialReason, str] = {
    SpecialReason.NO_RECEIPT: "小票遗失,会员消费记录可查,经前台经理核实",
    SpecialReason.PAST_PERIOD: "超过退换货期限三天,确属质量问题,特批",
    SpecialReason.OPENED_OR_USED: "已拆封使用,使用中发现质量问题,特批退货",
    SpecialReason.EXCEPTION: "顾客为老会员,店长特批",
}
# How far the last month's cases have got (older ones are nearly all finished).
STATUS_TARGETS = (
    (Step.CLOSE, 35), (Step.FOLLOW_UP, 8), (Step.NOTIFY, 12), (Step.CAUSE, 10),
    (Step.CONFIRMATION, 8), (Step.DEPARTMENT, 10), (Step.NATURE, 6), (None, 8), (Step.VOID, 3),
)
RECENT_DAYS = 30
# The newest cases include one refund waiting at each signing level, for the approvals page:
# (lowest, highest) receipt total in fen of each level.
SHOWCASE_PENDING_TIERS = ((1, 5000), (5001, 20000), (20001, 200000), (200001, 10**9))


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
    moments = _reception_moments(rng, count, now)
    for index, received in enumerate(moments):
        yield _plan_at(rng, index, count, received, clerks, catalogue, now)


def _plan_at(
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
    target = forced if showcase else _target(rng, age_days)
    planned.steps = _steps_towards(rng, target, draft, department, catalogue, staff)
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
    planned.steps = _in_opening_hours(received + timedelta(minutes=1), planned.steps)
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


def _target(rng: random.Random, age_days: int) -> Step | None:
    targets, weights = zip(*STATUS_TARGETS, strict=True)
    choice: Step | None
    if age_days > RECENT_DAYS:
        choice = rng.choices([Step.CLOSE, Step.VOID, Step.NATURE], (95, 3, 2))[0]
    else:
        choice = rng.choices(targets, weights)[0]
    return choice


def _steps_towards(
    rng: random.Random, target: Step | None, draft: RegistrationDraft, department: str,
    catalogue: Catalogue, staff: str,
) -> list[tuple[Step, steps.StepAnswer, timedelta]]:
    if target is None:
        return []
    if target is Step.VOID:
        return [(Step.VOID, steps.StepAnswer(text="重复登记,作废"), timedelta(minutes=3))]
    # A complaint that does not stand ends at step 3 (shown in half the NATURE showcases).
    upheld = rng.random() > (0.5 if target is Step.NATURE else 0.08)
    plan = [(Step.NATURE, steps.StepAnswer(upheld=upheld, text="" if upheld else
             _not_upheld(draft.category)), timedelta(minutes=2))]
    if not upheld or target is Step.NATURE:
        return plan
    plan.append((Step.DEPARTMENT, steps.StepAnswer(department_name=department), timedelta(0)))
    if draft.category.needs_department_confirmation and target is not Step.DEPARTMENT:
        plan.append(_confirmation(rng, catalogue.leaders.get(department, [])))
    if target in (Step.DEPARTMENT, Step.CONFIRMATION):
        return plan
    category = draft.category
    texts = {
        Step.CAUSE: "核实属实:" + rng.choice(CAUSES[category]),
        Step.SOLUTION: SOLUTIONS[draft.demand],
        Step.NOTIFY: rng.choice(["电话通知顾客,顾客接受", "顾客在前台等候,当面答复,顾客满意"]),
        Step.RESPONSIBILITY: _responsibility_text(category, staff),
        Step.IMPROVEMENT: IMPROVEMENTS[category],
    }
    order = [Step.CAUSE, Step.SOLUTION, Step.NOTIFY, Step.RESPONSIBILITY, Step.IMPROVEMENT,
             Step.FOLLOW_UP, Step.CLOSE]
    for step in order:
        answer = _answer(rng, step, texts, category, staff)
        plan.append((step, answer, timedelta(minutes=rng.randrange(5, 240))))
        if step is target:
            break
    return plan


def _not_upheld(category: Category) -> str:
    if category in (Category.PRODUCT_QUALITY, Category.FOOD_SAFETY):
        return "经核实属于使用不当,不属于商品质量问题,已向顾客说明"
    return "经核实与事实不符,已向顾客说明"


def _responsibility_text(category: Category, staff: str) -> str:
    if category.needs_department_confirmation:
        return "损失由供应商承担,已通知供应商"
    if staff:
        return f"当班员工{staff}负责,按规定处理"
    return "由责任部门整改,按规定处理责任人"


def _confirmation(
    rng: random.Random, leaders: Sequence[str]
) -> tuple[Step, steps.StepAnswer, timedelta]:
    if rng.random() < 0.8:
        leader = rng.choice(list(leaders) or list(LEADERS))
        return (Step.CONFIRMATION, steps.StepAnswer(leader_name=leader,
                text="班长到场确认属实"), timedelta(minutes=rng.randrange(3, 14)))
    return (Step.CONFIRMATION, steps.StepAnswer(text="部门超时未到,前台按规定处理"),
            timedelta(minutes=rng.randrange(16, 40)))


def _answer(
    rng: random.Random, step: Step, texts: dict[Step, str], category: Category, staff: str
) -> steps.StepAnswer:
    if step is Step.RESPONSIBILITY:
        if category.needs_department_confirmation:
            responsible = "供应商"
        elif staff:
            responsible = f"当班员工 {staff}"
        else:
            responsible = "部门"
        return steps.StepAnswer(responsible=responsible, text=texts[step])
    if step is Step.FOLLOW_UP:
        reached = rng.random() > 0.1
        return steps.StepAnswer(reached=reached, satisfaction=rng.choices(
            [5, 4, 3, 2, 1], (45, 30, 13, 8, 4))[0] if reached else None, text="")
    return steps.StepAnswer(text=texts.get(step, ""))


def _in_opening_hours(
    registered: datetime, planned: list[tuple[Step, steps.StepAnswer, timedelta]]
) -> list[tuple[Step, steps.StepAnswer, timedelta]]:
    """The same steps with their delays stretched over the night, so every step is recorded
    while the store is open (the bulk writer adds the same delays, so it agrees)."""
    moment = registered
    stretched = []
    for step, answer, delay in planned:
        following = after_in_opening_hours(moment, delay)
        stretched.append((step, answer, following - moment))
        moment = following
    return stretched


# --- writing them ----------------------------------------------------------------------------


class SteppingClock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def write_through_service(
    db: Any, plans: Iterator[PlannedCase], total: int, progress: Progress | None
) -> int:
    """Every case registered and worked exactly as at the desk, one transaction per change;
    a refund is asked for once the solution is recorded, and decided before the customer is
    told."""
    clock = SteppingClock()
    service = CaseService(db, clock, lambda: 15)
    accounts = AccountService(db, clock)
    refunds = RefundService(db, clock, accounts)
    signers = sorted(
        (a for a in accounts.list_accounts() if a.role.rank > 0), key=lambda a: a.role.rank
    )
    written = 0
    managers = demo_clusters.WarningDesk(db, clock)
    managers.manager(signers)
    for plan in plans:
        managers.work(plan.draft.received_at, lambda moment: setattr(clock, "now", moment))
        clock.now = plan.draft.received_at + timedelta(minutes=1)
        case_id = service.register(plan.clerk, plan.draft).case_id
        for step, answer, delay in plan.steps:
            # The same moment as planned, unless a refund decision came in between.
            clock.now = after_in_opening_hours(clock.now, delay)
            service.record_step(plan.clerk, case_id, step, answer)
            if plan.refund is not None and step is plan.refund_after:
                _write_refund(refunds, signers, plan, case_id, clock)
        written += 1
        if progress is not None and written % 200 == 0:
            progress(written, total)
    return written


def _write_refund(
    refunds: RefundService, signers: list[Account], plan: PlannedCase, case_id: int,
    clock: SteppingClock,
) -> None:
    """Request, then sign a little later (head office: a day or two later); the clock ends at
    the decision, so the steps after it come later still."""
    assert plan.refund is not None
    rng = random.Random(case_id)
    clock.now = after_in_opening_hours(clock.now, timedelta(minutes=rng.randrange(5, 20)))
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
        signed_on = clock.now.date() + timedelta(days=rng.randint(1, 2))
        clock.now = datetime.combine(signed_on, time(rng.randint(9, 11), rng.randrange(60)))
        sign_off = HeadOfficeSignOff("周国平", f"集团营运签〔{signed_on.year}〕{refund_id:03d}号",
                                     signed_on)
        refunds.record_head_office_as(manager, refund_id, sign_off, approve,
                                      "" if approve else "不符合集团退货规定")
        return
    clock.now = after_in_opening_hours(clock.now, timedelta(minutes=rng.randrange(5, 60)))
    approver = next(
        a for a in signers if policy.may_sign(a.role, level) and a.id != plan.clerk.id
    )
    comment = "同意" if approve else "经核实为人为损坏,不符合退货规定"
    refunds.sign_as(approver, refund_id, approve, comment)


# --- bulk loads: rows built in worker processes, chained and written here --------------------

# Cases per job of a bulk load: each job is planned with its own random generator (seeded from
# the demo's seed and the job's number), so any number of processes builds the same rows.
BULK_JOB = 10_000


@dataclass(frozen=True)
class BulkJob:
    """Everything one worker needs to build the final rows of cases ``start`` onwards."""

    seed: int
    start: int
    count: int
    moments: tuple[datetime, ...]
    sequences: dict[str, int]  # each month's last case number before this job's first case
    clerks: tuple[Account, ...]
    catalogue: Catalogue
    department_ids: dict[str, int]
    now: datetime


BuiltRow = tuple[dict[str, Any], register.Actor]


def bulk_jobs(
    rng: random.Random, count: int, clerks: list[Account], catalogue: Catalogue, now: datetime,
    department_ids: dict[str, int], sequences: dict[str, int],
) -> Iterator[BulkJob]:
    """The jobs of a bulk load of ``count`` cases after ``sequences`` (the months' counters)."""
    moments = _reception_moments(rng, count, now)
    seed = rng.getrandbits(64)
    counters = dict(sequences)
    for start in range(0, count, BULK_JOB):
        chunk = tuple(moments[start:start + BULK_JOB])
        yield BulkJob(seed + start, start, count, chunk, dict(counters), tuple(clerks),
                      catalogue, department_ids, now)
        for moment in chunk:
            month = f"{moment:%Y%m}"
            counters[month] = counters.get(month, 0) + 1


def build_bulk_rows(job: BulkJob) -> list[BuiltRow]:
    """One job's final rows, each with who registered it (runs in a worker process)."""
    rng = random.Random(job.seed)
    products = {p["barcode"]: p for p in job.catalogue.products}
    sequences = dict(job.sequences)
    clerks = list(job.clerks)
    built = []
    for offset, received in enumerate(job.moments):
        plan = _plan_at(rng, job.start + offset, job.count, received, clerks, job.catalogue,
                        job.now)
        try:
            row = _final_row(plan, products, job.department_ids, sequences)
        except (ValidationError, ConflictError) as error:
            # The rules refused a planned case: say which (a plain exception, so it crosses
            # back from a worker process as it is).
            raise BulkPlanError(f"第 {job.start + offset + 1} 个演示案件: {error}") from None
        built.append((row, register.actor_of(plan.clerk)))
    return built


class BulkPlanError(Exception):
    """A planned demo case the registration rules refuse (a fault of the demo's plan)."""


def write_in_bulk(built: list[BuiltRow], batch: int = 5000) -> int:
    """Final rows, each with one registration entry holding its final state, chained like any
    other entry (``register.create_many``); ``batch`` rows per statement. Call inside a unit
    of work."""
    next_id = register_store.max_id("case") + 1
    sequences: dict[str, int] = {}
    for start in range(0, len(built), batch):
        rows, actors = [], []
        for row, actor in built[start:start + batch]:
            row["id"] = next_id
            next_id += 1
            rows.append(row)
            actors.append(actor)
            month = str(row["case_no"])[3:9]
            sequences[month] = max(sequences.get(month, 0), int(str(row["case_no"])[10:]))
        _write_bulk_rows(rows, actors)
    store.set_case_sequences(sequences)
    return len(built)


def _write_bulk_rows(rows: list[dict[str, Any]], actors: list[register.Actor]) -> None:
    if not rows:
        return
    # Every row gives up its paid_fen (the receipt holds it), also those without a receipt:
    # the statement's columns come from the first row.
    paid = [(row["receipt_no"], row.pop("paid_fen")) for row in rows]
    receipts = register.bulk_receipts(
        {key: fen for key, fen in paid if key}, actors[0], rows[0]["updated_at"],
    )
    for row in rows:
        row["receipt_id"] = receipts.get(row["receipt_no"])
    with register_store.replace_guards_lifted("case"):
        register.create_many(
            "case", rows, actors, "register", [row["updated_at"] for row in rows]
        )


# The rules below are pure, and a demo store's answers repeat (a few hundred texts, seven
# statuses): in a bulk load each answer is validated, and each move of a status worked out,
# once — by the same functions a save at the desk calls.
@lru_cache(maxsize=65_536)
def _validated(step: Step, answer: steps.StepAnswer, late: bool) -> dict[str, Any]:
    return steps.validate_answer(step, answer, desk_decides=late)


@lru_cache(maxsize=65_536)
def _status_after(
    status: rules.CaseStatus, step: Step, done: frozenset[Step], upheld: bool, needs: bool
) -> rules.CaseStatus:
    return rules.status_after(status, step, done, upheld=upheld, needs_confirmation=needs)


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
    done: frozenset[Step] = frozenset()  # the steps in ``workflow`` so far
    for step, answer, delay in plan.steps:
        now += delay
        if step is Step.DEPARTMENT:
            department = department_ids[answer.department_name]
            deadline = now + timedelta(minutes=15) if needs else None
        late = steps.desk_decides(deadline, now)
        stored = _validated(step, answer, late)
        status = _status_after(status, step, done, answer.upheld, needs)
        workflow[step.value] = {**stored, "at": canonical(now),
                                "recorded_by": plan.clerk.display_name}
        done = done | {step}
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
