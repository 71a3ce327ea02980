"""The register: one hash chain over every fact that decides money or names.

Each entry records one change of one entity (a case, a refund and its items, an account, a
receipt, a catalogue entry, the settings): which columns it set and to what. Its hash covers
the previous entry's hash, its own header and its payload text exactly as stored, so editing,
removing, inserting or reordering any entry breaks every hash after it.

Replaying an entity's entries gives the values its row must hold; a row changed, added or
deleted behind the app's back therefore disagrees with the chain even when the chain itself is
intact.

A customer's name and phone enter the chain only as salted commitments: the plain text lives in
the case row (and, for the history screen, beside the entry outside the hash), so erasing a
person after the retention period removes the text and the salt and the chain still verifies.

The audited tables are described in ``register_entities``, the chain in ``register_chain``; this
module turns values into payloads and replays payloads into the values a row must hold, and
offers all three under one name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.domain.register_chain import (
    ANCHOR_PATTERN,
    GENESIS_HASH,
    Anchor,
    ChainWalk,
    Entry,
    Finding,
    Head,
    entry_hash,
    hash_of,
    hash_of_stored,
    header_text,
)
from desktop_app.domain.register_entities import (
    CASE,
    CHARGE_BACK,
    COLUMN_LABELS,
    DEPARTMENT,
    ENTITIES,
    IMPROVEMENT_FOLLOW_UP,
    IMPROVEMENT_ORDER,
    LIABILITY,
    PRODUCT,
    RECEIPT,
    REFUND,
    REFUND_ITEM,
    REGISTRATION_COLUMNS,
    SETTINGS,
    SETTINGS_ID,
    STAFF,
    SUPPLIER,
    USER,
    WARNING,
    WARNING_CASE,
    ColumnKind,
    EntitySpec,
    RowShape,
    column_label,
    row_shape,
)

__all__ = [
    "ANCHOR_PATTERN",
    "CASE",
    "CHARGE_BACK",
    "COLUMN_LABELS",
    "COMMITMENT_PREFIX",
    "DEPARTMENT",
    "ENTITIES",
    "ERASED",
    "GENESIS_HASH",
    "IMPROVEMENT_FOLLOW_UP",
    "IMPROVEMENT_ORDER",
    "LIABILITY",
    "PRODUCT",
    "RECEIPT",
    "REFUND",
    "REFUND_ITEM",
    "REGISTRATION_COLUMNS",
    "REMARK_PREFIX",
    "SETTINGS",
    "SETTINGS_ID",
    "STAFF",
    "SUPPLIER",
    "USER",
    "WARNING",
    "WARNING_CASE",
    "Anchor",
    "ChainWalk",
    "ColumnKind",
    "EntitySpec",
    "Entry",
    "Finding",
    "Head",
    "Parse",
    "Recorded",
    "RowShape",
    "canonical",
    "changed_columns",
    "column_label",
    "commitment",
    "digest",
    "encode_payload",
    "entry_hash",
    "first_unfaithful_personal",
    "hash_of",
    "hash_of_stored",
    "header_text",
    "record_of",
    "replay",
    "row_agrees",
    "row_mismatch",
    "row_shape",
]

# Reads a payload (or a stored JSON column) into Python values; ``json.loads`` unless the caller
# brings a faster parser that reads the same text to the same values.
Parse = Callable[[str | bytes], Any]

COMMITMENT_PREFIX = "h:"
ERASED = "(已删除)"
# Payload keys starting with this are remarks (a reason, a login's purpose), not column values.
REMARK_PREFIX = "_"
# The first text after every text that starts with REMARK_PREFIX.
_AFTER_REMARKS = chr(ord(REMARK_PREFIX) + 1)


# --- canonical values ------------------------------------------------------------------------


def canonical(value: Any) -> str:
    """One text form per value, so a value written and the same value read back compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return canonical_json(value)
    return str(value)


def commitment(salt: str, column: str, value: str) -> str:
    """A salted commitment to a personal value: checkable while the salt exists, meaningless
    (and not guessable from a phone-number list) once the salt is erased."""
    digest = hashlib.sha256(f"{salt}\x00{column}\x00{value}".encode()).hexdigest()
    return COMMITMENT_PREFIX + digest[:32]


def digest(value: str) -> str:
    return "d:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: keys sorted, no spaces, characters as they are."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_payload(payload: Mapping[str, Any]) -> str:
    """The payload's canonical JSON text: what is stored and what is hashed."""
    return canonical_json(payload)


@dataclass(frozen=True)
class Recorded:
    """What one change puts in the chain (``payload``) and beside it (``personal``: the plain
    text of committed personal values, for the history screen, erasable)."""

    payload: dict[str, Any]
    personal: dict[str, str]


def record_of(
    spec: EntitySpec,
    values: Mapping[str, Any],
    salt: str = "",
    remarks: Mapping[str, Any] | None = None,
    created: bool = False,
) -> Recorded:
    """The payload for ``values`` (audited columns only), with personal values committed.

    ``created``: the entity's first entry. A column it leaves at its default is not written:
    replay already takes an absent column to hold its default, so the register says the same
    in fewer bytes (a registered case leaves a third of its columns empty)."""
    payload: dict[str, Any] = {}
    personal: dict[str, str] = {}
    if spec.keyed:
        # A key/value entity: every key given is a plain value.
        payload = {column: canonical(value) for column, value in values.items()}
    else:
        shape = row_shape(spec)
        for column, default in shape.plain:
            if column in values:
                value = values[column]
                text = value if value.__class__ is str else canonical(value)
                if not (created and text == default):
                    payload[column] = text
        for column, default in shape.merged:
            if column in values:
                value = values[column]
                merged = value if isinstance(value, dict) else json.loads(value or "{}")
                if not (created and not merged and default == "{}"):
                    payload[column] = merged
        for column, default in shape.personal:
            if column in values:
                text = canonical(values[column])
                if created and text == default:
                    continue
                # Nothing personal to commit to: the chain says so in plain words, and an
                # erasure (which also removes the salt) still replays against the row.
                literal = text in ("", ERASED)
                payload[column] = text if literal else commitment(salt, column, text)
                if text != ERASED:
                    personal[column] = text
        for column, _ in shape.digests:
            if column in values:
                payload[column] = digest(canonical(values[column]))
    for key, value in (remarks or {}).items():
        payload[REMARK_PREFIX + key] = value
    return Recorded(payload=payload, personal=personal)


# --- replaying an entity ----------------------------------------------------------------------


def replay(
    spec: EntitySpec, payloads: Iterable[str | bytes], parse: Parse = json.loads
) -> dict[str, Any]:
    """The values an entity's entries set, in order (merged columns patched key by key)."""
    state: dict[str, Any] = {}
    merged_columns = row_shape(spec).merged_names
    for text in payloads:
        parsed = parse(text)
        # A fresh dict of the payload's own (not a list of pairs: that is no payload).
        values = parsed if parsed.__class__ is dict else dict(parsed.items())
        # Keys starting with the prefix, by two comparisons; none when even the smallest key
        # sorts after them (column names are lower case: verify replays every entity).
        if values and min(values) < _AFTER_REMARKS:
            for remark in [column for column in values
                           if REMARK_PREFIX <= column < _AFTER_REMARKS]:
                del values[remark]
        if not state and _merged_whole(values, merged_columns):
            # The first entry, merged columns whole: its values are the state as they are.
            state = values
            continue
        for column in [column for column in merged_columns if column in values]:
            merged = dict(state.get(column) or {})
            merged.update(values[column])
            values[column] = merged
        state.update(values)
    return state


def _merged_whole(values: dict[str, Any], merged_columns: frozenset[str]) -> bool:
    """Every merged column ``values`` sets is set as a whole object (the entity's few merged
    columns looked up, not the payload's many keys walked: verify replays every entity)."""
    for column in merged_columns:
        if column in values and values[column].__class__ is not dict:
            return False
    return True


def row_mismatch(
    spec: EntitySpec, row: Mapping[str, Any], recorded: Mapping[str, Any], salt: str = ""
) -> str | None:
    """The first column whose stored value disagrees with the replayed one, described."""
    columns: Iterable[str] = (
        sorted(set(row) | set(recorded)) if spec.keyed else spec.columns
    )
    for column in columns:
        stored = canonical(row.get(column))
        problem = _column_problem(spec, column, stored, recorded, salt)
        if problem is not None:
            return f"「{column_label(column)}」{problem}"
    return None


def row_agrees(
    spec: EntitySpec,
    row: Mapping[str, Any],
    recorded: Mapping[str, Any],
    salt: str = "",
    parse: Parse = json.loads,
    encode: Callable[[Any], str | bytes] = encode_payload,
    plain_texts: Sequence[str | None] | None = None,
    merged_utf8: Sequence[bytes | None] | None = None,
) -> bool:
    """True exactly when ``row_mismatch`` finds nothing: the same rules, column kind by column
    kind, without describing anything (verify asks this of every row and describes only the
    rare row that disagrees). ``encode`` writes a merged column's expected value as the app
    stores it: text equal to the stored text is the same value, without reading it.

    ``plain_texts``: the plain columns' canonical texts in ``row_shape(spec).plain_names``
    order, already made (by the database), with None for a value it could not write exactly;
    ``row`` then needs only the other columns.

    ``merged_utf8``: likewise the merged columns' stored texts (``row_shape(spec).merged``
    order) as UTF-8 bytes, read so by the database (None for NULL; a value of another type
    must not get here), and ``encode`` then writes bytes: compared without decoding either."""
    if spec.keyed:
        return row_mismatch(spec, row, recorded, salt) is None
    shape = row_shape(spec)
    # Plain columns all at once: the stored values in their canonical text, beside what the
    # entries set (or the default where none did).
    stored_plain = tuple(plain_texts) if plain_texts is not None else tuple(
        value if value.__class__ is str
        else "" if value is None
        else int.__repr__(value) if value.__class__ is int
        else canonical(value)
        for value in map(row.get, shape.plain_names)
    )
    if not plain_agree(shape, stored_plain, recorded):
        return False
    for column, default in shape.personal:
        stored = _text_of(row.get(column))
        if column not in recorded:
            if stored != default:
                return False
            continue
        committed = recorded[column]
        if committed in ("", ERASED):
            if stored != committed:
                return False
        elif commitment(salt, column, stored) != committed:
            return False
    for column, default in shape.digests:
        stored = canonical(row.get(column))
        if stored != default if column not in recorded else digest(stored) != recorded[column]:
            return False
    for index, (column, default) in enumerate(shape.merged):
        value = row.get(column) if merged_utf8 is None else merged_utf8[index]
        if column in recorded:
            try:
                if encode(recorded[column]) == value:
                    continue
            except (TypeError, ValueError):
                pass  # not the app's kind of value: read the stored text instead
        if merged_utf8 is None:
            stored = _text_of(value)
        else:
            try:
                stored = "" if value is None else value.decode()
            except UnicodeDecodeError:
                return False
        if column not in recorded:
            if stored != default:
                return False
            continue
        try:
            if not _same_json(parse_strict(stored or "{}"), recorded[column]):
                return False
        except (ValueError, RecursionError):
            return False
    return True


def _same_json(actual: Any, expected: Any) -> bool:
    """Equal as JSON, not only as Python values: ``true`` is not ``1`` nor ``5.0`` ``5``
    (found in review: a satisfaction of 5 stored as 5.0, an upheld true as 1, passed)."""
    return bool(actual == expected) and canonical_json(actual) == canonical_json(expected)


def plain_agree(shape: RowShape, stored: Sequence[Any], recorded: Mapping[str, Any]) -> bool:
    """The plain columns' stored canonical texts (a tuple in ``shape.plain_names`` order) are
    what the entries set, or the default where none did."""
    return bool(stored == shape.plain_values({**shape.plain_default_map, **recorded}))


def first_unfaithful_personal(
    spec: EntitySpec,
    row: Mapping[str, Any],
    salt: str,
    state: Mapping[str, Any],
    payloads: Sequence[Mapping[str, Any] | None],
    personals: Sequence[Mapping[str, Any] | None],
) -> int | None:
    """The index of the first entry whose plain personal text (kept beside the chain for the
    history screen, outside the hash) is not what its payload committed to; None when all are.

    ``payloads[i]``/``personals[i]``: entry i's payload and its plain text, parsed (None: not
    a JSON object). ``row`` and ``state``: the row, already found to agree with the replayed
    ``state``; a plain value equal to the row's and committed like the state needs no hash.
    Once erased (no salt) every plain text is blank; before, blank means blanked behind the
    app's back, since only an erasure blanks it."""
    columns = row_shape(spec).personal_names
    allowed = frozenset(columns)
    for index, (payload, personal) in enumerate(zip(payloads, personals, strict=True)):
        if payload is None or personal is None:
            return index
        if not salt:
            if personal:
                return index
            continue
        if not personal.keys() <= allowed:
            return index
        for column in columns:
            committed, plain = payload.get(column), personal.get(column)
            # The usual case first (verify asks it of every registration): the row's own value,
            # committed as the row's state commits it, which the row's check has just held true.
            if (plain.__class__ is str and plain == row.get(column)
                    and committed.__class__ is str and committed == state.get(column)
                    and committed.startswith(COMMITMENT_PREFIX)):
                continue
            if not _plain_is_committed(column, committed, plain, salt):
                return index
    return None


def _plain_is_committed(column: str, committed: Any, plain: Any, salt: str) -> bool:
    if committed is None or committed == ERASED:
        return plain is None  # nothing set here, or the erasure marker: no plain text
    if committed == "":
        return bool(plain == "")
    if plain.__class__ is not str:
        return False
    return bool(commitment(salt, column, plain) == committed)


def _text_of(value: Any) -> str:
    return value if value.__class__ is str else canonical(value)


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("a key given twice")
    return dict(pairs)


def parse_strict(text: str) -> Any:
    """JSON with every key once. A key given twice reads as its last value in Python and as
    its first in SQLite's json_extract (which the reports and the tally use), so a stored
    workflow could agree with the register here and say something else to a report."""
    return json.loads(text, object_pairs_hook=_one_value_per_key)


def _column_problem(
    spec: EntitySpec, column: str, stored: str, recorded: Mapping[str, Any], salt: str
) -> str | None:
    kind = spec.kind(column)
    if column not in recorded:
        default = spec.columns.get(column, "")
        if spec.keyed or stored != default:
            return f"不在登记簿中,现为「{stored}」"
        return None
    expected = recorded[column]
    differs = f"与登记簿记录不符,现为「{stored}」"
    if kind is ColumnKind.MERGED:
        try:
            actual = parse_strict(stored or "{}")
        except (ValueError, RecursionError):
            return differs
        return None if _same_json(actual, expected) else differs
    if kind is ColumnKind.PERSONAL:
        if expected in ("", ERASED):
            return None if stored == expected else differs
        return None if commitment(salt, column, stored) == expected else differs
    if kind is ColumnKind.DIGEST:
        # Never print a password hash.
        return None if digest(stored) == expected else "与登记簿记录不符"
    if stored != expected:
        return f"登记簿记录为「{expected}」,现为「{stored}」"
    return None


def changed_columns(
    spec: EntitySpec, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """The audited columns whose value ``after`` changes (merged columns: the changed keys)."""
    changes: dict[str, Any] = {}
    for column, value in after.items():
        if not spec.keyed and column not in spec.columns:
            continue
        if spec.kind(column) is ColumnKind.MERGED:
            old = _as_dict(before.get(column))
            new = _as_dict(value)
            patch = {key: item for key, item in new.items() if old.get(key) != item}
            if patch:
                changes[column] = patch
        elif canonical(before.get(column)) != canonical(value):
            changes[column] = value
    return changes


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return dict(json.loads(value or "{}"))
