"""What the register covers: the audited tables (EntitySpec), their columns with the SQL
default each starts from, how each column enters the chain (ColumnKind), and what each column is
called on screen. The chain itself is in ``register_chain``; values and replay in ``register``."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any


class ColumnKind(enum.Enum):
    PLAIN = "plain"
    # Personal data: the chain holds sha256(salt, column, value), never the value.
    PERSONAL = "personal"
    # A secret (a password hash): the chain holds its digest.
    DIGEST = "digest"
    # A JSON object patched key by key (a case's workflow: one step's answer per entry).
    MERGED = "merged"


@dataclass(frozen=True)
class EntitySpec:
    """What the register covers of one table."""

    name: str
    table: str
    # Column -> the text a row holds when no entry ever set it (the column's SQL default).
    columns: Mapping[str, str]
    kinds: Mapping[str, ColumnKind] = field(default_factory=dict)
    label: str = ""
    # A key/value table (settings) is one entity whose columns are its keys.
    keyed: bool = False

    def kind(self, column: str) -> ColumnKind:
        return self.kinds.get(column, ColumnKind.PLAIN)


def _columns(*names: str, **defaults: str) -> dict[str, str]:
    return {**dict.fromkeys(names, ""), **defaults}


CASE = EntitySpec(
    name="case",
    table="case",
    label="案件",
    columns=_columns(
        "case_no", "received_at", "channel", "clerk_id", "customer_name", "customer_phone",
        "subject", "product_id", "product_barcode", "product_name", "department_id",
        "supplier_id", "staff_name", "receipt_id", "receipt_no", "purchase_date", "account",
        "demand", "category", "kind", "promised_reply_date", "status", "confirmation_deadline",
        "first_response_at", "closed_at", "major_acknowledged_at", "major_acknowledged_by_id",
        is_major="0", needs_confirmation="0", workflow="{}",
    ),
    kinds={
        "customer_name": ColumnKind.PERSONAL,
        "customer_phone": ColumnKind.PERSONAL,
        "workflow": ColumnKind.MERGED,
    },
)
REFUND = EntitySpec(
    name="refund",
    table="refund",
    label="退款",
    columns=_columns(
        "case_id", "receipt_id", "receipt_no", "kind", "amount_fen", "reason", "supplier_id",
        "special_reason", "special_detail", "status", "level_required", "requested_by_id",
        "requested_at", "decided_by_id", "decided_at", "decision_comment",
        "head_office_approver", "head_office_reference", "head_office_date",
        "receipt_total_fen", "charge_back_note",
        is_quality="0", is_special="0", charge_back_status="not_applicable",
    ),
)
REFUND_ITEM = EntitySpec(
    name="refund_item",
    table="refund_item",
    label="退款商品",
    columns=_columns(
        "refund_id", "product_id", "barcode", "product_name", "quantity", "amount_fen", "defect"
    ),
)
USER = EntitySpec(
    name="user",
    table="user",
    label="账户",
    columns=_columns(
        "username", "display_name", "role", "password_hash", "locked_until", "created_at",
        active="1", failed_logins="0", must_change_password="0",
    ),
    kinds={"password_hash": ColumnKind.DIGEST},
)
RECEIPT = EntitySpec(
    name="receipt",
    table="receipt",
    label="小票",
    columns=_columns("receipt_key", "paid_fen", "created_at"),
)
DEPARTMENT = EntitySpec(
    name="department",
    table="department",
    label="部门",
    columns=_columns("name", "leaders", "phone", active="1"),
)
SUPPLIER = EntitySpec(
    name="supplier",
    table="supplier",
    label="供应商",
    columns=_columns("name", "contact", "phone", active="1"),
)
PRODUCT = EntitySpec(
    name="product",
    table="product",
    label="商品",
    columns=_columns("barcode", "name", "department_id", "supplier_id", "price_fen", active="1"),
)
STAFF = EntitySpec(
    name="staff",
    table="staff",
    label="员工",
    columns=_columns("name", "department_id", "user_id", active="1"),
)
# An early warning (预警) and the cases that raised or joined it (services/warnings.py).
WARNING = EntitySpec(
    name="warning",
    table="warning",
    label="预警",
    columns=_columns(
        "rule", "subject_key", "subject", "threshold", "window_days", "raised_at",
        "raised_by_id", "action", "note", "acknowledged_at", "acknowledged_by_id", "closed_at",
        "closed_by_id", "close_note", status="raised",
    ),
)
WARNING_CASE = EntitySpec(
    name="warning_case",
    table="warning_case",
    label="预警案件",
    columns=_columns("warning_id", "case_id", "ordinal", "linked_at"),
)
SETTINGS = EntitySpec(name="setting", table="setting", label="门店设置", columns={}, keyed=True)
# Who pays (domain/charge_backs.py, improvement.py, liability.py).
CHARGE_BACK = EntitySpec(
    name="charge_back",
    table="charge_back",
    label="供应商扣款",
    columns=_columns(
        "refund_id", "supplier_id", "amount_fen", "amount_note", "deduction_ref", "deducted_on",
        "waive_reason", "created_at", "decided_by_id", "decided_at", status="pending",
    ),
)
IMPROVEMENT_ORDER = EntitySpec(
    name="improvement_order",
    table="improvement_order",
    label="整改通知",
    columns=_columns(
        "case_id", "target", "supplier_id", "department_id", "requirement", "due_on",
        "issued_by_id", "issued_at", "done_on", "result", "closed_by_id", "closed_at",
        status="open",
    ),
)
IMPROVEMENT_FOLLOW_UP = EntitySpec(
    name="improvement_follow_up",
    table="improvement_follow_up",
    label="整改跟进",
    columns=_columns("order_id", "at", "by_id", "note", "new_due_on"),
)
LIABILITY = EntitySpec(
    name="liability",
    table="liability",
    label="员工赔偿责任",
    columns=_columns(
        "refund_id", "staff_id", "share_pct", "amount_fen", "penalty_note", "settle_ref",
        "settled_on", "reason", "recorded_by_id", "recorded_at", "decided_by_id", "decided_at",
        penalty_fen="0", status="pending",
    ),
)

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        CASE, REFUND, REFUND_ITEM, USER, RECEIPT, DEPARTMENT, SUPPLIER, PRODUCT, STAFF,
        WARNING, WARNING_CASE, SETTINGS, CHARGE_BACK, IMPROVEMENT_ORDER, IMPROVEMENT_FOLLOW_UP,
        LIABILITY,
    )
}
# The settings table is one entity: the register addresses it with this id.
SETTINGS_ID = 0

# A registration's columns in the order of the paper form (顾客接待登记表), as the case screen,
# the printed register and the history's summary list them.
REGISTRATION_COLUMNS = (
    "case_no", "received_at", "channel", "clerk_id", "customer_name", "customer_phone",
    "subject", "product_barcode", "product_name", "department_id", "supplier_id", "staff_name",
    "receipt_no", "purchase_date", "amount_paid_fen", "demand", "category", "kind", "is_major",
    "promised_reply_date",
)
# What each column is called on screen, in verify's findings and in the history.
COLUMN_LABELS: dict[str, str] = {
    "case_no": "案件编号", "received_at": "接待时间", "channel": "接待方式",
    "clerk_id": "接待员", "customer_name": "顾客姓名", "customer_phone": "联系电话",
    "subject": "投诉对象", "product_id": "商品", "product_barcode": "商品条码",
    "product_name": "商品名称", "department_id": "责任部门", "supplier_id": "供应商",
    "staff_name": "涉及员工", "receipt_id": "小票", "receipt_no": "小票号",
    "purchase_date": "购买日期", "amount_paid_fen": "实付金额", "account": "顾客陈述",
    "demand": "顾客诉求", "category": "投诉类别", "kind": "性质", "is_major": "重大投诉",
    "promised_reply_date": "承诺答复日期", "status": "状态", "workflow": "处理经过",
    "needs_confirmation": "需部门确认", "confirmation_deadline": "部门确认时限",
    "first_response_at": "首次答复时间", "closed_at": "结案时间",
    "major_acknowledged_at": "重大投诉知悉时间", "major_acknowledged_by_id": "知悉人",
    "*": "全部登记内容", "correction_reason": "更正原因", "received_at_reason": "接待时间修改原因",
    "case_id": "案件", "amount_fen": "金额(分)", "reason": "原因", "is_quality": "商品质量退货",
    "is_special": "特殊情况", "special_reason": "特殊情况类别", "special_detail": "特殊情况说明",
    "charge_back_status": "供应商扣款", "charge_back_note": "免除原因",
    "level_required": "审批级别",
    "requested_by_id": "申请人", "requested_at": "申请时间", "decided_by_id": "审批人",
    "decided_at": "审批时间", "decision_comment": "审批意见",
    "head_office_approver": "集团签批人", "head_office_reference": "集团签批文号",
    "head_office_date": "集团签批日期", "receipt_total_fen": "小票累计(分)",
    "refund_id": "退款", "barcode": "条码", "quantity": "数量", "defect": "问题描述",
    "username": "用户名", "display_name": "姓名", "role": "角色", "password_hash": "密码",
    "active": "启用", "failed_logins": "连续输错次数", "locked_until": "锁定至",
    "created_at": "建立时间", "must_change_password": "须本人改密码",
    "receipt_key": "小票号", "paid_fen": "实付金额(分)", "name": "名称", "contact": "联系人",
    "phone": "电话", "price_fen": "售价(分)", "leaders": "班长", "user_id": "登录账户",
    "store_name": "门店名称",
    "confirmation_minutes": "部门确认时限(分钟)", "no_receipt_window_days": "无小票累计天数",
    "rule": "预警规则", "subject_key": "预警对象编码",
    "threshold": "预警起数", "window_days": "预警天数", "raised_at": "预警时间",
    "raised_by_id": "登记人", "action": "处理措施", "note": "说明",
    "acknowledged_at": "确认时间", "acknowledged_by_id": "确认人",
    "closed_by_id": "关闭(验收)人",
    "close_note": "关闭说明", "warning_id": "预警", "ordinal": "第几起", "linked_at": "计入时间",
    **{f"warn_{rule}_{part}": f"预警:{label}{unit}"
       for rule, label in (("product", "同一商品"), ("supplier", "同一供应商"),
                           ("department", "同一部门"), ("category", "同一类别"),
                           ("staff", "同一员工"), ("claimant", "同一顾客或小票"))
       for part, unit in (("count", "起数"), ("days", "天数"))},
    "warn_food_safety": "食品安全即时预警",
    "amount_note": "扣款金额调整原因", "deduction_ref": "扣款单号", "deducted_on": "扣款日期",
    "waive_reason": "免除原因", "target": "整改对象",
    "requirement": "整改要求", "due_on": "整改期限", "issued_by_id": "下达人",
    "issued_at": "下达时间", "done_on": "验收日期", "result": "整改结果",
    "order_id": "整改通知",
    "at": "时间", "by_id": "跟进人", "new_due_on": "新期限",
    "staff_id": "责任人", "share_pct": "承担比例(%)", "penalty_fen": "罚款(分)",
    "penalty_note": "处罚说明", "settle_ref": "执行凭据", "settled_on": "执行日期",
    "recorded_by_id": "登记人", "recorded_at": "登记时间",
}


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)



@dataclass(frozen=True)
class RowShape:
    """An entity's audited columns grouped by kind, for checking many rows quickly."""

    plain: tuple[tuple[str, str], ...]
    personal: tuple[tuple[str, str], ...]
    digests: tuple[tuple[str, str], ...]
    merged: tuple[tuple[str, str], ...]
    plain_names: tuple[str, ...]
    plain_defaults: tuple[str, ...]
    merged_names: frozenset[str]
    personal_names: tuple[str, ...]
    # Each plain column's default by name, and a reader of a mapping's plain values as a
    # tuple in ``plain_names`` order (verify reads a million rows' worth; C-speed lookups).
    plain_default_map: Mapping[str, str]
    plain_values: Callable[[Mapping[str, Any]], tuple[Any, ...]]


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``itemgetter`` that gives a tuple for any number of names (it gives the bare value for
    one name and refuses none)."""
    if len(names) > 1:
        return itemgetter(*names)
    return lambda mapping: tuple(mapping[name] for name in names)


# id(spec) -> (spec, its shape); the spec is kept so its id is never reused.
_SHAPES: dict[int, tuple[EntitySpec, RowShape]] = {}


def row_shape(spec: EntitySpec) -> RowShape:
    known = _SHAPES.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    groups: dict[ColumnKind, list[tuple[str, str]]] = {kind: [] for kind in ColumnKind}
    for column, default in spec.columns.items():
        groups[spec.kind(column)].append((column, default))
    plain = groups[ColumnKind.PLAIN]
    shape = RowShape(
        plain=tuple(plain),
        personal=tuple(groups[ColumnKind.PERSONAL]),
        digests=tuple(groups[ColumnKind.DIGEST]),
        merged=tuple(groups[ColumnKind.MERGED]),
        plain_names=tuple(column for column, _ in plain),
        plain_defaults=tuple(default for _, default in plain),
        # Keyed entities (settings) hold plain values only.
        merged_names=frozenset(
            column for column, kind in spec.kinds.items() if kind is ColumnKind.MERGED
        ),
        personal_names=tuple(column for column, _ in groups[ColumnKind.PERSONAL]),
        plain_default_map=dict(plain),
        plain_values=_tuple_getter(tuple(column for column, _ in plain)),
    )
    _SHAPES[id(spec)] = (spec, shape)
    return shape
