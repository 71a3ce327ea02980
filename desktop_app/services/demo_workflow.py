"""When the demo's cases come in and how far each is worked: opening hours, the state each case
is taken to, and the steps (with their answers and delays) that take it there."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from desktop_app.domain import cases as rules
from desktop_app.domain import workflow as steps
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.services.demo_vocabulary import CAUSES, IMPROVEMENTS, LEADERS, SOLUTIONS

Step = rules.Step
Category = rules.Category


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


def reception_moments(rng: random.Random, count: int, now: datetime) -> list[datetime]:
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


# How far the last month's cases have got (older ones are nearly all finished).
STATUS_TARGETS = (
    (Step.CLOSE, 35), (Step.FOLLOW_UP, 8), (Step.NOTIFY, 12), (Step.CAUSE, 10),
    (Step.CONFIRMATION, 8), (Step.DEPARTMENT, 10), (Step.NATURE, 6), (None, 8), (Step.VOID, 3),
)
RECENT_DAYS = 30


def target_step(rng: random.Random, age_days: int) -> Step | None:
    targets, weights = zip(*STATUS_TARGETS, strict=True)
    choice: Step | None
    if age_days > RECENT_DAYS:
        choice = rng.choices([Step.CLOSE, Step.VOID, Step.NATURE], (95, 3, 2))[0]
    else:
        choice = rng.choices(targets, weights)[0]
    return choice


def steps_towards(
    rng: random.Random, target: Step | None, draft: RegistrationDraft, department: str,
    leaders: dict[str, list[str]], staff: str,
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
        plan.append(_confirmation(rng, leaders.get(department, [])))
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


def in_opening_hours(
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

