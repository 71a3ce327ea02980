"""A case in words: the lines the case screen and the printed register show (the history's
words are in ``history_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.money import format_yuan
from desktop_app.domain.register import REGISTRATION_COLUMNS, column_label
from desktop_app.domain.workflow import SATISFACTION_LABELS, STEP_TEXT, decided_by_desk
from desktop_app.services.case_views import CaseDetail


def registration_fields(case: CaseDetail) -> list[tuple[str, str]]:
    """(label, value) of every field of the paper register, in its order; each labelled as the
    register's column is (``COLUMN_LABELS``), so the screen, the paper and the history agree."""
    def optional(value: object) -> str:
        return "" if value is None else str(value)

    values = {
        "case_no": case.case_no,
        "received_at": f"{case.received_at:%Y-%m-%d %H:%M}",
        "channel": case.channel.label,
        "clerk_id": case.clerk_name,
        "customer_name": case.customer_name,
        "customer_phone": case.customer_phone,
        "subject": case.subject.label,
        "product_barcode": case.product_barcode,
        "product_name": case.product_name,
        "department_id": case.department_name,
        "supplier_id": case.supplier_name,
        "staff_name": case.staff_name,
        "receipt_no": case.receipt_no,
        "purchase_date": optional(case.purchase_date),
        "amount_paid_fen": "" if case.amount_paid is None else format_yuan(case.amount_paid),
        "demand": case.demand.label,
        "category": case.category.label,
        "kind": case.kind.label,
        "is_major": "是" if case.is_major else "否",
        "promised_reply_date": optional(case.promised_reply_date),
        "status": case.status.label,
    }
    return [(column_label(column), values[column]) for column in (*REGISTRATION_COLUMNS, "status")]


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
        if decided_by_desk(answer):
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
