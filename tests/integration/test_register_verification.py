"""Every change made to the file behind the app's back is named by verify.

The register holds cases, refunds and their items, receipts, accounts, settings and the
catalogue in one chain; each raw-SQL change an attacker with the file could make is tried here.
A rewrite of the chain itself (recomputing every hash) and a cut tail are caught against a head
known from outside the file (printed on reports, kept in the anchor file).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.domain import register as rules
from desktop_app.domain.cases import Category
from desktop_app.domain.refunds import ItemDraft
from desktop_app.domain.register import Anchor
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft, a_refund, a_worked_case
from tests.engines import raw_connect

Sql = Callable[..., None]


@pytest.fixture(autouse=True, params=["whole", "small-parts"])
def parts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case below runs twice: the register checked as one stretch of chain and one id
    range per table, and cut into stretches and ranges of two (as a large register is between
    worker processes), so a change at any boundary is still found."""
    from desktop_app.services import verification

    if request.param == "small-parts":
        monkeypatch.setattr(verification, "CHAIN_PART", 2)
        monkeypatch.setattr(verification, "ROWS_PART", 2)
    return str(request.param)


@pytest.fixture
def store(desk: Desk, staff: Staff) -> dict[str, int]:
    """Three cases, an approved two-item refund, a pending one, accounts and settings."""
    first = a_worked_case(desk, staff, amount_paid="500.00")
    second = desk.cases.register(staff.clerk, a_draft(customer_name="李先生",
                                                      receipt_no="B20261124-0002")).case_id
    third = a_worked_case(desk, staff, receipt_no="C20261124-0003", amount_paid="300.00",
                          category=Category.PRICE_BILLING)
    items = (ItemDraft("伊利纯牛奶 250ml", "6900000000017", "2", "30.00"),
             ItemDraft("安慕希酸奶", "", "1", "10.00"))
    approved = desk.refunds.request(staff.clerk, first, a_refund("40.00", items=items))
    desk.refunds.decide(approved, "front", "pass123", approve=True, comment="同意")
    pending = desk.refunds.request(staff.clerk, third, a_refund("20.00", receipt_no=""))
    return {"first": first, "second": second, "third": third, "approved": approved,
            "pending": pending}


@pytest.fixture
def sql(db_path: Path, store: dict[str, int]) -> Sql:
    """Another program writing to the file directly, as a tamperer would."""

    def run(statement: str, *params: object) -> None:
        raw = raw_connect(db_path)
        try:
            *before, last = statement.split("; ")
            with raw:
                for part in before:
                    raw.execute(part)
                raw.execute(last, params)
        finally:
            raw.close()

    return run


def found(desk: Desk, *anchors: Anchor) -> str:
    report = desk.register.verify(anchors)
    assert not report.ok, "verify missed the change"
    return report.message


def test_an_untouched_register_verifies(desk: Desk, store: dict[str, int]) -> None:
    report = desk.register.verify()
    assert report.ok, report.message
    assert report.cases == 3
    assert "3 个案件" in report.message
    assert report.head is not None and report.head.code in report.message


# --- rows changed behind the app's back ----------------------------------------------------

ROW_EDITS = [
    ("a case field", 'UPDATE "case" SET product_name = \'别的商品\' WHERE case_no = '
     "'TS-202611-0002'", ["TS-202611-0002", "商品名称", "别的商品"]),
    ("a case status", "UPDATE \"case\" SET status = 'closed' WHERE case_no = 'TS-202611-0003'",
     ["TS-202611-0003", "状态"]),
    ("a customer's phone (committed, not stored)",
     "UPDATE \"case\" SET customer_phone = '13999999999' WHERE case_no = 'TS-202611-0001'",
     ["联系电话", "13999999999"]),
    ("a customer's name", "UPDATE \"case\" SET customer_name = '改过的名字' "
     "WHERE case_no = 'TS-202611-0002'", ["顾客姓名", "改过的名字"]),
    ("a case's salt", "UPDATE \"case\" SET personal_salt = 'x' WHERE case_no = 'TS-202611-0001'",
     ["TS-202611-0001"]),
    ("a case's workflow", "UPDATE \"case\" SET workflow = '{}' WHERE case_no = 'TS-202611-0001'",
     ["处理经过"]),
    ("a refund amount", "UPDATE refund SET amount_fen = 400000 WHERE status = 'approved'",
     ["金额", "400000"]),
    ("a refund approved behind the app",
     "UPDATE refund SET status = 'approved' WHERE status = 'pending'", ["状态", "approved"]),
    ("a refund item's amount", "DROP TRIGGER refund_item_never_changed; "
     "UPDATE refund_item SET amount_fen = 99900 WHERE id = 1", ["退款商品", "99900"]),
    ("a refund item's product", "DROP TRIGGER refund_item_never_changed; "
     "UPDATE refund_item SET product_name = '茅台' WHERE id = 2", ["茅台"]),
    ("a user's role", "UPDATE \"user\" SET role = 'store_manager' WHERE username = 'clerk'",
     ["账户 clerk", "角色"]),
    ("a user's display name", "UPDATE \"user\" SET display_name = '王五' WHERE username = 'front'",
     ["账户 front", "王五"]),
    ("a password hash", "UPDATE \"user\" SET password_hash = 'scrypt$16$8$1$AA$AA' "
     "WHERE username = 'deputy'", ["账户 deputy", "密码"]),
    ("an account enabled", "UPDATE \"user\" SET active = 0 WHERE username = 'clerk2'",
     ["账户 clerk2", "启用"]),
    ("a lock lifted", "UPDATE \"user\" SET locked_until = '2099-01-01 00:00:00' "
     "WHERE username = 'clerk'", ["锁定至"]),
    ("must-change cleared", "UPDATE \"user\" SET must_change_password = 1 "
     "WHERE username = 'front'", ["须本人改密码"]),
    ("the store name", "UPDATE setting SET value = '别的店' WHERE key = 'store_name'",
     ["门店设置", "门店名称"]),
    ("a setting added", "INSERT INTO setting (key, value) VALUES ('confirmation_minutes', '240')",
     ["门店设置"]),
    ("what was paid on a receipt", "UPDATE receipt SET paid_fen = 9999900", ["小票", "实付"]),
    ("a department renamed", "UPDATE department SET name = '杂货部' WHERE name = '食品部'",
     ["部门", "杂货部"]),
    ("a supplier renamed", "UPDATE supplier SET name = '某公司' WHERE name = '伊利乳业'",
     ["供应商", "某公司"]),
    ("a product's price", "UPDATE product SET price_fen = 1", ["商品", "售价"]),
]


@pytest.mark.parametrize(("what", "statement", "named"), ROW_EDITS,
                         ids=[edit[0] for edit in ROW_EDITS])
def test_a_row_edited_with_sql_is_named(
    desk: Desk, sql: Sql, what: str, statement: str, named: list[str]
) -> None:
    sql(statement)
    message = found(desk)
    for text in named:
        assert text in message, (what, message)


def test_a_refund_item_added_with_sql_is_found(desk: Desk, sql: Sql) -> None:
    """Found before: an extra item moved the monthly total from 4743.02 to 5742.02."""
    sql("DROP TRIGGER refund_item_never_changed")
    sql("INSERT INTO refund_item (refund_id, barcode, product_name, quantity, amount_fen, defect) "
        "SELECT id, '', '加出来的', 1, 99900, '' FROM refund WHERE status = 'approved'")
    assert "不在登记簿中" in found(desk)


def test_a_case_inserted_with_sql_is_found(desk: Desk, sql: Sql) -> None:
    sql('INSERT INTO "case" (case_no, received_at, channel, clerk_id, subject, account, demand, '
        "category, kind, status, updated_at) VALUES ('TS-202611-9999', '2026-11-24 09:00:00', "
        "'at_desk', 1, 'product', 'x', 'refund', 'other', 'complaint', 'registered', "
        "'2026-11-24 09:00:00')")
    message = found(desk)
    assert "TS-202611-9999" in message


def test_a_refund_written_behind_the_app_is_found(desk: Desk, sql: Sql) -> None:
    sql("INSERT INTO refund (case_id, kind, amount_fen, reason, status, level_required, "
        "requested_by_id, requested_at) VALUES (1, 'return', 100, 'x', 'approved', 1, 1, "
        "'2026-11-24 10:00:00')")
    assert "退款" in found(desk)


DELETIONS = [
    ("a case", "case_never_deleted", "DELETE FROM \"case\" WHERE case_no = 'TS-202611-0002'"),
    ("a user", "user_never_deleted", "DELETE FROM \"user\" WHERE username = 'clerk2'"),
    ("a refund item", "refund_item_never_deleted", "DELETE FROM refund_item WHERE id = 2"),
    ("a product", "product_never_deleted", "DELETE FROM product"),
    ("a receipt", "receipt_never_deleted",
     "DELETE FROM receipt WHERE receipt_key = 'B20261124-0002'"),
]


@pytest.mark.parametrize(("what", "trigger", "statement"), DELETIONS,
                         ids=[deletion[0] for deletion in DELETIONS])
def test_a_row_deleted_behind_the_dropped_trigger_is_found(
    desk: Desk, sql: Sql, what: str, trigger: str, statement: str
) -> None:
    sql("PRAGMA foreign_keys = OFF")
    sql(f"DROP TRIGGER {trigger}")
    sql(statement)
    message = found(desk)
    assert "删除" in message, (what, message)


# --- the chain itself ----------------------------------------------------------------------------


def test_an_entry_edited_behind_the_triggers_is_named(desk: Desk, sql: Sql) -> None:
    sql("DROP TRIGGER register_entry_append_only")
    sql("UPDATE register_entry SET payload = '{}' WHERE seq = 5")
    assert "第 5 条" in found(desk)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("value", ["CAST(actor AS BLOB)", "CAST(at AS BLOB)", "1.5"])
def test_an_entry_field_of_another_kind_is_named(desk: Desk, sql: Sql, value: str) -> None:
    """SQLite writes the hashed header of a whole batch of entries; a blob (which JSON cannot
    hold) or a real number in one is still found, and named."""
    sql("DROP TRIGGER register_entry_append_only")
    column = "at" if "at " in value else "actor"
    sql(f"UPDATE register_entry SET {column} = {value} WHERE seq = 6")
    assert "第 6 条" in found(desk)


def test_an_entrys_actor_changed_is_named(desk: Desk, sql: Sql) -> None:
    sql("DROP TRIGGER register_entry_append_only")
    sql("UPDATE register_entry SET actor_id = 1 WHERE action = 'refund:approve'")
    assert "校验值不符" in found(desk)


def test_a_removed_entry_is_named(desk: Desk, sql: Sql) -> None:
    sql("DROP TRIGGER register_entry_never_deleted")
    sql("DELETE FROM register_entry WHERE seq = 4")
    assert "第 4 条" in found(desk)


def test_every_account_entry_removed_is_found(desk: Desk, sql: Sql) -> None:
    sql("DROP TRIGGER register_entry_never_deleted")
    sql("DELETE FROM register_entry WHERE entity = 'user'")
    assert "登记簿" in found(desk)


def test_a_dropped_protective_trigger_is_named(desk: Desk, sql: Sql) -> None:
    sql("DROP TRIGGER refund_never_deleted")
    assert "refund_never_deleted" in found(desk)


def test_a_lowered_case_counter_is_found_and_registration_still_works(
    desk: Desk, staff: Staff, sql: Sql
) -> None:
    """Found before: lowering case_counter made every registration of the month fail with an
    uncaught IntegrityError."""
    sql("UPDATE case_counter SET last_seq = 1")
    assert "计数器" in found(desk)
    registered = desk.cases.register(staff.clerk, a_draft(amount_paid=""))
    assert registered.case_no == "TS-202611-0004"
    assert "计数器" in found(desk)


def recomputed_chain(db_path: Path, from_seq: int, replace_payload: str | None = None) -> None:
    """The strongest attack on the file alone: edit an entry and re-hash everything after.
    (``replace_payload``: that entry's payload instead of one with a forged remark.)"""
    from desktop_app.store.migrations import protective_triggers

    raw = raw_connect(db_path)
    try:
        with raw:
            raw.execute("DROP TRIGGER register_entry_append_only")
            rows = raw.execute(
                "SELECT seq, at, actor_id, actor, entity, entity_id, action, payload "
                "FROM register_entry ORDER BY seq"
            ).fetchall()
            prev = rules.GENESIS_HASH
            for row in rows:
                seq, at, actor_id, actor, entity, entity_id, action, payload = row
                if seq == from_seq and replace_payload is not None:
                    payload = replace_payload
                elif seq == from_seq:
                    data = json.loads(payload)
                    data["_forged"] = "yes"
                    payload = rules.encode_payload(data)
                prev = rules.entry_hash(prev, seq, at, actor_id, actor, entity, entity_id,
                                        action, payload)
                raw.execute("UPDATE register_entry SET payload = ?, entry_hash = ? WHERE seq = ?",
                            (payload, prev, seq))
            # ...and puts the trigger back exactly as it was.
            raw.execute(protective_triggers()["register_entry_append_only"])
    finally:
        raw.close()


def test_a_recomputed_chain_passes_alone_but_not_against_a_printed_head(
    desk: Desk, db_path: Path, store: dict[str, int]
) -> None:
    printed = desk.register.head()
    assert printed is not None
    recomputed_chain(db_path, from_seq=3)
    assert desk.register.verify().ok  # the documented limit of a chain inside one file
    message = found(desk, Anchor.parse(printed.code, "月报表上的校验码"))
    assert "月报表上的校验码" in message


def test_a_cut_tail_is_caught_against_the_daily_anchor(
    desk: Desk, staff: Staff, db_path: Path, clock: object
) -> None:
    case = a_worked_case(desk, staff, receipt_no="Z20261124-0009", amount_paid="50.00",
                         category=Category.PRICE_BILLING)
    assert desk.register.record_daily_anchor(desk.clock())
    head = desk.register.head()
    assert head is not None
    raw = raw_connect(db_path)
    with raw:
        raw.execute("DROP TRIGGER register_entry_never_deleted")
        raw.execute("DROP TRIGGER case_never_deleted")
        raw.execute("DELETE FROM register_entry WHERE seq > ?", (head.seq - 3,))
        raw.execute('DELETE FROM "case" WHERE id = ?', (case,))
    raw.close()
    message = found(desk)
    assert "末尾被删除" in message or "删除" in message


def cut_back_to(db_path: Path, head: rules.Head, case_id: int) -> None:
    """The entries after ``head`` and the case they made, gone: what a restore of the backup
    made at ``head`` does, or a tamperer who cuts the tail."""
    raw = raw_connect(db_path)
    with raw:
        raw.execute("DROP TRIGGER register_entry_never_deleted")
        raw.execute("DROP TRIGGER case_never_deleted")
        raw.execute("DELETE FROM register_entry WHERE seq > ?", (head.seq,))
        raw.execute("DELETE FROM warning_case WHERE case_id = ?", (case_id,))
        raw.execute('DELETE FROM "case" WHERE id = ?', (case_id,))
    raw.close()


@pytest.mark.parametrize("end_of_day", ["a clean check", "the session closed"])
def test_the_days_work_cut_back_to_the_mornings_head_is_caught(
    desk: Desk, staff: Staff, db_path: Path, end_of_day: str
) -> None:
    """Found in review: the anchor file held only each day's first head (the same as the
    morning's backup), so restoring that backup in the evening, or cutting the day's entries,
    left verify at "intact"."""
    assert desk.register.record_daily_anchor(desk.clock())
    morning = desk.register.head()
    assert morning is not None
    case = desk.cases.register(staff.clerk, a_draft(customer_name="王美丽")).case_id
    if end_of_day == "a clean check":
        assert desk.register.verify().ok
    else:
        assert desk.register.record_closing_anchor(desk.clock())
    evening = desk.register.head()
    assert evening is not None and evening.seq > morning.seq
    cut_back_to(db_path, morning, case)
    message = found(desk)
    assert f"已有第 {evening.seq} 条记录,现在只有 {morning.seq} 条" in message
    assert f"第 {morning.seq + 1}–{evening.seq} 条记录不见了" in message
    assert "从较早的备份恢复过" in message


def test_a_closing_head_already_in_the_anchor_file_is_not_written_again(
    desk: Desk, staff: Staff
) -> None:
    from desktop_app.services.anchors import anchor_file

    assert desk.register.record_daily_anchor(desk.clock())
    assert not desk.register.record_closing_anchor(desk.clock())  # nothing new since
    assert desk.register.verify().ok
    assert len(anchor_file(desk.db_path).read_text(encoding="utf-8").splitlines()) == 1


def test_the_anchor_file_gets_one_line_a_day(desk: Desk, staff: Staff) -> None:
    from desktop_app.services.anchors import anchor_file, read_anchors

    assert desk.register.record_daily_anchor(desk.clock())
    assert not desk.register.record_daily_anchor(desk.clock())
    assert desk.register.record_daily_anchor(desk.clock() + timedelta(days=1))
    lines = anchor_file(desk.db_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert len(read_anchors(desk.db_path)) == 2
    assert desk.register.verify().ok


def test_a_wrong_printed_head_is_reported(desk: Desk, store: dict[str, int]) -> None:
    head = desk.register.head()
    assert head is not None
    message = found(desk, Anchor.parse(f"{head.seq}:{'0' * 16}", "登记表上的校验码"))
    assert "登记表上的校验码" in message


@pytest.mark.sqlite_only
def test_verify_never_writes_to_the_file(desk: Desk, db_path: Path, store: dict[str, int]) -> None:
    import subprocess
    import sys

    desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "main.py"), "verify", "--db", str(db_path)],
        capture_output=True, text=True, check=False, cwd=root,
    )
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


# --- the same check in worker processes ------------------------------------------------------

IN_WORKERS = [
    ("a case field", ROW_EDITS[0][1], ["TS-202611-0002", "商品名称"]),
    ("a refund amount", ROW_EDITS[6][1], ["金额", "400000"]),
    ("an entry edited", "DROP TRIGGER register_entry_append_only; "
     "UPDATE register_entry SET payload = '{}' WHERE seq = 5", ["第 5 条"]),
    ("an entry removed", "DROP TRIGGER register_entry_never_deleted; "
     "DELETE FROM register_entry WHERE seq = 4", ["第 4 条"]),
    ("a case deleted", "PRAGMA foreign_keys = OFF; DROP TRIGGER case_never_deleted; "
     "DELETE FROM \"case\" WHERE case_no = 'TS-202611-0002'", ["删除"]),
]


@pytest.mark.parametrize(("what", "statement", "named"), IN_WORKERS,
                         ids=[case[0] for case in IN_WORKERS])
def test_worker_processes_find_what_one_process_finds(
    desk: Desk, sql: Sql, monkeypatch: pytest.MonkeyPatch, parts: str,
    what: str, statement: str, named: list[str],
) -> None:
    from desktop_app.services import verification

    if parts == "whole":
        pytest.skip("the worker processes are given small parts")
    monkeypatch.setattr(verification, "PARALLEL_FROM", 0)
    in_process = desk.register.verify(workers=1)
    assert in_process.ok, in_process.message
    sql(statement)
    expected = desk.register.verify(workers=1)
    report = desk.register.verify(workers=2)
    assert not report.ok, what
    assert report.findings == expected.findings
    for text in named:
        assert text in report.message, (what, report.message)


def test_worker_processes_report_an_untouched_register_like_one_process(
    desk: Desk, store: dict[str, int], monkeypatch: pytest.MonkeyPatch, parts: str
) -> None:
    from desktop_app.services import verification

    if parts == "whole":
        pytest.skip("the worker processes are given small parts")
    monkeypatch.setattr(verification, "PARALLEL_FROM", 0)
    seen: list[tuple[int, int]] = []
    report = desk.register.verify(workers=2, progress=lambda done, total: seen.append((done,
                                                                                        total)))
    alone = desk.register.verify(workers=1)
    assert report.ok and alone.ok
    assert (report.entries, report.cases, report.head) == (alone.entries, alone.cases, alone.head)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_register_written_with_full_first_entries_still_verifies(
    desk: Desk, staff: Staff, db_path: Path
) -> None:
    """Registers written before first entries left their default columns out (every column in
    the registration entry) read the same: replay takes an absent column as its default."""
    from desktop_app.services.register import payload_text

    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    raw = raw_connect(db_path)
    try:
        row = raw.execute('SELECT * FROM "case" WHERE id = ?', (case_id,)).fetchone()
        names = [column[0] for column in raw.execute('SELECT * FROM "case"').description]
        values = dict(zip(names, row, strict=True))
        seq, payload = raw.execute(
            "SELECT seq, payload FROM register_entry WHERE entity = 'case' AND entity_id = ?",
            (case_id,)).fetchone()
        full = rules.record_of(rules.CASE, values, salt=values["personal_salt"]).payload
        compact = json.loads(payload)
        assert len(compact) < len(full)
        assert {k: v for k, v in full.items() if k not in compact} == {
            k: rules.CASE.columns[k] if k != "workflow" else {}
            for k in full if k not in compact
        }
    finally:
        raw.close()
    recomputed_chain(db_path, from_seq=seq, replace_payload=payload_text(full))
    report = desk.register.verify()
    assert report.ok, report.message


def test_the_newest_refund_cut_with_its_entries_is_caught_against_the_anchor(
    desk: Desk, db_path: Path, store: dict[str, int]
) -> None:
    assert desk.register.record_daily_anchor(desk.clock())
    head = desk.register.head()
    assert head is not None
    raw = raw_connect(db_path)
    with raw:
        raw.execute("DROP TRIGGER register_entry_never_deleted")
        raw.execute("DROP TRIGGER refund_never_deleted")
        raw.execute("DROP TRIGGER refund_item_never_deleted")
        raw.execute("DELETE FROM register_entry WHERE entity IN ('refund', 'refund_item') "
                    "AND entity_id >= (SELECT MAX(id) FROM refund)")
        raw.execute("DELETE FROM refund_item WHERE refund_id = (SELECT MAX(id) FROM refund)")
        raw.execute("DELETE FROM refund WHERE id = (SELECT MAX(id) FROM refund)")
    raw.close()
    message = found(desk)
    assert "校验码文件" in message or "删除" in message


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_verify_refuses_an_empty_or_foreign_file_and_leaves_it_as_it_was(
    tmp_path: Path, content: bytes
) -> None:
    import subprocess
    import sys

    path = tmp_path / "desk.sqlite3"
    path.write_bytes(content)
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "main.py"), "verify", "--db", str(path)],
        capture_output=True, text=True, check=False, cwd=root,
    )
    assert result.returncode == 2
    assert "登记簿" in result.stderr or "0 字节" in result.stderr
    assert path.read_bytes() == content
    assert not Path(f"{path}-wal").exists()


# --- found in review, 2026-11-26 ---------------------------------------------------------------


def test_a_row_numbered_below_one_is_found(desk: Desk, sql: Sql) -> None:
    """The id ranges started above 0: a refund #-1 of 5,000 yuan and an account #0 that signs
    as head office passed verify."""
    sql("INSERT INTO refund (id, case_id, kind, amount_fen, reason, status, level_required, "
        "requested_by_id, requested_at) VALUES (-1, 1, 'return', 500000, 'x', 'approved', 1, 1, "
        "'2026-11-24 10:00:00')")
    assert "编号为 -1" in found(desk)


def test_a_case_saved_while_the_worker_parts_run_is_not_taken_for_tampering(
    desk: Desk, staff: Staff, store: dict[str, int]
) -> None:
    """The check beside the window plans its parts, then the workers read while the desk goes
    on saving: a case registered in between was reported deleted (its entry lay beyond the
    planned last id) and a row read apart from its entries looked edited."""
    from desktop_app.services import verification
    from desktop_app.store import register as register_store

    with register_store.read_snapshot(desk.db):
        parts, _ = verification.plan_parts([])
    desk.cases.register(staff.clerk, a_draft(customer_name="赵女士", receipt_no="D20261124-9"))
    findings = [text for part in parts
                for _, text in verification.check_part_in_snapshot(part).findings if text]
    assert findings == []


def test_an_entry_numbered_below_one_is_found(desk: Desk, sql: Sql) -> None:
    """The chain is walked from entry 1 and nothing refuses an insert: a receipt written by
    hand together with an entry numbered -2 that "records" it passed verify."""
    sql("INSERT INTO receipt (id, receipt_key, paid_fen, created_at) VALUES "
        "(100, 'FORGED', 999999, '2026-11-24 10:00:00')")
    sql("INSERT INTO register_entry (seq, at, actor_id, actor, entity, entity_id, action, "
        "payload, entry_hash) VALUES (-2, '2026-11-24 10:00:00', NULL, '系统', 'receipt', 100, "
        "'created', ?, 'x')",
        json.dumps({"created_at": "2026-11-24 10:00:00", "paid_fen": "999999",
                    "receipt_key": "FORGED"}, sort_keys=True, separators=(",", ":")))
    message = found(desk)
    assert "编号为 -2" in message and "小票 FORGED" in message, message


def test_an_account_numbered_zero_is_found(desk: Desk, sql: Sql) -> None:
    sql("INSERT INTO \"user\" (id, username, display_name, role, password_hash, active, "
        "created_at) VALUES (0, 'zongbu', '总部', 'head_office', 'x', 1, '2026-11-24 10:00:00')")
    assert "编号为 0" in found(desk)


@pytest.mark.parametrize(("statement", "named"), [
    ("UPDATE \"case\" SET major_acknowledged_at = '' WHERE case_no = 'TS-202611-0002'",
     "空字符串"),
    ("UPDATE refund SET decided_by_id = '' WHERE status = 'pending'", "空字符串"),
])
def test_an_empty_string_for_a_missing_value_is_found(
    desk: Desk, sql: Sql, statement: str, named: str, engine: str
) -> None:
    """The chain writes NULL and "" alike, SQL's IS NULL does not: an unacknowledged major
    complaint disappeared from the managers' alert, a no-receipt refund from its total."""
    if engine != "sqlite" and "decided_by_id" in statement:
        pytest.skip("PostgreSQL refuses text in an integer column")
    sql(statement)
    assert named in found(desk)


def test_a_workflow_key_given_twice_is_found(desk: Desk, sql: Sql) -> None:
    """Python reads the last of two equal keys, SQLite's json_extract the first: a changed
    satisfaction read by the reports behind a workflow that agreed with the register."""
    sql("UPDATE \"case\" SET workflow = '{\"nature\":{\"upheld\":false},' || substr(workflow, 2) "
        "WHERE case_no = 'TS-202611-0001'")
    assert "TS-202611-0001" in found(desk)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("statement", "named"), [
    # The same bytes as a blob: every report would read bytes where the app wrote text.
    ("UPDATE \"case\" SET product_name = CAST(product_name AS BLOB) "
     "WHERE case_no = 'TS-202611-0002'", ["TS-202611-0002", "商品名称"]),
    ("UPDATE \"case\" SET received_at = CAST(received_at AS BLOB) "
     "WHERE case_no = 'TS-202611-0001'", ["TS-202611-0001", "接待时间"]),
    ("UPDATE refund SET amount_fen = CAST(CAST(amount_fen AS TEXT) AS BLOB) "
     "WHERE status = 'approved'", ["金额"]),
    ("UPDATE receipt SET paid_fen = paid_fen + 0.25", ["小票", "实付"]),
    # The workflow is compared as the bytes of its text: a blob of them is not that text.
    ("UPDATE \"case\" SET workflow = CAST(workflow AS BLOB) "
     "WHERE case_no = 'TS-202611-0001'", ["TS-202611-0001", "处理经过"]),
    ("UPDATE \"case\" SET workflow = 7 WHERE case_no = 'TS-202611-0002'",
     ["TS-202611-0002", "处理经过"]),
])
def test_a_value_stored_as_another_kind_is_found(
    desk: Desk, sql: Sql, statement: str, named: list[str]
) -> None:
    """Verify compares most columns by the text SQLite gives for them; a blob or a real number
    has no such text, so its row is read again and compared as stored."""
    sql(statement)
    message = found(desk)
    for text in named:
        assert text in message, message


# --- the plain personal text kept beside the chain (outside the hash, shown in the history) --


@pytest.mark.sqlite_only
def test_a_customers_phone_rewritten_in_the_history_is_found(
    desk: Desk, db_path: Path, store: dict[str, int]
) -> None:
    """The trigger refuses the edit; dropped and put back exactly as it was, it is still there
    when verify looks, so the text itself is compared with what the entry committed to."""
    raw = raw_connect(db_path)
    try:
        with raw:
            (trigger,) = raw.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'register_entry_append_only'"
            ).fetchone()
            raw.execute("DROP TRIGGER register_entry_append_only")
            raw.execute(
                "UPDATE register_entry SET personal = ? WHERE seq = (SELECT MIN(seq) FROM "
                "register_entry WHERE entity = 'case' AND entity_id = ? AND personal <> '')",
                (json.dumps({"customer_name": "王女士", "customer_phone": "13900000000"},
                            ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                 store["second"]),
            )
            raw.execute(trigger)
    finally:
        raw.close()
    message = found(desk)
    assert "TS-202611-0002" in message and "历史记录" in message, message


def test_a_history_blanked_without_an_erasure_is_found(
    desk: Desk, sql: Sql, store: dict[str, int]
) -> None:
    """Blanking the plain text is the one change the trigger lets through, for an erasure, and
    an erasure also removes the case's salt: a blank beside a salted case was done by hand."""
    sql("UPDATE register_entry SET personal = '' WHERE entity = 'case' AND entity_id = ?",
        store["first"])
    message = found(desk)
    assert "TS-202611-0001" in message and "历史记录" in message, message


@pytest.mark.sqlite_only
def test_verify_of_a_file_damaged_inside_says_so_in_chinese(
    desk: Desk, store: dict[str, int], db_path: Path
) -> None:
    from desktop_app.app import main as cli_main
    from desktop_app.store.connection import close_database

    close_database()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for index in range(3, min(len(data) // page, 12)):
        data[index * page:(index + 1) * page] = bytes(range(256)) * (page // 256)
    db_path.write_bytes(bytes(data))
    assert cli_main(["verify", "--db", str(db_path)]) in (2, 3)


def test_an_anchor_file_with_a_damaged_byte_does_not_stop_verify(
    desk: Desk, store: dict[str, int], db_path: Path
) -> None:
    from desktop_app.services.anchors import anchor_file

    assert desk.register.record_daily_anchor(desk.clock())
    path = anchor_file(db_path)
    path.write_bytes(path.read_bytes() + b"2026-11-25 10:00:00 \xff\xfe\n")
    assert desk.register.verify().ok
    desk.register.record_daily_anchor(desk.clock() + timedelta(days=2))  # no crash either


def appended_by_a_forger(desk: Desk, refund_id: int, changes: dict[str, object],
                         actor: object) -> None:
    """Rows and entries written together through the app's own register code, as someone
    who computes the hashes himself would: the chain and the rows then agree."""
    from desktop_app.services import register
    from desktop_app.services.unit_of_work import UnitOfWork

    with UnitOfWork(desk.db) as uow:
        register.change("refund", refund_id, changes, actor, "refund:decide",  # type: ignore[arg-type]
                        desk.clock())
        uow.commit()


@pytest.mark.parametrize("check", ["full", "since the last"])
def test_a_refund_restated_by_appended_entries_breaks_its_items_total(
    desk: Desk, staff: Staff, store: dict[str, int], check: str
) -> None:
    """Found in review: a refund raised by entries appended later (chain and rows agreeing)
    passed verify, and the month's returns report printed the new amount."""
    assert desk.register.verify().ok
    appended_by_a_forger(desk, store["approved"], {"amount_fen": 57429}, staff.boss)
    report = desk.register.verify() if check == "full" else desk.register.verify_since_last()
    assert not report.ok
    assert (f"退款单 {store['approved']} 的商品明细合计 ¥40.00,与退款金额 ¥574.29 不一致"
            in report.message)


@pytest.mark.parametrize(("signer", "named"), [
    ("clerk", "由申请人本人批准"),  # the clerk who asked for it
    ("other_clerk", "由前台接待员签批"),  # a clerk cannot sign any level
])
def test_a_refund_signed_by_appended_entries_against_the_rules_is_named(
    desk: Desk, staff: Staff, store: dict[str, int], signer: str, named: str
) -> None:
    account = getattr(staff, signer)
    appended_by_a_forger(desk, store["pending"], {
        "status": "approved", "decided_by_id": account.id,
        "decided_at": desk.clock().isoformat(sep=" "),
    }, account)
    assert f"退款单 {store['pending']} {named}" in found(desk)


def test_a_signer_whose_role_changed_later_still_signed_within_authority(
    desk: Desk, staff: Staff, store: dict[str, int]
) -> None:
    """The role that counts is the one at the decision's entry: a front-desk manager moved
    back to the desk afterwards signed within authority then."""
    from desktop_app.domain.roles import Role

    desk.accounts.change_role(staff.boss, staff.front_desk.id, Role.CLERK)  # type: ignore[arg-type]
    report = desk.register.verify()
    assert report.ok, report.message


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("statements", "named"), [
    (["CREATE TRIGGER quiet AFTER INSERT ON \"case\" BEGIN "
      "INSERT INTO case_search(case_search, rowid, body) "
      "SELECT 'delete', id, body FROM case_search_text WHERE id = new.id; END"],
     "本程序不会建立的触发器 quiet"),
    (["DROP TRIGGER case_search_insert",
      "CREATE TRIGGER case_search_insert AFTER INSERT ON \"case\" BEGIN SELECT 1; END"],
     "搜索索引的触发器 case_search_insert 被改动了"),
])
def test_a_trigger_added_or_changed_behind_the_app_is_named(
    desk: Desk, store: dict[str, int], db_path: Path, statements: list[str], named: str
) -> None:
    """Found in review: an extra trigger took every new case out of the search index and
    verify said intact (only the protective triggers were compared)."""
    raw = raw_connect(db_path)
    with raw:
        for statement in statements:
            raw.execute(statement)
    raw.close()
    assert named in found(desk)


@pytest.mark.parametrize(("before", "after"), [('"upheld":true', '"upheld":1'),
                                               ('"upheld":true', '"upheld":1.0')])
def test_a_workflow_value_of_another_json_kind_is_named(
    desk: Desk, store: dict[str, int], db_path: Path, before: str, after: str
) -> None:
    """Found in review: true stored as 1 (or 5 as 5.0) is the same value to Python, and the
    row passed; the history then printed what the app never wrote."""
    raw = raw_connect(db_path)
    with raw:
        (workflow,) = raw.execute('SELECT workflow FROM "case" WHERE id = ?',
                                  (store["first"],)).fetchone()
        assert before in workflow
        raw.execute('UPDATE "case" SET workflow = ? WHERE id = ?',
                    (workflow.replace(before, after), store["first"]))
    raw.close()
    assert "处理经过" in found(desk)
