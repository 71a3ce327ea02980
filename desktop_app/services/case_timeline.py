"""Where a case stands in the desk's ten steps, for the case screen's timeline.

Steps 1 (soothe) and 2 (record) are the registration itself; 3–10 and 结案 are recorded on the
case screen, with the department's confirmation between 4 and 5 for quality problems. Each entry
says whether it is done (by whom, when, what was decided), next, open now, later or not needed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import decided_by_desk
from desktop_app.services.case_text import step_summary
from desktop_app.services.case_views import CaseDetail

Step = rules.Step
# The procedure's order on the timeline; 作废 is not a step of the procedure.
PROCEDURE = [step for step in Step if step is not Step.VOID]
SOOTHE = "1 安抚顾客、赔礼道歉"
RECORD = "2 登记投诉内容"


class State(enum.Enum):
    DONE = "done"
    NEXT = "next"
    OPEN = "open"
    LATER = "later"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    state: State
    who: str = ""
    when: str = ""
    detail: str = ""


def next_step(case: CaseDetail, after: Step | None = None) -> Step | None:
    """The step the step box proposes: the first step offered now that is not on record yet,
    looking first past ``after`` (the step just recorded) so the box moves on, never back to a
    step already recorded. ``None`` when only 作废 is left."""
    done = {step for step in Step if step.value in case.workflow}
    fresh = [step for step in case.offered_steps if step not in done and step is not Step.VOID]
    if after is not None:
        later = [step for step in fresh if PROCEDURE.index(step) > _position(after)]
        if later:
            return later[0]
    return fresh[0] if fresh else None


def _position(step: Step) -> int:
    return PROCEDURE.index(step) if step in PROCEDURE else len(PROCEDURE)


def step_title(case: CaseDetail, step: Step) -> str:
    """The step's name as the box offers it: after the deadline the desk decides."""
    if step is Step.CONFIRMATION and case.desk_decides:
        return "前台决定(部门超时未确认)"
    return step.label


def timeline(case: CaseDetail, now: datetime) -> list[TimelineEntry]:
    registered = f"{case.received_at:%Y-%m-%d %H:%M}"
    entries = [
        TimelineEntry(SOOTHE, State.DONE, case.clerk_name, registered),
        TimelineEntry(RECORD, State.DONE, case.clerk_name, registered, "已登记《顾客接待登记表》"),
    ]
    proposed = next_step(case)
    entries += [_entry(case, step, proposed, now) for step in _steps_of(case)]
    voided = case.workflow.get(Step.VOID.value)
    if voided is not None:
        entries.append(_done(case, Step.VOID, voided))
    return entries


def _steps_of(case: CaseDetail) -> Iterable[Step]:
    for step in PROCEDURE:
        if step is Step.CONFIRMATION and not (
            case.needs_confirmation or step.value in case.workflow
        ):
            continue
        yield step


def _entry(case: CaseDetail, step: Step, proposed: Step | None, now: datetime) -> TimelineEntry:
    recorded = case.workflow.get(step.value)
    if recorded is not None:
        return _done(case, step, recorded)
    title = step_title(case, step)
    if step is proposed:
        return TimelineEntry(title, State.NEXT, detail=deadline_text(case, now))
    if step in case.offered_steps:
        return TimelineEntry(title, State.OPEN, detail="可以记录")
    if not rules.is_open(case.status):
        return TimelineEntry(title, State.NOT_NEEDED, detail=f"案件{case.status.label}")
    return TimelineEntry(title, State.LATER)


def _done(case: CaseDetail, step: Step, answer: dict[str, object]) -> TimelineEntry:
    lines = step_summary(step, answer, with_title=False).split("\n")
    title = step.label
    if step is Step.CONFIRMATION and decided_by_desk(answer):
        title = step_title(case, step)
    return TimelineEntry(
        title, State.DONE, who=str(answer.get("recorded_by", "")), when=str(answer.get("at", "")),
        detail="\n".join(lines[1:]),
    )


def deadline_text(case: CaseDetail, now: datetime) -> str:
    """The department's confirmation deadline, counting down while it runs."""
    waiting = case.status is rules.CaseStatus.AWAITING_CONFIRMATION
    deadline = case.confirmation_deadline
    if not waiting or deadline is None:
        return ""
    at = f"{deadline:%H:%M}"
    left = deadline - now
    if left > timedelta(0):
        return f"请部门班长在 {at} 前到前台确认(还剩 {_duration(left)});逾时由前台决定。"
    return (
        f"部门确认时限 {at} 已过(超时 {_duration(-left)}):由前台决定处理结果,部门无权改变。"
    )


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} 小时 {minutes:02d} 分"
    return f"{minutes} 分 {seconds:02d} 秒"
