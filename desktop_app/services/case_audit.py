"""The register's audit trail: every change appended as a hash-chained entry, and the check
that finds a change made behind the app's back.

Two things are checked: the chain itself (an entry edited, removed, inserted or reordered), and
each case row against the values its own entries replay to (a case edited directly).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.audit_chain import GENESIS_HASH, AuditEntry, compute_hash, verify_chain
from desktop_app.store import cases as store

# The case columns the trail covers; a direct edit of any of them is detected.
AUDITED_COLUMNS = (
    "case_no", "received_at", "channel", "clerk_id", "customer_name", "customer_phone",
    "subject", "product_barcode", "product_name", "department_id", "supplier_id", "staff_name",
    "receipt_no", "purchase_date", "amount_paid_fen", "account", "demand", "category", "kind",
    "is_major", "promised_reply_date", "status", "workflow", "needs_confirmation",
    "confirmation_deadline", "first_response_at", "closed_at", "major_acknowledged_at",
    "major_acknowledged_by_id",
)


def as_text(value: Any) -> str:
    """One canonical text form per value, so replayed and stored values compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def snapshot(row: Mapping[str, Any]) -> dict[str, str]:
    return {column: as_text(row.get(column)) for column in AUDITED_COLUMNS}


def append(
    case_id: int, actor: Account, at: datetime, action: str, field: str, old: str, new: str
) -> None:
    """Append one entry to the chain; call inside the transaction that makes the change."""
    last = store.last_audit_entry()
    seq, prev_hash = (1, GENESIS_HASH) if last is None else (last[0] + 1, last[1])
    stamp = as_text(at)
    actor_text = f"{actor.display_name}#{actor.id}"
    entry_hash = compute_hash(
        seq, case_id, stamp, actor_text, action, field, old, new, prev_hash
    )
    store.append_audit_entry(
        {
            "seq": seq, "case_id": case_id, "at": stamp, "actor_id": actor.id or None,
            "actor": actor_text, "action": action, "field": field, "old_value": old,
            "new_value": new, "prev_hash": prev_hash, "entry_hash": entry_hash,
        }
    )


def record_registration(case_id: int, actor: Account, at: datetime, row: Mapping[str, Any]) -> None:
    append(case_id, actor, at, "register", "*", "", json.dumps(snapshot(row), ensure_ascii=False))


def record_changes(
    case_id: int,
    actor: Account,
    at: datetime,
    action: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> list[str]:
    """One entry per audited column that changed; returns the columns."""
    old, new = snapshot(before), snapshot({**before, **after})
    changed = [column for column in AUDITED_COLUMNS if old[column] != new[column]]
    for column in changed:
        append(case_id, actor, at, action, column, old[column], new[column])
    return changed


def to_entry(row: tuple[Any, ...]) -> AuditEntry:
    return AuditEntry(
        seq=row[0], case_id=row[1], at=row[2], actor=row[3], action=row[4], field=row[5],
        old_value=row[6], new_value=row[7], prev_hash=row[8], entry_hash=row[9],
    )


@dataclass(frozen=True)
class HistoryLine:
    at: str
    actor: str
    action: str
    field: str
    old_value: str
    new_value: str


def history(case_id: int) -> list[HistoryLine]:
    return [
        HistoryLine(
            at=row[2], actor=str(row[3]).split("#")[0], action=row[4], field=row[5],
            old_value=row[6], new_value=row[7],
        )
        for row in store.audit_entries_for(case_id)
    ]


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    cases: int
    message: str


def verify_register(progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Walk the chain once, then replay each case against its row; memory stays flat."""
    counted = 0
    registered = 0

    def entries() -> Iterable[AuditEntry]:
        nonlocal counted, registered
        for row in store.iter_audit_entries():
            counted += 1
            registered += row[4] == "register"
            if progress is not None and counted % 10_000 == 0:
                progress(counted)
            yield to_entry(row)

    broken = verify_chain(entries())
    if broken is not None:
        return VerifyReport(
            ok=False, entries=counted, cases=0,
            message=f"登记簿第 {broken.seq} 条记录被改动过:{broken.reason}",
        )
    cases = 0
    for batch in store.iter_cases_with_entries(AUDITED_COLUMNS):
        for row, case_entries in batch:
            cases += 1
            mismatch = _row_mismatch(row, case_entries)
            if mismatch is not None:
                return VerifyReport(ok=False, entries=counted, cases=cases, message=mismatch)
    if cases != registered:
        return VerifyReport(
            ok=False, entries=counted, cases=cases,
            message=f"登记簿记录了 {registered} 个案件,案件表中只有 {cases} 个:有案件被删除",
        )
    refund_problem = _refund_mismatch()
    if refund_problem is not None:
        return VerifyReport(ok=False, entries=counted, cases=cases, message=refund_problem)
    return VerifyReport(
        ok=True, entries=counted, cases=cases,
        message=f"登记簿完整:{cases} 个案件、{counted} 条记录均未被改动",
    )


def _row_mismatch(row: Mapping[str, Any], entries: list[tuple[str, str, str]]) -> str | None:
    """``entries`` are (action, field, new_value) of one case in order."""
    if not entries or entries[0][0] != "register":
        return f"案件 {row['case_no']} 没有登记记录,可能是绕过程序直接写入的"
    expected: dict[str, str] = json.loads(entries[0][2])
    for _, field, new_value in entries[1:]:
        expected[field] = new_value
    actual = snapshot(row)
    for column in AUDITED_COLUMNS:
        if actual[column] != expected.get(column, ""):
            return (
                f"案件 {row['case_no']} 的「{column}」被绕过程序改动过:"
                f"登记簿记录为「{expected.get(column, '')}」,现为「{actual[column]}」"
            )
    return None


def _refund_mismatch() -> str | None:
    """Each refund row against what its request and decisions recorded in the chain."""
    expected: dict[int, dict[str, str]] = {}
    for field, new_value in store.refund_entries():
        refund_id = int(field.removeprefix("refund#"))
        expected.setdefault(refund_id, {}).update(json.loads(new_value))
    seen: set[int] = set()
    for row in store.refund_rows():
        refund_id = int(row["id"])
        seen.add(refund_id)
        recorded = expected.get(refund_id)
        if recorded is None:
            return f"第 {refund_id} 笔退款没有申请记录,可能是绕过程序直接写入的"
        for column, value in recorded.items():
            if as_text(row.get(column)) != value:
                return (
                    f"第 {refund_id} 笔退款的「{column}」被绕过程序改动过:"
                    f"登记簿记录为「{value}」,现为「{as_text(row.get(column))}」"
                )
    missing = sorted(set(expected) - seen)
    if missing:
        return f"登记簿记录了第 {missing[0]} 笔退款,退款表中却没有:有退款被删除"
    return None
