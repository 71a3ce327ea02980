"""Validation of the 《顾客接待登记表》 as typed at the desk.

Every problem is reported at once, keyed by field, with a Chinese message to show beside it;
nothing is saved unless the whole form is valid.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from desktop_app.domain.barcodes import INVALID_BARCODE
from desktop_app.domain.cases import Category, Channel, Demand, Kind, Subject
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import normalise_digits, parse_amount
from desktop_app.domain.receipts import receipt_key
from desktop_app.domain.text import checked_length, clean_block, clean_line, raise_if_any, require

MAX_NAME = 30
MAX_PRODUCT_NAME = 100
MAX_ACCOUNT = 2000
# A desk PC's clock and the clerk's watch may differ by a few minutes.
CLOCK_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1)
LONGEST_PROMISE = timedelta(days=90)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
_BARCODE = re.compile(r"^\d{6,14}$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
# The first of them written out in full, read without strptime (a bulk load reads many).
_USUAL_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


@dataclass(frozen=True)
class RegistrationDraft:
    """The form as typed: free text stays text until validated."""

    received_at: datetime
    channel: Channel
    customer_name: str
    customer_phone: str
    subject: Subject
    product_barcode: str
    product_name: str
    department_name: str
    supplier_name: str
    staff_name: str
    receipt_no: str
    purchase_date: str
    amount_paid: str
    account: str
    demand: Demand
    category: Category
    kind: Kind
    is_major: bool
    promised_reply_date: str


@dataclass(frozen=True)
class NewCase:
    """A valid registration, with typed values."""

    received_at: datetime
    channel: Channel
    customer_name: str
    customer_phone: str
    subject: Subject
    product_barcode: str
    product_name: str
    department_name: str
    supplier_name: str
    staff_name: str
    receipt_no: str
    purchase_date: date | None
    amount_paid: Decimal | None
    account: str
    demand: Demand
    category: Category
    kind: Kind
    is_major: bool
    promised_reply_date: date | None


def normalise_phone(text: str) -> str:
    """Digits only, without +86 or the separators people type; ``ValueError`` if not a phone."""
    digits = re.sub(r"[\s\-()()]", "", normalise_digits(text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    # One customer, one phone: a mobile number typed with the trunk 0 in front, or with 86 and
    # no plus, is the same number (no landline area code starts 013–019, none is 86…).
    if len(digits) == 12 and digits[0] == "0" and _MOBILE.match(digits[1:]):
        digits = digits[1:]
    elif len(digits) == 13 and digits.startswith("86") and _MOBILE.match(digits[2:]):
        digits = digits[2:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits) or _LOCAL.match(digits):
        return digits
    raise ValueError(text)


def parse_date(text: str) -> date:
    """``2026-11-20``, ``2026/11/20``, ``2026.11.20``, ``20261120`` or ``2026年11月20日``,
    full-width digits too; ``ValueError`` otherwise."""
    cleaned = normalise_digits(text).replace("年", "-").replace("月", "-").replace("日", "")
    usual = _USUAL_DATE.match(cleaned)
    if usual is not None:
        with contextlib.suppress(ValueError):  # 2026-02-30: the formats below say no
            return date(*map(int, usual.groups()))
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def validate_registration(
    draft: RegistrationDraft, now: datetime, in_catalogue: Callable[[str], bool] | None = None
) -> NewCase:
    """Every problem of the draft at once. ``in_catalogue`` (a barcode look-up) adds what an
    unknown barcode needs in the same round (found: the product's name and department were
    asked for only at the second save)."""
    errors: dict[str, str] = {}
    received_at = _received_at(draft.received_at, now, errors)
    name = clean_line(draft.customer_name)
    checked_length(name, "customer_name", "顾客姓名", MAX_NAME, errors)
    require(name, "customer_name", "顾客姓名(可写“王女士”)", errors)
    phone = _phone(draft, errors)
    product_name, barcode = _product(draft, errors)
    department = clean_line(draft.department_name)
    staff = checked_length(clean_line(draft.staff_name), "staff_name", "员工姓名", MAX_NAME, errors)
    if draft.subject is Subject.SERVICE and not (department or staff):
        errors["department_name"] = "服务类投诉请填写责任部门或涉及员工"
    if in_catalogue is not None and barcode and "product_barcode" not in errors:
        problems = unknown_barcode_problems(
            draft.category, product_name, department, found=in_catalogue(barcode))
        for field, message in problems.items():
            errors.setdefault(field, message)
    receipt = _receipt(draft.receipt_no, errors)
    purchase_date = _optional_date(draft.purchase_date, "purchase_date", "购买日期", errors)
    if purchase_date is not None and purchase_date > received_at.date():
        errors["purchase_date"] = "购买日期不能晚于接待日期"
    amount = _amount(draft.amount_paid, errors)
    account = checked_length(clean_block(draft.account), "account", "顾客陈述", MAX_ACCOUNT, errors)
    require(account, "account", "顾客陈述", errors)
    promised = _promise(draft.promised_reply_date, received_at, now, errors)
    raise_if_any(errors)
    return NewCase(
        received_at=received_at, channel=draft.channel, customer_name=name,
        customer_phone=phone, subject=draft.subject, product_barcode=barcode,
        product_name=product_name, department_name=department,
        supplier_name=clean_line(draft.supplier_name), staff_name=staff, receipt_no=receipt,
        purchase_date=purchase_date, amount_paid=amount, account=account, demand=draft.demand,
        category=draft.category, kind=draft.kind, is_major=draft.is_major,
        promised_reply_date=promised,
    )


def _received_at(value: datetime, now: datetime, errors: dict[str, str]) -> datetime:
    value = value.replace(microsecond=0)
    if value > now + CLOCK_TOLERANCE:
        errors["received_at"] = "接待时间不能晚于现在"
    elif value < EARLIEST:
        errors["received_at"] = "接待时间不对"
    return value


def _phone(draft: RegistrationDraft, errors: dict[str, str]) -> str:
    text = clean_line(draft.customer_phone)
    if not text:
        if draft.kind is Kind.COMPLAINT:
            errors["customer_phone"] = "请填写联系电话(答复和回访需要)"
        return ""
    try:
        return normalise_phone(text)
    except ValueError:
        errors["customer_phone"] = "电话号码不对:手机 11 位(1 开头),座机带区号如 010-12345678"
        return text


def _product(draft: RegistrationDraft, errors: dict[str, str]) -> tuple[str, str]:
    name = checked_length(
        clean_line(draft.product_name), "product_name", "商品名称", MAX_PRODUCT_NAME, errors
    )
    barcode = normalise_digits(clean_line(draft.product_barcode)).replace(" ", "")
    if barcode and not _BARCODE.match(barcode):
        errors["product_barcode"] = INVALID_BARCODE
    if draft.subject is Subject.PRODUCT and not (name or barcode):
        errors["product_name"] = "商品类投诉请扫条码或填写商品名称"
    return name, barcode


def _receipt(text: str, errors: dict[str, str]) -> str:
    try:
        return receipt_key(text)
    except ValidationError as error:
        errors.update(error.field_errors)
        return ""


def _optional_date(text: str, field: str, label: str, errors: dict[str, str]) -> date | None:
    cleaned = clean_line(text)
    if not cleaned:
        return None
    try:
        return parse_date(cleaned)
    except ValueError:
        errors[field] = f"{label}格式不对,请写成 2026-11-20"
        return None


def _amount(text: str, errors: dict[str, str]) -> Decimal | None:
    if not clean_line(text):
        return None
    try:
        return parse_amount(clean_line(text), "amount_paid", "实付金额")
    except ValidationError as error:
        errors.update(error.field_errors)
        return None


def _promise(
    text: str, received_at: datetime, now: datetime, errors: dict[str, str]
) -> date | None:
    promised = _optional_date(text, "promised_reply_date", "承诺答复日期", errors)
    if promised is None:
        return None
    if promised < min(received_at, now).date():
        errors["promised_reply_date"] = "承诺答复日期不能早于接待日期"
    elif promised > (received_at + LONGEST_PROMISE).date():
        errors["promised_reply_date"] = "承诺答复日期太远(最多 90 天)"
    return promised


def check_product_found(new: NewCase, found: bool) -> None:
    """A quality complaint about a barcode the catalogue does not hold needs the product's name
    and its department typed by hand: that department's team leader must come and confirm."""
    if new.product_barcode:
        raise_if_any(unknown_barcode_problems(
            new.category, new.product_name, new.department_name, found))


def unknown_barcode_problems(
    category: Category, product_name: str, department_name: str, found: bool
) -> dict[str, str]:
    """``check_product_found``'s messages for a barcode (``found``: the catalogue holds it)."""
    if found or not category.needs_department_confirmation:
        return {}
    errors: dict[str, str] = {}
    if not product_name:
        errors["product_name"] = "商品库中没有这个条码:请手工填写商品名称"
    if not department_name:
        errors["department_name"] = "商品库中没有这个条码:请填写责任部门(须部门班长到场确认)"
    return errors
