"""修改记录 in words: each audit entry of a case as a row a clerk or an auditor can read.

Pure text functions over ``case_audit.HistoryLine``: field names become the register's labels,
stored codes their Chinese labels, fen become yuan, ids become names, a step's JSON the sentence
the case screen prints, and a refund entry (field ``refund#N``, a JSON object of what changed)
a sentence about that refund. Nothing here reads the database; names come in as ``Names``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.money import format_yuan, from_fen
from desktop_app.domain.receipts import receipt_label
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.domain.refunds import ChargeBack, RefundKind, RefundStatus, SpecialReason
from desktop_app.domain.register import COLUMN_LABELS, REGISTRATION_COLUMNS
from desktop_app.domain.text import summary_line
from desktop_app.services.case_audit import HistoryLine
from desktop_app.services.case_text import step_summary

FIELD_LABELS = {
    **COLUMN_LABELS, "basis": "依据", "document": "文件", "file": "文件名", "files": "文件",
}

ACTION_LABELS = {
    "register": "登记", "acknowledge_major": "知悉重大投诉", "refund:request": "申请退换货",
    "refund:approve": "批准退换货", "refund:reject": "驳回退换货",
    "refund:head_office": "录入集团签批", "correct": "更正登记内容",
    "refund:charge_back": "供应商扣款", "set_received_at": "经理修改接待时间",
    "refund:cancel": "撤销退换货申请", "refund:head_office_reject": "录入集团驳回",
    "receipt_attached": "补登小票", "refund:item": "退换货商品",
    "erase": "删除顾客个人信息", "printed": "打印", "exported": "导出",
}

REFUND_FIELD = "refund#"
_STEPS_BY_VALUE = {step.value: step for step in rules.Step}
_CODED: dict[str, Callable[[str], str]] = {
    "channel": lambda v: rules.Channel.of(v).label,
    "subject": lambda v: rules.Subject.of(v).label,
    "demand": lambda v: rules.Demand.of(v).label,
    "category": lambda v: rules.Category.of(v).label,
    "kind": lambda v: rules.Kind.of(v).label,
    "status": lambda v: rules.CaseStatus.of(v).label,
}
_YES_NO_FIELDS = frozenset({"is_major", "needs_confirmation"})
_MOMENT_FIELDS = frozenset({
    "received_at", "confirmation_deadline", "first_response_at", "closed_at",
    "major_acknowledged_at", "purchase_date", "promised_reply_date",
})
# Summarised in the register entry's "全部登记内容", in the paper form's order.
_REGISTER_ORDER = (*REGISTRATION_COLUMNS, "account")


@dataclass(frozen=True)
class Names:
    """Names for the ids an entry stores; an id not listed shows as its number."""

    users: Mapping[int, str] = field(default_factory=dict)
    departments: Mapping[int, str] = field(default_factory=dict)
    suppliers: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryRow:
    at: str
    actor: str
    action: str
    field: str
    old: str
    new: str


def history_rows(lines: Sequence[HistoryLine], names: Names | None = None) -> list[HistoryRow]:
    known = names or Names()
    return [history_row(line, known) for line in lines]


def history_row(line: HistoryLine, names: Names) -> HistoryRow:
    old, new = values_text(line, names)
    return HistoryRow(
        at=moment_text(line.at), actor=line.actor, action=action_label(line.action),
        field=field_label(line.field), old=old, new=new,
    )


def action_label(action: str) -> str:
    if action.startswith("step:"):
        step = _STEPS_BY_VALUE.get(action.removeprefix("step:"))
        return step.label if step is not None else action
    return ACTION_LABELS.get(action, action)


def field_label(name: str) -> str:
    if name.startswith(REFUND_FIELD):
        return f"第 {name.removeprefix(REFUND_FIELD)} 笔退换货"
    return FIELD_LABELS.get(name, name)


def values_text(line: HistoryLine, names: Names) -> tuple[str, str]:
    """(old, new) of one entry in words."""
    if line.field.startswith(REFUND_FIELD):
        return refund_values(line.action, line.old_value, line.new_value, names)
    if line.field == "*":
        return "", registration_text(_json_object(line.new_value), names)
    if line.field == "workflow":
        return workflow_change(line.old_value, line.new_value)
    return value_text(line.field, line.old_value, names), value_text(
        line.field, line.new_value, names
    )


def value_text(name: str, raw: str, names: Names) -> str:
    """One stored value (as the audit trail's text) in words."""
    if raw == "":
        return ""
    try:
        if name in _CODED:
            return _CODED[name](raw)
        if name in _YES_NO_FIELDS:
            return "是" if raw == "1" else "否"
        if name == "amount_paid_fen":
            return format_yuan(from_fen(int(raw)))
        if name in _MOMENT_FIELDS:
            return moment_text(raw)
        if name in ("clerk_id", "major_acknowledged_by_id"):
            return _named(names.users, raw, "用户")
        if name == "department_id":
            return _named(names.departments, raw, "部门")
        if name == "supplier_id":
            return _named(names.suppliers, raw, "供应商")
    except ValueError:
        return raw  # an entry written by an older version: show it as stored
    return raw


def moment_text(raw: str) -> str:
    """Full date and time, ``2026-11-24 09:55:00``; a date alone stays a date."""
    try:
        if len(raw) <= 10:
            return f"{date.fromisoformat(raw):%Y-%m-%d}"
        return f"{datetime.fromisoformat(raw):%Y-%m-%d %H:%M:%S}"
    except ValueError:
        return raw


def registration_text(snapshot: Mapping[str, Any], names: Names) -> str:
    parts = []
    for name in _REGISTER_ORDER:
        shown = value_text(name, str(snapshot.get(name, "")), names)
        if shown and not (name == "is_major" and shown == "否"):
            parts.append((field_label(name), shown))
    return summary_line(parts)


def workflow_change(old_raw: str, new_raw: str) -> tuple[str, str]:
    """The steps an entry added or changed: what was there before, and what was recorded."""
    old, new = _json_object(old_raw), _json_object(new_raw)
    changed = [key for key in new if new[key] != old.get(key) and key in _STEPS_BY_VALUE]
    ordered = [step for step in rules.Step if step.value in changed]
    before = [_step_text(step, old[step.value]) for step in ordered if step.value in old]
    after = [_step_text(step, new[step.value]) for step in ordered]
    return "\n".join(before), "\n".join(after)


def _step_text(step: rules.Step, answer: Any) -> str:
    if not isinstance(answer, Mapping):
        return step.label
    # The entry's own time and actor are in their columns; keep what was decided.
    lines = step_summary(step, answer, with_title=False).split("\n")[1:]
    return f"{step.label}:{';'.join(lines)}" if lines else step.label


# --- refunds ------------------------------------------------------------------------------------


def refund_values(action: str, old_raw: str, new_raw: str, names: Names) -> tuple[str, str]:
    payload = {key: str(value) for key, value in _json_object(new_raw).items()}
    if action == "refund:charge_back":
        return _charge_back(old_raw), _charge_back(payload.get("charge_back_status", ""))
    if action == "refund:request":
        return "", refund_request_text(payload, names)
    if action in ("refund:approve", "refund:reject", "refund:head_office"):
        return "待审批", refund_decision_text(payload, names)
    return old_raw, _generic(payload)


def refund_request_text(payload: Mapping[str, str], names: Names) -> str:
    parts = [_kind(payload.get("kind", "")) + " " + _yuan(payload.get("amount_fen", ""))]
    parts.append(f"小票 {receipt_label(payload.get('receipt_no'))}")
    if payload.get("reason"):
        parts.append(f"原因:{payload['reason']}")
    level = _level(payload.get("level_required", ""))
    if level is not None:
        parts.append(f"审批级别:{level.label}")
    if payload.get("is_quality") == "1":
        supplier = value_text("supplier_id", payload.get("supplier_id", ""), names)
        parts.append(f"商品质量退货,供应商 {supplier or '未填'}")
    if payload.get("is_special") == "1":
        reason = _labelled(SpecialReason, payload.get("special_reason", ""))
        detail = payload.get("special_detail", "")
        parts.append(f"特殊情况:{reason}" + (f"({detail})" if detail else ""))
    if payload.get("status"):
        parts.append(_labelled(RefundStatus, payload["status"]))
    return ";".join(parts)


def refund_decision_text(payload: Mapping[str, str], names: Names) -> str:
    status = _labelled(RefundStatus, payload.get("status", ""))
    parts = [status]
    if payload.get("head_office_approver"):
        parts.append(
            f"集团签批人 {payload['head_office_approver']},文号 "
            f"{payload.get('head_office_reference', '')},日期 "
            f"{moment_text(payload.get('head_office_date', ''))}"
        )
    elif payload.get("decision_comment"):
        parts.append(f"意见:{payload['decision_comment']}")
    signer = value_text("clerk_id", payload.get("decided_by_id", ""), names)
    if signer:
        parts.append(f"签批人 {signer}")
    return ";".join(parts)


def _level(raw: str) -> ApprovalLevel | None:
    try:
        return ApprovalLevel(int(raw))
    except ValueError:
        return None


def _charge_back(raw: str) -> str:
    return _labelled(ChargeBack, raw) if raw else ""


def _kind(raw: str) -> str:
    return _labelled(RefundKind, raw)


def _yuan(raw: str) -> str:
    return format_yuan(from_fen(int(raw))) if raw.lstrip("-").isdigit() else raw


def _labelled(enum_type: Any, raw: str) -> str:
    try:
        return str(enum_type.of(raw).label)
    except ValueError:
        return raw


def _generic(payload: Mapping[str, str]) -> str:
    return summary_line((field_label(key), value) for key, value in payload.items() if value)


def _named(table: Mapping[int, str], raw: str, what: str) -> str:
    number = int(raw)
    return table.get(number, f"({what}编号 {number})")


def _json_object(raw: str) -> dict[str, Any]:
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
