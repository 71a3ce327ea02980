"""The short set-up a new store goes through after the store manager's account.

Three steps: the store's name; its departments (imported with the catalogue, or typed by hand);
the department confirmation deadline. Any step may be skipped and finished later; the wizard
then opens at the first step still to do. The GUI only shows the steps; these rules decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.catalog import DepartmentDraft
from desktop_app.domain.roles import Role, may_administer


class SetupStep(LabelledEnum):
    STORE = ("store", "门店名称")
    DEPARTMENTS = ("departments", "部门与商品资料")
    DEADLINE = ("deadline", "部门到场确认时限")


class SetupState(LabelledEnum):
    NOT_STARTED = ("", "未开始")
    SKIPPED = ("skipped", "已跳过,待完成")
    DONE = ("done", "已完成")


@dataclass(frozen=True)
class SetupFacts:
    """What the database says about the store's set-up."""

    store_name: str
    department_count: int
    deadline_confirmed: bool
    state: SetupState


def step_done(step: SetupStep, facts: SetupFacts) -> bool:
    if step is SetupStep.STORE:
        return bool(facts.store_name.strip())
    if step is SetupStep.DEPARTMENTS:
        return facts.department_count > 0
    return facts.deadline_confirmed


def open_steps(facts: SetupFacts) -> list[SetupStep]:
    return [step for step in SetupStep if not step_done(step, facts)]


def first_step(facts: SetupFacts) -> SetupStep:
    """Where the wizard opens: the first step still to do, or the beginning when all are done."""
    remaining = open_steps(facts)
    return remaining[0] if remaining else SetupStep.STORE


def should_offer_at_login(facts: SetupFacts, role: Role) -> bool:
    """A store that skipped the set-up is reminded at each administrator's login while it still
    has no departments (without them no complaint gets past step 4); once it has them, the rest
    can be finished from 门店资料 whenever convenient."""
    return (
        may_administer(role)
        and facts.state is not SetupState.DONE
        and facts.department_count == 0
    )


def next_step(step: SetupStep) -> SetupStep | None:
    members = list(SetupStep)
    index = members.index(step)
    return members[index + 1] if index + 1 < len(members) else None


def previous_step(step: SetupStep) -> SetupStep | None:
    members = list(SetupStep)
    index = members.index(step)
    return members[index - 1] if index > 0 else None


def state_after_finish(facts: SetupFacts) -> SetupState:
    """Pressing 完成 with steps still open counts as skipping them."""
    return SetupState.DONE if not open_steps(facts) else SetupState.SKIPPED


# --- a department typed in the departments step -------------------------------------------------


class DepartmentTyped(Enum):
    """What the departments step did with a department typed by hand."""

    ADDED = "added"  # a new department
    COMPLETED = "completed"  # one the store had: its leaders and phone were filled in
    UNCHANGED = "unchanged"  # one the store had, already holding what was typed


def department_typed_again(existing: DepartmentDraft, typed: DepartmentDraft) -> DepartmentDraft:
    """A department the store already has (the catalogue import brings departments without team
    leaders), typed again in the set-up: what is typed in 班长 or 电话 takes the place of what it
    holds, a field left empty keeps it, and its name stays as the store has it."""
    return DepartmentDraft(
        name=existing.name,
        leaders=typed.leaders if typed.leaders.strip() else existing.leaders,
        phone=typed.phone if typed.phone.strip() else existing.phone,
    )


def disabled_department_message(name: str) -> str:
    """Why the set-up does not fill in a disabled department, and where it is enabled."""
    return (
        f"部门“{name}”已停用:请在「门店资料」→「部门」勾选「显示已停用」,"
        "选中它点「停用/启用」,再点「修改」填写班长和电话"
    )
