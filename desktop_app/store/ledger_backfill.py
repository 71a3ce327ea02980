"""The charge-back ledger arriving on a register that already holds quality returns.

Before the ledger, an approved quality return carried its charge-back on the refund row
(``charge_back_status``, and the waiver's reason in ``charge_back_note``). The migration opens one
ledger line for each of them, in that state, with the refunded amount and the approval's time (so
it falls in the same month as the quality report puts it), and chains each line as an entry by
the system, exactly like the lines the app opens itself. Runs inside the migration's
transaction on the migrating connection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from peewee import Database

from desktop_app.domain import register as rules
from desktop_app.store.register import INSERT_ENTRY

ACTION = "charge_back:carried_over"
SYSTEM_ACTOR = "系统"
# A deduction recorded before the ledger kept no reference: the line says so.
NO_REFERENCE = "(启用扣款台账前已扣,未记单号)"
_STATES = {"charged": "charged", "waived": "waived"}


def open_earlier_charge_backs(db: Database, now: datetime) -> int:
    """One line per approved quality return without one; returns how many were opened."""
    refunds = db.execute_sql(
        "SELECT r.id, r.supplier_id, r.amount_fen, r.decided_at, r.charge_back_status, "
        "r.charge_back_note FROM refund r "
        "WHERE r.is_quality = 1 AND r.status = 'approved' "
        "AND NOT EXISTS (SELECT 1 FROM charge_back b WHERE b.refund_id = r.id) ORDER BY r.id"
    ).fetchall()
    if not refunds:
        return 0
    next_id = int(db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM charge_back").fetchone()[0])
    rows = []
    for refund_id, supplier_id, amount_fen, decided_at, status, note in refunds:
        next_id += 1
        state = _STATES.get(str(status), "pending")
        rows.append({
            "id": next_id, "refund_id": refund_id, "supplier_id": supplier_id,
            "amount_fen": amount_fen, "amount_note": "", "status": state,
            "deduction_ref": NO_REFERENCE if state == "charged" else "", "deducted_on": None,
            "waive_reason": (note or "(未写原因)") if state == "waived" else "",
            "created_at": str(decided_at), "decided_by_id": None, "decided_at": None,
        })
    columns = list(rows[0])
    db.cursor().executemany(
        f"INSERT INTO charge_back ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        ([row[column] for column in columns] for row in rows),
    )
    _chain(db, rows, rules.canonical(now.replace(microsecond=0)))
    return len(rows)


def _chain(db: Database, rows: list[dict[str, Any]], at: str) -> None:
    head = db.execute_sql(
        "SELECT seq, entry_hash FROM register_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    seq, prev = (0, rules.GENESIS_HASH) if head is None else (int(head[0]), str(head[1]))
    entries = []
    for row in rows:
        seq += 1
        values = {key: value for key, value in row.items() if key != "id"}
        payload = rules.encode_payload(rules.record_of(rules.CHARGE_BACK, values).payload)
        prev = rules.entry_hash(prev, seq, at, None, SYSTEM_ACTOR, rules.CHARGE_BACK.name,
                                int(row["id"]), ACTION, payload)
        entries.append((seq, at, None, SYSTEM_ACTOR, rules.CHARGE_BACK.name, int(row["id"]),
                        ACTION, payload, prev, ""))
    db.cursor().executemany(INSERT_ENTRY, entries)
