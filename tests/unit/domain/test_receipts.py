"""One receipt, one key: every way a number can be typed gives the same canonical key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.receipts import receipt_identity, receipt_key, receipt_key_or_none

SAME_AS_00123 = ["00123", "００１２３", "001 23", "00\u3000123", "00\u200b123", "\t00123\n",
                 "0\u200d0\ufeff123"]
SAME_AS_A2026 = ["A2026-0031", "A2026－0031", "a2026‐0031", "A2026—0031", "A2026 - 0031",
                 "Ａ２０２６－００３１", "A2026−0031", "A2026﹣0031"]


@pytest.mark.parametrize("typed", SAME_AS_00123)
def test_spacing_width_and_invisible_characters_do_not_make_another_receipt(typed: str) -> None:
    assert receipt_key(typed) == "00123"


@pytest.mark.parametrize("typed", SAME_AS_A2026)
def test_every_dash_and_case_is_one_receipt(typed: str) -> None:
    assert receipt_key(typed) == "A2026-0031"


def test_leading_zeros_are_kept_because_they_may_be_part_of_the_number() -> None:
    assert receipt_key("00123") != receipt_key("123")


@pytest.mark.parametrize("typed", ["", "   ", "\u200b"])
def test_an_empty_number_means_no_receipt(typed: str) -> None:
    assert receipt_key(typed) == ""


@pytest.mark.parametrize("typed", ["12", "-123", "A" * 31, "12.3", "小票123", "12#3"])
def test_a_malformed_number_is_refused_with_a_message(typed: str) -> None:
    with pytest.raises(ValidationError, match="小票号"):
        receipt_key(typed)
    assert receipt_key_or_none(typed) is None


KEYS = st.from_regex(r"[0-9A-Z][0-9A-Z\-]{2,20}", fullmatch=True)
NOISE = st.sampled_from(["", " ", "\u3000", "\u200b", "\u200c", "\ufeff", "\t"])


@given(key=KEYS, noise=st.lists(NOISE, min_size=1, max_size=25), lower=st.booleans(),
       wide=st.booleans())
def test_any_spelling_of_a_key_gives_the_key(
    key: str, noise: list[str], lower: bool, wide: bool
) -> None:
    typed = "".join(char + noise[i % len(noise)] for i, char in enumerate(key))
    if lower:
        typed = typed.lower()
    if wide:
        typed = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in typed)
    assert receipt_key(typed) == key


# Short enough that two separators after every character stay within the 30 allowed.
SHORT_KEYS = st.from_regex(r"[0-9A-Z][0-9A-Z\-]{2,9}", fullmatch=True)


@given(key=SHORT_KEYS, cuts=st.lists(st.sampled_from(["", "-", "--", "/", "－"]), min_size=1,
                                     max_size=25))
def test_separators_moved_doubled_or_left_out_are_the_same_receipt(
    key: str, cuts: list[str]
) -> None:
    """A20261124-0031, A202611240031 and A2026-1124-0031 are one paper receipt."""
    typed = key[0] + "".join(char + cuts[i % len(cuts)] for i, char in enumerate(key[1:]))
    assert receipt_identity(receipt_key(typed)) == receipt_identity(key)


@given(first=KEYS, second=KEYS)
def test_receipts_that_differ_in_a_letter_or_digit_stay_apart(first: str, second: str) -> None:
    if first.replace("-", "") != second.replace("-", ""):
        assert receipt_identity(first) != receipt_identity(second)
