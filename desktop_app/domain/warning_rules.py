"""Early warning (预警): which repeated complaints raise a warning, and how a warning is worked.

The store's procedure asks the desk to find problems before they spread (主动地查找潜在的失误,
在问题出现前能够预见问题). Each rule counts the complaints of the last days that share one
thing with the case just saved: the product (its barcode, or without one its name), the
supplier, the department, the category, the staff member a service complaint names, the
customer's phone or the receipt. When the count reaches the rule's threshold a warning is
raised; later cases of the same subject join the open warning ("第 4 起") instead of raising
another. Any food-safety complaint raises one at once.

A warning is then acknowledged by a manager with the action taken (下架检查, 通知供应商,
部门整改, or 无需处理, which closes it) and closed when that action is done. Only cases
registered after a closed warning count towards the next one of the same subject.

Voided cases (entered by mistake) never count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from desktop_app.domain.cases import Category, LabelledEnum, Subject
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.text import clean_block


class WarningRule(LabelledEnum):
    PRODUCT = ("product", "同一商品")
    SUPPLIER = ("supplier", "同一供应商")
    DEPARTMENT = ("department", "同一部门")
    CATEGORY = ("category", "同一类别")
    FOOD_SAFETY = ("food_safety", "食品安全")
    STAFF = ("staff", "同一员工")
    REPEAT_PHONE = ("repeat_phone", "同一顾客再次投诉")
    REPEAT_RECEIPT = ("repeat_receipt", "同一小票再次投诉")


class WarningStatus(LabelledEnum):
    RAISED = ("raised", "待处理")
    ACKNOWLEDGED = ("acknowledged", "处理中")
    CLOSED = ("closed", "已关闭")


class WarningAction(LabelledEnum):
    SHELF_CHECK = ("shelf_check", "下架检查")
    NOTIFY_SUPPLIER = ("notify_supplier", "通知供应商")
    DEPARTMENT_FIX = ("department_fix", "部门整改")
    NONE = ("none", "无需处理")


# What a manager most likely does about each kind of warning (offered first).
SUGGESTED_ACTION: dict[WarningRule, WarningAction] = {
    WarningRule.PRODUCT: WarningAction.SHELF_CHECK,
    WarningRule.FOOD_SAFETY: WarningAction.SHELF_CHECK,
    WarningRule.SUPPLIER: WarningAction.NOTIFY_SUPPLIER,
    WarningRule.DEPARTMENT: WarningAction.DEPARTMENT_FIX,
    WarningRule.CATEGORY: WarningAction.DEPARTMENT_FIX,
    WarningRule.STAFF: WarningAction.DEPARTMENT_FIX,
    WarningRule.REPEAT_PHONE: WarningAction.NONE,
    WarningRule.REPEAT_RECEIPT: WarningAction.NONE,
}

MAX_NOTE = 500


# --- the store's settings ---------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """``count`` complaints within ``days`` days raise a warning."""

    count: int
    days: int

    @property
    def text(self) -> str:
        return f"{self.days} 天内 {self.count} 起"


@dataclass(frozen=True)
class WarningSettings:
    product: Threshold = Threshold(3, 7)
    supplier: Threshold = Threshold(5, 7)
    department: Threshold = Threshold(6, 7)
    category: Threshold = Threshold(10, 7)
    staff: Threshold = Threshold(2, 30)
    # The same phone or the same receipt claiming again: the third time in 90 days.
    claimant: Threshold = Threshold(3, 90)
    food_safety: bool = True

    def threshold(self, rule: WarningRule) -> Threshold | None:
        """The rule's threshold; ``None`` when the rule is switched off."""
        if rule is WarningRule.FOOD_SAFETY:
            return Threshold(1, 1) if self.food_safety else None
        if rule in (WarningRule.REPEAT_PHONE, WarningRule.REPEAT_RECEIPT):
            return self.claimant
        found: Threshold = getattr(self, rule.value)
        return found


DEFAULT_SETTINGS = WarningSettings()
THRESHOLD_FIELDS = tuple(f.name for f in fields(WarningSettings) if f.name != "food_safety")
THRESHOLD_LABELS = {
    "product": "同一商品", "supplier": "同一供应商", "department": "同一部门",
    "category": "同一类别", "staff": "服务投诉点名同一员工", "claimant": "同一电话或同一小票",
}
COUNT_RANGE = (1, 99)
DAYS_RANGE = (1, 366)
FOOD_SAFETY_KEY = "warn_food_safety"


def setting_keys(name: str) -> tuple[str, str]:
    return f"warn_{name}_count", f"warn_{name}_days"


def settings_from(values: Mapping[str, str]) -> WarningSettings:
    """The rules as stored (``setting`` table); a missing or unreadable value keeps its default."""
    chosen = {}
    for name in THRESHOLD_FIELDS:
        default: Threshold = getattr(DEFAULT_SETTINGS, name)
        count_key, days_key = setting_keys(name)
        chosen[name] = Threshold(
            _number(values.get(count_key), default.count, COUNT_RANGE),
            _number(values.get(days_key), default.days, DAYS_RANGE),
        )
    food = values.get(FOOD_SAFETY_KEY, "1" if DEFAULT_SETTINGS.food_safety else "0")
    return replace(DEFAULT_SETTINGS, **chosen, food_safety=food != "0")


def _number(text: str | None, default: int, bounds: tuple[int, int]) -> int:
    if text is None or not text.isdigit():
        return default
    value = int(text)
    return value if bounds[0] <= value <= bounds[1] else default


def settings_values(settings: WarningSettings) -> dict[str, str]:
    """The rules as the ``setting`` table stores them."""
    values = {}
    for name in THRESHOLD_FIELDS:
        threshold: Threshold = getattr(settings, name)
        count_key, days_key = setting_keys(name)
        values[count_key] = str(threshold.count)
        values[days_key] = str(threshold.days)
    values[FOOD_SAFETY_KEY] = "1" if settings.food_safety else "0"
    return values


def validate_settings(settings: WarningSettings) -> None:
    """Refuses a threshold outside 1–99 complaints or 1–366 days, naming the field."""
    errors = {}
    for name in THRESHOLD_FIELDS:
        threshold: Threshold = getattr(settings, name)
        label = THRESHOLD_LABELS[name]
        count_key, days_key = setting_keys(name)
        if not COUNT_RANGE[0] <= threshold.count <= COUNT_RANGE[1]:
            errors[count_key] = f"{label}:起数应在 {COUNT_RANGE[0]}–{COUNT_RANGE[1]} 之间"
        if not DAYS_RANGE[0] <= threshold.days <= DAYS_RANGE[1]:
            errors[days_key] = f"{label}:天数应在 {DAYS_RANGE[0]}–{DAYS_RANGE[1]} 之间"
    if errors:
        raise ValidationError(errors)


# --- what a new case is checked for ------------------------------------------------------------


def product_name_key(name: str) -> str:
    """A product named without a barcode is matched by this: its name without blanks, ASCII
    letters in lower case. It must equal the SQL expression the store indexes
    (``lower(replace(product_name, ' ', ''))``: SQLite's lower() folds ASCII only)."""
    folded = name.replace(" ", "")
    return "".join(char.lower() if char.isascii() else char for char in folded)


@dataclass(frozen=True)
class NewCase:
    """What the rules look at in a case just saved (as stored)."""

    case_id: int
    received_at: datetime
    subject: Subject
    category: Category
    product_barcode: str = ""
    product_name: str = ""
    # The barcode of the catalogue product a case without a barcode names exactly, if any.
    catalogue_barcode: str = ""
    supplier_id: int | None = None
    supplier_name: str = ""
    department_id: int | None = None
    department_name: str = ""
    staff_name: str = ""
    customer_phone: str = ""
    receipt_id: int | None = None
    receipt_no: str = ""


@dataclass(frozen=True)
class Probe:
    """One rule to check for one case: count the complaints of ``subject_key`` since the
    window's start; ``barcode`` and ``name_key`` say how a product is counted."""

    rule: WarningRule
    subject_key: str
    subject: str
    threshold: Threshold
    barcode: str = ""
    name_key: str = ""


def probes(case: NewCase, settings: WarningSettings) -> list[Probe]:
    """Every rule that applies to ``case`` and is switched on, in the order shown to the clerk."""
    found: list[Probe] = []

    def add(rule: WarningRule, key: str, subject: str, **product: str) -> None:
        threshold = settings.threshold(rule)
        if threshold is not None:
            found.append(Probe(rule, key, subject, threshold, **product))

    barcode = case.product_barcode or case.catalogue_barcode
    name_key = product_name_key(case.product_name)
    product_key = f"b:{barcode}" if barcode else (f"n:{name_key}" if name_key else "")
    if case.category is Category.FOOD_SAFETY:
        add(WarningRule.FOOD_SAFETY, product_key or f"case:{case.case_id}",
            case.product_name or Category.FOOD_SAFETY.label)
    if product_key:
        add(WarningRule.PRODUCT, product_key, case.product_name or barcode,
            barcode=barcode, name_key=name_key)
    if case.supplier_id is not None:
        add(WarningRule.SUPPLIER, f"s:{case.supplier_id}", case.supplier_name)
    if case.department_id is not None:
        add(WarningRule.DEPARTMENT, f"d:{case.department_id}", case.department_name)
    add(WarningRule.CATEGORY, f"c:{case.category.value}", case.category.label)
    if case.subject is Subject.SERVICE and case.staff_name:
        add(WarningRule.STAFF, f"p:{case.staff_name}", case.staff_name)
    if case.customer_phone:
        # The chain never holds a phone number (personal data): this warning is found through
        # its cases, and shows the customer from the case row.
        add(WarningRule.REPEAT_PHONE, "", "")
    if case.receipt_id is not None:
        add(WarningRule.REPEAT_RECEIPT, f"r:{case.receipt_id}", case.receipt_no)
    return found


def window_start(received_at: datetime, days: int, last_closed: datetime | None) -> datetime:
    """Cases received from here on count: the rule's days before the case, and never before
    the last warning of the same subject was closed."""
    start = received_at - timedelta(days=days)
    return start if last_closed is None or last_closed < start else last_closed


def span_days(first: datetime, last: datetime, window: int) -> int:
    """The "N 天内" of a notice: the rule's window, or longer once later cases joined."""
    spanned = math.ceil((last - first).total_seconds() / 86400)
    return max(window, spanned)


def notice_text(ordinal: int, subject: str, days: int) -> str:
    """What the clerk reads at save time: ``第 3 起:伊利纯牛奶 250ml,7 天内``."""
    return f"第 {ordinal} 起:{subject},{days} 天内"


# --- working a warning -------------------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledgement:
    action: WarningAction
    note: str


def acknowledgement(status: WarningStatus, action: WarningAction, note: str) -> Acknowledgement:
    """A manager's answer to a raised warning; 无需处理 needs a reason (it closes the warning)."""
    if status is not WarningStatus.RAISED:
        raise ConflictError(f"预警{status.label},不能再确认")
    text = clean_block(note)
    if len(text) > MAX_NOTE:
        raise ValidationError({"note": f"说明太长:最多 {MAX_NOTE} 个字"})
    if action is WarningAction.NONE and not text:
        raise ValidationError({"note": "选择“无需处理”时请写明理由"})
    return Acknowledgement(action, text)


def status_after_acknowledgement(action: WarningAction) -> WarningStatus:
    """无需处理 closes the warning at once; any other action keeps it open until it is done."""
    return WarningStatus.CLOSED if action is WarningAction.NONE else WarningStatus.ACKNOWLEDGED


def closing_note(status: WarningStatus, note: str) -> str:
    """Closing says the action is done; only an acknowledged warning can be closed."""
    if status is WarningStatus.RAISED:
        raise ConflictError("请先确认预警并选择处理措施,措施完成后再关闭")
    if status is WarningStatus.CLOSED:
        raise ConflictError("预警已关闭")
    text = clean_block(note)
    if not text:
        raise ValidationError({"close_note": "请写明措施的完成情况"})
    if len(text) > MAX_NOTE:
        raise ValidationError({"close_note": f"说明太长:最多 {MAX_NOTE} 个字"})
    return text


def is_open(status: WarningStatus) -> bool:
    return status is not WarningStatus.CLOSED
