"""The answers recorded at each step of a case, their validation, and the department
confirmation deadline (部门无权改变处理结果 once the desk has decided).

A case's workflow is a mapping from step value to the recorded answer (plain JSON-able dict),
so the register keeps exactly what was typed, who typed it and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain.cases import CaseStatus, Step, allowed_steps
from desktop_app.domain.errors import ConflictError
from desktop_app.domain.text import (
    checked_length,
    clean_block,
    clean_line,
    raise_if_any,
    require,
)

MAX_STEP_TEXT = 1000
MAX_NAME = 30
SATISFACTION_LABELS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}

# By whom a quality problem was confirmed: the answer's "by".
CONFIRMED_BY_DEPARTMENT = "department"
DECIDED_BY_DESK = "desk"


def decided_by_desk(answer: Mapping[str, Any]) -> bool:
    """A confirmation step's answer that the desk gave once the department's time ran out."""
    return answer.get("by") == DECIDED_BY_DESK

# The text each step asks for: (answer key, label, required)
STEP_TEXT: dict[Step, tuple[str, bool]] = {
    Step.NATURE: ("判断说明(不成立时写明理由,将答复顾客)", False),
    Step.DEPARTMENT: ("备注", False),
    Step.CONFIRMATION: ("确认结果", True),
    Step.CAUSE: ("原因", True),
    Step.SOLUTION: ("解决办法", True),
    Step.NOTIFY: ("通知方式与顾客答复", True),
    Step.RESPONSIBILITY: ("责任与处罚", True),
    Step.IMPROVEMENT: ("改进措施", True),
    Step.FOLLOW_UP: ("顾客意见", False),
    Step.CLOSE: ("结案说明", False),
    Step.VOID: ("作废原因", True),
}


@dataclass(frozen=True)
class StepAnswer:
    """What the case screen collects for one step; fields a step does not use stay empty."""

    text: str = ""
    upheld: bool = True
    department_name: str = ""
    leader_name: str = ""
    responsible: str = ""
    satisfaction: int | None = None
    reached: bool = True


def validate_answer(
    step: Step, answer: StepAnswer, *, desk_decides: bool = False
) -> dict[str, Any]:
    """The cleaned answer as stored, or ``ValidationError`` with every problem at once."""
    errors: dict[str, str] = {}
    label, required = STEP_TEXT[step]
    text = checked_length(clean_block(answer.text), "text", label, MAX_STEP_TEXT, errors)
    if required or (step is Step.NATURE and not answer.upheld):
        require(text, "text", label.split("(")[0], errors)
    stored: dict[str, Any] = {"text": text}
    if step is Step.NATURE:
        stored["upheld"] = answer.upheld
    elif step is Step.DEPARTMENT:
        stored["department"] = require(
            clean_line(answer.department_name), "department_name", "责任部门", errors
        )
    elif step is Step.CONFIRMATION:
        stored.update(_confirmation(answer, desk_decides, errors))
    elif step is Step.RESPONSIBILITY:
        responsible = clean_line(answer.responsible)
        checked_length(responsible, "responsible", "责任方", MAX_NAME * 2, errors)
        stored["responsible"] = responsible
    elif step is Step.FOLLOW_UP:
        stored.update(_follow_up(answer, errors))
    raise_if_any(errors)
    return stored


def _confirmation(answer: StepAnswer, desk_decides: bool, errors: dict[str, str]) -> dict[str, Any]:
    if desk_decides:
        return {"by": DECIDED_BY_DESK}
    leader = clean_line(answer.leader_name)
    require(leader, "leader_name", "确认人(班长或以上)姓名", errors)
    checked_length(leader, "leader_name", "确认人姓名", MAX_NAME, errors)
    return {"by": CONFIRMED_BY_DEPARTMENT, "leader": leader}


def _follow_up(answer: StepAnswer, errors: dict[str, str]) -> dict[str, Any]:
    if not answer.reached:
        return {"reached": False, "satisfaction": None}
    if answer.satisfaction not in SATISFACTION_LABELS:
        errors["satisfaction"] = "请选择顾客满意度(1–5)"
    return {"reached": True, "satisfaction": answer.satisfaction}


# --- department confirmation deadline --------------------------------------------------------


def desk_decides(deadline: datetime | None, now: datetime) -> bool:
    """After the deadline the desk decides alone; before it only the department may confirm."""
    return deadline is not None and now > deadline


def check_confirmation_entry(
    status: CaseStatus,
    workflow: Mapping[str, Any],
    deadline: datetime | None,
    now: datetime,
    by_department: bool,
) -> None:
    """Refuse a department entry once the desk has decided, and a desk decision too early."""
    recorded = workflow.get(Step.CONFIRMATION.value)
    if recorded is not None and decided_by_desk(recorded):
        raise ConflictError(
            f"部门未在时限内确认,前台已于 {recorded.get('at', '')} 作出处理决定,"
            "部门无权改变处理结果"
        )
    if recorded is not None:
        raise ConflictError(f"部门已于 {recorded.get('at', '')} 确认,不能再次确认")
    if status is not CaseStatus.AWAITING_CONFIRMATION:
        raise ConflictError(f"案件目前{status.label},不需要部门确认")
    late = desk_decides(deadline, now)
    if by_department and late:
        raise ConflictError(
            f"部门确认时限已过({deadline:%H:%M}),由前台决定处理结果,部门无权改变"
        )
    if not by_department and not late:
        raise ConflictError(
            f"部门确认时限({deadline:%H:%M})未到,请等待部门班长到前台确认"
        )


_STEPS_BY_VALUE = {step.value: step for step in Step}


def done_steps(workflow: Mapping[str, Any]) -> frozenset[Step]:
    return frozenset(_STEPS_BY_VALUE[key] for key in workflow if key in _STEPS_BY_VALUE)


def offered_steps(status: CaseStatus, workflow: Mapping[str, Any]) -> list[Step]:
    return allowed_steps(status, done_steps(workflow))
