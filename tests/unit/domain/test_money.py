from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_yuan, from_fen, parse_amount, to_fen


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("123.5", Decimal("123.5")),
        ("１２３．５", Decimal("123.5")),
        ("123。50", Decimal("123.50")),
        (" ¥1,234.56 ", Decimal("1234.56")),
        ("12,345", Decimal("12345")),
        ("１，２３４．５", Decimal("1234.5")),
        ("0", Decimal("0")),
    ],
)
def test_amounts_typed_with_any_input_method_are_accepted(typed: str, amount: Decimal) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["", "-1", "1.234", "abc", "1e3", "NaN", "1.2.3", "9999999",
                                   # a decimal comma read as a thousands separator: 5000 yuan
                                   "50,00", "1,23", "12,3456", ",5"])
def test_bad_amounts_are_refused_with_a_chinese_message(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(typed)
    assert "金额" in caught.value.field_errors["amount"]


@given(st.integers(min_value=0, max_value=10**9))
def test_fen_round_trips_exactly(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen


def test_to_fen_refuses_to_round_away_a_fraction_of_a_fen() -> None:
    with pytest.raises(ValueError):
        to_fen(Decimal("0.001"))


def test_yuan_are_shown_with_thousands_and_two_decimals() -> None:
    assert format_yuan(Decimal("1234.5")) == "¥1,234.50"
