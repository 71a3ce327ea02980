"""Cases as the screens read them: one case (``CaseDetail``), the queue's filter and rows,
the major complaints waiting for a manager, a customer's earlier cases."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import privacy
from desktop_app.domain import workflow as steps
from desktop_app.domain.case_selection import CaseSelection
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import from_fen
from desktop_app.services.stored_values import as_date, as_datetime, as_optional
from desktop_app.store import cases as store
from desktop_app.store import queue as queue_store


@dataclass(frozen=True)
class CaseDetail:
    """One case as the case screen shows it."""

    case_id: int
    case_no: str
    status: rules.CaseStatus
    received_at: datetime
    channel: rules.Channel
    clerk_name: str
    customer_name: str
    customer_phone: str
    subject: rules.Subject
    product_barcode: str
    product_name: str
    department_name: str
    supplier_name: str
    staff_name: str
    receipt_no: str
    purchase_date: date | None
    amount_paid: Decimal | None
    account: str
    demand: rules.Demand
    category: rules.Category
    kind: rules.Kind
    is_major: bool
    promised_reply_date: date | None
    needs_confirmation: bool
    confirmation_deadline: datetime | None
    workflow: dict[str, dict[str, Any]]
    major_acknowledged_by: str
    offered_steps: list[rules.Step]
    desk_decides: bool


@dataclass(frozen=True)
class MajorCase:
    case_id: int
    case_no: str
    received_at: datetime
    customer_name: str
    category: str
    account: str


@dataclass(frozen=True)
class EarlierCase:
    """Another case of the same customer or receipt, in one line."""

    case_no: str
    received_at: datetime
    summary: str


def earlier_case(case_no: Any, received: Any, category: Any, status: Any) -> EarlierCase:
    return EarlierCase(
        case_no=str(case_no), received_at=as_datetime(received),
        summary=f"{rules.Category.of(str(category)).label} · "
                f"{rules.CaseStatus.of(str(status)).label}",
    )


def normalise_phone_or_empty(text: str) -> str:
    from desktop_app.domain.registration import normalise_phone

    try:
        return normalise_phone(text)
    except (ValueError, ValidationError):
        return ""



# --- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueQuery:
    status: rules.CaseStatus | None = None
    open_only: bool = False
    category: rules.Category | None = None
    department_id: int | None = None
    received_from: date | None = None
    received_until: date | None = None
    major_only: bool = False
    overdue_only: bool = False
    clerk_id: int | None = None
    search: str = ""
    sort: str = "received_at"
    descending: bool = True
    selection: CaseSelection | None = None


@dataclass(frozen=True)
class QueueRow:
    case_id: int
    case_no: str
    received_at: datetime
    customer_name: str
    customer_phone: str
    category_label: str
    kind_label: str
    status_label: str
    department: str
    product_name: str
    receipt_no: str
    is_major: bool
    alert_kind: str  # "overdue", "due_today", "waiting", or ""
    alert: str


OPEN_STATUS_VALUES = tuple(s.value for s in rules.CaseStatus if rules.is_open(s))


def store_filter(query: QueueQuery, today: date) -> queue_store.QueueFilter:
    statuses: tuple[str, ...] = () if query.status is None else (query.status.value,)
    return queue_store.QueueFilter(
        statuses=statuses,
        open_only=query.open_only and query.status is None,
        category=query.category.value if query.category else None,
        department_id=query.department_id,
        received_from=query.received_from,
        received_until=query.received_until,
        major_only=query.major_only,
        overdue_on=today if query.overdue_only else None,
        clerk_id=query.clerk_id,
        search=query.search,
        sort=query.sort,
        descending=query.descending,
        selection=query.selection,
    )


def queue_row(
    row: Sequence[Any], today: date, now: datetime, full_phone: bool = False
) -> QueueRow:
    (case_id, case_no, received, name, phone, category, kind, status, department, product,
     receipt, is_major, promised, needs_confirmation, deadline, _clerk) = row
    status_enum = rules.CaseStatus.of(status)
    alert_kind, alert = _alert(
        status_enum, as_date(promised), bool(needs_confirmation), as_optional(deadline),
        today, now,
    )
    if is_major and not alert:
        alert = "重大投诉"
    return QueueRow(
        case_id=case_id, case_no=case_no, received_at=as_datetime(received),
        customer_name=name, customer_phone=phone if full_phone else privacy.mask_phone(phone),
        category_label=rules.Category.of(category).label, kind_label=rules.Kind.of(kind).label,
        status_label=status_enum.label, department=department or "", product_name=product,
        receipt_no=receipt, is_major=bool(is_major), alert_kind=alert_kind, alert=alert,
    )


def _alert(
    status: rules.CaseStatus,
    promised: date | None,
    needs_confirmation: bool,
    deadline: datetime | None,
    today: date,
    now: datetime,
) -> tuple[str, str]:
    if not rules.is_open(status):
        return "", ""
    if promised is not None and promised < today:
        return "overdue", f"答复已逾期({promised:%m-%d})"
    if promised is not None and promised == today:
        return "due_today", "今天须答复"
    if needs_confirmation and status == rules.CaseStatus.AWAITING_CONFIRMATION:
        if deadline is not None and now > deadline:
            return "waiting", "部门超时未确认"
        return "waiting", "等待部门确认"
    return "", ""




def workflow_of(row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    loaded = json.loads(row["workflow"] or "{}")
    return loaded if isinstance(loaded, dict) else {}


def detail(row: Mapping[str, Any], names: store.CaseNames, now: datetime) -> CaseDetail:
    status = rules.CaseStatus.of(row["status"])
    workflow = workflow_of(row)
    deadline = as_optional(row["confirmation_deadline"])
    fen = names.paid_fen
    return CaseDetail(
        case_id=row["id"], case_no=row["case_no"], status=status,
        received_at=as_datetime(row["received_at"]), channel=rules.Channel.of(row["channel"]),
        clerk_name=names.clerk, customer_name=row["customer_name"],
        customer_phone=row["customer_phone"], subject=rules.Subject.of(row["subject"]),
        product_barcode=row["product_barcode"], product_name=row["product_name"],
        department_name=names.department, supplier_name=names.supplier,
        staff_name=row["staff_name"],
        receipt_no=row["receipt_no"], purchase_date=as_date(row["purchase_date"]),
        amount_paid=None if fen is None else from_fen(fen), account=row["account"],
        demand=rules.Demand.of(row["demand"]), category=rules.Category.of(row["category"]),
        kind=rules.Kind.of(row["kind"]), is_major=bool(row["is_major"]),
        promised_reply_date=as_date(row["promised_reply_date"]),
        needs_confirmation=bool(row["needs_confirmation"]), confirmation_deadline=deadline,
        workflow=workflow, major_acknowledged_by=names.acknowledged_by,
        offered_steps=steps.offered_steps(status, workflow),
        desk_decides=steps.desk_decides(deadline, now),
    )
