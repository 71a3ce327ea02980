"""A case in words: the lines the case screen, the printed register and the history show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.money import format_yuan
from desktop_app.domain.register import COLUMN_LABELS
from desktop_app.domain.workflow import SATISFACTION_LABELS, STEP_TEXT
from desktop_app.services.cases import CaseDetail

FIELD_LABELS = {
    **COLUMN_LABELS, "basis": "依据", "document": "文件", "file": "文件名", "files": "文件",
}

ACTION_LABELS = {
    "register": "登记", "acknowledge_major": "知悉重大投诉", "refund:request": "申请退换货",
    "refund:approve": "批准退换货", "refund:reject": "驳回退换货",
    "refund:head_office": "录入集团签批", "correct": "更正登记内容",
    "refund:charge_back": "供应商扣款", "refund:cancel": "撤销退换货申请",
    "refund:head_office_reject": "录入集团驳回", "receipt_attached": "补登小票",
    "erase": "删除顾客个人信息", "printed": "打印", "exported": "导出",
}
_STEPS_BY_VALUE = {step.value: step for step in rules.Step}


def action_label(action: str) -> str:
    if action.startswith("step:"):
        step = _STEPS_BY_VALUE.get(action.removeprefix("step:"))
        return step.label if step is not None else action
    return ACTION_LABELS.get(action, action)


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def registration_fields(case: CaseDetail) -> list[tuple[str, str]]:
    """(label, value) of every field of the paper register, in its order."""
    def optional(value: object) -> str:
        return "" if value is None else str(value)

    return [
        ("案件编号", case.case_no),
        ("接待时间", f"{case.received_at:%Y-%m-%d %H:%M}"),
        ("接待方式", case.channel.label),
        ("接待员", case.clerk_name),
        ("顾客姓名", case.customer_name),
        ("联系电话", case.customer_phone),
        ("投诉对象", case.subject.label),
        ("商品条码", case.product_barcode),
        ("商品名称", case.product_name),
        ("责任部门", case.department_name),
        ("供应商", case.supplier_name),
        ("涉及员工", case.staff_name),
        ("小票号", case.receipt_no),
        ("购买日期", optional(case.purchase_date)),
        ("实付金额", "" if case.amount_paid is None else format_yuan(case.amount_paid)),
        ("顾客诉求", case.demand.label),
        ("投诉类别", case.category.label),
        ("性质", case.kind.label),
        ("重大投诉", "是" if case.is_major else "否"),
        ("承诺答复日期", optional(case.promised_reply_date)),
        ("状态", case.status.label),
    ]


def case_summary_lines(case: CaseDetail) -> list[str]:
    lines = [f"{label}:{value}" for label, value in registration_fields(case) if value]
    return [*lines, "", "顾客陈述:", case.account]


def step_summary(step: rules.Step, answer: Mapping[str, Any], with_title: bool = True) -> str:
    """One recorded step in a sentence or two, as the case screen and the PDF print it."""
    title = STEP_TEXT[step][0].split("(")[0]
    when = f"{answer.get('at', '')} {answer.get('recorded_by', '')}"
    parts = [f"【{step.label}】{when}" if with_title else when]
    if step is rules.Step.NATURE:
        parts.append("投诉成立" if answer.get("upheld") else "投诉不成立")
    if step is rules.Step.DEPARTMENT:
        parts.append(f"责任部门:{answer.get('department', '')}")
    if step is rules.Step.CONFIRMATION:
        if answer.get("by") == "desk":
            parts.append("部门未在时限内确认,由前台决定")
        else:
            parts.append(f"部门确认人:{answer.get('leader', '')}")
    if step is rules.Step.RESPONSIBILITY and answer.get("responsible"):
        parts.append(f"责任方:{answer['responsible']}")
    if step is rules.Step.FOLLOW_UP:
        score = answer.get("satisfaction")
        parts.append(
            "未能联系到顾客" if not answer.get("reached", True)
            else f"满意度:{score} {SATISFACTION_LABELS.get(score or 0, '')}"
        )
    if answer.get("text"):
        parts.append(f"{title}:{answer['text']}")
    return "\n".join(parts)


def workflow_lines(case: CaseDetail) -> list[tuple[str, str]]:
    return [
        (step.label, step_summary(step, case.workflow[step.value], with_title=False))
        for step in rules.Step
        if step.value in case.workflow
    ]
