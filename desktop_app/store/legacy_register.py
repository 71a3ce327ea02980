"""Bringing a register of schema v4 over to the one chain of v5, history intact.

Before v5 the chain covered cases and refunds only (one entry per changed column, old and new
value), accounts had an unchained event log, and receipts were free text on each case. The
conversion:

1. checks the old chain and records its head and the result in the new chain's first entry;
2. gives each receipt number one canonical key and one record (what was paid, once);
3. re-expresses every old entry in the new form (personal values committed, not stored), so a
   case's history keeps who changed what and when;
4. records what the old chain never covered (accounts and their events, settings, catalogue,
   refund items, receipts) as they stand, as the new chain's starting facts.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from peewee import Database

from desktop_app.domain import register as rules
from desktop_app.domain.receipts import receipt_key_or_none
from desktop_app.store.register import INSERT_ENTRY

LEGACY_GENESIS = "0" * 64
BATCH = 5000
SYSTEM_ACTOR = "系统"
REGISTER_META = rules.EntitySpec(name="register", table="", columns={}, keyed=True)


def legacy_hash(row: tuple[Any, ...], prev_hash: str) -> str:
    seq, case_id, at, actor, action, field, old, new = row[:8]
    payload = json.dumps(
        [seq, case_id, at, actor, action, field, old, new, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class _Writer:
    """Appends converted entries in batches, chaining as it goes."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.seq = 0
        self.prev = rules.GENESIS_HASH
        self._rows: list[tuple[Any, ...]] = []

    def add(
        self,
        at: str,
        actor_id: int | None,
        actor: str,
        entity: str,
        entity_id: int,
        action: str,
        recorded: rules.Recorded,
    ) -> None:
        self.seq += 1
        payload = rules.encode_payload(recorded.payload)
        self.prev = rules.entry_hash(
            self.prev, self.seq, at, actor_id, actor, entity, entity_id, action, payload
        )
        personal = rules.encode_payload(recorded.personal) if recorded.personal else ""
        self._rows.append(
            (self.seq, at, actor_id, actor, entity, entity_id, action, payload, self.prev,
             personal)
        )
        if len(self._rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._db.cursor().executemany(INSERT_ENTRY, self._rows)
            self._rows = []


def convert(db: Database, now: datetime) -> None:
    """Fill the new register from a v4 file; nothing to do on a new, empty file."""
    users = db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()[0]
    cases = db.execute_sql('SELECT COUNT(*) FROM "case"').fetchone()[0]
    if users == 0 and cases == 0:
        return
    at = rules.canonical(now)
    writer = _Writer(db)
    legacy = _check_legacy(db)
    writer.add(at, None, SYSTEM_ACTOR, "register", 0, "migrated",
               rules.record_of(REGISTER_META, {}, remarks=legacy))
    receipts = _create_receipts(db, at)
    salts = _give_salts(db)
    _convert_entries(db, writer, receipts, salts)
    _record_uncovered(db, writer, at)
    writer.flush()


def _check_legacy(db: Database) -> dict[str, Any]:
    prev = LEGACY_GENESIS
    count = 0
    problem = ""
    for row in _legacy_rows(db):
        expected_seq = count + 1
        if row[0] != expected_seq:
            problem = f"旧登记簿记录编号不连续(第 {expected_seq} 条)"
            break
        if row[8] != prev or legacy_hash(row, prev) != row[9]:
            problem = f"旧登记簿第 {row[0]} 条记录被改动过"
            break
        prev = row[9]
        count += 1
    total = db.execute_sql("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    return {
        "legacy_entries": total,
        "legacy_head": f"{count}:{prev}",
        "legacy_check": problem or f"旧登记簿 {total} 条记录校验完整",
    }


def _legacy_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    last = 0
    sql = (
        "SELECT seq, case_id, at, actor, action, field, old_value, new_value, prev_hash, "
        "entry_hash, actor_id FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?"
    )
    while True:
        rows = db.execute_sql(sql, (last, BATCH)).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _create_receipts(db: Database, at: str) -> dict[str, int]:
    """One record per canonical receipt key; what was paid is the largest amount a case gave."""
    paid: dict[str, int | None] = {}
    for receipt_no, amount in db.execute_sql(
        'SELECT receipt_no, amount_paid_fen FROM "case" WHERE receipt_no <> \'\' '
        "UNION ALL SELECT receipt_no, NULL FROM refund WHERE receipt_no <> ''"
    ).fetchall():
        key = receipt_key_or_none(receipt_no) or str(receipt_no).strip().upper()
        known = paid.get(key)
        if amount is not None and (known is None or amount > known):
            paid[key] = int(amount)
        else:
            paid.setdefault(key, known)
    ids: dict[str, int] = {}
    for key, fen in paid.items():
        cursor = db.execute_sql(
            "INSERT INTO receipt (receipt_key, paid_fen, created_at) VALUES (?, ?, ?)",
            (key, fen, at),
        )
        ids[key] = int(cursor.lastrowid)
    for table in ("case", "refund"):
        rows = db.execute_sql(
            f'SELECT id, receipt_no FROM "{table}" WHERE receipt_no <> \'\''
        ).fetchall()
        for row_id, receipt_no in rows:
            key = receipt_key_or_none(receipt_no) or str(receipt_no).strip().upper()
            db.execute_sql(
                f'UPDATE "{table}" SET receipt_no = ?, receipt_id = ? WHERE id = ?',
                (key, ids[key], row_id),
            )
    return ids


def _give_salts(db: Database) -> dict[int, str]:
    salts: dict[int, str] = {}
    for (case_id,) in db.execute_sql('SELECT id FROM "case"').fetchall():
        salts[int(case_id)] = secrets.token_hex(16)
    db.cursor().executemany(
        'UPDATE "case" SET personal_salt = ? WHERE id = ?',
        [(salt, case_id) for case_id, salt in salts.items()],
    )
    return salts


def _convert_entries(
    db: Database, writer: _Writer, receipts: dict[str, int], salts: dict[int, str]
) -> None:
    """Old entries in order; the per-column entries of one change become one entry."""
    group: list[tuple[Any, ...]] = []
    for row in _legacy_rows(db):
        if group and _group_key(row) != _group_key(group[0]):
            _write_group(writer, group, receipts, salts)
            group = []
        group.append(row)
    if group:
        _write_group(writer, group, receipts, salts)


def _group_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    field = str(row[5])
    separate = field == "*" or field.startswith("refund#") or field == "correction_reason"
    return (row[1], row[2], row[3], row[4], row[0] if separate else None)


def _write_group(
    writer: _Writer, group: list[tuple[Any, ...]], receipts: dict[str, int], salts: dict[int, str]
) -> None:
    first = group[0]
    case_id, at, actor_text, action, field = first[1], first[2], first[3], first[4], first[5]
    actor = str(actor_text).rsplit("#", 1)[0]
    actor_id = first[10]
    if str(field).startswith("refund#"):
        refund_id = int(str(field).removeprefix("refund#"))
        values = _mapped(json.loads(first[7]), receipts)
        writer.add(at, actor_id, actor, "refund", refund_id, action,
                   rules.record_of(rules.REFUND, values))
        return
    if field == "correction_reason":
        writer.add(at, actor_id, actor, "case", case_id, action,
                   rules.record_of(rules.CASE, {}, remarks={"correction_reason": first[7]}))
        return
    if field == "*":
        values = _mapped(json.loads(first[7]), receipts)
    else:
        values = _mapped({str(row[5]): row[7] for row in group}, receipts)
    recorded = rules.record_of(rules.CASE, values, salt=salts.get(int(case_id), ""))
    writer.add(at, actor_id, actor, "case", case_id, action, recorded)


def _mapped(values: dict[str, Any], receipts: dict[str, int]) -> dict[str, Any]:
    """Old column values in the new form: canonical receipt keys with their record's id."""
    mapped = {key: value for key, value in values.items() if key != "amount_paid_fen"}
    if "receipt_no" in mapped:
        text = str(mapped["receipt_no"] or "")
        key = (receipt_key_or_none(text) or text.strip().upper()) if text else ""
        mapped["receipt_no"] = key
        mapped["receipt_id"] = str(receipts[key]) if key else ""
    return mapped


def _record_uncovered(db: Database, writer: _Writer, at: str) -> None:
    """What the old chain never held, as it stands now."""
    for spec in (rules.USER, rules.DEPARTMENT, rules.SUPPLIER, rules.PRODUCT, rules.RECEIPT,
                 rules.REFUND_ITEM):
        # Only what exists at this version; a column a later migration adds starts at its
        # default, which the register assumes for a column no entry has set.
        present = {row[1] for row in db.execute_sql(f'PRAGMA table_info("{spec.table}")')}
        names = ["id", *(column for column in spec.columns if column in present)]
        columns = ", ".join(f'"{column}"' for column in names)
        cursor = db.execute_sql(f'SELECT {columns} FROM "{spec.table}" ORDER BY id')
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            writer.add(at, None, SYSTEM_ACTOR, spec.name, int(values.pop("id")), "migrated",
                       rules.record_of(spec, values))
    for event_at, user_id, username, event, detail, actor_id in db.execute_sql(
        "SELECT at, user_id, username, event, detail, actor_id FROM account_event "
        "WHERE user_id IS NOT NULL ORDER BY id"
    ).fetchall():
        remarks = {"event": event, "detail": detail, "username": username,
                   "by": "" if actor_id is None else str(actor_id)}
        writer.add(rules.canonical(event_at), None, SYSTEM_ACTOR, "user", int(user_id),
                   "legacy_event", rules.record_of(rules.USER, {}, remarks=remarks))
    settings = dict(db.execute_sql("SELECT key, value FROM setting").fetchall())
    if settings:
        writer.add(at, None, SYSTEM_ACTOR, "setting", rules.SETTINGS_ID, "migrated",
                   rules.record_of(rules.SETTINGS, settings))
