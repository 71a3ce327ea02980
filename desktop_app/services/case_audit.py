"""A case's history as the case screen shows it, replayed from the register.

Each entry of the case (and of its refunds) becomes one line per column it changed, with the
value before and after; personal values come from the plain text kept beside the entry (gone
once the person is erased), never from the chain, which holds only commitments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop_app.domain import register as rules
from desktop_app.store import refunds as refund_store
from desktop_app.store import register as store


@dataclass(frozen=True)
class HistoryLine:
    at: str
    actor: str
    action: str
    field: str
    old_value: str
    new_value: str


def history(case_id: int) -> list[HistoryLine]:
    refund_ids = [int(row[0]) for row in refund_store.refunds_of_case(case_id)]
    entries = sorted(
        [*store.entries_of("case", [case_id]), *store.entries_of("refund", refund_ids)],
        key=lambda entry: int(entry[0]),
    )
    lines: list[HistoryLine] = []
    state: dict[str, Any] = {}
    for _seq, at, actor, entity, entity_id, action, payload_text, personal_text in entries:
        payload = json.loads(payload_text)
        personal = json.loads(personal_text) if personal_text else {}
        if entity == "refund":
            shown = {key: personal.get(key, value) for key, value in payload.items()}
            lines.append(HistoryLine(at, actor, action, f"refund#{entity_id}", "",
                                     rules.canonical(shown)))
            continue
        lines.extend(_case_lines(at, actor, action, payload, personal, state))
    return lines


def _case_lines(
    at: str,
    actor: str,
    action: str,
    payload: dict[str, Any],
    personal: dict[str, str],
    state: dict[str, Any],
) -> list[HistoryLine]:
    values = {
        key: personal.get(key, rules.ERASED if personal == {} and _is_personal(key) else value)
        for key, value in payload.items()
    }
    if action == "register":
        state.update(values)
        return [HistoryLine(at, actor, action, "*", "", rules.canonical(values))]
    lines = []
    # The changed values first, then what was said about them (the reason).
    ordered = sorted(values.items(), key=lambda item: item[0].startswith(rules.REMARK_PREFIX))
    for column, value in ordered:
        if column.startswith(rules.REMARK_PREFIX):
            lines.append(HistoryLine(at, actor, action, column[1:], "", str(value)))
            continue
        old = state.get(column, "")
        new = {**_as_dict(old), **_as_dict(value)} if column == "workflow" else value
        lines.append(HistoryLine(at, actor, action, column, _text(old), _text(new)))
        state[column] = new
    return lines


def _is_personal(column: str) -> bool:
    return rules.CASE.kind(column) is rules.ColumnKind.PERSONAL


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return dict(json.loads(value or "{}"))


def _text(value: Any) -> str:
    return rules.canonical(value) if isinstance(value, dict) else str(value)
