"""Several desks writing at once: each thread is another desk with its own connection (peewee
keeps one per thread), as two service desks and the manager's office share one database.

Every unit of work takes the write lock first (BEGIN IMMEDIATE on SQLite, a transaction-level
advisory lock on PostgreSQL), so no write is lost, the register's chain never forks, and two
refunds requested at the same moment on one receipt are tiered (and capped) on their sum.
Runs on both engines; on PostgreSQL (``--engine=postgresql``) this is the several-PC case.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from desktop_app.domain import refund_policy
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.refund_policy import ApprovalLevel
from desktop_app.services.desk import Desk
from desktop_app.store.connection import database
from tests.builders import Staff, a_refund, a_worked_case

DESKS = 4
CASES_PER_DESK = 6


def at_once(desk: Desk, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job on its own thread (its own connection), all released together; the
    results, or the exception each raised, in job order."""
    start = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:
            results[index] = error
        finally:
            desk.db.close()  # this thread's connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a desk never finished"
    return results


@pytest.fixture
def slow_tiering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each request pauses between reading the receipt's running total and writing its own
    refund: without the write lock both desks would read the same total."""
    decide = refund_policy.approval_level_for

    def slowly(total: Decimal) -> ApprovalLevel:
        time.sleep(0.3)
        return decide(total)

    monkeypatch.setattr(refund_policy, "approval_level_for", slowly)


def test_desks_registering_and_requesting_at_once_lose_nothing_and_never_fork_the_chain(
    desk: Desk, staff: Staff
) -> None:
    def one_desk(number: int) -> list[int]:
        made = []
        for index in range(CASES_PER_DESK):
            receipt = f"D{number}-{index:04d}"
            case_id = a_worked_case(desk, staff, receipt_no=receipt, amount_paid="100.00")
            desk.refunds.request(staff.clerk, case_id, a_refund("10.00", receipt_no=receipt))
            made.append(case_id)
        return made

    results = at_once(desk, [lambda n=n: one_desk(n) for n in range(DESKS)])
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    made = [case_id for result in results for case_id in result]
    assert len(set(made)) == DESKS * CASES_PER_DESK
    count = database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0]
    assert count == DESKS * CASES_PER_DESK
    refunds = database.execute_sql("SELECT count(*) FROM refund").fetchone()[0]
    assert refunds == DESKS * CASES_PER_DESK
    numbers = sorted(
        int(row[0].rsplit("-", 1)[1])
        for row in database.execute_sql('SELECT case_no FROM "case"').fetchall()
    )
    assert numbers == list(range(1, DESKS * CASES_PER_DESK + 1))
    seqs = [row[0] for row in database.execute_sql(
        "SELECT seq FROM register_entry ORDER BY seq").fetchall()]
    assert seqs == list(range(1, len(seqs) + 1))
    report = desk.register.verify()
    assert report.ok, report.message


def test_two_requests_at_once_on_one_receipt_are_tiered_on_their_sum(
    desk: Desk, staff: Staff, slow_tiering: None
) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="5000.00")
    # Each alone is the store manager's (≤ 2000); together they are 3000: head office's.
    results = at_once(desk, [
        lambda: desk.refunds.request(staff.clerk, case_id, a_refund("1500.00")),
        lambda: desk.refunds.request(staff.deputy, case_id, a_refund("1500.00")),
    ])
    assert not any(isinstance(result, Exception) for result in results), results
    rows = database.execute_sql(
        "SELECT level_required, receipt_total_fen FROM refund ORDER BY receipt_total_fen"
    ).fetchall()
    assert [tuple(row) for row in rows] == [
        (int(ApprovalLevel.STORE_MANAGER), 150000),
        (int(ApprovalLevel.HEAD_OFFICE), 300000),
    ]
    assert desk.register.verify().ok


def test_two_requests_at_once_never_refund_more_than_was_paid(
    desk: Desk, staff: Staff, slow_tiering: None
) -> None:
    case_id = a_worked_case(desk, staff, amount_paid="2000.00")
    results = at_once(desk, [
        lambda: desk.refunds.request(staff.clerk, case_id, a_refund("1500.00")),
        lambda: desk.refunds.request(staff.deputy, case_id, a_refund("1500.00")),
    ])
    refused = [result for result in results if isinstance(result, ValidationError)]
    made = [result for result in results if isinstance(result, int)]
    assert len(made) == 1 and len(refused) == 1, results
    total = database.execute_sql("SELECT sum(amount_fen) FROM refund").fetchone()[0]
    assert total == 150000
    assert desk.register.verify().ok
