"""The monthly tally behind 投诉分析: how many counted cases each month holds per category,
product, supplier, department and satisfaction score, and per band of time taken to answer and
to close. Derived data, never a fact of the register: it is rebuilt from the case rows at will
and kept current by the save that changes a case (services/case_tally.py).

A case contributes one entry (measure, month, key) to each measure it counts in; the analysis
page adds up entries instead of reading a year of cases. The conditions here are those of the
analysis (domain.complaint_analysis): voided cases never count; the response band belongs to
the month the case was received, closing and satisfaction to the month it was closed.

The medians stay exact: the tally keeps, per month, how many values fall in each band of
time, so the page knows in which band the middle value lies and how far into it, and reads
just that far into the index sorted by time (a few thousand entries, not the whole month).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop_app.domain.complaint_analysis import middle_positions
from desktop_app.domain.workflow import SATISFACTION_LABELS

CATEGORY = "category"
BARCODE = "barcode"
PRODUCT_NAME = "product_name"
SUPPLIER = "supplier"
DEPARTMENT = "department"
RESPONSE = "response"
CLOSING = "closing"
SATISFACTION = "satisfaction"
MEASURES = (CATEGORY, BARCODE, PRODUCT_NAME, SUPPLIER, DEPARTMENT, RESPONSE, CLOSING,
            SATISFACTION)
# How a finding names an entry's measure (main.py verify).
MEASURE_LABELS = {
    CATEGORY: "类别", BARCODE: "条码", PRODUCT_NAME: "商品名称", SUPPLIER: "供应商编号",
    DEPARTMENT: "部门编号", RESPONSE: "首次答复用时(秒)", CLOSING: "结案用时(秒)",
    SATISFACTION: "满意度",
}

# The case columns whose change can move a case's entries: a change of any other column
# (a customer's name, an erasure, a note) leaves the tally as it is without reading it.
TALLIED_COLUMNS = frozenset({
    "status", "received_at", "category", "product_barcode", "product_name", "supplier_id",
    "department_id", "first_response_at", "closed_at", "workflow",
})

# Bands of seconds: below 32 one band per second (also for the odd negative time of a
# corrected registration); above, the five leading bits of the value, so each doubling is cut
# into 16 bands of 3–6 % of the value (an hour: bands of 2 to 4 minutes; a week: 5 to 11
# hours). About 30 bands hold a month's answers, however many cases it has.
SIGNIFICANT_BITS = 5
NO_VALUE = ""  # a time SQLite could not compute (NULL): sorted first, as the index sorts it


Entry = tuple[str, str, str]  # measure, month ('2026-11'), key


@dataclass(frozen=True)
class TallyInputs:
    """What the tally reads of one case: its columns, and the values the analysis's indexes
    compute from them (store.migrations: seconds to answer and to close, the satisfaction)."""

    status: str
    received_month: str | None
    category: str
    product_barcode: str | None
    product_name: str | None
    supplier_id: int | None
    department_id: int | None
    answered: bool
    response_seconds: int | None
    closed_month: str | None
    closing_seconds: int | None
    satisfaction: object


def band_floor(seconds: int) -> int:
    """The smallest value of the band holding ``seconds``."""
    if seconds < 1 << SIGNIFICANT_BITS:
        return seconds
    dropped = seconds.bit_length() - SIGNIFICANT_BITS
    return seconds >> dropped << dropped


def band_key(seconds: int | None) -> str:
    return NO_VALUE if seconds is None else str(band_floor(seconds))


def band_lower_bound(key: str) -> int | None:
    """The band's smallest value (``None`` for the band of missing values)."""
    return None if key == NO_VALUE else int(key)


def entries(case: TallyInputs) -> list[Entry]:
    """The tally entries of one case (none for a voided case but its closing)."""
    found: list[Entry] = []
    counted = case.status != "voided"
    month = case.received_month
    if counted and month is not None:
        found.append((CATEGORY, month, case.category))
        if case.product_barcode:
            found.append((BARCODE, month, case.product_barcode))
        elif case.product_barcode == "" and case.product_name:
            found.append((PRODUCT_NAME, month, case.product_name))
        if case.supplier_id is not None:
            found.append((SUPPLIER, month, str(case.supplier_id)))
        if case.department_id is not None:
            found.append((DEPARTMENT, month, str(case.department_id)))
        if case.answered:
            found.append((RESPONSE, month, band_key(case.response_seconds)))
    closed = case.closed_month
    if closed is not None and case.status in ("closed", "not_upheld"):
        found.append((CLOSING, closed, band_key(case.closing_seconds)))
        score = satisfaction_score(case.satisfaction)
        if case.status == "closed" and score is not None:
            found.append((SATISFACTION, closed, str(score)))
    return found


def satisfaction_score(value: object) -> int | None:
    """The score as the analysis compares it (SQL ``= 5``: a number equal to a score; the
    text '5' is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    for score in SATISFACTION_LABELS:
        if value == score:
            return score
    return None


def delta(before: Iterable[Entry], after: Iterable[Entry]) -> dict[Entry, int]:
    """What changes in the tally when a case's entries go from ``before`` to ``after``."""
    change: Counter[Entry] = Counter(after)
    change.subtract(Counter(before))
    return {entry: cases for entry, cases in change.items() if cases}


def tally(cases: Iterable[TallyInputs]) -> Counter[Entry]:
    counts: Counter[Entry] = Counter()
    for case in cases:
        counts.update(entries(case))
    return counts


def differences(kept: Mapping[Entry, int], recounted: Mapping[Entry, int]) -> list[Entry]:
    """The entries whose count in the kept tally is not the recount's, in order."""
    return sorted(entry for entry in kept.keys() | recounted.keys()
                  if kept.get(entry, 0) != recounted.get(entry, 0))


def disagreement(kept: Mapping[Entry, int], recounted: Mapping[Entry, int],
                 shown: int = 3) -> str | None:
    """One finding for ``main.py verify`` when the kept tally is not what the cases give."""
    differing = differences(kept, recounted)
    if not differing:
        return None
    examples = ";".join(
        f"{month} {MEASURE_LABELS.get(measure, measure)} {item or '(无)'}:"
        f"统计 {kept.get(entry, 0)},案件 {recounted.get(entry, 0)}"
        for entry in differing[:shown] for measure, month, item in (entry,)
    )
    more = "等" if len(differing) > shown else ""
    return (
        f"投诉分析的月度统计有 {len(differing)} 处与案件不符({examples}{more})。"
        "统计是由案件算出的派生数据,不在登记簿的链中,案件本身以上面其余各条为准;"
        "用 python main.py rebuild-tally --db 数据库文件 按案件重算"
    )


@dataclass(frozen=True)
class MiddleRead:
    """Where to read a month's middle value(s): ``how_many`` values from ``offset`` among the
    values ≥ ``lower_bound`` in ascending order (``None``: from the first, missing ones too)."""

    lower_bound: int | None
    offset: int
    how_many: int


def locate_middle(bands: Iterable[tuple[str, int]]) -> tuple[int, MiddleRead | None]:
    """(how many values, where the middle one or two lie) from a month's bands and counts."""
    ordered = sorted(
        ((band_lower_bound(key), cases) for key, cases in bands if cases),
        key=lambda band: (band[0] is not None, band[0] or 0),
    )
    count = sum(cases for _, cases in ordered)
    if count == 0:
        return 0, None
    rank, how_many = middle_positions(count)
    below = 0
    for lower_bound, cases in ordered:
        if rank < below + cases:
            return count, MiddleRead(lower_bound, rank - below, how_many)
        below += cases
    raise AssertionError("the middle lies within the bands")  # pragma: no cover
