"""Verifying the register: the chain, every audited row against its replayed entries, the
protective triggers, the case-number counters, and heads known from outside the file.

It only reads: ``main.py verify`` opens the file read-only.

The full check is cut into parts: stretches of the chain (each walked from the hash stored
where it starts, which together check exactly what one walk from the first entry does) and
id ranges of each audited table (each row against the replay of its entries). On a large
register the parts run in worker processes, each with its own read-only connection; on a small
one (the tests, a young store) in this process. Either way they are the same functions.

The check since the last one (``verify_since``) walks the chain from the head recorded after the
last clean check and replays the entities the new entries are about: a day's work in a fraction
of a second. It cannot see an old row or entry changed since (the full check can), so the full
check stays what the menu, the command line and the tests use to find tampering.
"""

from __future__ import annotations

import gc
import json
import os
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from desktop_app.domain import register as rules
from desktop_app.domain.case_numbers import month_and_sequence
from desktop_app.domain.money import format_yuan, from_fen
from desktop_app.domain.refund_policy import ApprovalLevel, decided_within_authority
from desktop_app.domain.register import ENTITIES, Anchor, ChainWalk, EntitySpec, Head
from desktop_app.domain.roles import Role
from desktop_app.services import case_tally
from desktop_app.services.register import payload_bytes, payload_text
from desktop_app.store import register as store
from desktop_app.store.engine import SQLITE
from desktop_app.store.migrations import protective_triggers, search_triggers

if TYPE_CHECKING:
    from concurrent.futures import Future

# (done, total): entries walked plus rows compared, of how many.
Progress = Callable[[int, int], None]
MAX_FINDINGS = 20
# Below this many entries plus rows, starting worker processes costs more than it saves.
PARALLEL_FROM = 300_000
CHAIN_PART = 100_000
ROWS_PART = 50_000
# The same values as json.loads for every text the register holds, two to three times faster;
# whatever it refuses (huge integers, NaN) is read again by json.loads in the slow path.
parse: rules.Parse = orjson.loads


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    cases: int
    head: Head | None
    findings: list[str] = field(default_factory=list)
    # A check since the last one: the entry it started after (None: the full check).
    since: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            code = f",校验码 {self.head.code}" if self.head else ""
            if self.since is not None:
                return (
                    f"登记簿完整:上次校验(第 {self.since} 条)以来的 {self.entries} 条新记录"
                    f"和涉及的 {self.cases} 个案件均未被改动{code}"
                )
            return f"登记簿完整:{self.cases} 个案件、{self.entries} 条记录均未被改动{code}"
        more = "" if len(self.findings) < MAX_FINDINGS else "\n(只列出前 20 处)"
        return "登记簿被改动过:\n" + "\n".join(self.findings) + more


# --- the parts of a full check -------------------------------------------------------------


@dataclass(frozen=True)
class ChainPart:
    """Entries ``after < seq <= last``, with the anchors that fall among them."""

    after: int
    last: int
    anchors: tuple[Anchor, ...] = ()

    @property
    def size(self) -> int:
        return self.last - self.after


@dataclass(frozen=True)
class RowsPart:
    """The rows ``low < id <= high`` of one entity; ``final``: the last range, which also
    looks for entries about ids beyond the table's end."""

    entity: str
    low: int
    high: int
    final: bool

    @property
    def size(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class DerivedPart:
    """What is kept beside the chain and derived from the case rows: the months' case-number
    counters and the monthly tally (a worker checks them while the others walk). ``size``
    weighs them in the progress: recounting a case costs about what walking half an entry does."""

    size: int


@dataclass(frozen=True)
class PagesPart:
    """The pages reading the rows does not touch: every index, and the tables that are not an
    entity's (the search index among them). A damaged one raises as a damaged row does. ``size``
    weighs it in the progress: an index entry costs about a fortieth of a case row's check."""

    size: int


Part = ChainPart | RowsPart | DerivedPart | PagesPart

# The tables the other parts read row by row, every column: the chain's and each entity's.
ROWS_READ_WHOLE = frozenset({"register_entry", *(spec.table for spec in ENTITIES.values())})


@dataclass
class PartResult:
    # (order, text): order sorts findings the way one walk through everything would list them.
    findings: list[tuple[tuple[int, int, int], str]] = field(default_factory=list)
    cases: int = 0
    # The first entry a chain part found wrong.
    broken_at: int | None = None


def plan_parts(anchors: Sequence[Anchor]) -> tuple[list[Part], int]:
    """Every part of a full check, and the last entry's number."""
    last = store.last_seq()
    parts: list[Part] = []
    for after in range(0, last, CHAIN_PART):
        end = min(after + CHAIN_PART, last)
        inside = tuple(anchor for anchor in anchors if after < anchor.seq <= end)
        parts.append(ChainPart(after, end, inside))
    for spec in ENTITIES.values():
        if spec.keyed:
            continue
        high = store.max_id(spec.table)
        starts = list(range(0, high, ROWS_PART)) or [0]
        for low in starts:
            end = min(low + ROWS_PART, high)
            parts.append(RowsPart(spec.name, low, end, final=low == starts[-1]))
    cases = store.max_id(rules.CASE.table)
    parts.append(DerivedPart(size=max(1, cases // 2)))
    parts.append(PagesPart(size=max(1, cases // 40)))
    return parts, last


# Measured at 1,000,000 cases, one process: seconds per unit of a part's ``size``.
_SECONDS_PER_UNIT = {
    ChainPart: 2.4e-6,  # an entry: read with its header, hashed
    DerivedPart: 4.4e-6,  # the tally recount and the counters
    PagesPart: 20e-6,  # every index entry read
}
_SECONDS_PER_CASE_ROW = 18e-6  # a case: its entries replayed, its columns compared
_SECONDS_PER_OTHER_ROW = 3e-6


def expected_seconds(part: Part) -> float:
    """About how long ``part`` takes: the order the workers take parts in (found: sorted by
    size, the case rows, the costliest, came after the chain and the last one ran alone)."""
    if isinstance(part, RowsPart):
        each = (_SECONDS_PER_CASE_ROW if part.entity == rules.CASE.name
                else _SECONDS_PER_OTHER_ROW)
        return part.size * each
    return part.size * _SECONDS_PER_UNIT[type(part)]


def check_part(part: Part) -> PartResult:
    if isinstance(part, ChainPart):
        return _check_chain(part)
    if isinstance(part, DerivedPart):
        return _check_derived()
    if isinstance(part, PagesPart):
        # A damaged page raises here (SQLite's error), as one among the rows does.
        store.read_every_index_and_table(skip_tables=ROWS_READ_WHOLE)
        return PartResult()
    return _check_rows(part)


def check_part_in_snapshot(part: Part) -> PartResult:
    """A part in a worker process, in one read transaction of its own: its rows and their
    entries are one state of the file while the desk saves beside the check (rows read apart
    from their entries made a save in between look like tampering)."""
    with store.snapshot():
        return check_part(part)


# Findings after every table's: the counters, then the tally.
DERIVED_ORDER = len(ENTITIES) + 10


def _check_derived() -> PartResult:
    result = PartResult()
    result.findings.extend(((DERIVED_ORDER, index, 0), text)
                           for index, text in enumerate(_counter_problems()))
    # Derived data, not in the chain: a tally that is not what the cases give is reported too.
    result.findings.append(((DERIVED_ORDER + 1, 0, 0), case_tally.disagreement() or ""))
    return result


def _check_chain(part: ChainPart) -> PartResult:
    result = PartResult()
    prev = rules.GENESIS_HASH if part.after == 0 else store.stored_hash(part.after)
    if not isinstance(prev, str):
        # The entry this stretch starts from is gone or unreadable: the stretch before it
        # reports that.
        return result
    walk = ChainWalk(part.anchors, after=part.after, prev_hash=prev)
    walk.add_all_headed(store.stored_headed_entries(part.after, part.last),
                        store.entry_fields)
    walk.expect_end(part.last)
    if walk.finding is not None:
        seq = walk.finding.seq or part.after + 1
        result.broken_at = seq
        result.findings.append(((0, seq, 0), walk.finding.message))
    return result


def _check_rows(part: RowsPart) -> PartResult:
    spec = ENTITIES[part.entity]
    order = list(ENTITIES).index(spec.name) + 2
    result = PartResult()
    extra = ("personal_salt",) if spec is rules.CASE else ()
    shape = rules.row_shape(spec)
    merged = tuple(name for name, _ in shape.merged)
    others = (*(name for name in spec.columns
                if name not in shape.plain_names and name not in merged), *extra)
    layout = RowLayout.of(shape, others)
    nullable = store.nullable_columns(spec)
    last = part.low
    # The last range runs to the table's end as the part sees it: a row saved since the plan
    # is compared with its entries, not taken for the deleted row of an entry beyond the plan.
    for rows in store.rows_for_checking(
        spec, shape.plain_names, merged, others, nullable, part.low,
        None if part.final else part.high,
    ):
        high = int(rows[-1][0])
        recorded = _by_entity(store.stored_payloads_between(spec.name, last, high))
        for found in rows:
            row_id = int(found[0])
            entries = recorded.pop(row_id, None)
            if (entries is not None and not found[-1]
                    and _agrees(spec, layout, found, entries)):
                continue
            problem = _problem_of(spec, row_id, entries, extra, nullable)
            if problem:
                result.findings.append(((order, row_id, 0), problem))
        for missing in sorted(recorded):
            result.findings.append(((order, missing, 0), _deleted(spec, missing)))
        result.cases += len(rows) if spec is rules.CASE else 0
        last = high
        if len(result.findings) >= MAX_FINDINGS:
            return result
    # Rows deleted at the end of the range (and, in the last range, beyond the table's end).
    gone = store.first_entity_id_after(spec.name, last, None if part.final else part.high)
    if gone is not None:
        result.findings.append(((order, gone, 0), _deleted(spec, gone)))
    return result


# An entity's entries: their payloads (the bytes stored) and the plain personal texts beside.
Entries = tuple[list[bytes], list[str]]


def _by_entity(found: list[store.StoredEntry]) -> dict[int, Entries]:
    grouped: dict[int, Entries] = {}
    for entity_id, payload, personal in found:
        entries = grouped.get(entity_id)
        if entries is None:
            grouped[entity_id] = ([payload], [personal])
        else:
            entries[0].append(payload)
            entries[1].append(personal)
    return grouped


@dataclass(frozen=True)
class RowLayout:
    """A row as ``store.rows_for_checking`` lays it out: the id, the ``plain`` columns'
    canonical texts, ``merged`` texts as UTF-8 bytes, the ``others`` as stored, the flag."""

    shape: rules.RowShape
    plain: int
    merged: int
    others: tuple[str, ...]
    personal: bool
    # Nothing but plain columns (a receipt): their texts are the whole comparison.
    plain_only: bool

    @classmethod
    def of(cls, shape: rules.RowShape, others: tuple[str, ...]) -> RowLayout:
        merged = len(shape.merged)
        return cls(shape, len(shape.plain_names), merged, others, bool(shape.personal_names),
                   not merged and not others and not shape.digests)


def _agrees(spec: EntitySpec, layout: RowLayout, found: tuple[Any, ...], entries: Entries) -> bool:
    """The quick yes for a row as ``layout`` says; False also when only a closer look can tell
    (``_problem_of`` then decides, on the row as stored)."""
    after_plain = layout.plain + 1
    try:
        state = rules.replay(spec, entries[0], parse)
        if layout.plain_only:
            return rules.plain_agree(layout.shape, found[1:after_plain], state)
        after_merged = after_plain + layout.merged
        row = dict(zip(layout.others, found[after_merged:-1], strict=True))
        salt = str(row.get("personal_salt") or "")
        return rules.row_agrees(
            spec, row, state, salt, parse, payload_bytes, plain_texts=found[1:after_plain],
            merged_utf8=found[after_plain:after_merged],
        ) and (not layout.personal
               or _unfaithful_personal(spec, row, salt, state, entries) is None)
    except (ValueError, TypeError, AttributeError):
        return False


def _problem_of(
    spec: EntitySpec, row_id: int, entries: Entries | None, extra: Sequence[str],
    nullable: Sequence[str],
) -> str:
    """What is wrong with a row the quick comparison did not pass, read again as stored."""
    (row,) = store.rows_by_ids(spec, extra, [row_id])
    return _full_problem(spec, row, entries, nullable)


def _full_problem(
    spec: EntitySpec, row: dict[str, Any], entries: Entries | None, nullable: Sequence[str]
) -> str:
    return (_row_problem(spec, row, None if entries is None else entries[0])
            or _empty_for_null(spec, row, nullable)
            or _personal_problem(spec, row, entries))


def _unfaithful_personal(
    spec: EntitySpec, row: dict[str, Any], salt: str, state: dict[str, Any], entries: Entries,
    parse_payload: rules.Parse = parse,
) -> int | None:
    """``rules.first_unfaithful_personal`` for an entity's entries as read (entities without
    personal columns have nothing to check)."""
    names = rules.row_shape(spec).personal_names
    if not names:
        return None
    payloads, texts = entries
    if len(payloads) == 1 and salt and texts[0] == _personal_text(row, state, names):
        return None  # the text the app writes for its one entry: nothing else to look at
    # One entry: the replayed state is its payload (remarks aside), already read.
    parsed = [state] if len(payloads) == 1 else [_object(parse_payload, p) for p in payloads]
    personals = [_object(parse_payload, text) if text else {} for text in texts]
    return rules.first_unfaithful_personal(spec, row, salt, state, parsed, personals)


def _personal_text(row: dict[str, Any], state: dict[str, Any], names: Sequence[str]) -> str:
    """The plain text beside an entity's only entry, as the app writes it, from the row (which
    agrees with the entry): every personal value the entry sets, but for an erasure marker."""
    return payload_text({
        name: row.get(name) for name in names
        if name in state and state[name] != rules.ERASED
    })


def _object(read: rules.Parse, text: str | bytes) -> dict[str, Any] | None:
    try:
        value = read(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _personal_problem(spec: EntitySpec, row: dict[str, Any], entries: Entries | None) -> str:
    """The plain personal text beside an entry (outside the hash, shown in the history) that
    is not what the entry committed to: written behind the app's back."""
    if entries is None or not rules.row_shape(spec).personal:
        return ""
    salt = str(row.get("personal_salt") or "")
    try:
        state = rules.replay(spec, entries[0])
    except (ValueError, TypeError, AttributeError):
        return ""  # the row's own check says the entries cannot be read
    index = _unfaithful_personal(spec, row, salt, state, entries, json.loads)
    if index is None:
        return ""
    return (f"{_identify(spec, row)}第 {index + 1} 条历史记录旁保存的顾客姓名或联系电话"
            "与登记簿记录不符:被绕过程序改动过")


def _row_problem(spec: EntitySpec, row: dict[str, Any], payloads: list[bytes] | None) -> str:
    if payloads is None:
        return f"{_identify(spec, row)}不在登记簿中,是绕过程序直接写入的"
    salt = str(row.get("personal_salt") or "")
    try:
        state = rules.replay(spec, payloads, parse)
        if rules.row_agrees(spec, row, state, salt, parse, payload_text):
            return ""
    except (ValueError, TypeError, AttributeError):
        pass  # a payload the fast reader refuses: the slow path below decides
    try:
        state = rules.replay(spec, payloads)
    except (ValueError, TypeError, AttributeError):
        return f"{_identify(spec, row)}的登记簿记录无法读取:被绕过程序改动过"
    mismatch = rules.row_mismatch(spec, row, state, salt=salt)
    return "" if mismatch is None else f"{_identify(spec, row)}的{mismatch}:被绕过程序改动过"


def _empty_for_null(spec: EntitySpec, row: dict[str, Any], nullable: Sequence[str]) -> str:
    """The chain writes NULL and "" alike; the app leaves an absent value NULL, so "" in a
    column that may be NULL was typed behind its back (SQL's IS NULL sees the difference:
    an unacknowledged major complaint, a refund counted without a receipt)."""
    for column in nullable:
        if row.get(column) == "":
            return (f"{_identify(spec, row)}的「{rules.column_label(column)}」是空字符串而不是"
                    "空值:被绕过程序改动过")
    return ""


def _refund_rule_problems() -> list[str]:
    """Rules every refund the app writes keeps, checked on the rows as they are: entries
    appended behind the app's back can make rows and chain agree, not make a refund's items
    add up to another amount, or let its requester sign it (found in review: a December
    refund restated by entries appended later passed)."""
    problems = [
        f"退款单 {refund_id} 的商品明细合计 {format_yuan(from_fen(total))},与退款金额 "
        f"{format_yuan(from_fen(amount))} 不一致(程序从不这样保存):记录是绕过程序写入的"
        for refund_id, amount, total in store.refunds_disagreeing_with_items()
    ]
    problems.extend(
        f"退款单 {refund_id} 由申请人本人批准(程序不允许):记录是绕过程序写入的"
        for refund_id in store.refunds_approved_by_their_requester()
    )
    return problems + _refund_signer_problems()


def _refund_signer_problems() -> list[str]:
    """Every decided refund was decided by an account whose role, at the entry that recorded
    the decision, covered its level (a decision appended in the name of someone who could
    not sign it passed, chain and rows agreeing)."""
    decisions = store.refund_decisions()
    if not decisions:
        return []
    roles = _roles_over_time()
    problems = []
    for refund_id, level_number, user_id, seq in decisions:
        changes = roles.get(user_id, [])
        at = bisect_right(changes, seq, key=lambda change: change[0])
        role = changes[at - 1][1] if at else None
        try:
            level = ApprovalLevel(level_number)
        except ValueError:
            continue  # a level no app writes: the row check names it
        if not decided_within_authority(role, level):
            who = "未知账户" if role is None else role.label
            problems.append(
                f"退款单 {refund_id} 由{who}签批,而它须由{level.label}一级签批(程序不允许):"
                "记录是绕过程序写入的"
            )
    return problems


def _roles_over_time() -> dict[int, list[tuple[int, Role | None]]]:
    """Each account's role from each entry that set it on, as (entry number, role): the role
    is a plain column, so the last entry setting it is what replay gives (an account's
    entries include every login: read once, in order)."""
    timeline: dict[int, list[tuple[int, Role | None]]] = {}
    for user_id, seq, payload in store.entries_in_order(rules.USER.name):
        values = orjson.loads(payload)
        if isinstance(values, dict) and "role" in values:
            value = values["role"]
            role = Role(value) if value in _ROLE_VALUES else None
            timeline.setdefault(user_id, []).append((seq, role))
    return timeline


_ROLE_VALUES = frozenset(role.value for role in Role)


def _rows_numbered_below_one() -> list[str]:
    """Ids and entry numbers start at 1 and the checks start above 0: a row or an entry
    numbered 0 or below can only have been written behind the app's back."""
    problems = []
    for spec in ENTITIES.values():
        if spec.keyed:
            continue
        found = store.nonpositive_id(spec.table)
        if found is not None:
            problems.append(
                f"{spec.label}表中有编号为 {found} 的记录(程序从 1 开始编号):是绕过程序直接写入的"
            )
    # The chain is walked from entry 1: an entry numbered 0 or below is outside every walk.
    entry = store.nonpositive_id("register_entry", key="seq")
    if entry is not None:
        problems.append(
            f"登记簿中有编号为 {entry} 的记录(程序从 1 开始编号):是绕过程序直接写入的"
        )
    return problems


def _deleted(spec: EntitySpec, entity_id: int) -> str:
    return f"登记簿记录了{spec.label} #{entity_id},{spec.label}表中却没有:被删除了"


def _identify(spec: EntitySpec, row: dict[str, Any]) -> str:
    if spec is rules.CASE:
        return f"案件 {row['case_no']} "
    if spec is rules.USER:
        return f"账户 {row['username']} "
    if spec is rules.RECEIPT:
        return f"小票 {row['receipt_key']} "
    return f"{spec.label} #{row['id']} "


# --- running a full check --------------------------------------------------------------------


def verify(
    anchors: Iterable[Anchor] = (),
    progress: Progress | None = None,
    db_path: Path | None = None,
    workers: int | None = None,
    cancel: threading.Event | None = None,
) -> VerifyReport:
    """Check everything; collects up to ``MAX_FINDINGS`` problems. With ``db_path`` and a large
    register the parts run in ``workers`` processes (default: one per processor)."""
    known = list(anchors)
    parts, last = plan_parts(known)
    total = sum(part.size for part in parts)
    count = workers if workers is not None else (os.cpu_count() or 1)
    # The worker processes open the SQLite file read-only; a server's database is read
    # here (its queries run on the server, not in this PC's processes).
    on_file = store.engine() == "sqlite"
    if db_path is not None and on_file and count > 1 and total >= PARALLEL_FROM:
        results = _in_processes(parts, db_path, count, total, progress, cancel)
    else:
        results = _in_this_process(parts, total, progress, cancel)
    findings: list[tuple[tuple[int, int, int], str]] = []
    broken = [result.broken_at for result in results if result.broken_at is not None]
    first_break = min(broken, default=None)
    for result in results:
        findings.extend(
            finding for finding in result.findings
            # One walk through the chain stops at its first break: so does the report.
            if finding[0][0] != 0 or finding[0][1] == first_break
        )
    beyond = [anchor for anchor in known if anchor.seq > last]
    if beyond and first_break is None:
        walk = ChainWalk(beyond, after=last)
        tail = walk.finish()
        assert tail is not None
        findings.append(((0, last + 1, 0), tail.message))
    findings.extend(((1, index, 0), text) for index, text in enumerate(_trigger_problems()))
    findings.extend(((1, 1000 + index, 0), text)
                    for index, text in enumerate(_rows_numbered_below_one()))
    findings.extend(((DERIVED_ORDER, 2000 + index, 0), text)
                    for index, text in enumerate(_refund_rule_problems()))
    settings_order = list(ENTITIES).index(rules.SETTINGS.name) + 2
    findings.append(((settings_order, 0, 0), _settings_problem(rules.SETTINGS)))
    # A repaired counter is listed after the counters the derived part found wrong.
    findings.extend(((DERIVED_ORDER, 1000 + index, 0), text)
                    for index, text in enumerate(_repaired_counters()))
    texts = [text for _, text in sorted(findings, key=lambda item: item[0]) if text]
    texts = texts[:MAX_FINDINGS]
    entries = last if first_break is None else first_break - 1
    head = _head_at(entries)
    return VerifyReport(
        ok=not texts, entries=entries, cases=sum(result.cases for result in results),
        head=head, findings=texts,
    )


def _head_at(seq: int) -> Head | None:
    if seq <= 0:
        return None
    stored = store.stored_hash(seq)
    return Head(seq, stored) if isinstance(stored, str) else None


def _in_this_process(
    parts: list[Part], total: int, progress: Progress | None, cancel: threading.Event | None
) -> list[PartResult]:
    results = []
    done = 0
    for part in parts:
        if cancel is not None and cancel.is_set():
            raise VerifyCancelledError
        results.append(check_part(part))
        done += part.size
        if progress is not None:
            progress(done, total)
    return results


class VerifyCancelledError(Exception):
    """The check was stopped before it finished (the app is closing)."""


def _in_processes(
    parts: list[Part],
    db_path: Path,
    workers: int,
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> list[PartResult]:
    # Loaded here, not before the login dialog: only a large register's check needs them.
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # Spawned, not forked: the same on Windows, and safe from a process that runs Qt threads.
    context = multiprocessing.get_context("spawn")
    results: list[PartResult] = []
    done = 0
    # Costliest parts first, so no worker is left with a long one at the end.
    ordered = sorted(parts, key=lambda part: -expected_seconds(part))
    with ProcessPoolExecutor(
        max_workers=min(workers, len(ordered)), mp_context=context,
        initializer=_open_in_worker, initargs=(str(db_path),),
    ) as pool:
        pending: dict[Future[PartResult], Part] = {
            pool.submit(check_part_in_snapshot, part): part for part in ordered
        }
        try:
            while pending:
                finished, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                if cancel is not None and cancel.is_set():
                    raise VerifyCancelledError
                for future in finished:
                    part = pending.pop(future)
                    results.append(future.result())
                    done += part.size
                    if progress is not None:
                        progress(done, total)
        finally:
            for future in pending:
                future.cancel()
    return results


def _open_in_worker(db_path: str) -> None:
    from desktop_app.store.migrations import SCHEMA_VERSION
    from desktop_app.store.readonly import open_read_only

    # The worker only reads and keeps little alive: the cycle collector would only slow it.
    gc.disable()
    open_read_only(Path(db_path), SCHEMA_VERSION)
    store.map_for_reading()


# --- what every check looks at -----------------------------------------------------------------


def _trigger_problems() -> list[str]:
    present = {name: _normalised(sql) for name, sql in store.triggers().items()}
    problems = []
    protective = protective_triggers(store.engine())
    for name, sql in protective.items():
        if name not in present:
            problems.append(f"保护登记簿的触发器 {name} 被删除了")
        elif present[name] != _normalised(sql):
            problems.append(f"保护登记簿的触发器 {name} 被改动了")
    if store.engine() == SQLITE:
        problems.extend(_foreign_trigger_problems(present, protective))
    return problems


def _foreign_trigger_problems(present: dict[str, str], protective: dict[str, str]) -> list[str]:
    """A trigger the app never creates, or a search trigger changed (found in review: an
    extra trigger quietly took new cases out of the search index; verify said intact). A
    search trigger may be missing: a bulk load cut short drops it, and the next start
    rebuilds the index."""
    search = {name: _normalised(sql) for name, sql in search_triggers().items()}
    problems = []
    for name, sql in sorted(present.items()):
        if name in protective:
            continue
        if name not in search:
            problems.append(f"数据库中有本程序不会建立的触发器 {name}:是绕过程序加上的")
        elif sql != search[name]:
            problems.append(f"搜索索引的触发器 {name} 被改动了:是绕过程序改的")
    return problems


def _normalised(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def _settings_problem(spec: EntitySpec) -> str:
    payloads = [payload for _, payload in store.payloads_between(spec.name, -1, 0)]
    mismatch = rules.row_mismatch(spec, store.settings(), rules.replay(spec, payloads))
    return "" if mismatch is None else f"门店设置{mismatch}:被绕过程序改动过"


def _repaired_counters() -> list[str]:
    """A counter the app found lowered (and repaired so registration goes on) stays a finding:
    someone changed the file."""
    problems = []
    for _, payload in store.payloads_between(rules.CASE.name, -1, 0):
        remark = json.loads(payload)
        month = str(remark.get("_month", ""))
        problems.append(
            f"{month[:4]}年{month[4:]}月的案件编号计数器曾被改低为 {remark.get('_counter')}"
            f"(已有编号到 {remark.get('_highest_case')}),程序已接续编号"
        )
    return problems


def _counter_problems(months: Sequence[str] | None = None) -> list[str]:
    """Case numbers run gap-free per month: the counter, the count and the highest number of
    each month agree unless a case was deleted or the counter changed behind the app's back.
    ``months``: only these (the check since the last one)."""
    counters = store.case_counters()
    if months is None:
        numbers = store.case_numbers_by_month()
    else:
        numbers = store.case_numbers_of_months(months)
        counters = {month: value for month, value in counters.items() if month in months}
    problems = []
    for month in sorted(set(counters) | set(numbers)):
        count, highest = numbers.get(month, (0, 0))
        counter = counters.get(month, 0)
        if not count == highest == counter:
            problems.append(
                f"{month[:4]}年{month[4:]}月的案件编号不连续:计数器为 {counter},"
                f"共有 {count} 个案件,最大编号 {highest}(案件被删除或计数器被改动)"
            )
    return problems


# --- the check since the last one ------------------------------------------------------------


def verify_since(mark: Head, anchors: Iterable[Anchor] = ()) -> VerifyReport | None:
    """Check what is new since ``mark`` (the head after the last clean check): the chain from
    there on, every row the new entries are about, anchors, triggers, settings, the counters
    of the months concerned and rows past the last one the register knows. None when ``mark``
    no longer matches the file (a restored backup, a rewritten chain): check everything."""
    if store.stored_hash(mark.seq) != mark.entry_hash:
        return None
    known = list(anchors)
    last = store.last_seq()
    findings: list[str] = []
    walk = ChainWalk([a for a in known if a.seq > mark.seq], after=mark.seq,
                     prev_hash=mark.entry_hash)
    walk.add_all_headed(store.stored_headed_entries(mark.seq, last), store.entry_fields)
    walk.expect_end(last)
    finding = walk.finish()
    if finding is not None:
        findings.append(finding.message)
    findings.extend(_old_anchor_problems([a for a in known if a.seq <= mark.seq]))
    findings.extend(_trigger_problems())
    findings.extend(_rows_numbered_below_one())
    findings.extend(_refund_rule_problems())
    touched = store.touched_since(mark.seq)
    cases = 0
    for spec in ENTITIES.values():
        if spec.keyed:
            continue
        ids = sorted(i for i in touched.get(spec.name, set()) if isinstance(i, int) and i > 0)
        findings.extend(_touched_problems(spec, ids))
        findings.extend(_unknown_rows(spec))
        cases += len(ids) if spec is rules.CASE else 0
    findings.append(_settings_problem(rules.SETTINGS))
    findings.extend(_counter_problems(_months_of(touched.get(rules.CASE.name, set()))))
    findings.extend(_repaired_counters())
    texts = [text for text in findings if text][:MAX_FINDINGS]
    return VerifyReport(
        ok=not texts, entries=walk.count - mark.seq, cases=cases, head=walk.head,
        findings=texts, since=mark.seq,
    )


def _old_anchor_problems(anchors: Sequence[Anchor]) -> list[str]:
    problems = []
    for anchor in anchors:
        stored = store.stored_hash(anchor.seq)
        if not isinstance(stored, str) or not stored.startswith(anchor.prefix):
            problems.append(
                f"登记簿第 {anchor.seq} 条记录与{anchor.source or '校验码'}"
                f"({anchor.seq}:{anchor.prefix[:16]})不符:登记簿被改写过"
            )
    return problems


def _touched_problems(spec: EntitySpec, ids: list[int]) -> Iterator[str]:
    if not ids:
        return
    extra = ("personal_salt",) if spec is rules.CASE else ()
    rows = {int(row["id"]): row for row in store.rows_by_ids(spec, extra, ids)}
    recorded = _by_entity(store.stored_payloads_of(spec.name, ids))
    nullable = store.nullable_columns(spec)
    for entity_id in ids:
        row = rows.get(entity_id)
        if row is None:
            yield _deleted(spec, entity_id)
            continue
        yield _full_problem(spec, row, recorded.get(entity_id), nullable)


def _unknown_rows(spec: EntitySpec) -> Iterator[str]:
    """A row added behind the app's back after every row the register knows of."""
    beyond = store.first_row_after(spec.table, store.highest_entity_id(spec.name))
    if beyond is not None:
        rows = store.rows_by_ids(spec, (), [beyond])
        if rows:
            yield f"{_identify(spec, rows[0])}不在登记簿中,是绕过程序直接写入的"


def _months_of(case_ids: Iterable[int]) -> list[str]:
    ids = [i for i in case_ids if isinstance(i, int) and i > 0]
    rows = store.rows_by_ids(rules.CASE, (), ids) if ids else []
    return sorted({month_and_sequence(str(row["case_no"]))[0] for row in rows})
