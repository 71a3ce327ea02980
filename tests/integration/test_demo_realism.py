"""Demo data a store recognises: a catalogue imported from the shipped POS file, defects that fit
the product, quantity × unit price = amount, returns of two or three items, reasons that agree
with the category, head office after the request, everything in opening hours."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.paths import resource_dir
from desktop_app.services.demo_data import DEMO_CATALOGUE, fill_demo_database
from desktop_app.services.demo_vocabulary import (
    ANY_DEFECT,
    DEFECTS_BY_DEPARTMENT,
    DEFECTS_BY_WORD,
)
from desktop_app.services.demo_workflow import after_in_opening_hours


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    fill_demo_database(path, cases=700, seed=5)
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def rows(demo: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return demo.execute(sql).fetchall()


def test_the_catalogue_comes_from_the_shipped_pos_file_through_the_import(
    demo: sqlite3.Connection,
) -> None:
    shipped = resource_dir().joinpath(*DEMO_CATALOGUE).read_bytes().decode("gbk").splitlines()
    products = len(shipped) - 2  # a title line and the header
    assert rows(demo, "SELECT count(*) FROM product") == [(products,)]
    assert rows(demo, "SELECT count(*) FROM register_entry WHERE entity = 'product' "
                      "AND action = 'import:add'") == [(products,)]
    leaders = dict(rows(demo, "SELECT name, leaders FROM department"))
    assert leaders["食品部"] == "赵刚、钱丽"
    assert rows(demo, "SELECT count(*) FROM staff WHERE user_id IS NOT NULL") == [(4,)]
    assert rows(demo, "SELECT value FROM setting WHERE key = 'setup_state'") == [("done",)]


def test_everything_happens_while_the_store_is_open(demo: sqlite3.Connection) -> None:
    moments = [value for (value,) in rows(demo, 'SELECT received_at FROM "case"')]
    moments += [value for (value,) in rows(
        demo, "SELECT at FROM register_entry WHERE entity IN ('case', 'refund')")]
    moments += [value for (value,) in rows(demo, "SELECT requested_at FROM refund")]
    moments += [value for (value,) in rows(
        demo, "SELECT decided_at FROM refund WHERE decided_at IS NOT NULL")]
    assert len(moments) > 5000
    for text in moments:
        moment = datetime.fromisoformat(str(text)).time()
        assert time(8, 0) <= moment <= time(22, 0), text


def test_returned_goods_cost_quantity_times_unit_price(demo: sqlite3.Connection) -> None:
    lines = rows(demo, "SELECT i.quantity, i.amount_fen, p.price_fen FROM refund_item i "
                       "JOIN refund r ON r.id = i.refund_id "
                       "JOIN product p ON p.barcode = i.barcode "
                       "WHERE r.kind IN ('return', 'exchange')")
    assert len(lines) > 100
    assert all(amount == quantity * price for quantity, amount, price in lines)  # type: ignore[operator]
    totals = rows(demo, "SELECT r.amount_fen, SUM(i.amount_fen) FROM refund r "
                        "JOIN refund_item i ON i.refund_id = r.id GROUP BY r.id")
    assert all(amount == listed for amount, listed in totals)


def test_some_returns_carry_two_or_three_items_of_one_supplier(demo: sqlite3.Connection) -> None:
    counts = dict(rows(demo, "SELECT n, count(*) FROM (SELECT count(*) AS n FROM refund_item "
                             "GROUP BY refund_id) GROUP BY n"))
    assert counts.get(2, 0) > 0 and counts.get(3, 0) > 0
    assert set(counts) <= {1, 2, 3}
    mixed = rows(demo, "SELECT r.id FROM refund r JOIN refund_item i ON i.refund_id = r.id "
                       "JOIN product p ON p.barcode = i.barcode WHERE r.is_quality = 1 "
                       "GROUP BY r.id HAVING count(DISTINCT p.supplier_id) > 1")
    assert mixed == []


def test_the_receipt_covers_what_is_returned(demo: sqlite3.Connection) -> None:
    over = rows(demo, "SELECT r.id FROM refund r JOIN receipt p ON p.id = r.receipt_id "
                      "WHERE r.kind <> 'compensation' AND p.paid_fen < r.amount_fen")
    assert over == []


def test_a_defect_fits_the_product_it_is_told_of(demo: sqlite3.Connection) -> None:
    cases = rows(demo, 'SELECT c.account, p.name, d.name FROM "case" c '
                       "JOIN product p ON p.id = c.product_id "
                       "JOIN department d ON d.id = p.department_id "
                       "WHERE c.category = 'product_quality'")
    assert len(cases) > 50
    for account, name, department in cases:
        allowed = next(
            (defects for words, defects in DEFECTS_BY_WORD if any(w in str(name) for w in words)),
            DEFECTS_BY_DEPARTMENT.get(str(department), ANY_DEFECT),
        )
        assert any(defect in str(account) for defect in allowed), (name, account)


def test_refund_reasons_agree_with_the_category(demo: sqlite3.Connection) -> None:
    expected = {
        "product_quality": "商品质量问题", "food_safety": "食品安全问题",
        "price_billing": ("收银价高于货架标价", "价格有误"), "weights_measures": "称重不足",
    }
    found = rows(demo, 'SELECT c.category, r.reason, r.is_quality, r.supplier_id FROM refund r '
                       'JOIN "case" c ON c.id = r.case_id')
    assert {category for category, *_ in found} == set(expected)
    for category, reason, is_quality, supplier in found:
        assert str(reason).startswith(expected[str(category)]), (category, reason)
        quality = category in ("product_quality", "food_safety")
        assert bool(is_quality) is quality
        assert (supplier is not None) is quality


def test_head_office_signs_after_the_request_and_refunds_come_before_the_answer(
    demo: sqlite3.Connection,
) -> None:
    signed = rows(demo, "SELECT requested_at, head_office_date, decided_at FROM refund "
                        "WHERE head_office_date IS NOT NULL")
    assert signed
    for requested, signed_on, decided in signed:
        assert str(signed_on) > str(requested)[:10]
        assert str(decided) > str(requested)
    notified_early = rows(demo, 'SELECT r.id FROM refund r JOIN "case" c ON c.id = r.case_id '
                                "WHERE r.status = 'pending' AND c.status IN "
                                "('customer_notified', 'followed_up', 'closed')")
    assert notified_early == []


def test_confirmations_name_the_department_s_own_team_leaders(demo: sqlite3.Connection) -> None:
    confirmed = rows(demo, 'SELECT json_extract(c.workflow, "$.confirmation.leader"), d.leaders '
                           'FROM "case" c JOIN department d ON d.id = c.department_id '
                           "WHERE json_extract(c.workflow, '$.confirmation.by') = 'department'")
    assert confirmed
    for leader, leaders in confirmed:
        assert str(leader) in str(leaders).split("、")


@given(
    st.datetimes(min_value=datetime(2026, 1, 1, 8), max_value=datetime(2026, 12, 1, 22)).filter(
        lambda moment: time(8) <= moment.time() <= time(22)
    ),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
)
def test_work_counted_in_opening_hours_never_lands_at_night(
    start: datetime, delay: timedelta
) -> None:
    end = after_in_opening_hours(start, delay)
    assert time(8) <= end.time() <= time(22)
    assert end >= start + delay or end.date() > start.date()
    assert end >= start


def test_a_delay_within_the_day_is_unchanged() -> None:
    start = datetime(2026, 11, 20, 10, 0)
    assert after_in_opening_hours(start, timedelta(hours=3)) == datetime(2026, 11, 20, 13, 0)
    assert after_in_opening_hours(datetime(2026, 11, 20, 21, 50), timedelta(minutes=20)) == (
        datetime(2026, 11, 21, 8, 10)
    )


def test_the_shipped_catalogue_is_a_gbk_pos_export(tmp_path: Path) -> None:
    data = resource_dir().joinpath(*DEMO_CATALOGUE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    header = data.decode("gbk").splitlines()[1]
    assert header.startswith("商品条码,品名") and "进价" in header
