"""What a case records and how it moves through the ten steps of the desk's procedure.

Steps 1 (soothe) and 2 (record) are the registration itself. The remaining steps are recorded
on the case screen; each one is allowed only from certain statuses, and some move the case on.
The tables here are the single source of what the case screen offers.
"""

from __future__ import annotations

import enum
from typing import Self

from desktop_app.domain.errors import ConflictError


class LabelledEnum(enum.Enum):
    """An enum whose members carry their Chinese label as the second tuple item."""

    _label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def of(cls, value: str) -> Self:
        """The member stored as ``value``; ``ValueError`` for an unknown value."""
        for member in cls:
            if member.value == value:
                return member
        raise ValueError(f"{cls.__name__}: {value!r}")


class Channel(LabelledEnum):
    AT_DESK = ("at_desk", "前台当面")
    PHONE = ("phone", "电话")
    HOTLINE = ("hotline", "消费者热线转来")
    LETTER = ("letter", "信函/意见箱")
    ONLINE = ("online", "网络/微信")
    OTHER = ("other", "其他")


class Subject(LabelledEnum):
    PRODUCT = ("product", "商品")
    SERVICE = ("service", "服务")
    OTHER = ("other", "其他")


class Demand(LabelledEnum):
    REFUND = ("refund", "退货退款")
    EXCHANGE = ("exchange", "换货")
    COMPENSATION = ("compensation", "赔偿")
    APOLOGY = ("apology", "道歉")
    REPAIR = ("repair", "维修")
    OTHER = ("other", "其他")


class Category(LabelledEnum):
    PRODUCT_QUALITY = ("product_quality", "商品质量")
    FOOD_SAFETY = ("food_safety", "食品安全")
    SERVICE_ATTITUDE = ("service_attitude", "服务态度")
    PRICE_BILLING = ("price_billing", "价格/收银")
    WEIGHTS_MEASURES = ("weights_measures", "计量")
    FACILITIES = ("facilities", "设施环境")
    OTHER = ("other", "其他")

    @property
    def needs_department_confirmation(self) -> bool:
        """Quality problems need the department's team leader to confirm at the desk."""
        return self in (Category.PRODUCT_QUALITY, Category.FOOD_SAFETY)


def usual_choices(subject: Subject) -> tuple[Category, Demand]:
    """The category and demand a complaint about ``subject`` usually has: the form's starting
    values (found: a service complaint kept the product's 商品质量 / 退货退款 and was saved
    as a quality problem, sending the department to confirm one)."""
    if subject is Subject.SERVICE:
        return Category.SERVICE_ATTITUDE, Demand.APOLOGY
    if subject is Subject.OTHER:
        return Category.OTHER, Demand.OTHER
    return Category.PRODUCT_QUALITY, Demand.REFUND


class Kind(LabelledEnum):
    COMPLAINT = ("complaint", "投诉")
    OPINION = ("opinion", "意见")
    SUGGESTION = ("suggestion", "建议")


class CaseStatus(LabelledEnum):
    REGISTERED = ("registered", "已登记")
    ACCEPTED = ("accepted", "已受理")
    AWAITING_CONFIRMATION = ("awaiting_confirmation", "待部门确认")
    IN_PROGRESS = ("in_progress", "处理中")
    CUSTOMER_NOTIFIED = ("customer_notified", "已通知顾客")
    FOLLOWED_UP = ("followed_up", "已回访")
    CLOSED = ("closed", "已结案")
    NOT_UPHELD = ("not_upheld", "不成立已答复")
    VOIDED = ("voided", "已作废")


NO_SUCH_CASE = "没有这个案件"
CLOSED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.NOT_UPHELD, CaseStatus.VOIDED})


def is_open(status: CaseStatus) -> bool:
    return status not in CLOSED_STATUSES


class Step(LabelledEnum):
    NATURE = ("nature", "3 判断性质与是否成立")
    DEPARTMENT = ("department", "4 确定责任部门")
    CONFIRMATION = ("confirmation", "部门确认")
    CAUSE = ("cause", "5 查明原因")
    SOLUTION = ("solution", "6 提出解决办法")
    NOTIFY = ("notify", "7 通知顾客")
    RESPONSIBILITY = ("responsibility", "8 责任与处罚")
    IMPROVEMENT = ("improvement", "9 改进措施")
    FOLLOW_UP = ("follow_up", "10 回访与满意度")
    CLOSE = ("close", "结案")
    VOID = ("void", "作废")


_WORKING = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CUSTOMER_NOTIFIED, CaseStatus.FOLLOWED_UP})

# From which statuses each step may be recorded.
STEP_ALLOWED_FROM: dict[Step, frozenset[CaseStatus]] = {
    Step.NATURE: frozenset({CaseStatus.REGISTERED}),
    Step.DEPARTMENT: frozenset({CaseStatus.ACCEPTED}),
    Step.CONFIRMATION: frozenset({CaseStatus.AWAITING_CONFIRMATION}),
    Step.CAUSE: frozenset({CaseStatus.IN_PROGRESS}),
    Step.SOLUTION: frozenset({CaseStatus.IN_PROGRESS}),
    Step.NOTIFY: frozenset({CaseStatus.IN_PROGRESS}),
    Step.RESPONSIBILITY: _WORKING,
    Step.IMPROVEMENT: _WORKING,
    Step.FOLLOW_UP: frozenset({CaseStatus.CUSTOMER_NOTIFIED}),
    Step.CLOSE: frozenset({CaseStatus.FOLLOWED_UP}),
    Step.VOID: frozenset(set(CaseStatus) - {CaseStatus.VOIDED}),
}

# Steps that must already be on record before a step may be recorded.
STEP_REQUIRES: dict[Step, tuple[Step, ...]] = {
    Step.SOLUTION: (Step.CAUSE,),
    Step.NOTIFY: (Step.CAUSE, Step.SOLUTION),
}


def allowed_steps(status: CaseStatus, done: frozenset[Step]) -> list[Step]:
    """The steps the case screen offers now, in procedure order."""
    return [
        step
        for step in Step
        if status in STEP_ALLOWED_FROM[step]
        and all(required in done for required in STEP_REQUIRES.get(step, ()))
    ]


def status_after(
    status: CaseStatus,
    step: Step,
    done: frozenset[Step],
    *,
    upheld: bool = True,
    needs_confirmation: bool = False,
) -> CaseStatus:
    """The status a case moves to when ``step`` is recorded; refuses a step not allowed now."""
    if step not in allowed_steps(status, done):
        raise ConflictError(refusal(status, step, done))
    if step is Step.NATURE:
        return CaseStatus.ACCEPTED if upheld else CaseStatus.NOT_UPHELD
    if step is Step.DEPARTMENT:
        return CaseStatus.AWAITING_CONFIRMATION if needs_confirmation else CaseStatus.IN_PROGRESS
    return _MOVES_TO.get(step, status)


_MOVES_TO: dict[Step, CaseStatus] = {
    Step.CONFIRMATION: CaseStatus.IN_PROGRESS,
    Step.NOTIFY: CaseStatus.CUSTOMER_NOTIFIED,
    Step.FOLLOW_UP: CaseStatus.FOLLOWED_UP,
    Step.CLOSE: CaseStatus.CLOSED,
    Step.VOID: CaseStatus.VOIDED,
}


def refusal(status: CaseStatus, step: Step, done: frozenset[Step]) -> str:
    """Why ``step`` cannot be recorded now, in Chinese."""
    if status is CaseStatus.VOIDED:
        return "案件已作废,不能再处理"
    if not is_open(status) and step is not Step.VOID:
        return f"案件{status.label},不能再记录「{step.label}」"
    missing = [required.label for required in STEP_REQUIRES.get(step, ()) if required not in done]
    if status in STEP_ALLOWED_FROM[step] and missing:
        return f"请先记录:{'、'.join(missing)}"
    return f"案件目前{status.label},不能记录「{step.label}」"


def transitions() -> dict[CaseStatus, frozenset[CaseStatus]]:
    """Every status change some step can make (for display and for tests)."""
    table: dict[CaseStatus, set[CaseStatus]] = {status: set() for status in CaseStatus}
    everything = frozenset(Step)
    for status in CaseStatus:
        for step in allowed_steps(status, everything):
            for upheld in (True, False):
                for confirm in (True, False):
                    after = status_after(
                        status, step, everything, upheld=upheld, needs_confirmation=confirm
                    )
                    if after is not status:
                        table[status].add(after)
    return {status: frozenset(targets) for status, targets in table.items()}


def check_transition(old: CaseStatus, new: CaseStatus) -> None:
    if new is not old and new not in transitions()[old]:
        raise ConflictError(f"案件不能从「{old.label}」变为「{new.label}」")
