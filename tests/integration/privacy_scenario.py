"""Shared set-up for the personal-data tests: closed cases of known customers, and the checks
that look for a person everywhere the file (or a backup, or a report) could still hold them."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.cases import QueueQuery
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock

REGISTERED = datetime(2024, 1, 10, 10, 0)
# 30 months and a few days after REGISTERED: every case closed that day is past its period.
LATER = datetime(2026, 7, 20, 9, 0)
NAME = "欧阳娜娜"
PHONE = "13987654321"


def closed_case(
    desk: Desk, staff: Staff, clock: FakeClock, name: str = NAME, phone: str = PHONE,
    moment: datetime = REGISTERED, **changes: Any,
) -> int:
    """A case registered at ``moment`` and answered as not upheld (closed) at once."""
    clock.now = moment
    draft = a_draft(
        customer_name=name, customer_phone=phone, received_at=moment, receipt_no="",
        amount_paid="", purchase_date=f"{moment - timedelta(days=1):%Y-%m-%d}", **changes,
    )
    case_id = desk.cases.register(staff.clerk, draft).case_id
    desk.cases.record_step(staff.clerk, case_id, rules.Step.NATURE,
                           StepAnswer(upheld=False, text="不成立,已向顾客说明"))
    return case_id


def open_case(desk: Desk, staff: Staff, clock: FakeClock, name: str, phone: str,
              moment: datetime = REGISTERED) -> int:
    clock.now = moment
    draft = a_draft(customer_name=name, customer_phone=phone, received_at=moment, receipt_no="",
                    amount_paid="", purchase_date=f"{moment - timedelta(days=1):%Y-%m-%d}")
    return desk.cases.register(staff.clerk, draft).case_id


def found_by_search(desk: Desk, staff: Staff, text: str) -> list[int]:
    rows = desk.cases.queue_page(QueueQuery(search=text), desk.clock().date(), 0, 500,
                                 viewer=staff.boss)
    return [row.case_id for row in rows]


def traces(path: Path, *tokens: str) -> set[str]:
    """Which of ``tokens`` (UTF-8) occur anywhere in the file or its WAL."""
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    if wal.exists():
        data += wal.read_bytes()
    return {token for token in tokens if token.encode() in data}


def search_blocks(connection: sqlite3.Connection) -> list[bytes]:
    sql = "SELECT block FROM case_search_data WHERE id > 10"
    return sorted(bytes(row[0]) for row in connection.execute(sql))


def index_matches_a_rebuilt_one(path: Path, work: Path) -> bool:
    """The search index holds exactly what the current rows give: its pages equal those of an
    index rebuilt from the rows alone (a deleted row's terms left in an unmerged older segment
    would differ)."""
    copy = work / "rebuilt.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as live:
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        current = search_blocks(live)
    shutil.copyfile(path, copy)
    rebuilt = sqlite3.connect(copy)
    try:
        rebuilt.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")
        rebuilt.execute("INSERT INTO case_search(case_search) VALUES ('optimize')")
        rebuilt.commit()
        return current == search_blocks(rebuilt)
    finally:
        rebuilt.close()
