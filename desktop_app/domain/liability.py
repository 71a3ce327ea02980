"""The staff liability ledger: who bears a service-caused compensation (003: "服务质量造成…赔偿
费用由当事关联责任人或厂家负担") and the penalty step 8 (责任与处罚) decided.

A compensation the desk paid because of service (an approved compensation that is not a quality
return) is shared among the staff members responsible, each with a share in percent; together
at most 100 % (the store bears the rest). Each line also carries the penalty decided for that
person (a fine in yuan, possibly 0, and its description). A line is 待执行 until it is 已执行
(payroll deduction reference and date), 已免除 (store manager, reason) or 已撤销 (store manager,
reason: entered by mistake; its share may be given again). Only managers see any of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import normalise_digits, parse_amount
from desktop_app.domain.report_figures import Month
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.shares import apportion
from desktop_app.domain.text import checked_length, clean_line, raise_if_any

ZERO = Decimal("0.00")
MAX_NOTE = 200
MAX_PEOPLE = 10
HIDDEN = "员工责任台账只对前台经理及以上开放"


class LiabilityStatus(LabelledEnum):
    PENDING = ("pending", "待执行")
    SETTLED = ("settled", "已执行")
    WAIVED = ("waived", "已免除")
    CANCELLED = ("cancelled", "已撤销")


class LiabilityAction(LabelledEnum):
    SETTLE = ("settle", "登记已执行")
    WAIVE = ("waive", "免除")
    CANCEL = ("cancel", "撤销(登记有误)")


def may_see(role: Role) -> bool:
    return role in MANAGER_ROLES


def permission_refusal(role: Role, action: LiabilityAction) -> str | None:
    if not may_see(role):
        return HIDDEN
    if action is not LiabilityAction.SETTLE and role is not Role.STORE_MANAGER:
        return f"只有店长可以{action.label}"
    return None


def state_refusal(status: LiabilityStatus, action: LiabilityAction) -> str | None:
    """Settling and waiving need a line still to be executed; a cancellation any line that is
    not cancelled already."""
    if action is LiabilityAction.CANCEL:
        return "这条责任已撤销" if status is LiabilityStatus.CANCELLED else None
    if status is not LiabilityStatus.PENDING:
        return f"这条责任{status.label},不能{action.label}"
    return None


def action_refusal(role: Role, status: LiabilityStatus, action: LiabilityAction) -> str | None:
    return permission_refusal(role, action) or state_refusal(status, action)


def available_actions(role: Role, status: LiabilityStatus) -> list[LiabilityAction]:
    return [action for action in LiabilityAction
            if action_refusal(role, status, action) is None]


# --- naming the people responsible ------------------------------------------------------------


@dataclass(frozen=True)
class ShareDraft:
    """One responsible person as typed: the staff entry chosen, the share in percent, the fine
    in yuan (empty: none) and what the penalty is."""

    staff_id: int | None
    share: str
    penalty: str = ""
    penalty_note: str = ""


@dataclass(frozen=True)
class Share:
    staff_id: int
    percent: int
    penalty: Decimal
    penalty_note: str


def parse_percent(text: str) -> int | None:
    """A whole percent 1–100, typed any way (全角 digits, a trailing %); superscripts and
    circled numbers (², ①) are not percents."""
    typed = text.strip().removesuffix("%").removesuffix("％").strip()
    if not typed.isdecimal():
        return None
    cleaned = normalise_digits(typed)
    if not cleaned.isascii():
        return None
    value = int(cleaned)
    return value if 1 <= value <= 100 else None


def validate_shares(drafts: Sequence[ShareDraft], already_given: int) -> list[Share]:
    """Every problem at once. ``already_given`` is the percent other lines of the same
    compensation already hold; the total may not pass 100."""
    errors: dict[str, str] = {}
    listed = [draft for draft in drafts
              if draft.staff_id is not None or draft.share.strip() or draft.penalty.strip()]
    if not listed:
        raise ValidationError({"shares": "请至少填写一位责任人及其承担比例"})
    if len(listed) > MAX_PEOPLE:
        raise ValidationError({"shares": f"一次最多 {MAX_PEOPLE} 位责任人"})
    shares: list[Share] = []
    for number, draft in enumerate(listed, start=1):
        problems = []
        percent = parse_percent(draft.share)
        if draft.staff_id is None:
            problems.append("请从员工名单中选择责任人")
        if percent is None:
            problems.append("承担比例应为 1–100 的整数(%)")
        penalty = _penalty(draft.penalty, problems)
        note = clean_line(draft.penalty_note)
        if len(note) > MAX_NOTE:
            problems.append(f"处罚说明最多 {MAX_NOTE} 个字")
        if problems:
            errors.setdefault("shares", f"第 {number} 行:" + ";".join(problems))
            continue
        assert draft.staff_id is not None and percent is not None
        shares.append(Share(draft.staff_id, percent, penalty, note))
    people = [share.staff_id for share in shares]
    if len(set(people)) != len(people):
        errors.setdefault("shares", "同一员工只能列一次")
    total = already_given + sum(share.percent for share in shares)
    if not errors and total > 100:
        held = f"(已有 {already_given}%)" if already_given else ""
        errors["shares"] = f"承担比例合计 {total}% 超过 100%{held}"
    raise_if_any(errors)
    return shares


def _penalty(text: str, problems: list[str]) -> Decimal:
    if not text.strip():
        return ZERO
    try:
        return parse_amount(text, "penalty", "罚款金额")
    except ValidationError as error:
        problems.extend(error.field_errors.values())
        return ZERO


def amounts_of(
    compensation_fen: int, given_fen: int, given_percent: int, percents: Sequence[int]
) -> list[int]:
    """Each new share's part of the compensation, in fen. What earlier lines hold
    (``given_fen`` for ``given_percent``) is set aside; the rest is divided among the new
    shares and the store's own part (what no one bears), so all parts add up exactly."""
    remaining_fen = compensation_fen - given_fen
    store_percent = 100 - given_percent - sum(percents)
    if remaining_fen < 0 or store_percent < 0:
        raise ValueError("shares exceed the compensation")
    parts = apportion(remaining_fen, [*percents, store_percent])
    return parts[:-1]


@dataclass(frozen=True)
class Settlement:
    reference: str  # payroll month or deduction slip
    settled_on: date


def validate_settlement(reference: str, settled_on: date | None, recorded_on: date,
                        today: date) -> Settlement:
    errors: dict[str, str] = {}
    ref = clean_line(reference)
    if not ref:
        errors["settle_ref"] = "请填写执行凭据(如工资扣款月份、收据号)"
    checked_length(ref, "settle_ref", "执行凭据", 40, errors)
    if settled_on is None:
        errors["settled_on"] = "请填写执行日期"
    elif settled_on > today:
        errors["settled_on"] = "执行日期不能晚于今天"
    elif settled_on < recorded_on:
        errors["settled_on"] = f"执行日期不能早于登记日期 {recorded_on:%Y-%m-%d}"
    raise_if_any(errors)
    assert settled_on is not None
    return Settlement(ref, settled_on)


# --- the lines and the monthly statement ------------------------------------------------------


@dataclass(frozen=True)
class LiabilityLine:
    line_id: int
    refund_id: int
    case_no: str
    staff_id: int
    staff: str
    department: str
    recorded_at: datetime  # decides the statement's month
    compensation: Decimal  # the whole compensation paid to the customer
    percent: int
    amount: Decimal  # this person's share of it
    penalty: Decimal
    penalty_note: str
    status: LiabilityStatus
    settle_ref: str = ""
    settled_on: date | None = None
    reason: str = ""
    responsibility: str = ""  # step 8 of the case, as recorded

    @property
    def total(self) -> Decimal:
        """Share plus fine."""
        return self.amount + self.penalty

    @property
    def owed(self) -> Decimal:
        """What the person bears: share plus fine, unless waived or cancelled."""
        if self.status in (LiabilityStatus.PENDING, LiabilityStatus.SETTLED):
            return self.total
        return ZERO

    @property
    def status_text(self) -> str:
        if self.status is LiabilityStatus.SETTLED:
            on = "" if self.settled_on is None else f" {self.settled_on:%Y-%m-%d}"
            return f"已执行({self.settle_ref}{on})"
        if self.status in (LiabilityStatus.WAIVED, LiabilityStatus.CANCELLED):
            return f"{self.status.label}:{self.reason}"
        return self.status.label


@dataclass(frozen=True)
class StatementTotals:
    """应承担 (owed) = 已执行 (settled) + 待执行 (pending); waived lines are apart."""

    shares: Decimal  # compensation shares of the owed lines
    penalties: Decimal  # fines of the owed lines
    owed: Decimal
    settled: Decimal
    pending: Decimal
    waived: Decimal


def statement_totals(lines: Iterable[LiabilityLine]) -> StatementTotals:
    shares = penalties = settled = pending = waived = ZERO
    for line in lines:
        if line.status is LiabilityStatus.WAIVED:
            waived += line.total
            continue
        if line.status is LiabilityStatus.CANCELLED:
            continue
        shares += line.amount
        penalties += line.penalty
        if line.status is LiabilityStatus.SETTLED:
            settled += line.total
        else:
            pending += line.total
    return StatementTotals(shares, penalties, shares + penalties, settled, pending, waived)


@dataclass(frozen=True)
class StaffStatement:
    """《员工赔偿责任月结单》 of one person and month: the lines recorded that month (cancelled
    ones left out: they were mistakes), waived ones listed and not counted."""

    staff_id: int
    staff: str
    department: str
    month: Month
    lines: tuple[LiabilityLine, ...]

    @property
    def totals(self) -> StatementTotals:
        return statement_totals(self.lines)


def statements(month: Month, lines: Iterable[LiabilityLine]) -> list[StaffStatement]:
    """One statement per person with lines recorded in ``month``, by name."""
    groups: dict[int, list[LiabilityLine]] = {}
    for line in lines:
        if month.contains(line.recorded_at) and line.status is not LiabilityStatus.CANCELLED:
            groups.setdefault(line.staff_id, []).append(line)
    result = [
        StaffStatement(staff_id=staff_id, staff=members[0].staff,
                       department=members[0].department, month=month,
                       lines=tuple(sorted(members, key=lambda line: (line.recorded_at,
                                                                     line.line_id))))
        for staff_id, members in groups.items()
    ]
    return sorted(result, key=lambda statement: (statement.staff, statement.staff_id))

