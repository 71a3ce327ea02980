"""Warnings as the screens read them: the 预警 page's lines and cases, the notices beside a
case, a claimant's record, the month's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import warning_rules as rules
from desktop_app.domain.privacy import mask_phone
from desktop_app.domain.register import canonical
from desktop_app.domain.warning_rules import WarningAction, WarningRule, WarningStatus
from desktop_app.services.case_views import EarlierCase
from desktop_app.services.stored_values import as_datetime, as_optional
from desktop_app.store import warnings as store


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
class WarningAtEnd:
    """A warning open at a month's end as the month's package prints it: as it stood then, and
    a customer shown by the masked phone alone (the reports print no customer's name or phone)."""

    warning_id: int
    label: str
    cases: int
    state: str


@dataclass(frozen=True)
class MonthWarnings:
    """The 预警 part of the month's 汇总."""

    raised: int
    closed: int
    open_at_end: list[WarningAtEnd]


def month_warnings(start: datetime, end: datetime) -> MonthWarnings:
    """Inside a unit of work (the month's figures read everything in one transaction)."""
    raised, closed = store.raised_and_closed_between(canonical(start), canonical(end))
    return MonthWarnings(
        raised=raised, closed=closed,
        open_at_end=[_at_end(row) for row in store.open_at_end(canonical(end))],
    )


def _at_end(row: tuple[Any, ...]) -> WarningAtEnd:
    warning_id, rule, subject, acknowledged, action, cases, phone = row
    rule_enum = WarningRule.of(str(rule))
    state = WarningStatus.RAISED.label
    if acknowledged:
        state = WarningStatus.ACKNOWLEDGED.label
        if action:
            state += f"·{WarningAction.of(str(action)).label}"
    return WarningAtEnd(
        warning_id=int(warning_id),
        label=f"{rule_enum.label}:{printed_subject(rule_enum, str(subject), str(phone or ''))}",
        cases=int(cases or 0), state=state,
    )


def printed_subject(rule: WarningRule, subject: str, phone: str) -> str:
    """What a report prints for a warning's subject: a repeat claimant by the masked phone of
    its cases."""
    if rule is WarningRule.REPEAT_PHONE:
        return f"顾客 {mask_phone(phone)}"
    return shown_subject(rule, subject, "")


def shown_subject(rule: WarningRule, subject: str, customer: str) -> str:
    if rule is WarningRule.REPEAT_PHONE:
        return f"顾客 {customer.strip()}"
    if rule is WarningRule.REPEAT_RECEIPT:
        return f"小票 {subject}"
    return subject


def warning_line(row: tuple[Any, ...]) -> WarningLine:
    (warning_id, rule, subject, threshold, days, raised_at, status, action, note,
     acknowledged_at, acknowledged_by, closed_at, closed_by, close_note, cases, first, last,
     customer) = row
    rule_enum = WarningRule.of(str(rule))
    return WarningLine(
        warning_id=int(warning_id), rule=rule_enum,
        subject=shown_subject(rule_enum, str(subject), str(customer or "")),
        threshold=rules.Threshold(int(threshold), int(days)), raised_at=as_datetime(raised_at),
        status=WarningStatus.of(str(status)),
        action=WarningAction.of(str(action)) if action else None, note=str(note),
        acknowledged_at=as_optional(acknowledged_at), acknowledged_by=str(acknowledged_by),
        closed_at=as_optional(closed_at), closed_by=str(closed_by), close_note=str(close_note),
        cases=int(cases or 0), first_case_at=as_optional(first), last_case_at=as_optional(last),
    )
