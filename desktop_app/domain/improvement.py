"""Improvement orders (责令改善): 003 "相应部门应责令其立即改善", step 9 of the procedure.

An order goes to a supplier or a department, says what must be improved and by when, and is
followed up until it is done: each follow-up is a dated note (and may move the due date, with
the note saying why); the order is closed with what was done and the day it was checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.errors import ConflictError
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.text import checked_length, clean_block, clean_line, raise_if_any

MAX_TEXT = 500
# An open order whose due date is this close is shown as coming due.
SOON_DAYS = 3


class OrderTarget(LabelledEnum):
    SUPPLIER = ("supplier", "供应商")
    DEPARTMENT = ("department", "部门")


class OrderStatus(LabelledEnum):
    OPEN = ("open", "整改中")
    DONE = ("done", "已完成")


class FollowUpState(LabelledEnum):
    """Where an order stands on a given day: what the follow-up list sorts and colours by."""

    OVERDUE = ("overdue", "已逾期")
    DUE_TODAY = ("due_today", "今天到期")
    DUE_SOON = ("due_soon", "即将到期")
    OPEN = ("open", "整改中")
    DONE = ("done", "已完成")


def follow_up_state(status: OrderStatus, due_on: date, today: date) -> FollowUpState:
    """Open past the due date: overdue (the day after it); on it: due today; within
    ``SOON_DAYS``: due soon."""
    if status is OrderStatus.DONE:
        return FollowUpState.DONE
    if today > due_on:
        return FollowUpState.OVERDUE
    if today == due_on:
        return FollowUpState.DUE_TODAY
    if due_on - today <= timedelta(days=SOON_DAYS):
        return FollowUpState.DUE_SOON
    return FollowUpState.OPEN


def may_manage(role: Role) -> bool:
    return role in MANAGER_ROLES


REFUSED = "只有前台经理及以上可以下达和跟进整改通知"


@dataclass(frozen=True)
class OrderDraft:
    target: OrderTarget
    target_name: str
    requirement: str
    due_on: date | None
    case_no: str = ""


@dataclass(frozen=True)
class NewOrder:
    target: OrderTarget
    target_name: str
    requirement: str
    due_on: date
    case_no: str


def validate_order(draft: OrderDraft, today: date) -> NewOrder:
    errors: dict[str, str] = {}
    name = clean_line(draft.target_name)
    if not name:
        errors["target_name"] = f"请选择整改的{draft.target.label}"
    requirement = checked_length(clean_block(draft.requirement), "requirement", "整改要求",
                                 MAX_TEXT, errors)
    if not requirement:
        errors["requirement"] = "请写明整改要求"
    if draft.due_on is None:
        errors["due_on"] = "请填写整改期限"
    elif draft.due_on < today:
        errors["due_on"] = "整改期限不能早于今天"
    raise_if_any(errors)
    assert draft.due_on is not None
    return NewOrder(draft.target, name, requirement, draft.due_on,
                    clean_line(draft.case_no).upper())


@dataclass(frozen=True)
class FollowUp:
    note: str
    new_due_on: date | None


def validate_follow_up(
    status: OrderStatus, note: str, new_due_on: date | None, due_on: date, today: date
) -> FollowUp:
    """A dated note on an open order; a new due date (an extension) must be later than the
    current one and not in the past, and the note says why."""
    if status is OrderStatus.DONE:
        raise ConflictError("整改已完成,不能再跟进")
    errors: dict[str, str] = {}
    text = checked_length(clean_block(note), "note", "跟进情况", MAX_TEXT, errors)
    if not text:
        errors["note"] = "请写明跟进情况"
    if new_due_on is not None:
        if new_due_on <= due_on:
            errors["new_due_on"] = f"新期限应晚于原期限 {due_on:%Y-%m-%d}"
        elif new_due_on < today:
            errors["new_due_on"] = "新期限不能早于今天"
    raise_if_any(errors)
    return FollowUp(text, new_due_on)


@dataclass(frozen=True)
class Completion:
    result: str
    done_on: date


def validate_completion(
    status: OrderStatus, result: str, done_on: date | None, issued_on: date, today: date
) -> Completion:
    """Closing an order: what was done and the day it was checked (between issue and today)."""
    if status is OrderStatus.DONE:
        raise ConflictError("整改已完成")
    errors: dict[str, str] = {}
    text = checked_length(clean_block(result), "result", "整改结果", MAX_TEXT, errors)
    if not text:
        errors["result"] = "请写明整改结果(做了什么、如何验证)"
    if done_on is None:
        errors["done_on"] = "请填写验收日期"
    elif done_on > today:
        errors["done_on"] = "验收日期不能晚于今天"
    elif done_on < issued_on:
        errors["done_on"] = f"验收日期不能早于下达日期 {issued_on:%Y-%m-%d}"
    raise_if_any(errors)
    assert done_on is not None
    return Completion(text, done_on)
