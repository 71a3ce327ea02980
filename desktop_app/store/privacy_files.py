"""Backups and customers' personal data: an erasure in the register is replayed into every
backup that still holds the person, and backups older than the retention period are removed.

A backup is scrubbed the way the register itself was: the case row gets the marker and loses
its salt, the plain text kept beside its entries is blanked, and an entry with the same time,
person, action and reason is chained after the backup's head, so the backup still verifies on
its own (and, restored, is a register that went on to the erasure). Deleted content is zeroed
(``secure_delete``) and the backup's search index merged, so no copy of the text remains in it.

Standard library only (``sqlite3``): it runs in the daily worker thread beside the window.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop_app.domain import register as rules
from desktop_app.domain.privacy import erased_values
from desktop_app.store.backup import list_backups
from desktop_app.store.db_file import WHAT_IS_WRONG, FileKind, inspect_file, sidecars
from desktop_app.store.register import INSERT_ENTRY

# From this schema version on a file has the register (register_entry, personal_salt).
REGISTER_SCHEMA_VERSION = 5
ERASE_ACTION = "erase"
_STAMP = re.compile(r"-(\d{8}-\d{6})")


@dataclass(frozen=True)
class Erasure:
    """One erasure entry of the live register, as it is replayed into a backup."""

    case_id: int
    at: str
    actor_id: int | None
    actor: str
    payload: str

    def remarks(self) -> dict[str, object]:
        loaded = json.loads(self.payload)
        return {
            key[len(rules.REMARK_PREFIX):]: value for key, value in loaded.items()
            if key.startswith(rules.REMARK_PREFIX)
        }


@dataclass
class BackupCare:
    """What happened to the backups: scrubbed (file, cases), removed, and what could not be
    done (file, why)."""

    scrubbed: list[tuple[Path, int]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


class CannotScrubError(Exception):
    """The file is not a register this code can scrub (older format, not a database)."""


def erasures_in(db_path: Path) -> dict[int, Erasure]:
    """The latest erasure of each case in the live register, read on its own connection."""
    found: dict[int, Erasure] = {}
    with _reading(db_path) as connection:
        rows = connection.execute(
            "SELECT entity_id, at, actor_id, actor, payload FROM register_entry "
            f"WHERE action = '{ERASE_ACTION}' ORDER BY seq"
        )
        for case_id, at, actor_id, actor, payload in rows:
            found[int(case_id)] = Erasure(int(case_id), str(at), actor_id, str(actor),
                                          str(payload))
    return found


def care_for_backups(
    db_path: Path, erasures: Mapping[int, Erasure], remove_before: datetime
) -> BackupCare:
    """Remove backups made before ``remove_before`` (never the newest), scrub the others."""
    care = BackupCare()
    backups = list_backups(db_path)
    for path in backups[:-1]:
        made = backup_time(path)
        if made is not None and made < remove_before:
            _remove(path)
            care.removed.append(path)
    for path in list_backups(db_path):
        kind = inspect_file(path)
        if kind is not FileKind.SQLITE:
            care.problems.append((path, WHAT_IS_WRONG.get(kind, kind.value)))
            continue
        try:
            count = scrub_backup(path, erasures)
        except CannotScrubError as error:
            holding = holds_any(path, erasures)
            if holding is None:
                care.problems.append((path, str(error)))
            elif holding:
                # An older format cannot take the erasure: the person goes with the file.
                _remove(path)
                care.removed.append(path)
            continue
        except sqlite3.Error as error:
            care.problems.append((path, f"无法读写:{error}"))
            continue
        if count:
            care.scrubbed.append((path, count))
    return care


def backup_time(path: Path) -> datetime | None:
    """When a backup was made, from its name (``desk-20261124-093000[-reason].sqlite3``)."""
    match = _STAMP.search(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def scrub_backup(path: Path, erasures: Mapping[int, Erasure]) -> int:
    """Replay ``erasures`` into the backup at ``path``; returns how many cases it scrubbed."""
    if not erasures:
        return 0
    with _writing(path) as connection:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version < REGISTER_SCHEMA_VERSION:
            raise CannotScrubError(f"备份为旧版格式(版本 {version}),不能按登记簿方式删除")
        connection.execute("BEGIN IMMEDIATE")
        try:
            holding = _holding(connection, erasures)
            for case_id in holding:
                _scrub_case(connection, erasures[case_id])
            if holding:
                _forget_copies(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        if holding and _vacuum_due(connection):
            _vacuum(connection)
    return len(holding)


def holds_any(path: Path, erasures: Mapping[int, Erasure]) -> bool | None:
    """Whether an unscrubbable file still has a name or phone of an erased case; None when it
    cannot be read as a register at all (it is removed only once past the period)."""
    try:
        with _reading(path) as connection:
            rows = connection.execute(
                "SELECT id FROM \"case\" WHERE customer_name NOT IN ('', ?) "
                "OR customer_phone NOT IN ('', ?)",
                (rules.ERASED, rules.ERASED),
            )
            return any(int(row[0]) in erasures for row in rows)
    except sqlite3.Error:
        return None


def _holding(connection: sqlite3.Connection, erasures: Mapping[int, Erasure]) -> list[int]:
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS erased_case (id INTEGER PRIMARY KEY)")
    connection.execute("DELETE FROM temp.erased_case")
    connection.executemany(
        "INSERT INTO temp.erased_case (id) VALUES (?)", ((case_id,) for case_id in erasures)
    )
    rows = connection.execute(
        'SELECT c.id FROM "case" c JOIN temp.erased_case e ON e.id = c.id '
        "WHERE c.personal_salt <> '' OR c.customer_name NOT IN ('', ?) "
        "OR c.customer_phone NOT IN ('', ?) ORDER BY c.id",
        (rules.ERASED, rules.ERASED),
    )
    return [int(row[0]) for row in rows]


def _scrub_case(connection: sqlite3.Connection, erasure: Erasure) -> None:
    name, phone = connection.execute(
        'SELECT customer_name, customer_phone FROM "case" WHERE id = ?', (erasure.case_id,)
    ).fetchone()
    values = erased_values(str(name), str(phone))
    before = {"customer_name": name, "customer_phone": phone}
    changed = rules.changed_columns(rules.CASE, before, values)
    connection.execute(
        'UPDATE "case" SET customer_name = ?, customer_phone = ?, personal_salt = ? '
        "WHERE id = ?",
        (values["customer_name"], values["customer_phone"], values["personal_salt"],
         erasure.case_id),
    )
    connection.execute(
        "UPDATE register_entry SET personal = '' "
        "WHERE entity = 'case' AND entity_id = ? AND personal <> ''",
        (erasure.case_id,),
    )
    recorded = rules.record_of(rules.CASE, changed, remarks=erasure.remarks())
    _append(connection, erasure, rules.encode_payload(recorded.payload))


def _append(connection: sqlite3.Connection, erasure: Erasure, payload: str) -> None:
    head = connection.execute(
        "SELECT seq, entry_hash FROM register_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    seq, prev = (0, rules.GENESIS_HASH) if head is None else (int(head[0]), str(head[1]))
    seq += 1
    entry_hash = rules.entry_hash(
        prev, seq, erasure.at, erasure.actor_id, erasure.actor, "case", erasure.case_id,
        ERASE_ACTION, payload,
    )
    connection.execute(INSERT_ENTRY, (
        seq, erasure.at, erasure.actor_id, erasure.actor, "case", erasure.case_id, ERASE_ACTION,
        payload, entry_hash, "",
    ))


def _forget_copies(connection: sqlite3.Connection) -> None:
    """The search index merged into one segment (a deleted row's terms go only when the
    segments holding them are merged) and the planner's sample keys of the case table."""
    tables = {str(row[0]) for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    )}
    if "case_search" in tables:
        connection.execute("INSERT INTO case_search(case_search) VALUES ('optimize')")
    if "sqlite_stat4" in tables:
        connection.execute("DELETE FROM sqlite_stat4 WHERE tbl = 'case'")


def _vacuum_due(connection: sqlite3.Connection) -> bool:
    """A backup made before the app zeroed deleted content (no ``privacy_upkeep`` table), or
    of a file whose one clean-up had not run yet, may keep earlier row versions in free
    space."""
    try:
        found = connection.execute(
            "SELECT 1 FROM privacy_upkeep WHERE key = 'vacuum_due'"
        ).fetchone()
    except sqlite3.OperationalError:
        return True
    return found is not None


def _vacuum(connection: sqlite3.Connection) -> None:
    connection.execute("VACUUM")
    with contextlib.suppress(sqlite3.OperationalError):
        connection.execute("DELETE FROM privacy_upkeep WHERE key = 'vacuum_due'")


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
    )
    try:
        connection.execute("PRAGMA busy_timeout = 5000")
        yield connection
    finally:
        connection.close()


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-write connection that zeroes what it deletes; opening it also rolls back a scrub
    a crash interrupted (its hot journal)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete = 1")
        connection.execute("PRAGMA busy_timeout = 5000")
        yield connection
    finally:
        connection.close()


def _remove(path: Path) -> None:
    for file in (path, Path(f"{path}-journal"), *sidecars(path)):
        file.unlink(missing_ok=True)
