"""A case in words: the lines the case screen and the printed register show (the history's
words are in ``history_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.money import format_yuan
from desktop_app.domain.workflow import SATISFACTION_LABELS, STEP_TEXT
from desktop_app.services.case_views import CaseDetail


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
