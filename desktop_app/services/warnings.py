"""Early warning (预警): checking each saved case against the store's rules, in the save's own
transaction, and working the warnings that result. Every write is a register entry.

``check_new_case`` is called by ``CaseService.register`` inside its unit of work; the rest is
``WarningService``, for the 预警 page, the registration form, the approval dialog, the monthly
summary and ``main.py warnings``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import warning_rules as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import CaseStatus, Category, Subject
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError
from desktop_app.domain.money import from_fen
from desktop_app.domain.receipts import receipt_key_or_none
from desktop_app.domain.refunds import RefundKind
from desktop_app.domain.register import canonical
from desktop_app.domain.roles import MANAGER_ROLES, may_administer
from desktop_app.domain.warning_rules import (
    Probe,
    WarningAction,
    WarningRule,
    WarningSettings,
    WarningStatus,
)
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import register as register_store
from desktop_app.store import warnings as store

Clock = Callable[[], datetime]
# A warning is raised with at most this many of the cases that crossed its threshold.
RAISED_WITH_AT_MOST = 50


# --- in the registration's transaction -----------------------------------------------------------


def current_settings() -> WarningSettings:
    return rules.settings_from(register_store.settings())


def check_new_case(
    case_id: int, row: Mapping[str, Any], actor: Account | register.Actor | None, at: datetime
) -> list[int]:
    """Check a case just inserted against every rule; raise warnings or add the case to open
    ones. Call inside the registration's unit of work. Returns the warnings it is now part of."""
    case = _new_case(case_id, row)
    settings = current_settings()
    joined = []
    for probe in rules.probes(case, settings):
        warning_id = _check(probe, case, actor, at)
        if warning_id is not None:
            joined.append(warning_id)
    return joined


def _new_case(case_id: int, row: Mapping[str, Any]) -> rules.NewCase:
    department, supplier, receipt = store.subject_names(case_id)
    barcode = str(row.get("product_barcode") or "")
    name = str(row.get("product_name") or "")
    return rules.NewCase(
        case_id=case_id,
        received_at=_moment(row["received_at"]),
        subject=Subject.of(str(row["subject"])),
        category=Category.of(str(row["category"])),
        product_barcode=barcode,
        product_name=name,
        catalogue_barcode="" if barcode or not name else store.catalogue_barcode(name),
        supplier_id=row.get("supplier_id"),
        supplier_name=supplier,
        department_id=row.get("department_id"),
        department_name=department,
        staff_name=str(row.get("staff_name") or ""),
        customer_phone=str(row.get("customer_phone") or ""),
        receipt_id=row.get("receipt_id"),
        receipt_no=receipt,
    )


def _check(
    probe: Probe, case: rules.NewCase, actor: Account | register.Actor | None, at: datetime
) -> int | None:
    phone = probe.rule is WarningRule.REPEAT_PHONE
    found = (
        store.open_phone_warning(case.customer_phone) if phone
        else store.open_warning(probe.rule.value, probe.subject_key)
    )
    if found is not None:
        warning_id = found[0]
        if not store.is_linked(warning_id, case.case_id):
            _link(warning_id, case.case_id, store.case_count(warning_id) + 1, actor, at)
        return warning_id
    closed = (
        store.last_closed_phone(case.customer_phone) if phone
        else store.last_closed(probe.rule.value, probe.subject_key)
    )
    since = rules.window_start(
        case.received_at, probe.threshold.days, None if closed is None else _moment(closed)
    )
    counted = _counted_cases(probe, case, canonical(since))
    if len(counted) < probe.threshold.count or case.case_id not in counted:
        return None
    return _raise(probe, counted, actor, at)


def _counts(probe: Probe, case: rules.NewCase) -> list[tuple[str, Any]]:
    """Which counted indexes hold the cases of this probe's subject, and the value to look up."""
    rule = probe.rule
    if rule is WarningRule.PRODUCT or rule is WarningRule.FOOD_SAFETY:
        parts: list[tuple[str, Any]] = []
        if probe.barcode:
            parts.append(("barcode", probe.barcode))
        if probe.name_key:
            parts.append(("name", probe.name_key))
        return parts
    value: dict[WarningRule, tuple[str, Any]] = {
        WarningRule.SUPPLIER: ("supplier", case.supplier_id),
        WarningRule.DEPARTMENT: ("department", case.department_id),
        WarningRule.CATEGORY: ("category", case.category.value),
        WarningRule.STAFF: ("staff", case.staff_name),
        WarningRule.REPEAT_PHONE: ("phone", case.customer_phone),
        WarningRule.REPEAT_RECEIPT: ("receipt", case.receipt_id),
    }
    return [value[rule]]


def _counted_cases(probe: Probe, case: rules.NewCase, since: str) -> list[int]:
    """The counted cases of the probe's window, oldest first: one count per index while below
    the threshold (nothing read but index entries), their ids once it is reached."""
    if probe.rule is WarningRule.FOOD_SAFETY:
        # Any food-safety complaint warns at once, with itself.
        return [case.case_id]
    parts = _counts(probe, case)
    total = sum(store.count_since(kind, value, since) for kind, value in parts)
    if total < probe.threshold.count:
        return []
    found: dict[int, str] = {}
    for kind, value in parts:
        found.update(store.ids_since(kind, value, since, RAISED_WITH_AT_MOST))
    ordered = sorted(found, key=lambda case_id: (found[case_id], case_id))
    return ordered[-RAISED_WITH_AT_MOST:]


def _raise(
    probe: Probe, case_ids: list[int], actor: Account | register.Actor | None, at: datetime
) -> int:
    actor_id = register.actor_of(actor).id
    warning_id = register.create("warning", {
        "rule": probe.rule.value, "subject_key": probe.subject_key, "subject": probe.subject,
        "threshold": probe.threshold.count, "window_days": probe.threshold.days,
        "raised_at": at, "raised_by_id": actor_id, "status": WarningStatus.RAISED.value,
    }, actor, "warning:raise", at)
    for ordinal, case_id in enumerate(case_ids, start=1):
        _link(warning_id, case_id, ordinal, actor, at)
    return warning_id


def _link(
    warning_id: int, case_id: int, ordinal: int, actor: Account | register.Actor | None,
    at: datetime,
) -> None:
    register.create("warning_case", {
        "warning_id": warning_id, "case_id": case_id, "ordinal": ordinal, "linked_at": at,
    }, actor, "warning:case", at)


# --- what the screens read ---------------------------------------------------------------------


@dataclass(frozen=True)
class WarningLine:
    warning_id: int
    rule: WarningRule
    subject: str
    threshold: rules.Threshold
    raised_at: datetime
    status: WarningStatus
    action: WarningAction | None
    note: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    closed_at: datetime | None
    closed_by: str
    close_note: str
    cases: int
    first_case_at: datetime | None
    last_case_at: datetime | None

    @property
    def label(self) -> str:
        return f"{self.rule.label}:{self.subject}"

    @property
    def span_days(self) -> int:
        if self.first_case_at is None or self.last_case_at is None:
            return self.threshold.days
        return rules.span_days(self.first_case_at, self.last_case_at, self.threshold.days)

    @property
    def summary(self) -> str:
        """One line: what, how many in how many days, where it stands."""
        state = self.status.label
        if self.action is not None:
            state += f"·{self.action.label}"
        return f"{self.label},{self.span_days} 天内 {self.cases} 起 [{state}]"


@dataclass(frozen=True)
class WarningCase:
    ordinal: int
    case_id: int
    case_no: str
    received_at: datetime
    product_name: str
    customer_name: str
    category: str
    status: str


@dataclass(frozen=True)
class Notice:
    """What the clerk is told after saving a case that raised or joined a warning."""

    rule: WarningRule
    text: str  # 第 3 起:伊利纯牛奶 250ml,7 天内
    status: WarningStatus


@dataclass(frozen=True)
class EarlierCase:
    case_no: str
    received_at: datetime
    summary: str


@dataclass(frozen=True)
class ClaimantRefund:
    case_no: str
    at: datetime
    kind: str
    amount: Decimal
    pending: bool


@dataclass(frozen=True)
class ClaimantRecord:
    """What the signer of a refund should know about the customer claiming it."""

    has_phone: bool
    earlier_cases: list[EarlierCase]  # this customer's other cases (by phone)
    receipt_cases: list[EarlierCase]  # other cases citing the same receipt
    refunds: list[ClaimantRefund]  # this year's approved refunds, and those still waiting
    approved_total: Decimal
    approved_count: int
    year: int
    warnings: list[str]  # repeat-claim warnings this case raised or joined

    @property
    def is_repeat(self) -> bool:
        return bool(self.earlier_cases or self.receipt_cases)


@dataclass(frozen=True)
class MonthWarnings:
    """The 预警 part of the month's 汇总."""

    raised: int
    closed: int
    open_at_end: list[WarningLine]


class WarningService:
    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- the rules ------------------------------------------------------------------------------

    def settings(self) -> WarningSettings:
        with UnitOfWork(self._db):
            return current_settings()

    def update_settings(self, actor: Account, settings: WarningSettings) -> None:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以修改预警规则")
        rules.validate_settings(settings)
        with UnitOfWork(self._db) as uow:
            register.write_settings(rules.settings_values(settings), actor, self.now())
            uow.commit()

    # --- reading --------------------------------------------------------------------------------

    @staticmethod
    def may_work(actor: Account) -> bool:
        return actor.role in MANAGER_ROLES

    def warnings(self, statuses: tuple[WarningStatus, ...] | None = None) -> list[WarningLine]:
        """Newest first; by default every open warning."""
        chosen = statuses or (WarningStatus.RAISED, WarningStatus.ACKNOWLEDGED)
        with UnitOfWork(self._db):
            rows = store.warnings(tuple(status.value for status in chosen))
        return [_line(row) for row in rows]

    def warning(self, warning_id: int) -> WarningLine:
        with UnitOfWork(self._db):
            row = store.warning(warning_id)
        if row is None:
            raise NotFoundError("没有这个预警")
        return _line(row)

    def cases(self, warning_id: int) -> list[WarningCase]:
        with UnitOfWork(self._db):
            rows = store.cases_of(warning_id)
        return [
            WarningCase(
                ordinal=int(row[0]), case_id=int(row[1]), case_no=str(row[2]),
                received_at=_moment(row[3]), product_name=str(row[4]),
                customer_name=str(row[5]), category=Category.of(str(row[6])).label,
                status=CaseStatus.of(str(row[7])).label,
            )
            for row in rows
        ]

    def notices(self, case_id: int) -> list[Notice]:
        """The warnings a saved case raised or joined, as the clerk is told of them."""
        with UnitOfWork(self._db):
            rows = store.notices_of_case(case_id)
        notices = []
        for rule_value, subject, days, status, ordinal, first, this, customer in rows:
            rule = WarningRule.of(str(rule_value))
            shown = _shown_subject(rule, str(subject), str(customer or ""))
            span = rules.span_days(_moment(first), _moment(this), int(days))
            notices.append(Notice(
                rule=rule, text=rules.notice_text(int(ordinal), shown, span),
                status=WarningStatus.of(str(status)),
            ))
        return notices

    # --- working a warning ----------------------------------------------------------------------

    def acknowledge(
        self, actor: Account, warning_id: int, action: WarningAction, note: str
    ) -> WarningLine:
        """A manager says what is being done; 无需处理 (with its reason) closes the warning."""
        self._check_may_work(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(warning_id)
            answer = rules.acknowledgement(WarningStatus.of(row["status"]), action, note)
            status = rules.status_after_acknowledgement(answer.action)
            changes: dict[str, Any] = {
                "status": status.value, "action": answer.action.value, "note": answer.note,
                "acknowledged_at": now, "acknowledged_by_id": actor.id,
            }
            if status is WarningStatus.CLOSED:
                changes.update(closed_at=now, closed_by_id=actor.id, close_note=answer.note)
            register.change("warning", warning_id, changes, actor, "warning:acknowledge", now,
                            before=row)
            uow.commit()
        return self.warning(warning_id)

    def close(self, actor: Account, warning_id: int, note: str) -> WarningLine:
        """The action is done: the warning closes; later cases start counting afresh."""
        self._check_may_work(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(warning_id)
            text = rules.closing_note(WarningStatus.of(row["status"]), note)
            register.change("warning", warning_id, {
                "status": WarningStatus.CLOSED.value, "closed_at": now,
                "closed_by_id": actor.id, "close_note": text,
            }, actor, "warning:close", now, before=row)
            uow.commit()
        return self.warning(warning_id)

    def _check_may_work(self, actor: Account) -> None:
        if not self.may_work(actor):
            raise PermissionDeniedError("只有前台经理、副店长或店长可以处理预警")

    @staticmethod
    def _row(warning_id: int) -> dict[str, Any]:
        row = store.warning_columns(warning_id)
        if row is None:
            raise NotFoundError("没有这个预警")
        return row

    # --- a customer claiming again ----------------------------------------------------------------

    def receipt_history(self, receipt_text: str) -> list[EarlierCase]:
        """Earlier cases citing the same receipt, however its number is typed."""
        key = receipt_key_or_none(receipt_text)
        if key is None:
            return []
        with UnitOfWork(self._db):
            rows = store.cases_of_receipt(key)
        return [_earlier(*row[1:]) for row in rows]

    def claimant(self, refund_id: int) -> ClaimantRecord:
        """For the approval dialog: the customer's other cases (by phone and by receipt), their
        refunds approved this year with the total, and those still waiting."""
        now = self.now()
        start, end = date(now.year, 1, 1), date(now.year + 1, 1, 1)
        with UnitOfWork(self._db):
            subject = store.claim_subject(refund_id)
            if subject is None:
                raise NotFoundError("没有这笔退款")
            case_id, phone, receipt_id, _name = subject
            by_phone = [row for row in store.cases_of_phone(phone) if row[0] != case_id] \
                if phone else []
            receipt = store.subject_names(int(case_id))[2]
            listed = {row[0] for row in by_phone} | {case_id}
            by_receipt = [
                row for row in store.cases_of_receipt(receipt) if row[0] not in listed
            ] if receipt_id is not None and receipt else []
            refunds = store.refunds_of_phone(phone, f"{start}", f"{end}") if phone else []
            claims = store.claim_warnings_of_case(int(case_id))
        lines = [
            ClaimantRefund(case_no=str(row[1]), at=_moment(row[2]),
                           kind=RefundKind.of(str(row[3])).label, amount=from_fen(int(row[4])),
                           pending=row[5] == "pending")
            for row in refunds
        ]
        approved = [line for line in lines if not line.pending]
        return ClaimantRecord(
            has_phone=bool(phone),
            earlier_cases=[_earlier(*row[1:]) for row in by_phone],
            receipt_cases=[_earlier(*row[1:]) for row in by_receipt],
            refunds=lines,
            approved_total=sum((line.amount for line in approved), Decimal("0.00")),
            approved_count=len(approved),
            year=now.year,
            warnings=[
                f"{WarningRule.of(str(rule)).label} 第 {ordinal} 起"
                f"({WarningStatus.of(str(status)).label})"
                for rule, status, ordinal in claims
            ],
        )

    # --- the month and the command line -----------------------------------------------------------

    def month(self, start: datetime, end: datetime) -> MonthWarnings:
        """Raised and closed in [start, end), and those still open at ``end``."""
        with UnitOfWork(self._db):
            return month_warnings(start, end)

    def open_lines(self) -> list[str]:
        """Every open warning, one line each, oldest first (``main.py warnings``)."""
        lines = self.warnings()
        return [
            f"#{line.warning_id} {line.raised_at:%Y-%m-%d %H:%M} {line.summary}"
            for line in reversed(lines)
        ]


def month_warnings(start: datetime, end: datetime) -> MonthWarnings:
    """Inside a unit of work (the month's figures read everything in one transaction)."""
    raised, closed = store.raised_and_closed_between(canonical(start), canonical(end))
    return MonthWarnings(
        raised=raised, closed=closed,
        open_at_end=[_line(row) for row in store.open_at(canonical(end))],
    )


def _shown_subject(rule: WarningRule, subject: str, customer: str) -> str:
    if rule is WarningRule.REPEAT_PHONE:
        return f"顾客 {customer.strip()}"
    if rule is WarningRule.REPEAT_RECEIPT:
        return f"小票 {subject}"
    return subject


def _line(row: tuple[Any, ...]) -> WarningLine:
    (warning_id, rule, subject, threshold, days, raised_at, status, action, note,
     acknowledged_at, acknowledged_by, closed_at, closed_by, close_note, cases, first, last,
     customer) = row
    rule_enum = WarningRule.of(str(rule))
    return WarningLine(
        warning_id=int(warning_id), rule=rule_enum,
        subject=_shown_subject(rule_enum, str(subject), str(customer or "")),
        threshold=rules.Threshold(int(threshold), int(days)), raised_at=_moment(raised_at),
        status=WarningStatus.of(str(status)),
        action=WarningAction.of(str(action)) if action else None, note=str(note),
        acknowledged_at=_optional(acknowledged_at), acknowledged_by=str(acknowledged_by),
        closed_at=_optional(closed_at), closed_by=str(closed_by), close_note=str(close_note),
        cases=int(cases or 0), first_case_at=_optional(first), last_case_at=_optional(last),
    )


def _earlier(case_no: Any, received: Any, category: Any, status: Any) -> EarlierCase:
    return EarlierCase(
        case_no=str(case_no), received_at=_moment(received),
        summary=f"{Category.of(str(category)).label} · {CaseStatus.of(str(status)).label}",
    )


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _optional(value: Any) -> datetime | None:
    return None if value in (None, "") else _moment(value)
