"""The hash chain that makes the register tamper-evident.

Each entry's hash covers its own fields and the previous entry's hash, so editing, removing,
inserting or reordering any entry breaks every hash after it. The check streams: it holds one
entry at a time, whatever the size of the log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    case_id: int
    at: str
    actor: str
    action: str
    field: str
    old_value: str
    new_value: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def compute_hash(
    seq: int,
    case_id: int,
    at: str,
    actor: str,
    action: str,
    field: str,
    old: str,
    new: str,
    prev_hash: str,
) -> str:
    # A JSON array keeps field boundaries unambiguous ("ab"+"c" never hashes like "a"+"bc").
    payload = json.dumps(
        [seq, case_id, at, actor, action, field, old, new, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return compute_hash(
        entry.seq, entry.case_id, entry.at, entry.actor, entry.action, entry.field,
        entry.old_value, entry.new_value, entry.prev_hash,
    )


def verify_chain(entries: Iterable[AuditEntry]) -> ChainBreak | None:
    """The first entry that does not follow from the one before it, or ``None``."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for entry in entries:
        if entry.seq != expected_seq:
            missing = "缺少" if entry.seq > expected_seq else "重复或顺序错乱"
            return ChainBreak(expected_seq, f"记录编号不连续({missing}第 {expected_seq} 条)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, "与前一条记录的链接不符(前一条被改动、删除或插入)")
        if hash_of(entry) != entry.entry_hash:
            return ChainBreak(entry.seq, "记录内容与其校验值不符(内容被改动)")
        prev_hash = entry.entry_hash
        expected_seq += 1
    return None
