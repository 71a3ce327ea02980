"""A refund, exchange or compensation requested on a case, and the checks of the request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.barcodes import INVALID_BARCODE
from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import normalise_digits, parse_amount
from desktop_app.domain.receipts import receipt_key
from desktop_app.domain.refund_policy import check_refund_amount
from desktop_app.domain.text import checked_length, clean_block, clean_line, raise_if_any, require

MAX_REASON = 500
NO_SUCH_REFUND = "没有这笔退款"
MAX_PRODUCT_NAME = 100
MAX_ITEMS = 50
MAX_QUANTITY = 9999
_ASCII_DIGITS = re.compile(r"^[0-9]{1,4}$")
_BARCODE = re.compile(r"^[0-9]{6,14}$")


class RefundKind(LabelledEnum):
    RETURN = ("return", "退货")
    EXCHANGE = ("exchange", "换货")
    COMPENSATION = ("compensation", "赔偿")


class RefundStatus(LabelledEnum):
    PENDING = ("pending", "待审批")
    APPROVED = ("approved", "已批准")
    REJECTED = ("rejected", "已驳回")
    # The case was voided while the request waited: never signed, never counted.
    CANCELLED = ("cancelled", "已撤销")


COUNTED_STATUSES = frozenset({RefundStatus.PENDING, RefundStatus.APPROVED})


class SpecialReason(LabelledEnum):
    NONE = ("", "—")
    NO_RECEIPT = ("no_receipt", "无购物小票")
    PAST_PERIOD = ("past_period", "超过退换货期限")
    OPENED_OR_USED = ("opened_or_used", "已拆封或已使用")
    EXCEPTION = ("exception", "其他特批")


class ChargeBack(LabelledEnum):
    NOT_APPLICABLE = ("not_applicable", "不适用")
    PENDING = ("pending", "待向供应商扣款")
    CHARGED = ("charged", "已向供应商扣款")
    WAIVED = ("waived", "已免除")


@dataclass(frozen=True)
class ItemDraft:
    product_name: str
    barcode: str
    quantity: str
    amount: str
    defect: str = ""


@dataclass(frozen=True)
class RefundDraft:
    kind: RefundKind
    amount: str
    reason: str
    items: tuple[ItemDraft, ...]
    is_quality: bool = False
    supplier_name: str = ""
    is_special: bool = False
    special_reason: SpecialReason = SpecialReason.NONE
    special_detail: str = ""
    receipt_no: str = ""
    receipt_paid: str = ""


@dataclass(frozen=True)
class RefundItem:
    product_name: str
    barcode: str
    quantity: int
    amount: Decimal
    defect: str


@dataclass(frozen=True)
class RefundRequest:
    kind: RefundKind
    amount: Decimal
    reason: str
    items: tuple[RefundItem, ...]
    is_quality: bool
    supplier_name: str
    is_special: bool
    special_reason: SpecialReason
    special_detail: str
    receipt_no: str
    receipt_paid: Decimal | None

    @property
    def charge_back(self) -> ChargeBack:
        return ChargeBack.PENDING if self.is_quality else ChargeBack.NOT_APPLICABLE


def validate_refund(draft: RefundDraft) -> RefundRequest:
    """Every problem at once; the amount must be positive, exact and match the items."""
    errors: dict[str, str] = {}
    amount = _amount(draft.amount, "amount", "金额", errors)
    reason = checked_length(clean_block(draft.reason), "reason", "原因", MAX_REASON, errors)
    require(reason, "reason", "退换货原因", errors)
    items = _items(draft.items, errors)
    if amount is not None and items and "items" not in errors:
        listed = sum((item.amount for item in items), Decimal("0"))
        if listed != amount:
            errors["items"] = f"商品明细合计 {listed} 元,与申请金额 {amount} 元不一致"
    supplier = clean_line(draft.supplier_name)
    if draft.is_quality and not supplier:
        errors["supplier_name"] = "商品质量退货由供应商承担损失,请填写供应商"
    special_detail = checked_length(
        clean_block(draft.special_detail), "special_detail", "特殊情况说明", MAX_REASON, errors
    )
    if draft.is_special:
        if draft.special_reason is SpecialReason.NONE:
            errors["special_reason"] = "请选择特殊情况类别"
        require(special_detail, "special_detail", "特殊情况说明", errors)
    receipt = _receipt(draft.receipt_no, errors)
    no_receipt = draft.is_special and draft.special_reason is SpecialReason.NO_RECEIPT
    # An empty number means the case's own receipt; the service knows whether it has one.
    if no_receipt and receipt:
        errors["receipt_no"] = "按“无购物小票”申请时不能填写小票号"
    # Whether a paid amount is needed depends on what the receipt's record already holds:
    # the service decides that.
    paid = None
    if draft.receipt_paid.strip():
        paid = _amount(draft.receipt_paid, "receipt_paid", "小票实付金额", errors)
    raise_if_any(errors)
    assert amount is not None
    return RefundRequest(
        kind=draft.kind, amount=amount, reason=reason, items=tuple(items),
        is_quality=draft.is_quality, supplier_name=supplier if draft.is_quality else "",
        is_special=draft.is_special,
        special_reason=draft.special_reason if draft.is_special else SpecialReason.NONE,
        special_detail=special_detail if draft.is_special else "", receipt_no=receipt,
        receipt_paid=paid,
    )


def _receipt(text: str, errors: dict[str, str]) -> str:
    try:
        return receipt_key(text)
    except ValidationError as error:
        errors.update(error.field_errors)
        return ""


def _quantity(text: str) -> int | None:
    """A whole number typed any way an input method types digits; superscripts and circled
    numbers (², ①) are not quantities."""
    if not text.isdecimal():
        return None
    folded = normalise_digits(text)
    if not _ASCII_DIGITS.match(folded):
        return None
    quantity = int(folded)
    return quantity if 1 <= quantity <= MAX_QUANTITY else None


def _amount(text: str, field: str, label: str, errors: dict[str, str]) -> Decimal | None:
    try:
        return check_refund_amount(parse_amount(text, field, label), label)
    except ValidationError as error:
        errors[field] = next(iter(error.field_errors.values()))
        return None


def _items(drafts: tuple[ItemDraft, ...], errors: dict[str, str]) -> list[RefundItem]:
    if not drafts:
        errors["items"] = "请至少填写一件商品"
        return []
    if len(drafts) > MAX_ITEMS:
        errors["items"] = f"一次最多 {MAX_ITEMS} 种商品"
        return []
    items = []
    for number, draft in enumerate(drafts, start=1):
        name = clean_line(draft.product_name)
        quantity = _quantity(clean_line(draft.quantity))
        barcode = normalise_digits(clean_line(draft.barcode)).replace(" ", "")
        item_errors: dict[str, str] = {}
        amount = _amount(draft.amount or "", "amount", "商品金额", item_errors)
        if not name:
            item_errors["name"] = "请填写商品名称"
        elif len(name) > MAX_PRODUCT_NAME:
            item_errors["name"] = f"商品名称最多 {MAX_PRODUCT_NAME} 个字"
        if quantity is None:
            item_errors["quantity"] = f"数量应为 1–{MAX_QUANTITY} 的整数"
        if barcode and not _BARCODE.match(barcode):
            item_errors["barcode"] = INVALID_BARCODE
        defect = clean_line(draft.defect)
        if len(defect) > MAX_REASON:
            item_errors["defect"] = f"问题描述最多 {MAX_REASON} 个字"
        if item_errors or amount is None or quantity is None:
            errors["items"] = f"第 {number} 行商品有误:" + ";".join(item_errors.values())
            continue
        items.append(RefundItem(
            product_name=name, barcode=barcode, quantity=quantity, amount=amount, defect=defect,
        ))
    return items


@dataclass(frozen=True)
class HeadOfficeSignOff:
    approver: str
    reference: str
    signed_on: date


def validate_head_office(
    approver: str, reference: str, signed_on: date, today: date
) -> HeadOfficeSignOff:
    errors: dict[str, str] = {}
    name = require(clean_line(approver), "head_office_approver", "集团签批人姓名", errors)
    ref = require(clean_line(reference), "head_office_reference", "签批文号", errors)
    checked_length(ref, "head_office_reference", "签批文号", 40, errors)
    if signed_on > today:
        errors["head_office_date"] = "签批日期不能晚于今天"
    raise_if_any(errors)
    return HeadOfficeSignOff(approver=name, reference=ref, signed_on=signed_on)


def check_signed_after_request(sign_off: HeadOfficeSignOff, requested_on: date) -> None:
    """A sign-off dated before the request cannot be this request's (found: one dated 2001
    was accepted)."""
    if sign_off.signed_on < requested_on:
        raise ValidationError({"head_office_date": (
            f"签批日期不能早于退款申请日期 {requested_on:%Y-%m-%d}"
        )})
