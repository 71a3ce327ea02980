"""The register's hash chain: each entry's hash covers the previous entry's hash, its own
header and its payload text exactly as stored, so editing, removing, inserting or reordering any
entry breaks every hash after it. ``ChainWalk`` checks a stretch of entries; a ``Head`` printed on
paper or kept in the anchor file (an ``Anchor``) catches a rewrite of the whole file."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor_id: int | None
    actor: str
    entity: str
    entity_id: int
    action: str
    payload: str
    entry_hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor_id: int | None,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    payload: str,
) -> str:
    # The header as a JSON array keeps field boundaries unambiguous; the payload is hashed as
    # stored, so checking an entry never re-encodes it. One byte layout: hash_of_stored's.
    header = header_text(seq, at, actor_id, actor, entity, entity_id, action)
    return hash_of_stored(prev_hash, header, payload.encode())


def hash_of_stored(prev_hash: str, header: str, payload: bytes) -> str:
    """``entry_hash`` for a payload read as the bytes SQLite stores (its UTF-8 text): the same
    digest without decoding and encoding the payload again."""
    digest_ = hashlib.sha256(prev_hash.encode())
    digest_.update(b"\n" + header.encode() + b"\n")
    digest_.update(payload)
    return digest_.hexdigest()


# The characters json.dumps(ensure_ascii=False) escapes in a string; any other string is
# written as itself between quotes.
_ESCAPED = re.compile(r'[\x00-\x1f\\"]')


def _json_string(text: str) -> str:
    if _ESCAPED.search(text) is None:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


# (actor_id, its type, actor, entity, action) -> the header's text between ``at`` and
# ``entity_id`` and after it; () for fields of unusual types (the full encoder handles those).
# The type is part of the key because 1, 1.0 and True are equal keys but different JSON.
_HEADER_MIDDLES: dict[tuple[Any, ...], tuple[str, str] | tuple[()]] = {}


def _header_middle(
    actor_id: Any, actor: Any, entity: Any, action: Any
) -> tuple[str, str] | tuple[()]:
    plain = (
        (actor_id is None or actor_id.__class__ is int)
        and actor.__class__ is str and entity.__class__ is str and action.__class__ is str
    )
    middle: tuple[str, str] | tuple[()] = ()
    if plain:
        who = "null" if actor_id is None else int.__repr__(actor_id)
        middle = (f"{who},{_json_string(actor)},{_json_string(entity)},", _json_string(action))
    if len(_HEADER_MIDDLES) > 10_000:
        _HEADER_MIDDLES.clear()
    _HEADER_MIDDLES[(actor_id, actor_id.__class__, actor, entity, action)] = middle
    return middle


def header_text(
    seq: Any, at: Any, actor_id: Any, actor: Any, entity: Any, entity_id: Any, action: Any
) -> str:
    """The hashed header: exactly ``json.dumps([seq, at, ...], ensure_ascii=False,
    separators=(",", ":"))``, built without the encoder for the usual field types (verify
    builds one per entry). Anything unusual (a value a tamperer put there) goes through
    ``json.dumps`` itself."""
    if seq.__class__ is int and entity_id.__class__ is int and at.__class__ is str:
        # Who, what and how repeat from entry to entry: their part of the header is made once.
        known = _HEADER_MIDDLES.get((actor_id, actor_id.__class__, actor, entity, action))
        if known is None:
            known = _header_middle(actor_id, actor, entity, action)
        if known:
            before, after = known
            return f"[{seq},{_json_string(at)},{before}{entity_id},{after}]"
    fields = (seq, at, actor_id, actor, entity, entity_id, action)
    parts = []
    for value in fields:
        kind = value.__class__
        if kind is str:
            parts.append(_json_string(value))
        elif kind is int:
            parts.append(int.__repr__(value))
        elif value is None:
            parts.append("null")
        else:
            return json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"),
                              default=_unwritable)
    return "[" + ",".join(parts) + "]"


def _unwritable(value: Any) -> dict[str, str]:
    """A field JSON has no form for (bytes put there behind the app's back): an object, which
    no header the app hashed holds, so the entry cannot follow."""
    return {"unwritable": repr(value)}


def hash_of(entry: Entry, prev_hash: str) -> str:
    return entry_hash(
        prev_hash, entry.seq, entry.at, entry.actor_id, entry.actor, entry.entity,
        entry.entity_id, entry.action, entry.payload,
    )


@dataclass(frozen=True)
class Finding:
    """One thing the register says was changed behind the app's back."""

    message: str
    seq: int | None = None


@dataclass(frozen=True)
class Head:
    """The newest entry: printed on reports and sheets so a rewrite inside the file is caught."""

    seq: int
    entry_hash: str

    @property
    def code(self) -> str:
        return f"{self.seq}:{self.entry_hash[:16]}"


ANCHOR_PATTERN = re.compile(r"^\s*(\d+)\s*[:：]\s*([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class Anchor:
    """A head known from outside the file (paper, the anchor file): entry ``seq`` must still
    exist with a hash starting ``prefix``."""

    seq: int
    prefix: str
    source: str = ""

    @classmethod
    def parse(cls, text: str, source: str = "") -> Anchor:
        match = ANCHOR_PATTERN.match(text)
        if match is None:
            raise ValueError(text)
        return cls(int(match.group(1)), match.group(2).lower(), source)


class ChainWalk:
    """Checks entries one at a time in ``seq`` order; memory stays flat at any size.

    A walk may start after any stored entry (``after``, with that entry's stored hash as
    ``prev_hash``): each entry's hash is checked against the one stored before it, so walks over
    consecutive stretches of the chain, each from the hash stored at its start, together check
    exactly what one walk from the first entry does. That lets verify split a large register
    between processes, and check only what is new since the last check."""

    def __init__(
        self, anchors: Iterable[Anchor] = (), after: int = 0, prev_hash: str = GENESIS_HASH
    ) -> None:
        self.count = after
        self.finding: Finding | None = None
        self._prev = prev_hash
        self._anchors: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            self._anchors.setdefault(anchor.seq, []).append(anchor)

    def add(self, entry: Entry) -> bool:
        """False (and ``finding`` set) at the first entry that does not follow."""
        return self.add_stored(
            entry.seq, entry.at, entry.actor_id, entry.actor, entry.entity, entry.entity_id,
            entry.action, entry.payload.encode(), entry.entry_hash,
        )

    def add_stored(
        self, seq: Any, at: Any, actor_id: Any, actor: Any, entity: Any, entity_id: Any,
        action: Any, payload: bytes, stored_hash: Any,
    ) -> bool:
        """``add`` for an entry as read from the file, its payload as the stored bytes."""
        expected = self.count + 1
        if seq != expected:
            missing = "缺少" if isinstance(seq, int) and seq > expected else "重复或顺序错乱"
            return self._fail(f"登记簿记录编号不连续({missing}第 {expected} 条)", expected)
        header = header_text(seq, at, actor_id, actor, entity, entity_id, action)
        if hash_of_stored(self._prev, header, payload) != stored_hash:
            return self._fail(
                f"登记簿第 {seq} 条记录与校验值不符:这条或之前的记录被改动、删除或插入过", seq
            )
        if self._anchors:
            for anchor in self._anchors.pop(seq, []):
                if not stored_hash.startswith(anchor.prefix):
                    return self._fail(
                        f"登记簿第 {seq} 条记录与{anchor.source or '校验码'}"
                        f"({seq}:{anchor.prefix[:16]})不符:登记簿被改写过",
                        seq,
                    )
        self._prev = stored_hash
        self.count = seq
        return True

    def add_all_headed(
        self, rows: Iterable[tuple[Any, ...]],
        entry_fields: Callable[[int], tuple[Any, ...] | None],
    ) -> bool:
        """``add_stored`` for each of ``rows`` (seq, header, payload, stored hash) until one does
        not follow (False then), with the walk's state in locals (verify walks millions). The
        header text was written elsewhere (by the database; None where it could not). An entry
        whose hash does not follow from that text, or that has none, is checked again from its
        fields (``entry_fields(seq)``: ``add_stored``'s arguments) with the header made here,
        so a header written another way costs time, never a false finding. The writer must
        give no header for a value JSON cannot hold as it is (a blob): equal JSON texts of
        texts, numbers and nulls are equal values, and then a header that gives the stored
        hash is the entry's own."""
        count, prev, anchors = self.count, self._prev, self._anchors
        for seq, header, payload, stored_hash in rows:
            if (seq == count + 1 and header is not None and not (anchors and seq in anchors)
                    and hash_of_stored(prev, header, payload) == stored_hash):
                count, prev = seq, stored_hash
                continue
            self.count, self._prev = count, prev
            fields = entry_fields(seq)
            if fields is None or not self.add_stored(*fields):
                if fields is None:
                    self._fail(f"登记簿第 {seq} 条记录无法读取", seq)
                return False
            count, prev = self.count, self._prev
        self.count, self._prev = count, prev
        return True

    @property
    def head(self) -> Head | None:
        """The last entry that followed (where a walk from ``after`` starts, before any)."""
        return Head(self.count, self._prev) if self.count else None

    def expect_end(self, last: int) -> None:
        """The walk was to reach entry ``last``: entries cut from the end of a stretch are
        found here (a later entry would have shown the gap)."""
        if self.finding is None and self.count < last:
            self._fail(f"登记簿记录编号不连续(缺少第 {self.count + 1} 条)", self.count + 1)

    def finish(self) -> Finding | None:
        """After the last entry: an anchor beyond the end means the tail was cut."""
        if self.finding is None and self._anchors:
            seq = max(self._anchors)  # the furthest head known: every entry lost is named
            source = self._anchors[seq][0].source or "校验码"
            lost = f"第 {self.count + 1} 条" if seq == self.count + 1 else (
                f"第 {self.count + 1}–{seq} 条")
            self.finding = Finding(
                f"{source}记载登记簿已有第 {seq} 条记录,现在只有 {self.count} 条,"
                f"{lost}记录不见了:登记簿的末尾被删除过,或从较早的备份恢复过",
                min(self._anchors),
            )
        return self.finding

    def _fail(self, message: str, seq: int) -> bool:
        self.finding = Finding(message, seq)
        return False
