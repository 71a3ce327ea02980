"""The supplier charge-back ledger (003: "商品质量问题造成的…损失…由供应商负担").

Every approved quality return opens one line owed by its supplier. The line's amount starts as
the refunded amount; a manager may change it while it is still owed, with the reason. A line is
待扣款 until it is either 已扣款 (the deduction's reference and date: the supplier paid through
a deduction from its invoice) or 已免除 (only the store manager, with the reason). A wrong entry
is undone by the store manager (撤销), which makes the line owed again; the register keeps it all.

What a supplier owes for a month (应扣) is the owed lines approved that month, charged or still
pending; waived lines are listed with their reason and not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import MAX_AMOUNT, format_yuan, parse_amount
from desktop_app.domain.refunds import MAX_REASON, ChargeBack
from desktop_app.domain.report_figures import NO_SUPPLIER, Month
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.text import checked_length, clean_block, clean_line, raise_if_any

ZERO = Decimal("0.00")
MAX_REFERENCE = 40

# The ledger's own words for the three states a line can be in.
STATE_LABELS: dict[ChargeBack, str] = {
    ChargeBack.PENDING: "待扣款",
    ChargeBack.CHARGED: "已扣款",
    ChargeBack.WAIVED: "已免除",
    ChargeBack.NOT_APPLICABLE: "不适用",
}


def state_label(state: ChargeBack) -> str:
    return STATE_LABELS[state]


class LedgerAction(LabelledEnum):
    AMOUNT = ("amount", "修改扣款金额")
    CHARGE = ("charge", "登记已扣款")
    WAIVE = ("waive", "免除扣款")
    REOPEN = ("reopen", "撤销,恢复为待扣款")


def permission_refusal(role: Role, action: LedgerAction) -> str | None:
    """Why ``role`` may never take ``action``, or ``None``."""
    if role not in MANAGER_ROLES:
        return "只有前台经理及以上可以处理供应商扣款"
    if action is LedgerAction.WAIVE and role is not Role.STORE_MANAGER:
        return "只有店长可以免除供应商扣款"
    if action is LedgerAction.REOPEN and role is not Role.STORE_MANAGER:
        return "只有店长可以撤销已登记的扣款或免除"
    return None


def amount_refusal(role: Role, new_amount: Decimal, refunded: Decimal) -> str | None:
    """Why ``role`` may not set a line's amount to ``new_amount``, or ``None``: charging the
    supplier less than was refunded waives the rest, which only the store manager does (found:
    the front-desk manager, refused a waiver, set a 400.00 line to 0.01)."""
    if new_amount < refunded and role is not Role.STORE_MANAGER:
        return (f"扣款金额低于退款金额 {format_yuan(refunded)}:少扣的部分等于免除,"
                "只有店长可以这样调整")
    return None


def state_refusal(state: ChargeBack, action: LedgerAction) -> str | None:
    """Why ``action`` cannot be taken on a line in ``state``, or ``None``: everything but an
    undo needs an owed line; an undo needs a charged or waived one."""
    if action is LedgerAction.REOPEN:
        return "这笔扣款仍待扣款,无需撤销" if state is ChargeBack.PENDING else None
    if state is not ChargeBack.PENDING:
        return (f"这笔扣款{state_label(state)},不能{action.label};"
                "如登记有误,请店长先撤销")
    return None


def action_refusal(role: Role, state: ChargeBack, action: LedgerAction) -> str | None:
    return permission_refusal(role, action) or state_refusal(state, action)


def available_actions(role: Role, state: ChargeBack) -> list[LedgerAction]:
    return [action for action in LedgerAction if action_refusal(role, state, action) is None]


# --- what is typed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deduction:
    reference: str  # the deduction slip or invoice number the supplier's payment was cut on
    deducted_on: date


def validate_deduction(
    reference: str, deducted_on: date | None, approved_on: date, today: date
) -> Deduction:
    errors: dict[str, str] = {}
    ref = clean_line(reference)
    if not ref:
        errors["deduction_ref"] = "请填写扣款单号(或对账单、发票号)"
    checked_length(ref, "deduction_ref", "扣款单号", MAX_REFERENCE, errors)
    if deducted_on is None:
        errors["deducted_on"] = "请填写扣款日期"
    elif deducted_on > today:
        errors["deducted_on"] = "扣款日期不能晚于今天"
    elif deducted_on < approved_on:
        errors["deducted_on"] = f"扣款日期不能早于退款批准日期 {approved_on:%Y-%m-%d}"
    raise_if_any(errors)
    assert deducted_on is not None
    return Deduction(ref, deducted_on)


def validate_reason(text: str, label: str, field: str = "reason") -> str:
    """A reason the ledger keeps (why waived, why undone, why the amount changed)."""
    errors: dict[str, str] = {}
    reason = checked_length(clean_block(text), field, label, MAX_REASON, errors)
    if not reason:
        errors[field] = f"请写明{label}"
    raise_if_any(errors)
    return reason


def validate_new_amount(text: str, current: Decimal, reason: str) -> tuple[Decimal, str]:
    """A manager's new amount for an owed line: positive, exact, different, with the reason."""
    errors: dict[str, str] = {}
    amount: Decimal | None = None
    try:
        amount = parse_amount(text, "amount", "扣款金额")
    except ValidationError as error:
        errors.update(error.field_errors)
    if amount is not None:
        if amount <= 0:
            errors["amount"] = "扣款金额必须大于 0;不向供应商扣款请由店长“免除”"
        elif amount > MAX_AMOUNT:
            errors["amount"] = f"扣款金额不能超过 {format_yuan(MAX_AMOUNT)}"
        elif amount == current:
            errors["amount"] = "金额没有改动"
    why = checked_length(clean_block(reason), "amount_note", "调整原因", MAX_REASON, errors)
    if not why:
        errors["amount_note"] = "请写明调整扣款金额的原因"
    raise_if_any(errors)
    assert amount is not None
    return amount, why


# --- the lines and what they add up to -----------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    """One approved quality return as its supplier owes it."""

    line_id: int
    refund_id: int
    case_no: str
    receipt_no: str
    supplier_id: int | None
    supplier: str
    products: str  # "伊利纯牛奶 250ml ×2、伊利酸奶 ×1"
    approved_at: datetime  # the refund's approval: decides the line's month
    refunded: Decimal
    amount: Decimal
    state: ChargeBack
    amount_note: str = ""
    deduction_ref: str = ""
    deducted_on: date | None = None
    waive_reason: str = ""
    case_voided: bool = False

    @property
    def owed(self) -> Decimal:
        """What the supplier owes for this line: its amount unless waived."""
        return self.amount if self.state in (ChargeBack.PENDING, ChargeBack.CHARGED) else ZERO

    @property
    def amount_changed(self) -> bool:
        return self.amount != self.refunded

    @property
    def state_text(self) -> str:
        """The state as the ledger and the notice print it."""
        if self.state is ChargeBack.CHARGED:
            on = "" if self.deducted_on is None else f" {self.deducted_on:%Y-%m-%d}"
            return f"已扣款({self.deduction_ref}{on})"
        if self.state is ChargeBack.WAIVED:
            return f"已免除:{self.waive_reason or '(未写原因)'}"
        return state_label(self.state)


@dataclass(frozen=True)
class LedgerTotals:
    """应扣 (owed) = 已扣 (charged) + 待扣 (pending); 已免除 (waived) is apart."""

    lines: int
    owed: Decimal
    charged: Decimal
    pending: Decimal
    waived: Decimal
    pending_lines: int = 0
    waived_lines: int = 0


def ledger_totals(lines: Iterable[LedgerLine]) -> LedgerTotals:
    count = pending_lines = waived_lines = 0
    charged = pending = waived = ZERO
    for line in lines:
        count += 1
        if line.state is ChargeBack.CHARGED:
            charged += line.amount
        elif line.state is ChargeBack.PENDING:
            pending += line.amount
            pending_lines += 1
        elif line.state is ChargeBack.WAIVED:
            waived += line.amount
            waived_lines += 1
    return LedgerTotals(count, charged + pending, charged, pending, waived, pending_lines,
                        waived_lines)


@dataclass(frozen=True)
class SupplierBalance:
    """A supplier's account with the store: what it still owes (``balance``: every pending line,
    whatever the month) and everything ever charged or waived."""

    supplier_id: int | None
    supplier: str
    totals: LedgerTotals
    oldest_pending: datetime | None

    @property
    def balance(self) -> Decimal:
        return self.totals.pending


def supplier_balances(lines: Iterable[LedgerLine]) -> list[SupplierBalance]:
    """One balance per supplier: the largest balance first, then by name."""
    groups: dict[int | None, list[LedgerLine]] = {}
    for line in lines:
        groups.setdefault(line.supplier_id, []).append(line)
    balances = []
    for supplier_id, members in groups.items():
        pending = [line.approved_at for line in members if line.state is ChargeBack.PENDING]
        balances.append(SupplierBalance(
            supplier_id=supplier_id, supplier=members[0].supplier or NO_SUPPLIER,
            totals=ledger_totals(members), oldest_pending=min(pending) if pending else None,
        ))
    return sorted(balances, key=lambda balance: (-balance.balance, balance.supplier))


@dataclass(frozen=True)
class NoticeOrder:
    """An improvement order the notice reminds the supplier of."""

    issued_on: date
    due_on: date
    requirement: str
    state: str


@dataclass(frozen=True)
class SupplierNotice:
    """《供应商质量扣款通知单》 of one supplier and month: every line approved that month; 合计 is
    what the supplier owes for it (charged + pending), waived lines listed and not counted."""

    supplier_id: int
    supplier: str
    contact: str
    phone: str
    month: Month
    lines: tuple[LedgerLine, ...]
    orders: tuple[NoticeOrder, ...] = field(default=())

    @property
    def totals(self) -> LedgerTotals:
        return ledger_totals(self.lines)

    @property
    def owed_lines(self) -> tuple[LedgerLine, ...]:
        return tuple(line for line in self.lines if line.state is not ChargeBack.WAIVED)

    @property
    def waived_lines(self) -> tuple[LedgerLine, ...]:
        return tuple(line for line in self.lines if line.state is ChargeBack.WAIVED)


def notices(
    month: Month,
    lines: Iterable[LedgerLine],
    contacts: Mapping[int, tuple[str, str]] | None = None,
    orders: Mapping[int, Sequence[NoticeOrder]] | None = None,
) -> list[SupplierNotice]:
    """One notice per supplier with lines approved in ``month``, by supplier name. Lines with no
    supplier (only from registers older than the ledger) have nobody to send a notice to."""
    groups: dict[int, list[LedgerLine]] = {}
    for line in lines:
        if line.supplier_id is not None and month.contains(line.approved_at):
            groups.setdefault(line.supplier_id, []).append(line)
    result = []
    for supplier_id, members in groups.items():
        contact, phone = (contacts or {}).get(supplier_id, ("", ""))
        result.append(SupplierNotice(
            supplier_id=supplier_id, supplier=members[0].supplier, contact=contact, phone=phone,
            month=month,
            lines=tuple(sorted(members, key=lambda line: (line.approved_at, line.line_id))),
            orders=tuple((orders or {}).get(supplier_id, ())),
        ))
    return sorted(result, key=lambda notice: notice.supplier)
