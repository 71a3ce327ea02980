"""Control characters leave typed text exactly as Unicode's categories say (the fast path of
``strip_controls`` against the character-by-character rule it replaced), and dates typed the
usual way read as strptime reads them."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.registration import _DATE_FORMATS, parse_date
from desktop_app.domain.text import clean_block, clean_line, strip_controls

KEPT = {"\n", "\t"}


def by_category(text: str, multiline: bool) -> str:
    kept = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if unicodedata.category(char) in ("Cc", "Cs") and not (multiline and char in KEPT):
            kept.append(" " if char in KEPT else "")
            continue
        kept.append(char)
    return "".join(kept)


SPECIAL = st.sampled_from(["\ud800", "\udfff", "\x00", "\x1f", "\x7f", "\x85", "\x9f", "\xa0",
                           "\r", "\n", "\t", "\u200b", "\u3000", "王", "😀"])
# Lists of pieces, so a "\r\n" pair comes up as often as a lone one.
TYPED = st.lists(st.one_of(st.characters(), SPECIAL, st.just("\r\n"))).map("".join)


@given(TYPED, st.booleans())
def test_controls_go_exactly_as_their_unicode_category_says(text: str, multiline: bool) -> None:
    assert strip_controls(text, multiline=multiline) == by_category(text, multiline)


def test_a_scanner_line_is_cleaned() -> None:
    assert clean_line("  6901234\r\n567892\x00 ") == "6901234 567892"
    assert clean_block("第一行\r\n\t第二行\x07  \n") == "第一行\n\t第二行"


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(_DATE_FORMATS))
def test_dates_read_as_strptime_reads_them(day: date, pattern: str) -> None:
    typed = day.strftime(pattern)
    assert parse_date(typed) == datetime.strptime(typed, pattern).date()


@pytest.mark.parametrize("typed", ["2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01"])
def test_an_impossible_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)
