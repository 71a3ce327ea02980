"""The register: one hash chain over every fact that decides money or names.

Each entry records one change of one entity (a case, a refund and its items, an account, a
receipt, a catalogue entry, the settings): which columns it set and to what. Its hash covers
the previous entry's hash, its own header and its payload text exactly as stored, so editing,
removing, inserting or reordering any entry breaks every hash after it.

Replaying an entity's entries gives the values its row must hold; a row changed, added or
deleted behind the app's back therefore disagrees with the chain even when the chain itself is
intact.

A customer's name and phone enter the chain only as salted commitments: the plain text lives in
the case row (and, for the history screen, beside the entry outside the hash), so erasing a
person after the retention period removes the text and the salt and the chain still verifies.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

# Reads a payload (or a stored JSON column) into Python values; ``json.loads`` unless the caller
# brings a faster parser that reads the same text to the same values.
Parse = Callable[[str | bytes], Any]
# A payload as text, or as the UTF-8 bytes SQLite stores.
Payload = TypeVar("Payload", str, bytes)

GENESIS_HASH = "0" * 64
COMMITMENT_PREFIX = "h:"
ERASED = "(已删除)"
# Payload keys starting with this are remarks (a reason, a login's purpose), not column values.
REMARK_PREFIX = "_"


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


# --- canonical values ------------------------------------------------------------------------


def canonical(value: Any) -> str:
    """One text form per value, so a value written and the same value read back compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def commitment(salt: str, column: str, value: str) -> str:
    """A salted commitment to a personal value: checkable while the salt exists, meaningless
    (and not guessable from a phone-number list) once the salt is erased."""
    digest = hashlib.sha256(f"{salt}\x00{column}\x00{value}".encode()).hexdigest()
    return COMMITMENT_PREFIX + digest[:32]


def digest(value: str) -> str:
    return "d:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def encode_payload(payload: Mapping[str, Any]) -> str:
    """The payload's canonical JSON text: what is stored and what is hashed."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Recorded:
    """What one change puts in the chain (``payload``) and beside it (``personal``: the plain
    text of committed personal values, for the history screen, erasable)."""

    payload: dict[str, Any]
    personal: dict[str, str]


def record_of(
    spec: EntitySpec,
    values: Mapping[str, Any],
    salt: str = "",
    remarks: Mapping[str, Any] | None = None,
    created: bool = False,
) -> Recorded:
    """The payload for ``values`` (audited columns only), with personal values committed.

    ``created``: the entity's first entry. A column it leaves at its default is not written:
    replay already takes an absent column to hold its default, so the register says the same
    in fewer bytes (a registered case leaves a third of its columns empty)."""
    payload: dict[str, Any] = {}
    personal: dict[str, str] = {}
    if spec.keyed:
        # A key/value entity: every key given is a plain value.
        payload = {column: canonical(value) for column, value in values.items()}
    else:
        shape = _shape(spec)
        for column, default in shape.plain:
            if column in values:
                value = values[column]
                text = value if value.__class__ is str else canonical(value)
                if not (created and text == default):
                    payload[column] = text
        for column, default in shape.merged:
            if column in values:
                value = values[column]
                merged = value if isinstance(value, dict) else json.loads(value or "{}")
                if not (created and not merged and default == "{}"):
                    payload[column] = merged
        for column, default in shape.personal:
            if column in values:
                text = canonical(values[column])
                if created and text == default:
                    continue
                # Nothing personal to commit to: the chain says so in plain words, and an
                # erasure (which also removes the salt) still replays against the row.
                literal = text in ("", ERASED)
                payload[column] = text if literal else commitment(salt, column, text)
                if text != ERASED:
                    personal[column] = text
        for column, _ in shape.digests:
            if column in values:
                payload[column] = digest(canonical(values[column]))
    for key, value in (remarks or {}).items():
        payload[REMARK_PREFIX + key] = value
    return Recorded(payload=payload, personal=personal)


# --- the chain ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor_id: int | None
    actor: str
    entity: str
    entity_id: int
    action: str
    payload: str
    entry_hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor_id: int | None,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    payload: str,
) -> str:
    # The header as a JSON array keeps field boundaries unambiguous; the payload is hashed as
    # stored, so checking an entry never re-encodes it.
    header = header_text(seq, at, actor_id, actor, entity, entity_id, action)
    return hashlib.sha256(f"{prev_hash}\n{header}\n{payload}".encode()).hexdigest()


def hash_of_stored(prev_hash: str, header: str, payload: bytes) -> str:
    """``entry_hash`` for a payload read as the bytes SQLite stores (its UTF-8 text): the same
    digest without decoding and encoding the payload again."""
    digest_ = hashlib.sha256(prev_hash.encode())
    digest_.update(b"\n" + header.encode() + b"\n")
    digest_.update(payload)
    return digest_.hexdigest()


# The characters json.dumps(ensure_ascii=False) escapes in a string; any other string is
# written as itself between quotes.
_ESCAPED = re.compile(r'[\x00-\x1f\\"]')


def _json_string(text: str) -> str:
    if _ESCAPED.search(text) is None:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


# (actor_id, its type, actor, entity, action) -> the header's text between ``at`` and
# ``entity_id`` and after it; () for fields of unusual types (the full encoder handles those).
# The type is part of the key because 1, 1.0 and True are equal keys but different JSON.
_HEADER_MIDDLES: dict[tuple[Any, ...], tuple[str, str] | tuple[()]] = {}


def _header_middle(
    actor_id: Any, actor: Any, entity: Any, action: Any
) -> tuple[str, str] | tuple[()]:
    plain = (
        (actor_id is None or actor_id.__class__ is int)
        and actor.__class__ is str and entity.__class__ is str and action.__class__ is str
    )
    middle: tuple[str, str] | tuple[()] = ()
    if plain:
        who = "null" if actor_id is None else int.__repr__(actor_id)
        middle = (f"{who},{_json_string(actor)},{_json_string(entity)},", _json_string(action))
    if len(_HEADER_MIDDLES) > 10_000:
        _HEADER_MIDDLES.clear()
    _HEADER_MIDDLES[(actor_id, actor_id.__class__, actor, entity, action)] = middle
    return middle


def header_text(
    seq: Any, at: Any, actor_id: Any, actor: Any, entity: Any, entity_id: Any, action: Any
) -> str:
    """The hashed header: exactly ``json.dumps([seq, at, ...], ensure_ascii=False,
    separators=(",", ":"))``, built without the encoder for the usual field types (verify
    builds one per entry). Anything unusual (a value a tamperer put there) goes through
    ``json.dumps`` itself."""
    if seq.__class__ is int and entity_id.__class__ is int and at.__class__ is str:
        # Who, what and how repeat from entry to entry: their part of the header is made once.
        known = _HEADER_MIDDLES.get((actor_id, actor_id.__class__, actor, entity, action))
        if known is None:
            known = _header_middle(actor_id, actor, entity, action)
        if known:
            before, after = known
            return f"[{seq},{_json_string(at)},{before}{entity_id},{after}]"
    fields = (seq, at, actor_id, actor, entity, entity_id, action)
    parts = []
    for value in fields:
        kind = value.__class__
        if kind is str:
            parts.append(_json_string(value))
        elif kind is int:
            parts.append(int.__repr__(value))
        elif value is None:
            parts.append("null")
        else:
            return json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))
    return "[" + ",".join(parts) + "]"


def hash_of(entry: Entry, prev_hash: str) -> str:
    return entry_hash(
        prev_hash, entry.seq, entry.at, entry.actor_id, entry.actor, entry.entity,
        entry.entity_id, entry.action, entry.payload,
    )


@dataclass(frozen=True)
class Finding:
    """One thing the register says was changed behind the app's back."""

    message: str
    seq: int | None = None


@dataclass(frozen=True)
class Head:
    """The newest entry: printed on reports and sheets so a rewrite inside the file is caught."""

    seq: int
    entry_hash: str

    @property
    def code(self) -> str:
        return f"{self.seq}:{self.entry_hash[:16]}"


ANCHOR_PATTERN = re.compile(r"^\s*(\d+)\s*[:：]\s*([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class Anchor:
    """A head known from outside the file (paper, the anchor file): entry ``seq`` must still
    exist with a hash starting ``prefix``."""

    seq: int
    prefix: str
    source: str = ""

    @classmethod
    def parse(cls, text: str, source: str = "") -> Anchor:
        match = ANCHOR_PATTERN.match(text)
        if match is None:
            raise ValueError(text)
        return cls(int(match.group(1)), match.group(2).lower(), source)


class ChainWalk:
    """Checks entries one at a time in ``seq`` order; memory stays flat at any size.

    A walk may start after any stored entry (``after``, with that entry's stored hash as
    ``prev_hash``): each entry's hash is checked against the one stored before it, so walks over
    consecutive stretches of the chain, each from the hash stored at its start, together check
    exactly what one walk from the first entry does. That lets verify split a large register
    between processes, and check only what is new since the last check."""

    def __init__(
        self, anchors: Iterable[Anchor] = (), after: int = 0, prev_hash: str = GENESIS_HASH
    ) -> None:
        self.count = after
        self.finding: Finding | None = None
        self._prev = prev_hash
        self._anchors: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            self._anchors.setdefault(anchor.seq, []).append(anchor)

    def add(self, entry: Entry) -> bool:
        """False (and ``finding`` set) at the first entry that does not follow."""
        return self.add_stored(
            entry.seq, entry.at, entry.actor_id, entry.actor, entry.entity, entry.entity_id,
            entry.action, entry.payload.encode(), entry.entry_hash,
        )

    def add_stored(
        self, seq: Any, at: Any, actor_id: Any, actor: Any, entity: Any, entity_id: Any,
        action: Any, payload: bytes, stored_hash: Any,
    ) -> bool:
        """``add`` for an entry as read from the file, its payload as the stored bytes."""
        expected = self.count + 1
        if seq != expected:
            missing = "缺少" if isinstance(seq, int) and seq > expected else "重复或顺序错乱"
            return self._fail(f"登记簿记录编号不连续({missing}第 {expected} 条)", expected)
        header = header_text(seq, at, actor_id, actor, entity, entity_id, action)
        if hash_of_stored(self._prev, header, payload) != stored_hash:
            return self._fail(
                f"登记簿第 {seq} 条记录与校验值不符:这条或之前的记录被改动、删除或插入过", seq
            )
        if self._anchors:
            for anchor in self._anchors.pop(seq, []):
                if not stored_hash.startswith(anchor.prefix):
                    return self._fail(
                        f"登记簿第 {seq} 条记录与{anchor.source or '校验码'}"
                        f"({seq}:{anchor.prefix[:16]})不符:登记簿被改写过",
                        seq,
                    )
        self._prev = stored_hash
        self.count = seq
        return True

    @property
    def head(self) -> Head | None:
        """The last entry that followed (where a walk from ``after`` starts, before any)."""
        return Head(self.count, self._prev) if self.count else None

    def expect_end(self, last: int) -> None:
        """The walk was to reach entry ``last``: entries cut from the end of a stretch are
        found here (a later entry would have shown the gap)."""
        if self.finding is None and self.count < last:
            self._fail(f"登记簿记录编号不连续(缺少第 {self.count + 1} 条)", self.count + 1)

    def finish(self) -> Finding | None:
        """After the last entry: an anchor beyond the end means the tail was cut."""
        if self.finding is None and self._anchors:
            seq = min(self._anchors)
            source = self._anchors[seq][0].source or "校验码"
            self.finding = Finding(
                f"{source}记载登记簿已有第 {seq} 条记录,现在只有 {self.count} 条:"
                "登记簿的末尾被删除过",
                seq,
            )
        return self.finding

    def _fail(self, message: str, seq: int) -> bool:
        self.finding = Finding(message, seq)
        return False


# --- replaying an entity ----------------------------------------------------------------------


def replay(
    spec: EntitySpec, payloads: Iterable[str | bytes], parse: Parse = json.loads
) -> dict[str, Any]:
    """The values an entity's entries set, in order (merged columns patched key by key)."""
    state: dict[str, Any] = {}
    merged_columns = _shape(spec).merged_names
    for text in payloads:
        parsed = parse(text)
        # A fresh dict of the payload's own (not a list of pairs: that is no payload).
        values = parsed if parsed.__class__ is dict else dict(parsed.items())
        for remark in [column for column in values if column[:1] == REMARK_PREFIX]:
            del values[remark]
        for column in merged_columns.intersection(values):
            merged = dict(state.get(column) or {})
            merged.update(values[column])
            values[column] = merged
        state.update(values)
    return state


def row_mismatch(
    spec: EntitySpec, row: Mapping[str, Any], recorded: Mapping[str, Any], salt: str = ""
) -> str | None:
    """The first column whose stored value disagrees with the replayed one, described."""
    columns: Iterable[str] = (
        sorted(set(row) | set(recorded)) if spec.keyed else spec.columns
    )
    for column in columns:
        stored = canonical(row.get(column))
        problem = _column_problem(spec, column, stored, recorded, salt)
        if problem is not None:
            return f"「{column_label(column)}」{problem}"
    return None


@dataclass(frozen=True)
class _RowShape:
    """An entity's audited columns grouped by kind, for checking many rows quickly."""

    plain: tuple[tuple[str, str], ...]
    personal: tuple[tuple[str, str], ...]
    digests: tuple[tuple[str, str], ...]
    merged: tuple[tuple[str, str], ...]
    plain_names: tuple[str, ...]
    plain_defaults: tuple[str, ...]
    merged_names: frozenset[str]


# id(spec) -> (spec, its shape); the spec is kept so its id is never reused.
_SHAPES: dict[int, tuple[EntitySpec, _RowShape]] = {}


def _shape(spec: EntitySpec) -> _RowShape:
    known = _SHAPES.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    groups: dict[ColumnKind, list[tuple[str, str]]] = {kind: [] for kind in ColumnKind}
    for column, default in spec.columns.items():
        groups[spec.kind(column)].append((column, default))
    plain = groups[ColumnKind.PLAIN]
    shape = _RowShape(
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
    )
    _SHAPES[id(spec)] = (spec, shape)
    return shape


def row_agrees(
    spec: EntitySpec,
    row: Mapping[str, Any],
    recorded: Mapping[str, Any],
    salt: str = "",
    parse: Parse = json.loads,
    encode: Callable[[Any], str] = encode_payload,
) -> bool:
    """True exactly when ``row_mismatch`` finds nothing: the same rules, column kind by column
    kind, without describing anything (verify asks this of every row and describes only the
    rare row that disagrees). ``encode`` writes a merged column's expected value as the app
    stores it: text equal to the stored text is the same value, without reading it."""
    if spec.keyed:
        return row_mismatch(spec, row, recorded, salt) is None
    shape = _shape(spec)
    # Plain columns all at once: the stored values in their canonical text, beside what the
    # entries set (or the default where none did).
    stored_plain = [
        value if value.__class__ is str
        else "" if value is None
        else int.__repr__(value) if value.__class__ is int
        else canonical(value)
        for value in map(row.get, shape.plain_names)
    ]
    if stored_plain != list(map(recorded.get, shape.plain_names, shape.plain_defaults)):
        return False
    for column, default in shape.personal:
        stored = canonical(row.get(column))
        if column not in recorded:
            if stored != default:
                return False
            continue
        committed = recorded[column]
        if committed in ("", ERASED):
            if stored != committed:
                return False
        elif commitment(salt, column, stored) != committed:
            return False
    for column, default in shape.digests:
        stored = canonical(row.get(column))
        if stored != default if column not in recorded else digest(stored) != recorded[column]:
            return False
    for column, default in shape.merged:
        stored = canonical(row.get(column))
        if column not in recorded:
            if stored != default:
                return False
            continue
        expected = recorded[column]
        try:
            if encode(expected) == stored:
                continue
        except (TypeError, ValueError):
            pass  # not the app's kind of value: read the stored text instead
        try:
            if parse(stored or "{}") != expected:
                return False
        except (ValueError, RecursionError):
            return False
    return True


def _column_problem(
    spec: EntitySpec, column: str, stored: str, recorded: Mapping[str, Any], salt: str
) -> str | None:
    kind = spec.kind(column)
    if column not in recorded:
        default = spec.columns.get(column, "")
        if spec.keyed or stored != default:
            return f"不在登记簿中,现为「{stored}」"
        return None
    expected = recorded[column]
    differs = f"与登记簿记录不符,现为「{stored}」"
    if kind is ColumnKind.MERGED:
        try:
            actual = json.loads(stored or "{}")
        except ValueError:
            return differs
        return None if actual == expected else differs
    if kind is ColumnKind.PERSONAL:
        if expected in ("", ERASED):
            return None if stored == expected else differs
        return None if commitment(salt, column, stored) == expected else differs
    if kind is ColumnKind.DIGEST:
        # Never print a password hash.
        return None if digest(stored) == expected else "与登记簿记录不符"
    if stored != expected:
        return f"登记簿记录为「{expected}」,现为「{stored}」"
    return None


def changed_columns(
    spec: EntitySpec, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """The audited columns whose value ``after`` changes (merged columns: the changed keys)."""
    changes: dict[str, Any] = {}
    for column, value in after.items():
        if not spec.keyed and column not in spec.columns:
            continue
        if spec.kind(column) is ColumnKind.MERGED:
            old = _as_dict(before.get(column))
            new = _as_dict(value)
            patch = {key: item for key, item in new.items() if old.get(key) != item}
            if patch:
                changes[column] = patch
        elif canonical(before.get(column)) != canonical(value):
            changes[column] = value
    return changes


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return dict(json.loads(value or "{}"))


def group_by_entity(
    entries: Iterable[tuple[int, Payload]],
) -> Iterator[tuple[int, list[Payload]]]:
    """(entity_id, payload) in (entity_id, seq) order -> each id with its payloads."""
    current: int | None = None
    payloads: list[Payload] = []
    for entity_id, payload in entries:
        if entity_id != current:
            if current is not None:
                yield current, payloads
            current, payloads = entity_id, []
        payloads.append(payload)
    if current is not None:
        yield current, payloads
