"""《顾客投诉月度统计表》: the month's complaints themselves, from plain case rows.

Which cases each figure counts (printed on the report in the same words):
- 本月受理: cases registered (received) in the month; voided cases (entered by mistake) never
  count anywhere. By kind, category, department, channel; major; not upheld.
- 首次答复: of the month's cases, those answered by the month's end (or now, for a month not
  yet over; the customer told the result, or told why the complaint does not stand): median
  hours from registration to that answer. 按期答复率: of the
  month's cases that were given a promised reply date, the share answered on or before it;
  a case still unanswered after its date counts as late, one not yet due is left out.
- 结案: cases closed in the month (结案 or 不成立已答复): median days from registration.
- 回访: of the cases closed (结案) in the month, the share whose customer was reached on the
  follow-up call, and the satisfaction they gave.
- 未结案件: cases still open at the end of the month (or now, for a month not yet over),
  by how many days they have been open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.cases import CaseStatus, Category, Channel, Kind
from desktop_app.domain.report_figures import Month
from desktop_app.domain.workflow import SATISFACTION_LABELS

# Figures the statistics table and the monthly summary both name.
NOT_UPHELD = "不成立(已答复顾客)"
MEDIAN_REPLY = "首次答复用时(中位数)"
ON_TIME_SHARE = "按期答复率"

TENTH = Decimal("0.1")
NO_DEPARTMENT = "(未指定部门)"
# Open cases by age in whole days: (label, up to and including this many days).
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("3 天以内", 3), ("4–7 天", 7), ("8–15 天", 15), ("16–30 天", 30), ("30 天以上", None),
)
TREND_MONTHS = 12
SATISFIED = frozenset({4, 5})


@dataclass(frozen=True)
class CaseFacts:
    """What the statistics need of one case."""

    case_no: str
    received_at: datetime
    kind: Kind
    category: Category
    department: str
    channel: Channel
    is_major: bool
    status: CaseStatus
    promised_reply_date: date | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    follow_up_reached: bool | None = None  # None: no follow-up call recorded
    satisfaction: int | None = None

    @property
    def voided(self) -> bool:
        return self.status is CaseStatus.VOIDED


@dataclass(frozen=True)
class MonthCount:
    """Cases registered in one month, of one kind, major or not, voided ones excluded: the rows
    the 12-month trend is drawn from (counted by the database, not fetched one by one)."""

    month_key: str  # 2026-10
    kind: Kind
    is_major: bool
    cases: int


@dataclass(frozen=True)
class Count:
    label: str
    cases: int


@dataclass(frozen=True)
class ResponseFigures:
    answered: int
    median_hours: Decimal | None
    promised: int  # cases given a promised reply date whose outcome is known
    on_time: int
    late: int
    not_yet_due: int

    @property
    def on_time_share(self) -> Decimal | None:
        return share(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class ClosingFigures:
    closed: int  # 结案 and 不成立已答复 in the month
    median_days: Decimal | None
    followed_up: int  # 结案 in the month (each went through the follow-up step)
    reached: int
    satisfaction: tuple[Count, ...]  # 很满意 … 很不满意 among those reached
    rated: int
    satisfied: int  # 满意 or 很满意

    @property
    def follow_up_share(self) -> Decimal | None:
        return share(self.reached, self.followed_up)

    @property
    def satisfied_share(self) -> Decimal | None:
        return share(self.satisfied, self.rated)


@dataclass(frozen=True)
class MonthStats:
    month: Month
    cutoff: datetime  # the month's end, or now for a month not yet over
    received: int
    by_kind: tuple[Count, ...]
    by_category: tuple[Count, ...]
    by_department: tuple[Count, ...]
    by_channel: tuple[Count, ...]
    major: int
    not_upheld: int
    response: ResponseFigures
    closing: ClosingFigures
    open_by_age: tuple[Count, ...]

    @property
    def open_cases(self) -> int:
        return sum(count.cases for count in self.open_by_age)


@dataclass(frozen=True)
class TrendPoint:
    month: Month
    received: int
    complaints: int  # kind 投诉
    major: int


@dataclass(frozen=True)
class ComplaintStats:
    """The month, the month before it, and the twelve months ending with it."""

    current: MonthStats
    previous: MonthStats
    trend: tuple[TrendPoint, ...]


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent with one decimal; ``None`` when there is no whole."""
    if whole == 0:
        return None
    return (Decimal(part * 100) / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _hours(start: datetime, end: datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / 3600


def _days(start: datetime, end: datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / 86400


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _counted(labels: Iterable[str], every: Sequence[str] = ()) -> tuple[Count, ...]:
    """Counts per label: every label of ``every`` in its order (zeros included), then any
    other label, most cases first."""
    counts: dict[str, int] = dict.fromkeys(every, 0)
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    fixed = [Count(label, counts.pop(label)) for label in every]
    rest = sorted((Count(label, n) for label, n in counts.items()),
                  key=lambda count: (-count.cases, count.label))
    return (*fixed, *rest)


def month_stats(month: Month, cases: Iterable[CaseFacts], now: datetime) -> MonthStats:
    """The figures of ``month`` as they stand at ``now`` (the month's end once it is over)."""
    cutoff = min(month.end, now)
    known = [case for case in cases if not case.voided and case.received_at < cutoff]
    received = [case for case in known if month.contains(case.received_at)]
    return MonthStats(
        month=month, cutoff=cutoff, received=len(received),
        by_kind=_counted((c.kind.label for c in received), [k.label for k in Kind]),
        by_category=_counted((c.category.label for c in received), [c.label for c in Category]),
        by_department=_counted(c.department or NO_DEPARTMENT for c in received),
        by_channel=_counted((c.channel.label for c in received), [c.label for c in Channel]),
        major=sum(1 for case in received if case.is_major),
        not_upheld=sum(1 for case in received if case.status is CaseStatus.NOT_UPHELD
                       and _before(case.closed_at, cutoff)),
        response=_response(received, cutoff),
        closing=_closing(month, known, cutoff),
        open_by_age=_open_by_age(known, cutoff),
    )


def _before(moment: datetime | None, cutoff: datetime) -> bool:
    return moment is not None and moment < cutoff


def _response(received: Sequence[CaseFacts], cutoff: datetime) -> ResponseFigures:
    answered = [case for case in received if _before(case.first_response_at, cutoff)]
    on_time = late = not_yet_due = 0
    for case in received:
        if case.promised_reply_date is None:
            continue
        answer = case.first_response_at if _before(case.first_response_at, cutoff) else None
        if answer is not None:
            if answer.date() <= case.promised_reply_date:
                on_time += 1
            else:
                late += 1
        elif case.promised_reply_date < cutoff.date():
            late += 1
        else:
            not_yet_due += 1
    hours = [_hours(case.received_at, case.first_response_at) for case in answered
             if case.first_response_at is not None]
    return ResponseFigures(
        answered=len(answered), median_hours=_rounded(median(hours)),
        promised=on_time + late, on_time=on_time, late=late, not_yet_due=not_yet_due,
    )


def _closing(month: Month, known: Sequence[CaseFacts], cutoff: datetime) -> ClosingFigures:
    closed = [
        case for case in known
        if case.status in (CaseStatus.CLOSED, CaseStatus.NOT_UPHELD)
        and case.closed_at is not None and month.contains(case.closed_at)
        and case.closed_at < cutoff
    ]
    days = [_days(case.received_at, case.closed_at) for case in closed
            if case.closed_at is not None]
    followed = [case for case in closed if case.status is CaseStatus.CLOSED]
    reached = [case for case in followed if case.follow_up_reached]
    rated = [case.satisfaction for case in reached if case.satisfaction in SATISFACTION_LABELS]
    satisfaction = tuple(
        Count(SATISFACTION_LABELS[score], sum(1 for given in rated if given == score))
        for score in sorted(SATISFACTION_LABELS, reverse=True)
    )
    return ClosingFigures(
        closed=len(closed), median_days=_rounded(median(days)), followed_up=len(followed),
        reached=len(reached), satisfaction=satisfaction, rated=len(rated),
        satisfied=sum(1 for given in rated if given in SATISFIED),
    )


def _open_by_age(known: Sequence[CaseFacts], cutoff: datetime) -> tuple[Count, ...]:
    ages = [
        (cutoff - case.received_at).days for case in known
        if not _before(case.closed_at, cutoff)
    ]
    counts = []
    lower = 0
    for label, upper in AGE_BANDS:
        counts.append(Count(label, sum(
            1 for age in ages if age >= lower and (upper is None or age <= upper)
        )))
        lower = (upper or 0) + 1
    return tuple(counts)


def trend(month: Month, counts: Iterable[MonthCount]) -> tuple[TrendPoint, ...]:
    """The twelve months ending with ``month``, oldest first, months without cases as zeros."""
    months = [month.shifted(offset) for offset in range(1 - TREND_MONTHS, 1)]
    totals = {m.key: [0, 0, 0] for m in months}
    for count in counts:
        row = totals.get(count.month_key)
        if row is None:
            continue
        row[0] += count.cases
        row[1] += count.cases if count.kind is Kind.COMPLAINT else 0
        row[2] += count.cases if count.is_major else 0
    return tuple(TrendPoint(m, *totals[m.key]) for m in months)


def complaint_stats(
    month: Month, cases: Sequence[CaseFacts], counts: Iterable[MonthCount], now: datetime
) -> ComplaintStats:
    """``cases`` must hold every case registered in ``month`` or the month before, closed in
    either, or still open at the start of the month before; voided ones may be included."""
    return ComplaintStats(
        current=month_stats(month, cases, now),
        previous=month_stats(month.previous, cases, now),
        trend=trend(month, counts),
    )


# --- each figure beside last month's ---------------------------------------------------------

CASES = "件"
HOURS = "小时"
DAYS = "天"
PERCENT = "%"


@dataclass(frozen=True)
class FigureRow:
    """One printed line: a figure this month and last month, in ``unit``."""

    section: str
    label: str
    current: int | Decimal | None
    previous: int | Decimal | None
    unit: str

    @property
    def change(self) -> int | Decimal | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


SECTIONS = ("受理情况", "按投诉类别", "按部门", "按受理渠道", "答复与结案", "回访与满意度",
            "未结案件(按已开天数)")


def comparison_rows(stats: ComplaintStats) -> list[FigureRow]:
    """Every figure of the statistics report, this month beside last month, in print order."""
    now, before = stats.current, stats.previous
    rows: list[FigureRow] = []

    def add(section: str, label: str, current: int | Decimal | None,
            previous: int | Decimal | None, unit: str = CASES) -> None:
        rows.append(FigureRow(section, label, current, previous, unit))

    def counts(section: str, mine: Sequence[Count], theirs: Sequence[Count]) -> None:
        earlier = {count.label: count.cases for count in theirs}
        labels = [count.label for count in mine]
        labels += [label for label in earlier if label not in labels]
        current = {count.label: count.cases for count in mine}
        for label in labels:
            add(section, label, current.get(label, 0), earlier.get(label, 0))

    section = SECTIONS[0]
    add(section, "本月受理(不含作废)", now.received, before.received)
    counts(section, now.by_kind, before.by_kind)
    add(section, "重大投诉", now.major, before.major)
    add(section, NOT_UPHELD, now.not_upheld, before.not_upheld)
    counts(SECTIONS[1], now.by_category, before.by_category)
    counts(SECTIONS[2], now.by_department, before.by_department)
    counts(SECTIONS[3], now.by_channel, before.by_channel)
    section = SECTIONS[4]
    reply, earlier_reply = now.response, before.response
    add(section, "已首次答复", reply.answered, earlier_reply.answered)
    add(section, MEDIAN_REPLY, reply.median_hours, earlier_reply.median_hours, HOURS)
    add(section, "承诺答复期限的案件", reply.promised, earlier_reply.promised)
    add(section, "按期答复", reply.on_time, earlier_reply.on_time)
    add(section, ON_TIME_SHARE, reply.on_time_share, earlier_reply.on_time_share, PERCENT)
    add(section, "本月结案(含不成立)", now.closing.closed, before.closing.closed)
    add(section, "结案用时(中位数)", now.closing.median_days, before.closing.median_days, DAYS)
    section = SECTIONS[5]
    closing, earlier_closing = now.closing, before.closing
    add(section, "应回访(本月结案)", closing.followed_up, earlier_closing.followed_up)
    add(section, "回访到顾客", closing.reached, earlier_closing.reached)
    add(section, "回访率", closing.follow_up_share, earlier_closing.follow_up_share, PERCENT)
    counts(section, closing.satisfaction, earlier_closing.satisfaction)
    add(section, "满意率(满意+很满意)", closing.satisfied_share, earlier_closing.satisfied_share,
        PERCENT)
    counts(SECTIONS[6], now.open_by_age, before.open_by_age)
    add(SECTIONS[6], "未结案件合计", now.open_cases, before.open_cases)
    return rows


def format_figure(value: int | Decimal | None, unit: str, signed: bool = False) -> str:
    """``12``, ``5.5 小时``, ``87.5%``, ``—`` for a figure that has nothing to measure."""
    if value is None:
        return "—"
    text = f"{value:+}" if signed and value != 0 else f"{value}"
    if unit == PERCENT:
        return f"{text}%"
    if unit == CASES:
        return text
    return f"{text} {unit}"
