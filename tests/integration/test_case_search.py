"""The queue's search on a real SQLite file: any two or more characters, anywhere in the case
number, name, phone, receipt, product or the customer's account, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.domain import cases as rules
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services.cases import QueueQuery
from desktop_app.services.desk import Desk
from desktop_app.store import queue
from desktop_app.store.connection import database
from desktop_app.store.migrations import SEARCH_COLUMNS
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock
from tests.integration.search_index_check import assert_index_matches_cases

TODAY = datetime(2026, 11, 24).date()


def found(desk: Desk, text: str, **filters: Any) -> list[str]:
    rows = desk.cases.queue_page(QueueQuery(search=text, **filters), TODAY, 0, 200)
    return [row.case_no for row in rows]


def case_id(desk: Desk, case_no: str) -> int:
    (row,) = desk.cases.queue_page(QueueQuery(search=case_no), TODAY, 0, 2)
    return row.case_id


def counted(desk: Desk, text: str) -> int:
    return desk.cases.queue_count(QueueQuery(search=text), TODAY)


Register = Callable[..., str]


@pytest.fixture
def register(desk: Desk, staff: Staff, clock: FakeClock) -> Register:
    """Registers a case a minute after the last one; returns its case number."""

    def add(**changes: object) -> str:
        clock.now += timedelta(minutes=1)
        draft = a_draft(received_at=clock.now, **changes)
        return desk.cases.register(staff.clerk, draft).case_no

    return add


@pytest.fixture
def four_cases(register: Register) -> dict[str, str]:
    return {
        "wang": register(customer_name="王美丽", customer_phone="13911112222",
                         receipt_no="20261124075531", product_name="纯牛奶 250ml×24",
                         account="买回家打开发现已经变质,有异味"),
        "zhang": register(customer_name="张先生", customer_phone="13655556666",
                          receipt_no="20261123998877", product_name="红富士苹果",
                          account="收银员态度生硬"),
        "li": register(customer_name="李女士", customer_phone="18700001234", receipt_no="",
                       product_name="海飞丝洗发水", account="标价与收银价格不一致"),
        "zhao": register(customer_name="赵美丽", customer_phone="15800009999",
                         receipt_no="A20261124-0031", product_name="伊利纯牛奶 250ml",
                         account="牛奶有异味,要求退货"),
    }


def test_two_characters_find_a_name_anywhere_in_it(desk: Desk, four_cases: dict[str, str]) -> None:
    assert found(desk, "美丽") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "先生") == [four_cases["zhang"]]
    assert found(desk, "女士") == [four_cases["li"]]


def test_a_product_word_is_found_inside_the_product_name(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    assert found(desk, "牛奶") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "纯牛奶") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "富士") == [four_cases["zhang"]]
    assert found(desk, "250ml×24") == [four_cases["wang"]]


def test_the_last_digits_of_a_receipt_or_phone_find_the_case(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    assert found(desk, "5531") == [four_cases["wang"]]
    assert found(desk, "8877") == [four_cases["zhang"]]
    assert found(desk, "1234") == [four_cases["li"]]
    assert found(desk, "0031") == [four_cases["zhao"]]
    assert found(desk, "20261124075531") == [four_cases["wang"]]
    assert found(desk, "13655556666") == [four_cases["zhang"]]


def test_a_case_number_is_found_whole_or_in_part(desk: Desk, four_cases: dict[str, str]) -> None:
    assert found(desk, four_cases["li"]) == [four_cases["li"]]
    assert found(desk, "ts-202611-0003") == [four_cases["li"]]
    assert len(found(desk, "TS")) == 4


def test_words_of_the_customers_account_are_found(desk: Desk, four_cases: dict[str, str]) -> None:
    assert found(desk, "变质") == [four_cases["wang"]]
    assert found(desk, "异味") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "态度生硬") == [four_cases["zhang"]]
    assert found(desk, "价格不一致") == [four_cases["li"]]


def test_text_that_no_case_holds_finds_nothing(desk: Desk, four_cases: dict[str, str]) -> None:
    for text in ("不存在的顾客", "美女", "99999", "丽1", "味,退"):
        assert found(desk, text) == [], text
        assert counted(desk, text) == 0, text


def test_a_case_saved_after_a_search_is_found_by_the_same_search(
    desk: Desk, register: Register
) -> None:
    assert found(desk, "秀英") == []
    saved = register(customer_name="李秀英")
    assert found(desk, "秀英") == [saved]
    assert counted(desk, "秀英") == 1


def test_a_match_never_runs_from_one_column_into_the_next(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    # 王美丽's name ends where her phone begins; 赵美丽's case number ends where her name begins.
    assert found(desk, "丽139") == []
    assert found(desk, "0004赵") == []
    assert found(desk, "丽13") == []


def test_one_character_looks_for_a_surname(desk: Desk, four_cases: dict[str, str]) -> None:
    assert found(desk, "王") == [four_cases["wang"]]
    assert found(desk, "美") == []
    assert found(desk, "赵") == [four_cases["zhao"]]


def test_latin_letters_match_in_either_case_and_full_width_digits_as_ascii(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    assert found(desk, "250ML") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "Ml") == [four_cases["zhao"], four_cases["wang"]]
    assert found(desk, "a2026") == [four_cases["zhao"]]
    assert found(desk, "１２３４") == [four_cases["li"]]
    assert found(desk, " 5531\t") == [four_cases["wang"]]
    assert found(desk, "\x1f变质\x1f") == [four_cases["wang"]]


@pytest.mark.parametrize(
    "text", ['"', '""', "5531\"", "*", "ml*", "AND", "美丽 OR 先生", "(牛奶", "NEAR(a b)",
             "-牛奶", "^美丽", "body:牛奶", "'; DROP TABLE case; --", "%", "_"],
)
def test_query_syntax_in_the_box_is_searched_as_plain_text(
    desk: Desk, four_cases: dict[str, str], text: str
) -> None:
    assert found(desk, text) == []


def test_the_count_agrees_with_the_matches_and_stops_at_the_cap(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    assert counted(desk, "美丽") == 2
    assert counted(desk, "牛奶有异味") == 1
    assert counted(desk, "1") == 0
    query = queue.QueueFilter(search="TS-2026")
    assert queue.queue_count(query, cap=3) == 3


def test_search_combines_with_filters_and_sorting(
    desk: Desk, staff: Staff, four_cases: dict[str, str]
) -> None:
    zhao = case_id(desk, four_cases["zhao"])
    desk.cases.record_step(staff.clerk, zhao, rules.Step.VOID, StepAnswer(text="重复登记"))
    assert found(desk, "美丽", open_only=True) == [four_cases["wang"]]
    assert found(desk, "美丽", status=rules.CaseStatus.VOIDED) == [four_cases["zhao"]]
    assert found(desk, "美丽", descending=False) == [four_cases["wang"], four_cases["zhao"]]
    by_status = found(desk, "牛奶", sort="status")
    assert sorted(by_status) == sorted([four_cases["wang"], four_cases["zhao"]])
    assert found(desk, "异味", major_only=True) == []
    # Counts driven by a narrow filter's index agree with the pages.
    for filters in (
        {"open_only": True}, {"major_only": True}, {"overdue_only": True},
        {"received_from": TODAY, "received_until": TODAY}, {"status": rules.CaseStatus.VOIDED},
    ):
        for text in ("美丽", "牛奶", "有异味", "牛奶有异味", "王"):
            query = QueueQuery(search=text, **filters)
            assert desk.cases.queue_count(query, TODAY) == len(found(desk, text, **filters))


def test_pages_follow_one_another_without_gaps(desk: Desk, register: Register) -> None:
    numbers = [register(customer_name=f"陈美丽{i}") for i in range(7)]
    pages = [
        [row.case_no for row in desk.cases.queue_page(QueueQuery(search="美丽"), TODAY, o, 3)]
        for o in (0, 3, 6)
    ]
    assert [n for page in pages for n in page] == list(reversed(numbers))


def test_the_index_follows_corrections_and_direct_sql_edits(
    desk: Desk, staff: Staff, four_cases: dict[str, str]
) -> None:
    wang = case_id(desk, four_cases["wang"])
    corrected = a_draft(customer_name="王秀英", customer_phone="13911112222",
                        received_at=datetime(2026, 11, 24, 9, 0))
    desk.cases.correct(staff.boss, wang, corrected, "姓名登记错了")
    assert four_cases["wang"] not in found(desk, "美丽")
    assert found(desk, "秀英") == [four_cases["wang"]]
    # A later erasure of personal data, done by SQL: the old name and phone leave the index.
    database.execute_sql(
        'UPDATE "case" SET customer_name = \'\', customer_phone = \'\' WHERE id = ?', (wang,)
    )
    assert found(desk, "秀英") == []
    assert found(desk, "13911112222") == []
    assert_index_matches_cases()


@pytest.mark.sqlite_only
def test_no_way_of_changing_rows_leaves_stale_text_in_the_index(
    desk: Desk, four_cases: dict[str, str]
) -> None:
    sql = database.execute_sql
    # As another program could: the audit trail's foreign keys would stop renumbering a case.
    sql("PRAGMA foreign_keys = OFF")
    sql('UPDATE "case" SET id = 99 WHERE case_no = ?', (four_cases["li"],))
    sql('UPDATE "case" SET account = \'改写\' || account WHERE customer_name = \'张先生\'')
    sql('UPDATE "case" SET product_name = product_name')
    assert found(desk, "18700001234") == [four_cases["li"]]
    assert_index_matches_cases()
    for statement in (
        'INSERT OR REPLACE INTO "case" SELECT * FROM "case" WHERE id = 99',
        'UPDATE OR REPLACE "case" SET case_no = ? WHERE id = 1',
        'UPDATE OR REPLACE "case" SET id = 2 WHERE id = 1',
    ):
        params = (four_cases["zhang"],) if "?" in statement else ()
        with pytest.raises(Exception, match="never replaced"):
            sql(statement, params)
    # Should the never-deleted guard ever be dropped, a deleted case leaves the index too.
    sql("DROP TRIGGER case_never_deleted")
    sql('DELETE FROM "case" WHERE id = 99')
    assert found(desk, "18700001234") == []
    assert_index_matches_cases()


ALPHABET = "王美丽先生牛奶异味-0123456789abAB %_\\"
cell = st.text(alphabet=ALPHABET, max_size=12)


def stored_cases() -> list[tuple[int, list[str]]]:
    sql = f'SELECT id, {", ".join(SEARCH_COLUMNS)} FROM "case"'
    return [(row[0], list(row[1:])) for row in database.execute_sql(sql).fetchall()]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(*[cell] * len(SEARCH_COLUMNS)), min_size=1, max_size=12),
    needle=st.text(alphabet=ALPHABET, min_size=2, max_size=6),
    pick=st.integers(min_value=0, max_value=10_000),
)
@example(rows=[("xb-92-y", "", "", "", "", "")], needle="B-92-", pick=0)
@example(rows=[("", "王美丽", "", "", "", ""), ("美丽", "", "", "", "", "")], needle="美丽", pick=0)
@example(rows=[("", "王美", "丽1", "", "", "")], needle="美丽", pick=0)
@example(rows=[("aB", "ab", "", "Ab", "", "")], needle="AB", pick=0)
# Rows holding every trigram of the text but not the text, where an unescaped LIKE would match.
@example(rows=[("10_9 0_0 1000", "", "", "", "", "")], needle="10_0", pick=0)
@example(rows=[("100x 00% 1000", "", "", "", "", "")], needle="100%", pick=0)
@example(rows=[("xa\\by \\bc abc", "", "", "", "", "")], needle="a\\bc", pick=0)
def test_search_finds_exactly_the_cases_that_hold_the_text(
    desk: Desk, staff: Staff, rows: list[tuple[str, ...]], needle: str, pick: int
) -> None:
    """Compared with a plain substring check (Latin letters in either case) over the stored
    columns, on random text; half the time the text is cut from a stored case (and then, half
    the time again, typed with its Latin letters in the other case)."""
    with database.atomic() as transaction:
        for index, columns in enumerate(rows):
            _insert_bare_case(staff, index, columns)
        cases = stored_cases()
        if pick % 2:
            source = "".join(cases[pick % len(cases)][1])
            start = pick % max(1, len(source) - 1)
            needle = source[start : start + 2 + pick % 5]
            if pick % 4 == 1:
                needle = needle.swapcase()
        wanted = queue.search_text(needle).lower()
        if len(wanted) >= 2:
            expected = [
                case_id for case_id, columns in reversed(cases)
                if any(wanted in column.lower() for column in columns)
            ]
            # Every bare case is open: the filter changes the plan, not the answer.
            query = queue.QueueFilter(search=needle, open_only=pick % 3 == 0)
            result = queue.queue_page(query, 0, 1000)
            assert [row[0] for row in result] == expected
            assert queue.queue_count(query) == len(expected)
        assert_index_matches_cases()
        transaction.rollback()


def _insert_bare_case(staff: Staff, index: int, columns: tuple[str, ...]) -> None:
    values = dict(zip(SEARCH_COLUMNS, columns, strict=True))
    database.execute_sql(
        'INSERT INTO "case" (case_no, received_at, channel, clerk_id, customer_name, '
        "customer_phone, subject, receipt_no, product_name, account, demand, category, kind, "
        "status, updated_at) VALUES (?, '2026-11-24 09:00:00', 'at_desk', ?, ?, ?, 'product', "
        "?, ?, ?, 'refund', 'other', 'complaint', 'registered', '2026-11-24 09:00:00')",
        (f"{values['case_no']}#{index}", staff.clerk.id, values["customer_name"],
         values["customer_phone"], values["receipt_no"], values["product_name"],
         values["account"]),
    )
