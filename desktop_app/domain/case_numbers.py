"""Readable case numbers: ``TS-202611-0007`` (投诉, year and month received, sequence in month).

Each month has its own counter, kept under the month's key ``202611``."""

from __future__ import annotations

from datetime import date

PREFIX = "TS"
# Where the month and the sequence stand in a number, as SQL's substr() counts (from 1): the
# store reads the months' highest numbers off the case number's index with them.
MONTH_AT = len(PREFIX) + 2
SEQUENCE_AT = MONTH_AT + 7


def month_prefix(month: str) -> str:
    """Every number of month ``202611`` starts with ``TS-202611-``."""
    return f"{PREFIX}-{month}-"


def format_case_number(year: int, month: int, sequence: int) -> str:
    if not 1 <= month <= 12 or sequence < 1 or not 2000 <= year <= 9999:
        raise ValueError(f"no case number for {year}-{month} #{sequence}")
    return f"{PREFIX}-{year:04d}{month:02d}-{sequence:04d}"


def counter_key(received: date) -> str:
    """The key of the month's counter: ``202611``."""
    return f"{received:%Y%m}"


def case_number_for(received: date, sequence: int) -> str:
    return format_case_number(received.year, received.month, sequence)


def month_and_sequence(case_no: str) -> tuple[str, int]:
    """``TS-202611-0007`` → (``202611``, 7): the counter a well-formed number came from."""
    start = len(PREFIX) + 1
    return case_no[start:start + 6], int(case_no[start + 7:])
