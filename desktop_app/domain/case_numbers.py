"""Readable case numbers: ``TS-202611-0007`` (投诉, year and month received, sequence in month)."""

from __future__ import annotations

import re

PREFIX = "TS"
_PATTERN = re.compile(r"^TS-(\d{4})(\d{2})-(\d{4,})$")


def format_case_number(year: int, month: int, sequence: int) -> str:
    if not 1 <= month <= 12 or sequence < 1 or not 2000 <= year <= 9999:
        raise ValueError(f"no case number for {year}-{month} #{sequence}")
    return f"{PREFIX}-{year:04d}{month:02d}-{sequence:04d}"


def parse_case_number(text: str) -> tuple[int, int, int] | None:
    """(year, month, sequence) of a well-formed case number, else ``None``."""
    match = _PATTERN.match(text.strip().upper())
    if match is None:
        return None
    year, month, sequence = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or sequence < 1:
        return None
    return year, month, sequence
