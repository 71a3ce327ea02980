"""Writing to the register: every change of an audited row goes through here, in the same
transaction as the change, so no code path can change a fact without its entry.

Call these inside a ``UnitOfWork``; they never commit.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from desktop_app.domain import register as rules
from desktop_app.domain.accounts import Account, AccountChange
from desktop_app.domain.register import ENTITIES, SETTINGS, SETTINGS_ID, Head
from desktop_app.services import case_tally
from desktop_app.store import register as store


@dataclass(frozen=True)
class Actor:
    """Who made a change: an account, or the app itself (migrations, set-up)."""

    id: int | None
    name: str


SYSTEM = Actor(None, "系统")


def actor_of(account: Account | Actor | None) -> Actor:
    if account is None:
        return SYSTEM
    if isinstance(account, Actor):
        return account
    return Actor(account.id or None, account.display_name)


def new_salt() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class PendingEntry:
    at: datetime
    actor: Actor
    entity: str
    entity_id: int
    action: str
    recorded: rules.Recorded


def append(entries: list[PendingEntry]) -> Head | None:
    """Chain ``entries`` after the current head and store them; returns the new head."""
    current = store.head()
    seq, prev = (0, rules.GENESIS_HASH) if current is None else (current.seq, current.entry_hash)
    rows = []
    for pending in entries:
        seq += 1
        at = rules.canonical(pending.at)
        payload = payload_text(pending.recorded.payload)
        prev = rules.entry_hash(
            prev, seq, at, pending.actor.id, pending.actor.name, pending.entity,
            pending.entity_id, pending.action, payload,
        )
        personal = pending.recorded.personal
        rows.append((
            seq, at, pending.actor.id, pending.actor.name, pending.entity, pending.entity_id,
            pending.action, payload, prev, payload_text(personal) if personal else "",
        ))
    store.insert_entry_rows(rows)
    return Head(seq, prev) if rows else current


_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def payload_text(payload: Mapping[str, Any]) -> str:
    """``rules.encode_payload`` (the canonical JSON text that is stored and hashed), written
    by orjson: the same text for every value a payload holds (str, int, bool, None, lists and
    objects of them; tested), six times faster. Anything orjson would write its own way (a
    subclass of str, a date, a non-string key, a huge integer) goes to ``json`` itself."""
    try:
        return orjson.dumps(payload, default=_not_plain, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return rules.encode_payload(payload)


def payload_bytes(payload: Any) -> bytes:
    """``payload_text`` as UTF-8 bytes (verify compares a million stored texts read so)."""
    try:
        return orjson.dumps(payload, default=_not_plain, option=_ORJSON_OPTIONS)
    except TypeError:
        return rules.encode_payload(payload).encode()


def _not_plain(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def create(
    entity: str,
    values: Mapping[str, Any],
    actor: Account | Actor | None,
    action: str,
    at: datetime,
    remarks: Mapping[str, Any] | None = None,
) -> int:
    """Insert a row and its entry; returns the row's id."""
    spec = ENTITIES[entity]
    row_values = {column: _stored(value) for column, value in values.items()}
    row_id = store.insert_row(spec.table, row_values)
    case_tally.added(entity, [row_id])
    salt = str(values.get("personal_salt", ""))
    record(entity, row_id, actor, action, at, values, salt=salt, remarks=remarks, created=True)
    return row_id


def change(
    entity: str,
    entity_id: int,
    changes: Mapping[str, Any],
    actor: Account | Actor | None,
    action: str,
    at: datetime,
    before: Mapping[str, Any] | None = None,
    remarks: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Update a row and append what changed; returns the audited columns that changed.

    Columns the register does not cover (``updated_at``) are written but not chained. Nothing
    is appended when no audited column changes and there is no remark."""
    spec = ENTITIES[entity]
    old = before if before is not None else store.row(spec.table, entity_id)
    if old is None:
        raise LookupError(f"{entity} {entity_id}")
    changed = rules.changed_columns(spec, old, changes)
    row_values = {}
    for column, value in changes.items():
        if spec.kind(column) is not rules.ColumnKind.MERGED:
            row_values[column] = _stored(value)
        elif column in changed:
            row_values[column] = rules.canonical({**_as_dict(old.get(column)), **changed[column]})
    with case_tally.following(entity, entity_id, row_values):
        store.update_row(spec.table, entity_id, row_values)
    if changed or remarks:
        salt = str(old.get("personal_salt", ""))
        record(entity, entity_id, actor, action, at, changed, salt=salt, remarks=remarks)
    return changed


def create_many(
    entity: str,
    rows: list[dict[str, Any]],
    actors: list[Actor],
    action: str,
    ats: list[datetime],
) -> None:
    """Bulk load: rows that carry their own ``id``, one entry each, in one statement apiece
    (imports and large demo registers; the same payloads as ``create``)."""
    spec = ENTITIES[entity]
    store.insert_rows(spec.table, [
        {column: _stored(value) for column, value in row.items()} for row in rows
    ])
    case_tally.added(entity, [int(row["id"]) for row in rows])
    append([
        PendingEntry(at, actor, entity, int(row["id"]), action, rules.record_of(
            spec, row, salt=str(row.get("personal_salt", "")), created=True))
        for row, actor, at in zip(rows, actors, ats, strict=True)
    ])


def bulk_receipts(
    paid_by_key: Mapping[str, int | None], actor: Actor, at: datetime
) -> dict[str, int]:
    """Receipt records for the keys not yet known (bulk loads); returns every key's id."""
    ids = store.ids_by_value("receipt", "receipt_key", list(paid_by_key))
    new_rows = []
    next_id = store.max_id("receipt") + 1
    for key, paid in paid_by_key.items():
        if key in ids:
            continue
        new_rows.append({"id": next_id, "receipt_key": key, "paid_fen": paid, "created_at": at})
        ids[key] = next_id
        next_id += 1
    if new_rows:
        create_many("receipt", new_rows, [actor] * len(new_rows), "created", [at] * len(new_rows))
    return ids


def record(
    entity: str,
    entity_id: int,
    actor: Account | Actor | None,
    action: str,
    at: datetime,
    values: Mapping[str, Any],
    salt: str = "",
    remarks: Mapping[str, Any] | None = None,
    created: bool = False,
) -> None:
    """Append an entry for values already written (or for a remark alone: ``values={}``);
    ``created``: the row was just inserted (its default values need no mention)."""
    recorded = rules.record_of(
        ENTITIES[entity], values, salt=salt, remarks=remarks, created=created
    )
    append([PendingEntry(at, actor_of(actor), entity, entity_id, action, recorded)])


def remark(
    entity: str,
    entity_id: int,
    actor: Account | Actor | None,
    action: str,
    at: datetime,
    remarks: Mapping[str, Any],
) -> None:
    """An entry that changes nothing but says something (a login, a reason)."""
    record(entity, entity_id, actor, action, at, {}, remarks=remarks)


def write_settings(
    values: Mapping[str, str], actor: Account | Actor | None, at: datetime
) -> dict[str, str]:
    """Store settings; the changed keys are chained as one entry. Returns what changed."""
    current = store.settings()
    changed = {key: value for key, value in values.items() if current.get(key) != value}
    for key, value in changed.items():
        store.write_setting(key, value)
    if changed:
        recorded = rules.record_of(SETTINGS, changed)
        append([PendingEntry(at, actor_of(actor), SETTINGS.name, SETTINGS_ID, "set", recorded)])
    return changed


def read_setting(key: str, default: str) -> str:
    return store.settings().get(key, default)


def head() -> Head | None:
    return store.head()


ACCOUNT_CHANGES = {
    "created": "新建账户",
    "role_changed": "更改角色",
    "password_reset": "他人重置密码",
    "password_changed": "本人修改密码",
    "disabled": "停用",
    "enabled": "启用",
    "unlocked": "解锁",
    "locked": "密码错误锁定",
}


def account_changes(start: datetime, end: datetime) -> list[AccountChange]:
    """Every account change chained in [start, end), oldest first."""
    from desktop_app.domain.roles import Role
    from desktop_app.store import accounts as account_store

    changes = []
    for at, actor, user_id, action, payload in store.entries_with_actions(
        "user", list(ACCOUNT_CHANGES), rules.canonical(start), rules.canonical(end)
    ):
        user = account_store.get_user(int(user_id))
        values = json.loads(payload)
        detail = ""
        if "role" in values:
            detail = Role(values["role"]).label
        changes.append(AccountChange(
            at=str(at), actor=str(actor), username="" if user is None else user.username,
            change=ACCOUNT_CHANGES[str(action)], detail=detail,
        ))
    return changes


def _stored(value: Any) -> Any:
    # Times are stored exactly as the chain records them (whole seconds), so they compare.
    if isinstance(value, datetime):
        return rules.canonical(value)
    if isinstance(value, dict):
        return payload_text(value)
    return value


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return dict(json.loads(value or "{}"))
