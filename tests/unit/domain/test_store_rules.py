"""Store codes: what is a code, how a store is printed, which database a PC may open."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.stores import STORE_CODE, code_mismatch, store_code_problem, store_label


@pytest.mark.parametrize("code", ["0101", "SH-01", "a", "B_7", "1234567890123456"])
def test_codes_a_store_may_have(code: str) -> None:
    assert store_code_problem(code) is None


@pytest.mark.parametrize("code", ["", " 0101", "-01", "门店1", "01 02", "12345678901234567"])
def test_codes_refused_in_chinese(code: str) -> None:
    problem = store_code_problem(code)
    assert problem is not None and "门店编号" in problem


@given(st.text(max_size=20))
def test_a_code_is_accepted_exactly_when_it_matches_the_pattern(code: str) -> None:
    assert (store_code_problem(code) is None) == bool(STORE_CODE.fullmatch(code))


def test_the_label_carries_the_code_only_when_there_is_one() -> None:
    assert store_label("人民路店", "") == "人民路店"
    assert store_label("人民路店", "0101") == "人民路店(门店编号 0101)"
    assert store_label("", "0101") == "门店编号 0101"


@pytest.mark.parametrize(("database", "configured", "refused"), [
    ("", "", False), ("0101", "", False), ("", "0101", False), ("0101", "0101", False),
    ("0101", "0102", True),
])
def test_only_another_stores_database_is_refused(
    database: str, configured: str, refused: bool
) -> None:
    message = code_mismatch(database, configured)
    assert (message is not None) == refused
    if message is not None:
        assert database in message and configured in message
