"""The demo store's ledgers: every approved quality return owed, charged, waived or cut; orders
followed up and closed; service compensations shared and deducted; all in office hours, before
the demo's now, the same for the same seed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.demo_data import fill_demo_database

NOW = "2026-11-24 09:00:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    fill_demo_database(path, cases=700, seed=5)
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def values(demo: sqlite3.Connection, sql: str) -> list[object]:
    return [row[0] for row in demo.execute(sql).fetchall()]


def count(demo: sqlite3.Connection, sql: str) -> int:
    return int(demo.execute(sql).fetchone()[0])


def test_every_approved_quality_return_is_in_the_ledger_in_every_state(
    demo: sqlite3.Connection,
) -> None:
    assert values(demo, "SELECT COUNT(*) FROM refund r WHERE r.is_quality = 1 AND "
                        "r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM charge_back b "
                        "WHERE b.refund_id = r.id)") == [0]
    assert set(values(demo, "SELECT status FROM charge_back")) == {"pending", "charged", "waived"}
    assert count(demo, "SELECT COUNT(*) FROM charge_back WHERE amount_note <> ''") > 0
    # The refund's own columns agree with the ledger.
    assert values(demo, "SELECT COUNT(*) FROM charge_back b JOIN refund r ON r.id = b.refund_id "
                        "WHERE r.charge_back_status <> b.status") == [0]
    # One deduction slip per supplier and month, dated the 10th of the month after.
    for slip, day in demo.execute("SELECT deduction_ref, deducted_on FROM charge_back "
                                  "WHERE status = 'charged'"):
        assert slip.startswith(f"KK{day[:4]}{day[5:7]}-") and day.endswith("-10")


def test_improvement_orders_are_followed_up_and_closed(demo: sqlite3.Connection) -> None:
    assert set(values(demo, "SELECT target FROM improvement_order")) == {"supplier", "department"}
    assert "done" in values(demo, "SELECT status FROM improvement_order")
    assert count(demo, "SELECT COUNT(*) FROM improvement_follow_up") > 0
    assert values(demo, "SELECT COUNT(*) FROM improvement_order WHERE status = 'done' "
                        "AND (result = '' OR done_on IS NULL)") == [0]


def test_service_compensations_are_shared_within_their_amount(demo: sqlite3.Connection) -> None:
    assert {"settled", "waived"} <= set(values(demo, "SELECT status FROM liability"))
    for held, shares, compensation in demo.execute(
        "SELECT SUM(l.share_pct), SUM(l.amount_fen), r.amount_fen FROM liability l "
        "JOIN refund r ON r.id = l.refund_id WHERE l.status <> 'cancelled' GROUP BY r.id"
    ):
        assert held <= 100 and shares <= compensation
        if held == 100:
            assert shares == compensation


def test_the_ledgers_are_worked_in_office_hours_before_now(demo: sqlite3.Connection) -> None:
    moments = values(demo, "SELECT at FROM register_entry WHERE entity IN ('charge_back', "
                           "'improvement_order', 'improvement_follow_up', 'liability') "
                           "OR action = 'refund:charge_back'")
    assert len(moments) > 100
    for moment in moments:
        assert isinstance(moment, str)
        assert moment < NOW and "08:00:00" <= moment[11:] <= "22:00:00", moment


def test_the_same_seed_gives_the_same_ledgers(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite3"
        fill_demo_database(path, cases=150, seed=3)
        with sqlite3.connect(path) as raw:
            dumps.append([raw.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                          for table in ("charge_back", "improvement_order", "liability")])
    assert dumps[0] == dumps[1]
    assert dumps[0][0]
