"""Verifying the register: the chain, every audited row against its replayed entries, the
protective triggers, the case-number counters, and heads known from outside the file.

It only reads: ``main.py verify`` opens the file read-only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain import register as rules
from desktop_app.domain.register import ENTITIES, Anchor, ChainWalk, EntitySpec, Head
from desktop_app.services import case_tally
from desktop_app.store import register as store
from desktop_app.store.migrations import protective_triggers

Progress = Callable[[int], None]
MAX_FINDINGS = 20


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    cases: int
    head: Head | None
    findings: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.ok:
            code = f",校验码 {self.head.code}" if self.head else ""
            return f"登记簿完整:{self.cases} 个案件、{self.entries} 条记录均未被改动{code}"
        more = "" if len(self.findings) < MAX_FINDINGS else "\n(只列出前 20 处)"
        return "登记簿被改动过:\n" + "\n".join(self.findings) + more


def verify(anchors: Iterable[Anchor] = (), progress: Progress | None = None) -> VerifyReport:
    """Check everything; collects up to ``MAX_FINDINGS`` problems."""
    findings: list[str] = []
    walk = ChainWalk(anchors)
    for entry in store.iter_entries():
        if not walk.add(entry):
            break
        if progress is not None and entry.seq % 50_000 == 0:
            progress(entry.seq)
    finding = walk.finish()
    if finding is not None:
        findings.append(finding.message)
    findings.extend(_trigger_problems())
    cases = 0
    for spec in ENTITIES.values():
        for problem, counted in _entity_problems(spec):
            if spec is rules.CASE:
                cases += counted
            if problem:
                findings.append(problem)
            if len(findings) >= MAX_FINDINGS:
                break
    findings.extend(_counter_problems())
    findings.extend(_repaired_counters())
    # Derived data, not in the chain: a tally that is not what the cases give is reported too.
    findings.extend(problem for problem in [case_tally.disagreement()] if problem)
    findings = findings[:MAX_FINDINGS]
    return VerifyReport(
        ok=not findings, entries=walk.count, cases=cases, head=walk.head, findings=findings
    )


def _trigger_problems() -> list[str]:
    present = {name: _normalised(sql) for name, sql in store.triggers().items()}
    problems = []
    for name, sql in protective_triggers().items():
        if name not in present:
            problems.append(f"保护登记簿的触发器 {name} 被删除了")
        elif present[name] != _normalised(sql):
            problems.append(f"保护登记簿的触发器 {name} 被改动了")
    return problems


def _normalised(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def _entity_problems(spec: EntitySpec) -> Iterator[tuple[str, int]]:
    """(problem or "", rows checked) as the entity's rows are compared with the chain."""
    if spec.keyed:
        yield _settings_problem(spec), 0
        return
    extra = ("personal_salt",) if spec is rules.CASE else ()
    last = 0
    for rows in store.iter_rows(spec, extra):
        high = int(rows[-1]["id"])
        recorded = dict(rules.group_by_entity(store.payloads_between(spec.name, last, high)))
        for row in rows:
            yield _row_problem(spec, row, recorded.pop(int(row["id"]), None)), 1
        for missing in sorted(recorded):
            yield _deleted(spec, missing), 0
        last = high
    beyond = store.first_entity_id_after(spec.name, last)
    if beyond is not None:
        yield _deleted(spec, beyond), 0


def _row_problem(spec: EntitySpec, row: dict[str, Any], payloads: list[str] | None) -> str:
    name = _identify(spec, row)
    if payloads is None:
        return f"{name}不在登记簿中,是绕过程序直接写入的"
    state = rules.replay(spec, payloads)
    mismatch = rules.row_mismatch(spec, row, state, salt=str(row.get("personal_salt") or ""))
    return "" if mismatch is None else f"{name}的{mismatch}:被绕过程序改动过"


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


def _counter_problems() -> list[str]:
    """Case numbers run gap-free per month: the counter, the count and the highest number of
    each month agree unless a case was deleted or the counter changed behind the app's back."""
    counters = store.case_counters()
    numbers = store.case_numbers_by_month()
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
