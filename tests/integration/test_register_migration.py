"""A register written by the version before the one chain (schema v4) is brought over with its
history: the old chain is checked and its head recorded, every old entry re-expressed, and what
the old chain never covered (accounts, settings, catalogue, items, receipts) recorded as it
stands. A row already changed behind the old app's back is still found afterwards."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.services.database import open_desk_database
from desktop_app.services.desk import build_desk
from desktop_app.store import migrations
from desktop_app.store.connection import close_database
from desktop_app.store.legacy_register import LEGACY_GENESIS, legacy_hash

NOW = datetime(2026, 11, 25, 9, 0, 0)
SNAPSHOT_COLUMNS = (
    "case_no", "received_at", "channel", "clerk_id", "customer_name", "customer_phone",
    "subject", "product_barcode", "product_name", "department_id", "supplier_id", "staff_name",
    "receipt_no", "purchase_date", "amount_paid_fen", "account", "demand", "category", "kind",
    "is_major", "promised_reply_date", "status", "workflow", "needs_confirmation",
    "confirmation_deadline", "first_response_at", "closed_at", "major_acknowledged_at",
    "major_acknowledged_by_id",
)


class LegacyDesk:
    """Writes rows and chained entries the way schema v4's app did."""

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db
        self.seq = 0
        self.prev = LEGACY_GENESIS

    def entry(self, case_id: int, at: str, actor: str, action: str, field: str, old: str,
              new: str) -> None:
        self.seq += 1
        row = (self.seq, case_id, at, actor, action, field, old, new)
        entry_hash = legacy_hash(row, self.prev)
        self.db.execute_sql(
            "INSERT INTO audit_entry (seq, case_id, at, actor_id, actor, action, field, "
            "old_value, new_value, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (self.seq, case_id, at, 1, actor, action, field, old, new, self.prev, entry_hash),
        )
        self.prev = entry_hash

    def case(self, case_no: str, receipt: str, paid: int | None) -> int:
        values = {
            "case_no": case_no, "received_at": "2026-10-02 10:00:00", "channel": "at_desk",
            "clerk_id": 1, "customer_name": "张女士", "customer_phone": "13812345678",
            "subject": "product", "product_barcode": "", "product_name": "纯牛奶",
            "department_id": None, "supplier_id": None, "staff_name": "", "receipt_no": receipt,
            "purchase_date": "2026-10-01", "amount_paid_fen": paid, "account": "变质",
            "demand": "refund", "category": "price_billing", "kind": "complaint",
            "is_major": 0, "promised_reply_date": None, "status": "registered",
            "workflow": "{}", "needs_confirmation": 0, "confirmation_deadline": None,
            "first_response_at": None, "closed_at": None, "major_acknowledged_at": None,
            "major_acknowledged_by_id": None, "updated_at": "2026-10-02 10:00:00",
        }
        columns = list(values)
        cursor = self.db.execute_sql(
            f'INSERT INTO "case" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})',
            [values[c] for c in columns],
        )
        case_id = int(cursor.lastrowid)
        snapshot = {c: "" if values[c] is None else str(values[c]) for c in SNAPSHOT_COLUMNS}
        self.entry(case_id, "2026-10-02 10:00:00", "王店长#1", "register", "*", "",
                   json.dumps(snapshot, ensure_ascii=False))
        return case_id


@pytest.fixture
def v4_register(db_path: Path) -> Path:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path), pragmas={"foreign_keys": 1})
    db.connect()
    migrations.migrate(db, target=4)
    db.execute_sql(
        'INSERT INTO "user" (username, display_name, role, password_hash, created_at) '
        "VALUES ('boss', '王店长', 'store_manager', 'scrypt$16$8$1$AA$AA', "
        "'2026-10-01 08:00:00')"
    )
    db.execute_sql("INSERT INTO account_event (at, user_id, username, event, detail) "
                   "VALUES ('2026-10-01 08:00:00', 1, 'boss', 'created', 'store_manager')")
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('store_name', '老店')")
    db.execute_sql("INSERT INTO department (name) VALUES ('食品部')")
    db.execute_sql("INSERT INTO case_counter (month, last_seq) VALUES ('202610', 2)")
    legacy = LegacyDesk(db)
    first = legacy.case("TS-202610-0001", "a2026－0031", 3000)
    legacy.case("TS-202610-0002", "A2026-0031", None)
    db.execute_sql('UPDATE "case" SET status = ?, workflow = ? WHERE id = ?',
                   ("accepted", '{"nature": {"upheld": true}}', first))
    legacy.entry(first, "2026-10-02 10:05:00", "王店长#1", "step:nature", "status",
                 "registered", "accepted")
    legacy.entry(first, "2026-10-02 10:05:00", "王店长#1", "step:nature", "workflow",
                 "{}", '{"nature": {"upheld": true}}')
    db.execute_sql('UPDATE "case" SET customer_phone = ? WHERE id = ?', ("13900001111", first))
    legacy.entry(first, "2026-10-02 10:06:00", "王店长#1", "correct", "customer_phone",
                 "13812345678", "13900001111")
    legacy.entry(first, "2026-10-02 10:06:00", "王店长#1", "correct", "correction_reason",
                 "", "留错了号码")
    cursor = db.execute_sql(
        "INSERT INTO refund (case_id, receipt_no, kind, amount_fen, reason, status, "
        "level_required, requested_by_id, requested_at) VALUES (?, 'A2026-0031', 'return', "
        "1000, '变质', 'pending', 1, 1, '2026-10-02 10:10:00')", (first,),
    )
    refund_id = int(cursor.lastrowid)
    db.execute_sql("INSERT INTO refund_item (refund_id, product_name, quantity, amount_fen) "
                   "VALUES (?, '纯牛奶', 1, 1000)", (refund_id,))
    request = {"case_id": str(first), "receipt_no": "A2026-0031", "kind": "return",
               "amount_fen": "1000", "reason": "变质", "status": "pending",
               "level_required": "1", "requested_by_id": "1",
               "requested_at": "2026-10-02 10:10:00"}
    legacy.entry(first, "2026-10-02 10:10:00", "王店长#1", "refund:request",
                 f"refund#{refund_id}", "", json.dumps(request, ensure_ascii=False))
    db.close()
    return db_path


def test_a_v4_register_is_brought_over_and_verifies(v4_register: Path) -> None:
    opened = open_desk_database(v4_register, NOW, daily_backup=False)
    try:
        desk = build_desk(opened.db, v4_register, lambda: NOW)
        report = desk.register.verify()
        assert report.ok, report.message
        assert report.cases == 2
        first_entry = opened.db.execute_sql(
            "SELECT action, payload FROM register_entry WHERE seq = 1").fetchone()
        assert first_entry[0] == "migrated"
        assert "旧登记簿 7 条记录校验完整" in first_entry[1]
        lines = desk.cases.history(1)
        phone = [line for line in lines if line.field == "customer_phone"]
        assert [(line.old_value, line.new_value) for line in phone] == [
            ("13812345678", "13900001111")
        ]
        assert any(line.field == "correction_reason" for line in lines)
        receipts = opened.db.execute_sql("SELECT receipt_key, paid_fen FROM receipt").fetchall()
        assert receipts == [("A2026-0031", 3000)]
        tables = {row[0] for row in opened.db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "audit_entry" not in tables and "account_event" not in tables
        assert desk.refunds.receipt_paid(2) is not None
    finally:
        close_database()


def test_a_row_changed_behind_the_old_app_is_still_found(v4_register: Path) -> None:
    raw = SqliteDatabase(str(v4_register))
    raw.connect()
    raw.execute_sql('UPDATE "case" SET product_name = ? WHERE id = 2', ("茅台",))
    raw.close()
    opened = open_desk_database(v4_register, NOW, daily_backup=False)
    try:
        report = build_desk(opened.db, v4_register, lambda: NOW).register.verify()
        assert not report.ok
        assert "茅台" in report.message
    finally:
        close_database()


def test_a_broken_old_chain_is_recorded_in_the_first_entry(v4_register: Path) -> None:
    raw = SqliteDatabase(str(v4_register))
    raw.connect()
    raw.execute_sql("DROP TRIGGER audit_entry_append_only_update")
    raw.execute_sql("UPDATE audit_entry SET new_value = 'x' WHERE seq = 3")
    raw.close()
    opened = open_desk_database(v4_register, NOW, daily_backup=False)
    try:
        payload = opened.db.execute_sql(
            "SELECT payload FROM register_entry WHERE seq = 1").fetchone()[0]
        assert "旧登记簿第 3 条记录被改动过" in payload
    finally:
        close_database()
