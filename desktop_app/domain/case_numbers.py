"""Readable case numbers: ``TS-202611-0007`` (投诉, year and month received, sequence in month)."""

from __future__ import annotations

PREFIX = "TS"


def format_case_number(year: int, month: int, sequence: int) -> str:
    if not 1 <= month <= 12 or sequence < 1 or not 2000 <= year <= 9999:
        raise ValueError(f"no case number for {year}-{month} #{sequence}")
    return f"{PREFIX}-{year:04d}{month:02d}-{sequence:04d}"

