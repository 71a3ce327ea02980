"""The row a registration writes, for the desk (``CaseService``) and the demo's bulk loader
alike, so both store the same columns with the same fallbacks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.registration import NewCase


def registration_row(
    new: NewCase,
    clerk_id: int,
    now: datetime,
    product: Mapping[str, Any] | None,
    department_id: int | None,
    supplier_id: int | None,
) -> dict[str, Any]:
    """The columns a registration writes, ``product``, department and supplier already looked
    up; a product found by its barcode names the department and supplier left empty."""
    if product is not None:
        department_id = department_id or product["department_id"]
        supplier_id = supplier_id or product["supplier_id"]
    return {
        "received_at": new.received_at,
        "channel": new.channel.value,
        "clerk_id": clerk_id,
        "customer_name": new.customer_name,
        "customer_phone": new.customer_phone,
        "subject": new.subject.value,
        "product_id": product["id"] if product else None,
        "product_barcode": new.product_barcode,
        "product_name": new.product_name or (product["name"] if product else ""),
        "department_id": department_id,
        "supplier_id": supplier_id,
        "staff_name": new.staff_name,
        "receipt_no": new.receipt_no,
        "purchase_date": new.purchase_date,
        "account": new.account,
        "demand": new.demand.value,
        "category": new.category.value,
        "kind": new.kind.value,
        "is_major": new.is_major,
        "promised_reply_date": new.promised_reply_date,
        "status": rules.CaseStatus.REGISTERED.value,
        "needs_confirmation": new.category.needs_department_confirmation,
        "confirmation_deadline": None,
        "workflow": "{}",
        "updated_at": now,
    }


def confirmation_deadline(assigned_at: datetime, minutes: int) -> datetime:
    """When the department must have confirmed, once the case is passed to it."""
    return assigned_at + timedelta(minutes=minutes)


def known_id(
    name: str, look_up: Callable[[str], int | None], field: str, label: str
) -> int | None:
    if not name:
        return None
    found = look_up(name)
    if found is None:
        raise unknown_name(field, label, name)
    return found


def unknown_name(field: str, label: str, name: str) -> ValidationError:
    """The refusal of a department, supplier or other list entry typed that the list lacks."""
    return ValidationError({field: f"没有名为“{name}”的{label},请从列表中选择"})
