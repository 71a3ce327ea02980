"""Dividing money by weight: exact to the fen, each part within a fen of its exact share."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.shares import apportion


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_the_parts_add_up_and_stay_within_a_fen(total: int, weights: list[int]) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    whole = sum(weights)
    if whole:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - Fraction(total * weight, whole)) < 1


def test_an_amount_follows_the_items_it_was_refunded_for() -> None:
    # 19.50 charged back as 15.00: the 7.00 and 12.50 items bear it in proportion.
    assert apportion(1500, [700, 1250]) == [538, 962]


def test_ties_go_to_the_earlier_part() -> None:
    assert apportion(1000, [1, 1, 1]) == [334, 333, 333]
    assert apportion(1, [50, 50]) == [1, 0]


def test_without_weight_everything_goes_to_the_first_part() -> None:
    assert apportion(500, [0, 0]) == [500, 0]
    assert apportion(0, []) == []


@pytest.mark.parametrize(("total", "weights"), [(-1, [1]), (1, [-1]), (5, [])])
def test_nonsense_is_refused(total: int, weights: list[int]) -> None:
    with pytest.raises(ValueError):
        apportion(total, weights)
